// Live updates over Server-Sent Events.
//   GET /api/rallies/:id/live      public: `init`, then one `delta` per change (id = log seq)
//   GET /api/rallies/:id/live/hq   officers: `overdue` and `counts` whenever they change
// The protocol is described in docs/live.md.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
// NOTE: brings in the OpenAPI fields (summary, tags) of route schemas.
import type {} from '@fastify/swagger';
import { DEFAULT_HUB_OPTIONS, initPayload, LiveHub } from './hub.ts';
import { HqHub } from './hq.ts';
import { HEARTBEAT, openSseResponse } from './sse.ts';
import type { LiveChange, LiveSource, RallySnapshot } from './source.ts';
import { sourceFromDeps } from './states-source.ts';
import { PROBLEMS } from '../messages.ts';
import type { ProblemCode } from '../messages.ts';

export type { LiveSource, RallySnapshot, LiveChange } from './source.ts';
export type { LiveDelta } from './delta.ts';

export interface LiveOptions {
  /** Comment line every this many ms so proxies keep an idle stream open. */
  heartbeatMs: number;
  /** Reconnect delay suggested to EventSource, ms. */
  retryMs: number;
  /** Delta frames kept per rally for Last-Event-ID resume. */
  ringSize: number;
  /** A subscriber with more than this many bytes unsent is dropped (it reconnects and resumes). */
  maxBufferedBytes: number;
  /** How often the HQ overdue list is recomputed while someone watches it, ms. */
  hqIntervalMs: number;
}

export const DEFAULT_LIVE_OPTIONS: LiveOptions = {
  heartbeatMs: 15_000,
  retryMs: 2_000,
  ringSize: DEFAULT_HUB_OPTIONS.ringSize,
  maxBufferedBytes: DEFAULT_HUB_OPTIONS.maxBufferedBytes,
  hqIntervalMs: 5_000,
};

/** `tokenId`: the token the stream was opened with, so revoking it closes the stream. */
export type HqDecision = { ok: true; tokenId?: string } | { ok: false; status: 401 | 403; message: string };

export interface LiveDeps {
  /** The event log (its `onAppended` wakes us up, also for other processes on PostgreSQL). */
  store?: unknown;
  /** The scored-state cache (`RallyStates`): `get(rallyId)` and `on('change', …)`. */
  states?: unknown;
  /** Auth helpers of the server; used for the HQ stream. */
  auth?: unknown;
  /** Overrides everything above for tests: a ready source of snapshots and changes. */
  source?: LiveSource;
  /** Decides whether a request may read a rally's HQ stream; default: from `auth`. */
  authorizeHq?: (request: FastifyRequest, rallyId: string) => Promise<HqDecision>;
  options?: Partial<LiveOptions>;
  /** Server clock, epoch ms (tests pass their own). */
  now?: () => number;
  /** Called once per committed change, after the streams have it, with the state after it (push notifications). */
  afterChange?: (change: LiveChange, snapshot: RallySnapshot) => void;
}

export interface LiveHandle {
  hub: LiveHub;
  hq: HqHub;
  options: LiveOptions;
  /** The whole current picture of a rally (the `init` payload), for the rally page's first render; null for an unknown rally. */
  picture(rallyId: string, category?: string): Promise<Record<string, unknown> | null>;
  /** Pushes an event outside the results log (e.g. `publication` after POST …/publications) to a rally's public and HQ streams. */
  announce(rallyId: string, event: string, data: unknown): void;
  /** Ends at once every stream opened with this token (it was revoked); returns how many. */
  closeToken(tokenId: string): number;
}

const paramsSchema = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1 } } } as const;
const liveQuery = {
  type: 'object',
  properties: {
    lastEventId: { type: 'string', description: 'Resume after this seq (EventSource cannot set the Last-Event-ID header on a new connection).' },
    category: { type: 'string', minLength: 1, description: 'Category code, for a rally that classifies several on the same roads (ARA National, Regional): the picture and deltas of that category — its crews, ranked among themselves, over the stages it runs. Default: the first declared.' },
  },
} as const;
const hqQuery = {
  type: 'object',
  properties: { token: { type: 'string', description: 'Officer token, for EventSource, which cannot set an Authorization header.' } },
} as const;

/** `Last-Event-ID` from the header or `?lastEventId=`; undefined when malformed. */
export function readLastEventId(header: unknown, query: unknown): number | null | undefined {
  const raw = typeof header === 'string' && header !== '' ? header : typeof query === 'string' && query !== '' ? query : null;
  if (raw === null) return null;
  return /^\d{1,15}$/.test(raw.trim()) ? Number(raw.trim()) : undefined;
}

