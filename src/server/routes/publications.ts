// Publication: an officer freezes the results as an immutable, numbered,
// time-stamped version (provisional, then official). Any two versions can be
// compared: what changed, because of which facts, decided by whom and why.
// SEE: FIA Sporting Regulations 58 (provisional and final classification).
import type { FastifyInstance } from 'fastify';
import type { PublicationRecord } from '../../store/contract.ts';
import type { ServerContext } from '../context.ts';
// The same head goes out on the live streams, of this process and (PostgreSQL) of the others.
import { publicationHead } from '../live/states-source.ts';
import { requireIdempotencyKey } from '../idempotency.ts';
import { apiError } from '../problem.ts';
import { officialBlockers, type Blocker } from '../publication-check.ts';
import { diffPublications, snapshotOf } from '../publication-diff.ts';
import { sealedSnapshot, sealOf } from '../documents/publish.ts';
import { anyObject, errorResponses, rallyParams } from '../schemas.ts';


const numberParam = { type: 'integer', minimum: 1, description: 'Publication number (1, 2, 3…)' } as const;

export async function registerPublicationRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  async function find(rallyId: string, n: number, field: string): Promise<PublicationRecord> {
    await ctx.rally(rallyId);
    const p = await ctx.store.getPublication(rallyId, n);
    if (!p) throw apiError('publication-not-found', `${field}: rally "${rallyId}" has no publication ${n}.`, field);
    return p;
  }

  app.post<{ Params: { id: string }; Body: { kind: 'provisional' | 'official'; reason: string; override?: { reason: string } } }>('/api/rallies/:id/publications', {
    schema: {
      summary: 'Publish the current results as a numbered, immutable version',
      description: 'Results officer of the rally. The snapshot holds the overall classification and every stage\'s times at the current log position (`uptoSeq`). A reason is required. An official publication is refused (409 publication-blocked, listing `blockers`) while anything stands in the way — stages running or not run, crews overdue, open conflicts and errors, no provisional classification or its inquiry window still open, protests not decided (GET …/publication-check lists them) — unless `override.reason` says why it goes out anyway; the override and what it overrode are recorded in the audit and in the snapshot (`safeguards`). Needs an `Idempotency-Key` header (made once per publication, sent again on a retry): a retry answers the first publication instead of publishing twice.',
      tags: ['publications'],
      params: rallyParams,
      'x-idempotency': 'required',
      body: {
        type: 'object',
        required: ['kind', 'reason'],
        additionalProperties: false,
        properties: {
          kind: { type: 'string', enum: ['provisional', 'official'] },
          reason: { type: 'string', minLength: 1, description: 'Why now, e.g. "after leg 1", "after the inquiry window"' },
          override: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason: { type: 'string', minLength: 1, description: 'Why the official classification goes out although something stands in the way' } } },
        },
      },
      response: { 201: anyObject('{ number, kind, publishedAt, principal, reason, uptoSeq }'), 409: errorResponses[400], ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request, reply) => {
    const p = await ctx.auth.requireRole(request, ['officer'], request.params.id);
    const key = requireIdempotencyKey(request);
    const e = await ctx.states.catchUp(request.params.id);
    if (!e) throw apiError('rally-not-found', `No rally with id "${request.params.id}".`, 'id');
    if (e.rulesErrors.length > 0) {
      throw apiError('rules-invalid', `The rally's rules choice has errors (${e.rulesErrors.map((r) => `${r.path}: ${r.message}`).join('; ')}); results cannot be published.`, 'rules', { errors: e.rulesErrors });
    }
    const reason = request.body.reason.trim();
    if (!reason) throw apiError('reason-required', 'Reason: say why the results are published now, e.g. "end of leg 1".', 'reason');
    const kind = request.body.kind;
    let replayed = false;
    // The seal chains to the previous publication: one publication of a rally at a time. The key
    // is looked up and the blockers are computed inside that queue, so a retry (even one sent at
    // the same moment, or to another process) answers the first publication, and nothing published
    // in between escapes the check.
    const record = await sealedSnapshot(ctx, e, kind, async (publishedAt, seal, all) => {
      let safeguards: { blockers: Blocker[]; override?: string } | undefined;
      if (kind === 'official') {
        const blockers = officialBlockers(e, all, await ctx.desk.read(e.rallyId), ctx.now().getTime());
        const override = request.body.override?.reason.trim();
        if (blockers.length > 0 && !override) {
          throw apiError('publication-blocked', `The official classification cannot go out yet: ${blockers.map((b) => b.detail).join(' ')} Resolve these, or publish with override.reason saying why it goes out anyway.`, 'kind', { blockers });
        }
        safeguards = { blockers, ...(blockers.length > 0 && override ? { override } : {}) };
      }
      const added = await ctx.store.addPublication({
        rallyId: e.rallyId,
        kind,
        publishedAt,
        principal: p.label,
        reason,
        uptoSeq: e.seq,
        snapshot: { ...snapshotOf(e), ...(safeguards ? { safeguards } : {}), idempotencyKey: key, ...seal },
      }, { idempotencyKey: key });
      // Another process published this very request (the same key) in the same instant: its publication answers.
      if (added.replayed) { replayed = true; return added; }
      await ctx.audit(p, 'publish', e.rallyId, { number: added.number, kind: added.kind, uptoSeq: added.uptoSeq, reason, idempotencyKey: key, ...(safeguards?.override ? { overridden: safeguards.blockers, override: safeguards.override } : {}) });
      return added;
    }, (all) => {
      const first = all.find((x) => (x.snapshot as { idempotencyKey?: unknown } | undefined)?.idempotencyKey === key);
      if (first) replayed = true;
      return first;
    });
    if (replayed) return reply.code(201).header('idempotent-replayed', 'true').send(publicationHead(record));
    // Open rally pages change their provisional/official stamp at once.
    app.rallyhq?.live?.announce(e.rallyId, 'publication', publicationHead(record));
    return reply.code(201).send(publicationHead(record));
  });

  app.get<{ Params: { id: string } }>('/api/rallies/:id/publications', {
    schema: { summary: 'Publications of a rally, oldest first', tags: ['publications'], params: rallyParams, response: { 200: anyObject('{ publications: [{ number, kind, publishedAt, principal, reason, uptoSeq }] }'), ...errorResponses } },
  }, async (request) => {
    await ctx.rally(request.params.id);
    // The seal hash beside each head: what the documents print and `rallyhq verify` checks.
    return { rallyId: request.params.id, publications: (await ctx.store.listPublications(request.params.id)).map((p) => ({ ...publicationHead(p), hash: sealOf(p)?.hash ?? null })) };
  });

  app.get<{ Params: { id: string; n: number } }>('/api/rallies/:id/publications/:n', {
    schema: {
      summary: 'One publication with its snapshot',
      tags: ['publications'],
      params: { type: 'object', required: ['id', 'n'], properties: { id: rallyParams.properties.id, n: numberParam } },
      response: { 200: anyObject('{ number, kind, publishedAt, principal, reason, uptoSeq, snapshot }'), ...errorResponses },
    },
  }, async (request, reply) => {
    const p = await find(request.params.id, request.params.n, 'n');
    // NOTE: a publication never changes, so it may be cached for good.
    reply.header('cache-control', 'public, max-age=31536000, immutable');
    return { ...publicationHead(p), snapshot: p.snapshot };
  });

  app.get<{ Params: { id: string; a: number; b: number } }>('/api/rallies/:id/publications/:a/diff/:b', {
    schema: {
      summary: 'What changed between publications a and b: positions and times, the facts behind them, who decided and why',
      tags: ['publications'],
      params: { type: 'object', required: ['id', 'a', 'b'], properties: { id: rallyParams.properties.id, a: numberParam, b: numberParam } },
      response: { 200: anyObject('{ from, to, positions: [{ car, before, after, because: [seq] }], stageTimes: [...], facts: [...], decisions: [...] }'), ...errorResponses },
    },
  }, async (request) => {
    const a = await find(request.params.id, request.params.a, 'a');
    const b = await find(request.params.id, request.params.b, 'b');
    const e = await ctx.rally(request.params.id);
    return diffPublications(a, b, e.facts);
  });
}
