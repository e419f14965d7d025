// Tokens and enrollment.
//   POST   /api/tokens                      issue a token (shown once)
//   GET    /api/tokens?rally=               list (never the secrets)
//   DELETE /api/tokens/:tokenId             revoke
//   POST   /api/rallies/:id/enrollments     one-time code for a marshal's phone (ABCD-EFGH-JKLM, QR-friendly URL)
//   GET    /api/rallies/:id/enrollments     the rally's codes: waiting, used (and the token it became), expired, cancelled
//   DELETE /api/rallies/:id/enrollments/:enrollmentId   cancel a code not used yet
//   POST   /api/enroll                      { code, device } → a device token scoped to the rally and controls
//   GET    /api/whoami                      what the presented token may do
// Administrators issue any token; a results officer issues timekeeper tokens
// and codes for its own rally. Tokens and codes may name the person who holds
// them and their post (clerk, steward, results, timekeeper, marshal).
import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EnrollmentRecord, Role, TokenRecord } from '../../store/contract.ts';
import { peopleLabel, postById, postRoleProblem, POST_IDS } from '../../core/people/posts.ts';
import { CODE_ALPHABET, codeProblem, enrollmentCodeHash, newEnrollmentCode, newTokenId, newTokenSecret, normalizeCode, sha256Hex, type Principal } from '../auth.ts';
import type { ServerContext } from '../context.ts';
import { requireIdempotencyKey } from '../idempotency.ts';
import { apiError } from '../problem.ts';
import { anyObject, errorResponses, rallyParams } from '../schemas.ts';

const DEFAULT_ENROLLMENT_MINUTES = 12 * 60;

function publicView(t: TokenRecord) {
  const { hash: _hash, ...rest } = t;
  return rest;
}

type CodeState = 'waiting' | 'used' | 'expired' | 'cancelled';

/** A code as listed: never its hash; its state at `now`. */
function codeView(e: EnrollmentRecord, now: Date) {
  const { codeHash: _hash, ...rest } = e;
  const state: CodeState = e.usedAt ? 'used' : e.cancelledAt ? 'cancelled' : Date.parse(e.expiresAt) <= now.getTime() ? 'expired' : 'waiting';
  return { ...rest, id: e.id ?? null, state };
}

interface TokenRequest { role: Exclude<Role, 'public'>; rallyId?: string; controls?: string[]; label?: string; device?: string; person?: string; post?: string }

/** The label a token or code is listed under: as given, else made of post, controls and person; 400 when there is nothing to name it by. */
function labelOf(want: TokenRequest, base: string): string {
  const label = want.label?.trim() || (want.person?.trim() || want.post ? peopleLabel(want.post, want.person, want.controls) : '');
  if (!label) throw apiError('invalid-field', `${base}.label: give a label, or the person and post it is for, e.g. {"person":"Sam Ortiz","post":"marshal"}.`, `${base}.label`);
  return label;
}

/** 400 when the post does not fit the token's role. */
function checkPost(want: TokenRequest, base: string): void {
  if (want.post === undefined) return;
  const problem = postRoleProblem(want.post, want.role);
  if (problem) throw apiError('invalid-field', `${base}.post: ${problem}.`, `${base}.post`);
}