/** A problem+json answer in the server's shape (SEE: src/server/problem.ts), before the stream starts. */
function problem(reply: FastifyReply, code: ProblemCode, detail: string, field: string, status = PROBLEMS[code].status): FastifyReply {
  const text = PROBLEMS[code];
  return reply.code(status).type('application/problem+json').send({ type: `urn:rallyhq:problem:${code}`, title: text.title, status, detail, code, field, fix: text.fix });
}

export async function registerLive(app: FastifyInstance, deps: LiveDeps): Promise<LiveHandle> {
  // SEE: src/server/config.ts — the flags and RALLYHQ_LIVE_* variables arrive here as deps.options.
  const options: LiveOptions = { ...DEFAULT_LIVE_OPTIONS, ...deps.options };
  const now = deps.now ?? (() => Date.now());
  const source = deps.source ?? sourceFromDeps(deps);
  const authorizeHq = deps.authorizeHq ?? ((request: FastifyRequest, rallyId: string) => defaultAuthorizeHq(deps.auth, request, rallyId));
  const hub = new LiveHub({ ringSize: options.ringSize, maxBufferedBytes: options.maxBufferedBytes });
  const hq = new HqHub(now, options.maxBufferedBytes);

  // Changes of one rally are handled strictly in order, even when a snapshot is asynchronous.
  const queues = new Map<string, Promise<void>>();
  const enqueue = (rallyId: string, handle: (s: RallySnapshot) => void) => {
    const run = (s: RallySnapshot | null) => { if (s) handle(s); };
    const pending = queues.get(rallyId);
    let snap: ReturnType<LiveSource['snapshot']>;
    if (!pending) {
      try {
        snap = source.snapshot(rallyId);
        if (!(snap instanceof Promise)) return run(snap);
      } catch (err) {
        // WARNING: never let a live-stream fault escape into the state cache that emitted the change.
        app.log.error({ err, rallyId }, 'live: cannot apply change');
        return;
      }
    } else {
      snap = pending.then(() => source.snapshot(rallyId));
    }
    const next: Promise<void> = snap
      .then(run)
      .catch((err: unknown) => app.log.error({ err, rallyId }, 'live: cannot apply change'))
      .finally(() => { if (queues.get(rallyId) === next) queues.delete(rallyId); });
    queues.set(rallyId, next);
  };
  const onChange = (change: LiveChange) => enqueue(change.rallyId, (s) => {
    const { frame } = hub.applyChange(change, s);
    // Officers get the public delta too (their desk refreshes conflicts on it), then overdue and counts.
    hq.forward(change.rallyId, frame);
    hq.applyChange(change, s);
    deps.afterChange?.(change, s);
  });
  const unsubscribe = source.onChange(onChange);
  // A changed definition: everyone watching gets the new picture (`reset`). Unwatched rallies cost nothing.
  const offDefinition = source.onDefinition?.((rallyId) => {
    if (!hub.has(rallyId) && !hq.has(rallyId)) return;
    enqueue(rallyId, (s) => {
      const frame = hub.reset(s);
      if (frame) hq.forward(rallyId, frame);
      hq.reset(s);
    });
  });
  const offPublication = source.onPublication?.((rallyId, data) => {
    hq.forward(rallyId, hub.announce(rallyId, 'publication', data));
  });

  const heartbeat = setInterval(() => { hub.heartbeat(); hq.heartbeat(HEARTBEAT); }, options.heartbeatMs);
  heartbeat.unref();
  const hqTimer = setInterval(() => {
    for (const id of hq.rallyIds()) {
      Promise.resolve(source.snapshot(id))
        .then((s) => hq.tick((rid) => (rid === id ? s : null)))
        .catch((err: unknown) => app.log.error({ err, rallyId: id }, 'live: cannot refresh the overdue list'));
    }
  }, options.hqIntervalMs);
  hqTimer.unref();

  /** Open HQ streams by the token they were opened with: a revocation ends them at once. */
  const byToken = new Map<string, Set<() => void>>();

  app.addHook('preClose', async () => {
    clearInterval(heartbeat);
    clearInterval(hqTimer);
    unsubscribe();
    offDefinition?.();
    offPublication?.();
    hub.closeAll();
    hq.closeAll();
  });

  app.get<{ Params: { id: string }; Querystring: { lastEventId?: string; category?: string } }>('/api/rallies/:id/live', {
    schema: {
      summary: 'Live results of a rally (Server-Sent Events)',
      description: 'Sends `init` (the whole picture) then one `delta` per change, with `id:` = the log seq. Reconnect with `Last-Event-ID` (or `?lastEventId=`) to get exactly the missed deltas, or `reset` when too far back. A comment line arrives every heartbeat interval.',
      tags: ['live'],
      params: paramsSchema,
      querystring: liveQuery,
    },
  }, async (request, reply) => {
    const lastEventId = readLastEventId(request.headers['last-event-id'], request.query.lastEventId);
    if (lastEventId === undefined) {
      return problem(reply, 'bad-request', 'Last-Event-ID (header or lastEventId query) must be a log seq: a whole number ≥ 0. Omit it to start with the whole picture.', 'lastEventId');
    }
    const { category } = request.query;
    const snapshot = await source.snapshot(request.params.id, category);
    if (!snapshot) return problem(reply, 'rally-not-found', `No rally with id "${request.params.id}".`, 'id');
    if (category !== undefined && !(snapshot.definition.categories ?? []).some((c) => c.code === category)) {
      const cats = (snapshot.definition.categories ?? []).map((c) => c.code);
      return problem(reply, 'unknown-category', cats.length
        ? `query.category: no category "${category}" in rally "${request.params.id}"; categories are ${cats.join(', ')}.`
        : `query.category: rally "${request.params.id}" has no categories (one classification for every crew); leave category out.`, 'query.category');
    }
    reply.hijack();
    openSseResponse(reply.raw, options.retryMs);
    const client = hub.subscribe(snapshot, reply.raw, lastEventId);
    reply.raw.on('close', () => client.close('closed'));
    reply.raw.on('error', () => client.close('closed'));
  });

  app.get<{ Params: { id: string }; Querystring: { token?: string } }>('/api/rallies/:id/live/hq', {
    schema: {
      summary: 'HQ stream of a rally: overdue crews, conflicts and anomalies (Server-Sent Events)',
      description: 'For officers of the rally. Token in `Authorization: Bearer …` or `?token=`. Sends `overdue` and `counts` at once and whenever they change.',
      tags: ['live'],
      params: paramsSchema,
      querystring: hqQuery,
      security: [{ bearer: [] }],
    },
  }, async (request, reply) => {
    if (!request.headers.authorization && request.query.token) request.headers.authorization = `Bearer ${request.query.token}`;
    const snapshot = await source.snapshot(request.params.id);
    if (!snapshot) return problem(reply, 'rally-not-found', `No rally with id "${request.params.id}".`, 'id');
    const decision = await authorizeHq(request, request.params.id);
    if (!decision.ok) return problem(reply, decision.status === 401 ? 'token-missing' : 'token-wrong-role', decision.message, 'token', decision.status);
    reply.hijack();
    openSseResponse(reply.raw, options.retryMs);
    const client = hq.subscribe(snapshot, reply.raw);
    const tokenId = decision.tokenId;
    const end = () => { client.close('closed'); reply.raw.end(); };
    if (tokenId !== undefined) {
      const set = byToken.get(tokenId) ?? new Set();
      byToken.set(tokenId, set.add(end));
    }
    const forget = () => {
      client.close('closed');
      if (tokenId === undefined) return;
      const set = byToken.get(tokenId);
      set?.delete(end);
      if (set?.size === 0) byToken.delete(tokenId);
    };
    reply.raw.on('close', forget);
    reply.raw.on('error', forget);
  });

  return {
    hub, hq, options,
    async picture(rallyId, category) {
      const s = await source.snapshot(rallyId, category);
      return s ? initPayload(s) : null;
    },
    announce(rallyId, event, data) {
      hq.forward(rallyId, hub.announce(rallyId, event, data));
    },
    closeToken(tokenId) {
      const ends = [...(byToken.get(tokenId) ?? [])];
      byToken.delete(tokenId);
      for (const end of ends) end();
      return ends.length;
    },
  };
}

interface AuthLike {
  requireRole(request: FastifyRequest, roles: readonly ('admin' | 'officer' | 'timekeeper')[], rallyId?: string): Promise<unknown>;
}

/**
 * Officers of the rally and administrators may read its HQ stream. The
 * server's auth throws its own 401/403 problems (naming `authorization`),
 * which the app's error mapper answers with.
 */
async function defaultAuthorizeHq(auth: unknown, request: FastifyRequest, rallyId: string): Promise<HqDecision> {
  const a = auth as AuthLike | undefined;
  if (a && typeof a.requireRole === 'function') {
    await a.requireRole(request, ['officer'], rallyId);
    return { ok: true };
  }
  if (!request.headers.authorization) {
    return { ok: false, status: 401, message: 'The HQ stream needs an officer token: send Authorization: Bearer <token> or ?token=<token>.' };
  }
  return { ok: false, status: 403, message: 'This server cannot check officer tokens for the HQ stream.' };
}
