// The officials' desk beyond facts: the inquiry clock and what a publication
// holds (public), protests and appeals, the official notice board (public
// page and live stream; other tools post start lists and classifications to
// it), competitors' acknowledgments with crew codes, and the check of what
// stands in the way of an official classification.
import { randomBytes, randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.ts';
import { sha256Hex } from '../auth.ts';
import { acknowledgmentOf, decisionOf, deskKeys, noticeOf, protestOf, type Notice, type NoticeKind, type Outcome, type ProtestKind } from '../desk-records.ts';
import { inquiryClock, officialBlockers } from '../publication-check.ts';
import { idempotencyKey } from '../idempotency.ts';
import { apiError } from '../problem.ts';
import { anyObject, errorResponses, rallyParams } from '../schemas.ts';

const NOTICE_KINDS: NoticeKind[] = ['bulletin', 'decision', 'classification', 'startList', 'other'];
const KIND_NAMES: Record<NoticeKind, string> = { bulletin: 'Bulletin', decision: 'Stewards\' decision', classification: 'Classification', startList: 'Start list', other: 'Document' };

/** The id a write is known by: the body's `id`, else the Idempotency-Key header, else a new one (then a resend is a second write). */
/** The record's id: `id` of the body, else the Idempotency-Key; neither → 400 (a retry would record it twice). */
function writeId(request: FastifyRequest, body: { id?: string }): string {
  if (body.id !== undefined) return body.id;
  const key = idempotencyKey(request);
  if (key === undefined) {
    throw apiError('idempotency-key-required', 'id: give the record an id (or send an Idempotency-Key header), made once and sent again on a retry, so a retry is not recorded twice.', 'id');
  }
  return key;
}

function noticeView(n: Notice) {
  return { ...n, kindName: KIND_NAMES[n.kind] };
}

const idField = { type: 'string', minLength: 1, maxLength: 200, description: 'Client-made id, required unless an Idempotency-Key header is sent (which then becomes the id): a resend with the same id is answered with the original, nothing is written twice' };

export async function registerDeskRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.get<{ Params: { id: string } }>('/api/rallies/:id/status', {
    schema: {
      summary: 'What the public pages stamp: the latest publication and the log position it holds, the inquiry clock, protests',
      description: 'Public. `publication.uptoSeq` is the log position the latest publication holds; when `seq` is past it the results shown live are newer ("live since provisional #n"), and no page may put an OFFICIAL stamp over them. `inquiry` runs from the latest provisional publication for the preset\'s inquiryWindowMin (cited).',
      tags: ['publications'],
      params: rallyParams,
      response: { 200: anyObject('{ rallyId, seq, now, publication: { number, kind, publishedAt, uptoSeq } | null, liveSince: { number, kind } | null, inquiry: { windowMin, rule, confirmed, provisional, startedAt, endsAt, open, remainingMs }, protests: { open, list: [...] } }'), ...errorResponses },
    },
  }, async (request) => {
    const e = await ctx.rally(request.params.id);
    // NOTE: every open rally page asks this each minute: the latest publication alone, not every snapshot.
    const [prov, off] = await Promise.all([ctx.store.latestPublicationNumber(e.rallyId, 'provisional'), ctx.store.latestPublicationNumber(e.rallyId, 'official')]);
    const n = Math.max(prov ?? 0, off ?? 0);
    const last = n ? await ctx.store.getPublication(e.rallyId, n) : null;
    const pubs = last ? [last] : [];
    const desk = await ctx.desk.read(e.rallyId);
    const nowMs = ctx.now().getTime();
    return {
      rallyId: e.rallyId,
      seq: e.seq,
      now: new Date(nowMs).toISOString(),
      publication: last ? { number: last.number, kind: last.kind, publishedAt: last.publishedAt, reason: last.reason, uptoSeq: last.uptoSeq } : null,
      liveSince: last && e.seq > last.uptoSeq ? { number: last.number, kind: last.kind } : null,
      inquiry: inquiryClock(e, pubs, nowMs),
      protests: { open: desk.protests.filter((p) => !p.decision).length, list: desk.protests },
    };
  });

  app.get<{ Params: { id: string } }>('/api/rallies/:id/publication-check', {
    schema: {
      summary: 'What stands in the way of an official classification now',
      description: 'Officer of the rally. The same list POST …/publications checks for kind official.',
      tags: ['publications'], params: rallyParams,
      response: { 200: anyObject('{ rallyId, seq, blockers: [{ code, detail }] }'), ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request) => {
    await ctx.auth.requireRole(request, ['officer'], request.params.id);
    const e = await ctx.states.catchUp(request.params.id) ?? await ctx.rally(request.params.id);
    const blockers = officialBlockers(e, await ctx.store.listPublications(e.rallyId), await ctx.desk.read(e.rallyId), ctx.now().getTime());
    return { rallyId: e.rallyId, seq: e.seq, blockers };
  });

  app.get<{ Params: { id: string } }>('/api/rallies/:id/protests', {
    schema: { summary: 'Protests and appeals: who, about which crew, when received, and any decision', tags: ['decisions'], params: rallyParams, response: { 200: anyObject('{ protests: [{ id, kind, car, lodgedBy, receivedAt, grounds, decision? }] }'), ...errorResponses } },
  }, async (request) => {
    const e = await ctx.rally(request.params.id);
    return { rallyId: e.rallyId, protests: (await ctx.desk.read(e.rallyId)).protests };
  });

  app.post<{ Params: { id: string }; Body: { id?: string; kind: ProtestKind; car: number; lodgedBy: string; receivedAt?: string; grounds: string } }>('/api/rallies/:id/protests', {
    schema: {
      summary: 'Record a protest or an appeal as received',
      description: 'Officer of the rally. While a protest is open the official classification is blocked (unless overridden with a reason). SEE: FMU26 Arts 1.9, 65.',
      tags: ['decisions'], params: rallyParams,
      body: {
        type: 'object', required: ['car', 'lodgedBy', 'grounds'], additionalProperties: false,
        properties: {
          id: idField,
          kind: { type: 'string', enum: ['protest', 'appeal'], default: 'protest' },
          car: { type: 'integer', minimum: 0, description: 'The crew it is about' },
          lodgedBy: { type: 'string', minLength: 1, maxLength: 200, description: 'Who lodged it, e.g. "entrant of car 7"' },
          receivedAt: { type: 'string', format: 'date-time', description: 'When it was received (ISO with offset); default now' },
          grounds: { type: 'string', minLength: 1, maxLength: 4000 },
        },
      },
      response: { 201: anyObject('The protest'), 200: anyObject('Already recorded (same id): the original'), ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request, reply) => {
    const p = await ctx.auth.requireRole(request, ['officer'], request.params.id);
    const e = await ctx.rally(request.params.id);
    const b = request.body;
    if (!e.definition.entries.some((x) => x.car === b.car)) throw apiError('unknown-car', `Car: ${b.car} is not on the entry list of "${e.rallyId}".`, 'car');
    const id = writeId(request, b);
    const protest = { id, kind: b.kind ?? 'protest', car: b.car, lodgedBy: b.lodgedBy.trim(), receivedAt: b.receivedAt ?? ctx.now().toISOString(), grounds: b.grounds.trim() };
    const { record, added } = await ctx.desk.add(e.rallyId, 'protest', deskKeys.protest(id), p.label, ctx.now().toISOString(), { ...protest, tokenId: p.tokenId, device: p.device });
    if (!added) return reply.code(200).send(protestOf(record));
    app.rallyhq?.live?.announce(e.rallyId, 'protest', { rallyId: e.rallyId, ...protest });
    return reply.code(201).send({ ...protest, recordedBy: p.label });
  });

  app.post<{ Params: { id: string; pid: string }; Body: { outcome: Outcome; reason: string } }>('/api/rallies/:id/protests/:pid/decision', {
    schema: {
      summary: 'Decide a protest or appeal (upheld, rejected or withdrawn), with the reason',
      description: 'Officer of the rally. A decision that changes results is recorded as well as a decision fact (penalty, exclusion…) through the decision forms.',
      tags: ['decisions'],
      params: { type: 'object', required: ['id', 'pid'], properties: { id: rallyParams.properties.id, pid: { type: 'string', minLength: 1 } } },
      body: { type: 'object', required: ['outcome', 'reason'], additionalProperties: false, properties: { outcome: { type: 'string', enum: ['upheld', 'rejected', 'withdrawn'] }, reason: { type: 'string', minLength: 1 } } },
      response: { 200: anyObject('The protest with its decision'), ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request) => {
    const p = await ctx.auth.requireRole(request, ['officer'], request.params.id);
    const e = await ctx.rally(request.params.id);
    const protest = (await ctx.desk.read(e.rallyId)).protests.find((x) => x.id === request.params.pid);
    if (!protest) throw apiError('protest-not-found', `No protest "${request.params.pid}" in rally "${e.rallyId}".`, 'pid');
    const { outcome, reason } = request.body;
    // NOTE: one decision per protest is a unique key of the store: of two officers deciding at once, one is first.
    const { record, added } = await ctx.desk.add(e.rallyId, 'protest-decision', deskKeys.decision(protest.id), p.label, ctx.now().toISOString(), { protest: protest.id, outcome, reason, tokenId: p.tokenId, device: p.device });
    const decision = decisionOf(record);
    if (!added && (decision.outcome !== outcome || decision.reason !== reason)) throw apiError('protest-decided', `This ${protest.kind} was already decided (${decision.outcome}: ${decision.reason}).`, 'pid');
    const decided = { ...protest, decision };
    if (added) app.rallyhq?.live?.announce(e.rallyId, 'protest', { rallyId: e.rallyId, ...decided });
    return decided;
  });

  app.get<{ Params: { id: string } }>('/api/rallies/:id/notices', {
    schema: { summary: 'The official notice board: numbered documents with their time of posting', tags: ['publications'], params: rallyParams, response: { 200: anyObject('{ notices: [{ number, kind, kindName, title, body, about, rule, publication, postedAt, postedBy, acknowledged }] }'), ...errorResponses } },
  }, async (request) => {
    const e = await ctx.rally(request.params.id);
    const desk = await ctx.desk.read(e.rallyId);
    return { rallyId: e.rallyId, notices: desk.notices.map((n) => ({ ...noticeView(n), acknowledged: desk.acknowledgments.filter((a) => a.notice === n.number).length })) };
  });

  app.post<{ Params: { id: string }; Body: { id?: string; kind: NoticeKind; title: string; body?: string; about?: string; rule?: string; publication?: number } }>('/api/rallies/:id/notices', {
    schema: {
      summary: 'Post a numbered document on the official notice board',
      description: 'Officer of the rally. Numbers run 1, 2, 3… in posting order. A stewards\' decision names the decision fact it publishes (`about`, a fact id of the log) and the rule; a classification names its publication number. The document goes out on the live stream as a `notice` event.',
      tags: ['publications'], params: rallyParams,
      body: {
        type: 'object', required: ['kind', 'title'], additionalProperties: false,
        properties: {
          id: idField,
          kind: { type: 'string', enum: NOTICE_KINDS },
          title: { type: 'string', minLength: 1, maxLength: 300 },
          body: { type: 'string', maxLength: 20_000 },
          about: { type: 'string', minLength: 1, description: 'Fact id of the decision this document publishes' },
          rule: { type: 'string', minLength: 1, maxLength: 300 },
          publication: { type: 'integer', minimum: 1 },
        },
      },
      response: { 201: anyObject('The notice with its number'), 200: anyObject('Already posted (same id): the original'), ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request, reply) => {
    const p = await ctx.auth.requireRole(request, ['officer'], request.params.id);
    const e = await ctx.rally(request.params.id);
    const b = request.body;
    if (b.about !== undefined && !e.byId.has(b.about)) throw apiError('unknown-fact', `About: no fact "${b.about}" in the log of "${e.rallyId}"; give the id of the decision this document publishes.`, 'about');
    if (b.publication !== undefined && !(await ctx.store.getPublication(e.rallyId, b.publication))) throw apiError('publication-not-found', `Publication: rally "${e.rallyId}" has no publication ${b.publication}.`, 'publication');
    const id = writeId(request, b);
    const detail = { id, kind: b.kind, title: b.title.trim(), body: (b.body ?? '').trim(), ...(b.about ? { about: b.about } : {}), ...(b.rule ? { rule: b.rule } : {}), ...(b.publication ? { publication: b.publication } : {}) };
    // NOTE: the store numbers the notice inside its commit, so two officers posting at once get n and n + 1.
    const { record, added } = await ctx.desk.add(e.rallyId, 'notice', deskKeys.notice(id), p.label, ctx.now().toISOString(), { ...detail, tokenId: p.tokenId, device: p.device });
    const notice: Notice = noticeOf(record);
    if (!added) return reply.code(200).send(noticeView(notice));
    app.rallyhq?.live?.announce(e.rallyId, 'notice', { rallyId: e.rallyId, ...noticeView(notice) });
    return reply.code(201).send(noticeView(notice));
  });

  app.post<{ Params: { id: string }; Body: { car: number } }>('/api/rallies/:id/crew-codes', {
    schema: {
      summary: 'Issue a crew\'s code: the crew signs for notice-board documents with it',
      description: 'Officer of the rally. A new code replaces the crew\'s previous one. The answer carries the code, a link to the notice board that signs in as the crew (`/notices.html?rally=…#car=…&code=…`: the code in the fragment, which browsers do not send, so it reaches no access log), and its QR code (SVG).',
      tags: ['auth'], params: rallyParams,
      body: { type: 'object', required: ['car'], additionalProperties: false, properties: { car: { type: 'integer', minimum: 0 } } },
      response: { 201: anyObject('{ car, code, url, qrSvg }'), ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request, reply) => {
    const p = await ctx.auth.requireRole(request, ['officer'], request.params.id);
    const e = await ctx.rally(request.params.id);
    const car = request.body.car;
    if (!e.definition.entries.some((x) => x.car === car)) throw apiError('unknown-car', `Car: ${car} is not on the entry list of "${e.rallyId}".`, 'car');
    const code = randomBytes(12).toString('base64url');
    await ctx.desk.add(e.rallyId, 'crew-code', deskKeys.crewCode(randomUUID()), p.label, ctx.now().toISOString(), { car, hash: sha256Hex(code), tokenId: p.tokenId, device: p.device });
    // The code travels in the fragment: a browser never sends it, so it reaches no access log or proxy.
    const url = `/notices.html?rally=${encodeURIComponent(e.rallyId)}#car=${car}&code=${code}`;
    const qrSvg = await QRCode.toString(`${request.protocol}://${request.host}${url}`, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    return reply.code(201).send({ car, code, url, qrSvg });
  });

  app.post<{ Params: { id: string; n: number }; Body: { car: number; code: string } }>('/api/rallies/:id/notices/:n/acknowledgments', {
    schema: {
      summary: 'A crew acknowledges a notice-board document (with the time)',
      description: 'Public route; the crew signs with its crew code (POST …/crew-codes). Acknowledging twice keeps the first time.',
      tags: ['publications'],
      params: { type: 'object', required: ['id', 'n'], properties: { id: rallyParams.properties.id, n: { type: 'integer', minimum: 1 } } },
      body: { type: 'object', required: ['car', 'code'], additionalProperties: false, properties: { car: { type: 'integer', minimum: 0 }, code: { type: 'string', minLength: 1 } } },
      response: { 201: anyObject('{ notice, car, at }'), 200: anyObject('Already acknowledged: the first time'), ...errorResponses },
    },
  }, async (request, reply) => {
    const e = await ctx.rally(request.params.id);
    const { car, code } = request.body;
    const n = request.params.n;
    const desk = await ctx.desk.read(e.rallyId);
    if (!desk.notices.some((x) => x.number === n)) throw apiError('notice-not-found', `Rally "${e.rallyId}" has no notice ${n}.`, 'n');
    if (desk.crewCodes.get(car) !== sha256Hex(code)) throw apiError('crew-code-wrong', `This crew code is not the current code of car ${car}.`, 'code');
    // NOTE: one acknowledgment per notice and crew is a unique key of the store: a second one answers the first time.
    const { record, added } = await ctx.desk.add(e.rallyId, 'acknowledgment', deskKeys.acknowledgment(n, car), `crew of car ${car}`, ctx.now().toISOString(), { notice: n, car });
    const ack = acknowledgmentOf(record);
    if (!added) return reply.code(200).send(ack);
    app.rallyhq?.live?.announce(e.rallyId, 'acknowledgment', { rallyId: e.rallyId, ...ack });
    return reply.code(201).send(ack);
  });

  app.get<{ Params: { id: string } }>('/api/rallies/:id/acknowledgments', {
    schema: {
      summary: 'Per notice: which crews acknowledged it (and when) and which have not',
      tags: ['publications'], params: rallyParams,
      response: { 200: anyObject('{ notices: [{ number, title, acknowledged: [{ car, at }], missing: [car] }] }'), ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request) => {
    await ctx.auth.requireRole(request, ['officer'], request.params.id);
    const e = await ctx.rally(request.params.id);
    const desk = await ctx.desk.read(e.rallyId);
    const cars = e.definition.entries.map((x) => x.car);
    return {
      rallyId: e.rallyId,
      crewsWithCodes: [...desk.crewCodes.keys()].sort((a, b) => a - b),
      notices: desk.notices.map((n) => {
        const acknowledged = desk.acknowledgments.filter((a) => a.notice === n.number).map(({ car, at }) => ({ car, at }));
        const done = new Set(acknowledged.map((a) => a.car));
        return { number: n.number, title: n.title, kind: n.kind, acknowledged, missing: cars.filter((c) => !done.has(c)) };
      }),
    };
  });
}