export async function registerTokenRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  /** Checks scope and controls; throws 400/403 naming the field. */
  async function checkScope(request: FastifyRequest, issuer: Principal, want: TokenRequest, base: string): Promise<void> {
    if (want.role === 'admin') {
      if (issuer.role !== 'admin') throw apiError('token-wrong-role', 'Only an administrator can issue administrator tokens.', `${base}.role`);
      if (want.rallyId !== undefined) throw apiError('invalid-field', `${base}.rallyId: an administrator token is not limited to a rally; leave rallyId out.`, `${base}.rallyId`);
      return;
    }
    if (want.rallyId === undefined) throw apiError('invalid-field', `${base}.rallyId: required field is missing; ${want.role} tokens belong to one rally.`, `${base}.rallyId`);
    if (issuer.role !== 'admin') {
      if (want.role !== 'timekeeper') throw apiError('token-wrong-role', 'A results officer issues timekeeper tokens only; ask the administrator for an officer token.', `${base}.role`);
      if (issuer.rallyId !== want.rallyId) throw apiError('token-wrong-rally', `This token is for rally "${issuer.rallyId}", not "${want.rallyId}".`, 'authorization');
    }
    const e = await ctx.rally(want.rallyId);
    if (want.role === 'timekeeper') {
      if (!want.controls || want.controls.length === 0) throw apiError('invalid-field', `${base}.controls: a timekeeper token needs the controls it may write at, e.g. ["SS3S", "SS3F"].`, `${base}.controls`);
      // Control names are matched without regard to case (`ss7f` is SS7F) and stored as the itinerary spells them.
      const known = new Map([...e.definition.legs.flatMap((l) => l.sections.flatMap((s) => s.controls.map((c) => c.id))), ...e.definition.stages.map((s) => s.code)].map((id) => [id.toUpperCase(), id]));
      want.controls = want.controls.map((c, i) => {
        const id = known.get(c.trim().toUpperCase());
        if (id === undefined) throw apiError('unknown-control', `Controls: there is no control or stage "${c}" in rally "${e.rallyId}"; use one of the itinerary's, e.g. ${[...known.values()].slice(0, 4).join(', ')}.`, `${base}.controls[${i}]`);
        return id;
      });
    } else if (want.controls !== undefined) {
      throw apiError('invalid-field', `${base}.controls: only timekeeper tokens are limited to controls; leave controls out.`, `${base}.controls`);
    }
    void request;
  }

  const roleSchema = { type: 'string', enum: ['admin', 'officer', 'timekeeper'] };
  const controlsSchema = { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Timekeeper: control ids (or stage codes) it may write at' };
  const personSchema = { type: 'string', minLength: 1, maxLength: 120, description: 'The person who holds it, e.g. "Sam Ortiz"' };
  const postSchema = { type: 'string', enum: [...POST_IDS], description: 'Their post: clerk (of the course), steward, results — officer tokens; timekeeper, marshal — timekeeper tokens at named controls' };
  const labelSchema = { type: 'string', minLength: 1, maxLength: 200, description: 'What it is listed and audited under; default: post, controls and person ("Marshal SS3F — Sam Ortiz")' };

  app.post<{ Body: TokenRequest }>('/api/tokens', {
    schema: {
      summary: 'Issue a token (the secret is in this response only)',
      description: 'Needs an Idempotency-Key header (made once per token wanted, sent again on a retry): a retry answers the same token instead of issuing a second one.',
      'x-idempotency': 'required',
      tags: ['auth'],
      body: {
        type: 'object',
        required: ['role'],
        additionalProperties: false,
        properties: { role: roleSchema, rallyId: { type: 'string', minLength: 1 }, controls: controlsSchema, label: labelSchema, device: { type: 'string', minLength: 1, maxLength: 200 }, person: personSchema, post: postSchema },
      },
      response: { 201: anyObject('{ token, id, role, rallyId, controls, label, person, post } — store the token now; it is never shown again'), ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request, reply) => {
    const issuer = await ctx.auth.requireRole(request, ['officer']);
    // A token is new each time: a retry without the key would leave a second, unseen token.
    requireIdempotencyKey(request);
    const want = { ...request.body };
    await checkScope(request, issuer, want, '$');
    checkPost(want, '$');
    const label = labelOf(want, '$');
    const secret = newTokenSecret();
    const record: TokenRecord = { id: newTokenId(), hash: sha256Hex(secret), ...want, label, createdAt: ctx.now().toISOString(), createdBy: issuer.label };
    await ctx.store.createToken(record);
    await ctx.audit(issuer, 'issue-token', record.rallyId, { id: record.id, role: record.role, controls: record.controls, label: record.label, person: record.person, post: record.post });
    return reply.code(201).send({ token: secret, ...publicView(record) });
  });

  app.get<{ Querystring: { rally?: string } }>('/api/tokens', {
    schema: {
      summary: 'List tokens (never their secrets)',
      tags: ['auth'],
      querystring: { type: 'object', additionalProperties: false, properties: { rally: { type: 'string', minLength: 1, description: 'Only tokens of this rally id (an officer must give its own rally)' } } },
      response: { 200: anyObject('{ tokens: [...] }'), ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request) => {
    const p = await ctx.auth.requireRole(request, ['officer']);
    const rally = request.query.rally;
    if (p.role !== 'admin') {
      if (rally === undefined) throw apiError('invalid-field', `query.rally: a results officer lists the tokens of its rally: add ?rally=${p.rallyId}.`, 'query.rally');
      if (rally !== p.rallyId) throw apiError('token-wrong-rally', `This token is for rally "${p.rallyId}", not "${rally}".`, 'authorization');
    }
    return { tokens: (await ctx.store.listTokens(rally)).map(publicView) };
  });

  app.delete<{ Params: { tokenId: string } }>('/api/tokens/:tokenId', {
    schema: {
      summary: 'Revoke a token',
      tags: ['auth'],
      params: { type: 'object', required: ['tokenId'], properties: { tokenId: { type: 'string', minLength: 1 } } },
      response: { 200: anyObject('The revoked token'), ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request) => {
    const p = await ctx.auth.requireRole(request, ['officer']);
    const all = await ctx.store.listTokens(p.role === 'admin' ? undefined : p.rallyId);
    const t = all.find((x) => x.id === request.params.tokenId);
    if (!t) throw apiError('token-not-found', `No token "${request.params.tokenId}"${p.role === 'admin' ? '' : ` in rally "${p.rallyId}"`}.`, 'tokenId');
    if (p.role !== 'admin' && t.role !== 'timekeeper') throw apiError('token-wrong-role', 'A results officer revokes timekeeper tokens only.', 'tokenId');
    const at = ctx.now().toISOString();
    if (!t.revokedAt) await ctx.store.revokeToken(t.id, at);
    ctx.auth.forget();
    // What the token opened is closed too: its live streams end now (EventSource's reconnect then meets a 401).
    app.rallyhq?.live?.closeToken(t.id);
    await ctx.audit(p, 'revoke-token', t.rallyId, { id: t.id, label: t.label });
    return publicView({ ...t, revokedAt: t.revokedAt ?? at });
  });

  app.post<{ Params: { id: string }; Body: { role?: 'timekeeper' | 'officer'; controls?: string[]; label?: string; person?: string; post?: string; expiresInMinutes?: number } }>('/api/rallies/:id/enrollments', {
    schema: {
      summary: 'Create a one-time enrollment code for a marshal\'s phone',
      description: 'Results officer of the rally. The code (ABCD-EFGH-JKLM) is typed on the phone or read from a QR code of `url`; it works once and expires.',
      tags: ['auth'],
      params: rallyParams,
      body: {
        type: 'object',
        additionalProperties: false,
        properties: {
          role: { type: 'string', enum: ['timekeeper', 'officer'], description: 'Default: the post\'s role, else timekeeper' },
          controls: controlsSchema,
          label: { ...labelSchema, description: 'Who or where, e.g. "SS3 flying finish"; default: post, controls and person. A label, a person or a post is required.' },
          person: personSchema,
          post: postSchema,
          expiresInMinutes: { type: 'integer', minimum: 1, maximum: 7 * 24 * 60, default: DEFAULT_ENROLLMENT_MINUTES },
        },
      },
      response: { 201: anyObject('{ id, code, url, qrSvg (an SVG QR code of the full enrollment address), expiresAt, role, controls, label, person, post }'), ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request, reply) => {
    const rallyId = request.params.id;
    const issuer = await ctx.auth.requireRole(request, ['officer'], rallyId);
    const body = request.body;
    const postRole = body.post === undefined ? undefined : postById(body.post)?.role;
    const role = body.role ?? (postRole === 'officer' ? 'officer' : 'timekeeper');
    const want: TokenRequest = { role, rallyId, controls: body.controls, ...(body.label !== undefined ? { label: body.label } : {}), ...(body.person !== undefined ? { person: body.person.trim() } : {}), ...(body.post !== undefined ? { post: body.post } : {}) };
    await checkScope(request, issuer, want, '$');
    checkPost(want, '$');
    const label = labelOf(want, '$');
    const controls = want.controls;
    const code = newEnrollmentCode();
    const now = ctx.now();
    const expiresAt = new Date(now.getTime() + (body.expiresInMinutes ?? DEFAULT_ENROLLMENT_MINUTES) * 60_000).toISOString();
    const id = `enr_${randomBytes(8).toString('hex')}`;
    const person = want.person;
    const post = want.post;
    await ctx.store.createEnrollment({
      codeHash: await enrollmentCodeHash(normalizeCode(code)), id, rallyId, role, ...(controls ? { controls } : {}), label, ...(person ? { person } : {}), ...(post ? { post } : {}),
      createdAt: now.toISOString(), expiresAt, createdBy: issuer.label,
    });
    await ctx.audit(issuer, 'create-enrollment', rallyId, { id, role, controls, label, person, post, expiresAt });
    const url = `/enroll?code=${code}`;
    // The QR code holds the full address the phone opens, as this request reached the server.
    const qrSvg = await QRCode.toString(`${request.protocol}://${request.host}${url}`, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    return reply.code(201).send({ id, code, url, qrSvg, expiresAt, rallyId, role, controls: controls ?? [], label, ...(person ? { person } : {}), ...(post ? { post } : {}) });
  });

  app.get<{ Params: { id: string } }>('/api/rallies/:id/enrollments', {
    schema: {
      summary: 'List the rally\'s enrollment codes (never the codes themselves)',
      description: 'Results officer of the rally. Each code with its state: waiting (not used yet), used (with `tokenId`, the phone\'s token — revoke that to stop the phone), expired or cancelled.',
      tags: ['auth'],
      params: rallyParams,
      response: { 200: anyObject('{ enrollments: [{ id, state, role, controls, label, person, post, createdAt, expiresAt, createdBy, usedAt, cancelledAt, tokenId }] }'), ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request) => {
    const rallyId = request.params.id;
    await ctx.auth.requireRole(request, ['officer'], rallyId);
    await ctx.rally(rallyId);
    const now = ctx.now();
    return { enrollments: (await ctx.store.listEnrollments(rallyId)).map((e) => codeView(e, now)) };
  });

  app.delete<{ Params: { id: string; enrollmentId: string } }>('/api/rallies/:id/enrollments/:enrollmentId', {
    schema: {
      summary: 'Cancel an enrollment code not used yet',
      description: 'Results officer of the rally (timekeeper codes) or administrator. A used code answers 409 naming the token it became: revoke that token instead. Cancelling twice is answered with the cancelled code.',
      tags: ['auth'],
      params: { type: 'object', required: ['id', 'enrollmentId'], properties: { id: { type: 'string', minLength: 1 }, enrollmentId: { type: 'string', minLength: 1 } } },
      response: { 200: anyObject('The cancelled code'), ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request) => {
    const { id: rallyId, enrollmentId } = request.params;
    const p = await ctx.auth.requireRole(request, ['officer'], rallyId);
    const find = async () => (await ctx.store.listEnrollments(rallyId)).find((e) => e.id === enrollmentId);
    const e = await find();
    if (!e) throw apiError('enrollment-not-found', `enrollmentId: no enrollment code "${enrollmentId}" in rally "${rallyId}".`, 'enrollmentId');
    if (p.role !== 'admin' && e.role !== 'timekeeper') throw apiError('token-wrong-role', 'A results officer cancels timekeeper codes only.', 'enrollmentId');
    const used = (x: EnrollmentRecord) => apiError('enrollment-used', `enrollmentId: code "${enrollmentId}" (${x.label}) was used${x.usedAt ? ` at ${x.usedAt}` : ''}; revoke the token it became${x.tokenId ? `, ${x.tokenId}` : ''}.`, 'enrollmentId', x.tokenId ? { tokenId: x.tokenId } : {});
    if (e.usedAt) throw used(e);
    const at = ctx.now();
    if (!e.cancelledAt && !(await ctx.store.cancelEnrollment(enrollmentId, at.toISOString()))) {
      // The phone enrolled between the read and the cancel.
      const now = await find();
      if (now?.usedAt) throw used(now);
    }
    await ctx.audit(p, 'cancel-enrollment', rallyId, { id: enrollmentId, label: e.label });
    const after = await find();
    return codeView(after ?? e, at);
  });

  app.post<{ Body: { code: string; device: string } }>('/api/enroll', {
    schema: {
      summary: 'Turn an enrollment code into a device token (once)',
      tags: ['auth'],
      body: {
        type: 'object',
        required: ['code', 'device'],
        additionalProperties: false,
        properties: { code: { type: 'string', minLength: 4, maxLength: 40, description: 'As shown: ABCD-EFGH-JKLM (case, spaces and dashes do not matter); the last character is a check character, so a typo is answered at once' }, device: { type: 'string', minLength: 1, maxLength: 200, description: 'A name for this phone, e.g. "SS3 finish phone 1"' } },
      },
      response: { 201: anyObject('{ token, id, role, rallyId, controls, label, device } — store the token on the device now'), ...errorResponses },
    },
  }, async (request, reply) => {
    const at = ctx.now().toISOString();
    const code = normalizeCode(request.body.code);
    // Every attempt counts against the address and the code, a typo too: guessing is slow from anywhere.
    await app.rallyhq.throttle.enrollAttempt(request, code);
    // NOTE: 8-character codes (no check character) were issued before codes grew; they are stored by SHA-256 and expire within a week.
    const legacy = code.length === 8 && [...code].every((c) => CODE_ALPHABET.includes(c));
    const problem = legacy ? null : codeProblem(code);
    if (problem) throw apiError('bad-enrollment-code', `code: ${problem}.`, 'code');
    const tokenId = newTokenId();
    const e = await ctx.store.consumeEnrollment(legacy ? sha256Hex(code) : await enrollmentCodeHash(code), at, tokenId);
    if (!e) throw apiError('bad-enrollment-code', 'code: this code is unknown, already used, cancelled or expired.', 'code');
    const secret = newTokenSecret();
    const record: TokenRecord = {
      id: tokenId, hash: sha256Hex(secret), role: e.role, rallyId: e.rallyId, ...(e.controls ? { controls: e.controls } : {}),
      label: e.label, device: request.body.device, ...(e.person ? { person: e.person } : {}), ...(e.post ? { post: e.post } : {}), createdAt: at, createdBy: e.createdBy,
    };
    await ctx.store.createToken(record);
    await ctx.store.audit({ at, principal: record.label, action: 'enroll', rallyId: e.rallyId, detail: { tokenId: record.id, device: record.device, createdBy: e.createdBy } });
    return reply.code(201).send({ token: secret, ...publicView(record) });
  });

  app.get('/api/whoami', {
    schema: { summary: 'The role, rally and controls of the presented token (public without one)', tags: ['auth'], response: { 200: anyObject('{ role, rallyId, controls, label, device }') } },
  }, async (request) => {
    const p = await ctx.auth.authenticate(request);
    return p ? { role: p.role, rallyId: p.rallyId, controls: p.controls, label: p.label, device: p.device, tokenId: p.tokenId } : { role: 'public' };
  });
}
