// Tokens and enrollment.
//   POST   /api/tokens                      issue a token (shown once)
//   GET    /api/tokens?rally=               list (never the secrets)
//   DELETE /api/tokens/:tokenId             revoke
//   POST   /api/rallies/:id/enrollments     one-time code for a marshal's phone (ABCD-EFGH-JKLM, QR-friendly URL)
//   POST   /api/enroll                      { code, device } → a device token scoped to the rally and controls
//   GET    /api/whoami                      what the presented token may do
// Administrators issue any token; a results officer issues timekeeper tokens
// and codes for its own rally.
import QRCode from 'qrcode';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role, TokenRecord } from '../../store/contract.ts';
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

interface TokenRequest { role: Exclude<Role, 'public'>; rallyId?: string; controls?: string[]; label: string; device?: string }

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

  app.post<{ Body: TokenRequest }>('/api/tokens', {
    schema: {
      summary: 'Issue a token (the secret is in this response only)',
      description: 'Needs an Idempotency-Key header (made once per token wanted, sent again on a retry): a retry answers the same token instead of issuing a second one.',
      'x-idempotency': 'required',
      tags: ['auth'],
      body: {
        type: 'object',
        required: ['role', 'label'],
        additionalProperties: false,
        properties: { role: roleSchema, rallyId: { type: 'string', minLength: 1 }, controls: controlsSchema, label: { type: 'string', minLength: 1, maxLength: 200 }, device: { type: 'string', minLength: 1, maxLength: 200 } },
      },
      response: { 201: anyObject('{ token, id, role, rallyId, controls, label } — store the token now; it is never shown again'), ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request, reply) => {
    const issuer = await ctx.auth.requireRole(request, ['officer']);
    // A token is new each time: a retry without the key would leave a second, unseen token.
    requireIdempotencyKey(request);
    await checkScope(request, issuer, request.body, '$');
    const secret = newTokenSecret();
    const record: TokenRecord = { id: newTokenId(), hash: sha256Hex(secret), ...request.body, createdAt: ctx.now().toISOString(), createdBy: issuer.label };
    await ctx.store.createToken(record);
    await ctx.audit(issuer, 'issue-token', record.rallyId, { id: record.id, role: record.role, controls: record.controls, label: record.label });
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

  app.post<{ Params: { id: string }; Body: { role?: 'timekeeper' | 'officer'; controls?: string[]; label: string; expiresInMinutes?: number } }>('/api/rallies/:id/enrollments', {
    schema: {
      summary: 'Create a one-time enrollment code for a marshal\'s phone',
      description: 'Results officer of the rally. The code (ABCD-EFGH-JKLM) is typed on the phone or read from a QR code of `url`; it works once and expires.',
      tags: ['auth'],
      params: rallyParams,
      body: {
        type: 'object',
        required: ['label'],
        additionalProperties: false,
        properties: {
          role: { type: 'string', enum: ['timekeeper', 'officer'], default: 'timekeeper' },
          controls: controlsSchema,
          label: { type: 'string', minLength: 1, maxLength: 200, description: 'Who or where, e.g. "SS3 flying finish"' },
          expiresInMinutes: { type: 'integer', minimum: 1, maximum: 7 * 24 * 60, default: DEFAULT_ENROLLMENT_MINUTES },
        },
      },
      response: { 201: anyObject('{ code, url, qrSvg (an SVG QR code of the full enrollment address), expiresAt, role, controls, label }'), ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request, reply) => {
    const rallyId = request.params.id;
    const issuer = await ctx.auth.requireRole(request, ['officer'], rallyId);
    const body = request.body;
    const role = body.role ?? 'timekeeper';
    const want: TokenRequest = { role, rallyId, controls: body.controls, label: body.label };
    await checkScope(request, issuer, want, '$');
    const controls = want.controls;
    const code = newEnrollmentCode();
    const expiresAt = new Date(ctx.now().getTime() + (body.expiresInMinutes ?? DEFAULT_ENROLLMENT_MINUTES) * 60_000).toISOString();
    await ctx.store.createEnrollment({ codeHash: await enrollmentCodeHash(normalizeCode(code)), rallyId, role, ...(controls ? { controls } : {}), label: body.label, expiresAt, createdBy: issuer.label });
    await ctx.audit(issuer, 'create-enrollment', rallyId, { role, controls, label: body.label, expiresAt });
    const url = `/enroll?code=${code}`;
    // The QR code holds the full address the phone opens, as this request reached the server.
    const qrSvg = await QRCode.toString(`${request.protocol}://${request.host}${url}`, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    return reply.code(201).send({ code, url, qrSvg, expiresAt, rallyId, role, controls: controls ?? [], label: body.label });
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
    const e = await ctx.store.consumeEnrollment(legacy ? sha256Hex(code) : await enrollmentCodeHash(code), at);
    if (!e) throw apiError('bad-enrollment-code', 'code: this code is unknown, already used or expired.', 'code');
    const secret = newTokenSecret();
    const record: TokenRecord = {
      id: newTokenId(), hash: sha256Hex(secret), role: e.role, rallyId: e.rallyId, ...(e.controls ? { controls: e.controls } : {}),
      label: e.label, device: request.body.device, createdAt: at, createdBy: e.createdBy,
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
