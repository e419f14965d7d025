// Web Push for a followed crew (docs/live.md "Notifications for a followed
// crew"): the server's VAPID key pair, made at first start and kept in the
// database; the routes a page subscribes and unsubscribes a crew with; and the
// sender, called from the live path once per committed change (never per
// request), which composes the crew's notifications (src/core/live/push-notices.ts)
// and delivers them to each subscriber's push service. Nothing else is fetched.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type {} from '@fastify/swagger';
import webpush from 'web-push';
import type { Fact } from '../../core/facts.ts';
import { pushNotices, type CrewLookup, type NoticeContext, type PushNotice } from '../../core/live/push-notices.ts';
import type { Store } from '../../store/contract.ts';
import type { PushStore, PushSubscriptionRecord, VapidKeys } from '../../store/push/push-store.ts';
import type { LiveChange, RallySnapshot } from '../live/source.ts';
import type { ServerContext } from '../context.ts';
import { apiError } from '../problem.ts';

export interface PushDeps {
  store: PushStore;
  /** The VAPID subject (`mailto:` or `https:`, --push-subject); absent: no notifications are sent and no subscription is taken. */
  subject?: string;
  /**
   * Tests only: also deliver to `http://127.0.0.1…` (a local stand-in for a
   * push service). Real push services are HTTPS; nothing else is accepted.
   */
  allowLoopbackHttp?: boolean;
  /** Per delivery, ms (default 10 s): a push service that does not answer is given up on, not waited for. */
  timeoutMs?: number;
}

export interface PushHandle {
  /** True when notifications are sent (a subject is set). */
  enabled: boolean;
  publicKey: string;
  /** The live path's hook: called once per committed change with the state after it. */
  afterChange(change: LiveChange, snapshot: RallySnapshot): void;
  /** Resolves when every delivery started so far has finished (tests, shutdown). */
  idle(): Promise<void>;
}

/** How long a push service keeps a notification for a phone that is off: a stage time older than this is news no more. */
const TTL_SECONDS = 6 * 3600;
/** Deliveries at once per change. */
const PARALLEL = 16;
/**
 * Subscription changes per address: a phone following a few crews needs a
 * handful; enough for a service park of phones behind one Wi-Fi, too few to
 * fill the database or turn the server into a sender to made-up endpoints.
 */
export const PUSH_WRITES_PER_ADDRESS = { max: 120, timeWindow: 60_000 } as const;

const b64url = (bytes: number) => ({ type: 'string', pattern: '^[A-Za-z0-9_-]+={0,2}$', minLength: Math.floor((bytes * 4) / 3), maxLength: Math.ceil((bytes * 4) / 3) + 2 }) as const;
const subscriptionBody = {
  type: 'object',
  required: ['endpoint', 'keys'],
  additionalProperties: false,
  properties: {
    endpoint: { type: 'string', minLength: 12, maxLength: 2048, description: 'The push service URL of the subscription (PushSubscription.endpoint), https.' },
    expirationTime: { type: ['number', 'null'], description: 'As PushSubscription.toJSON() gives it; not used.' },
    keys: {
      type: 'object',
      required: ['p256dh', 'auth'],
      additionalProperties: false,
      properties: {
        p256dh: { ...b64url(65), description: 'The browser\'s P-256 public key (65 bytes, base64url).' },
        auth: { ...b64url(16), description: 'The auth secret (16 bytes, base64url).' },
      },
    },
  },
} as const;
const unsubscribeBody = {
  type: 'object',
  required: ['endpoint'],
  additionalProperties: false,
  properties: { endpoint: { type: 'string', minLength: 12, maxLength: 2048, description: 'The endpoint the crew was followed with.' } },
} as const;
const crewParams = {
  type: 'object',
  required: ['id', 'car'],
  properties: { id: { type: 'string', minLength: 1 }, car: { type: 'integer', minimum: 1 } },
} as const;

function endpointProblem(endpoint: string, allowLoopbackHttp: boolean): string | null {
  let u: URL;
  try { u = new URL(endpoint); } catch { return 'is not a URL'; }
  if (u.protocol === 'https:') return null;
  if (allowLoopbackHttp && u.protocol === 'http:' && u.hostname === '127.0.0.1') return null;
  return 'must be the https:// address of a push service, as PushSubscription.endpoint gives it';
}

function isKey(p256dh: string): boolean {
  const b = Buffer.from(p256dh, 'base64url');
  return b.length === 65 && b[0] === 0x04;
}

/** The composer's view of a change: each crew read in its own category (places among the crews it is classified with). */
function noticeContext(snapshot: RallySnapshot): NoticeContext {
  const finishes = new Map<string, string>();
  for (const leg of snapshot.definition.legs) for (const sec of leg.sections) for (const c of sec.controls) {
    if (c.kind === 'SS_FINISH' && c.stage) finishes.set(c.id, c.stage);
  }
  const byCategory = new Map<string | undefined, RallySnapshot>();
  const of = (category: string | undefined) => {
    let s = byCategory.get(category);
    if (!s) { s = category !== undefined && snapshot.forCategory ? snapshot.forCategory(category) : snapshot; byCategory.set(category, s); }
    return s;
  };
  return {
    rallyId: snapshot.rallyId,
    rallyName: snapshot.definition.name,
    finishOf: (control) => finishes.get(control),
    crew(car): CrewLookup | null {
      const entry = snapshot.definition.entries.find((e) => e.car === car);
      if (!entry) return null;
      const s = of(entry.category);
      return {
        entry,
        stage: (code) => s.stageResults(code),
        stageRunning: (code) => (s.honest?.().running ?? []).some((st) => st.stage.code === code),
        retired: () => s.classification.retired.find((r) => r.car === car),
      };
    },
  };
}

export async function registerPush(app: FastifyInstance, ctx: ServerContext, log: Pick<Store, 'readFacts'>, deps: PushDeps): Promise<PushHandle> {
  const now = () => ctx.now().toISOString();
  const keys: VapidKeys = await deps.store.vapidKeys(() => webpush.generateVAPIDKeys(), now());
  const subject = deps.subject;
  const enabled = subject !== undefined;
  const pending = new Set<Promise<unknown>>();
  /** Per rally, the sending of the latest change: a rally's notifications leave in the order of its changes. */
  const chains = new Map<string, Promise<void>>();
  const track = <T>(p: Promise<T>): Promise<T> => { pending.add(p); void p.finally(() => pending.delete(p)).catch(() => {}); return p; };

  async function deliver(s: PushSubscriptionRecord, n: PushNotice): Promise<void> {
    const payload = JSON.stringify({ title: n.title, body: n.body, tag: n.tag, url: n.url, kind: n.kind });
    const details = webpush.generateRequestDetails({ endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } }, payload, {
      vapidDetails: { subject: subject!, publicKey: keys.publicKey, privateKey: keys.privateKey },
      TTL: TTL_SECONDS,
      contentEncoding: 'aes128gcm',
      urgency: n.kind === 'retirement' ? 'high' : 'normal',
    });
    if (endpointProblem(details.endpoint, deps.allowLoopbackHttp ?? false)) return;
    const res = await fetch(details.endpoint, { method: details.method, headers: details.headers as Record<string, string>, body: new Uint8Array(details.body), signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000) });
    await res.arrayBuffer().catch(() => undefined);
    // RFC 8030 §7.3: 404 and 410 mean the subscription is gone for good.
    if (res.status === 404 || res.status === 410) await deps.store.forgetEndpoint(s.endpoint);
    else if (!res.ok) app.log.warn({ status: res.status, car: s.car, rallyId: s.rallyId }, 'push: the push service refused a notification');
  }

  async function send(change: LiveChange, snapshot: RallySnapshot): Promise<void> {
    const cars = [...new Set(change.facts.map((f) => f.car).filter((c): c is number => c !== undefined))];
    if (cars.length === 0) return;
    const subs = await deps.store.subscriptionsFor(change.rallyId, cars);
    if (subs.length === 0) return;
    // Several processes on one PostgreSQL database all see this change: the one that claims it sends.
    if (!(await deps.store.claim(change.rallyId, change.toSeq, now()))) return;
    const facts: Fact[] = (await log.readFacts(change.rallyId, change.fromSeq, change.toSeq - change.fromSeq)).map((f) => f.fact);
    const notices = pushNotices(noticeContext(snapshot), facts);
    const jobs = notices.flatMap((n) => subs.filter((s) => s.car === n.car).map((s) => [s, n] as const));
    for (let i = 0; i < jobs.length; i += PARALLEL) {
      const results = await Promise.allSettled(jobs.slice(i, i + PARALLEL).map(([s, n]) => deliver(s, n)));
      for (const r of results) if (r.status === 'rejected') app.log.warn({ err: r.reason, rallyId: change.rallyId }, 'push: a notification could not be delivered');
    }
  }

  const info = {
    summary: 'Whether this server sends push notifications, and its VAPID public key',
    description: 'The page subscribes with `applicationServerKey` = `publicKey`. `enabled` is false when the organiser has set no VAPID subject (--push-subject): the page then offers no notifications.',
    tags: ['live'],
    response: { 200: { type: 'object', required: ['enabled', 'publicKey'], properties: { enabled: { type: 'boolean' }, publicKey: { type: 'string' } } } },
  };
  app.get('/api/push', { schema: info }, async () => ({ enabled, publicKey: keys.publicKey }));
  const writes = app.hasDecorator('createRateLimit') ? app.createRateLimit({ ...PUSH_WRITES_PER_ADDRESS, keyGenerator: (r) => `push:${r.ip}` }) : null;
  const throttled = async (request: FastifyRequest) => {
    const r = await writes?.(request);
    if (r && !r.isAllowed && r.isExceeded) {
      const retryAfter = Math.max(1, Math.ceil(r.ttl / 1000));
      throw apiError('too-many-attempts', `Too many notification subscriptions from this address; try again in ${retryAfter} s.`, undefined, { retryAfter, fix: 'Wait for the time given in Retry-After, then try again.' });
    }
  };

  app.put<{ Params: { id: string; car: number }; Body: { endpoint: string; keys: { p256dh: string; auth: string } } }>('/api/rallies/:id/crews/:car/push', {
    schema: {
      summary: 'Follow a crew with push notifications',
      description: 'Stores a browser push subscription (PushSubscription.toJSON()) for the crew: its stage times, penalties and retirement are pushed to it when the facts are committed. 201 when new, 200 when it was there (the keys are refreshed). 409 `push-disabled` when the server sends no notifications; 429 after 120 subscription changes in a minute from one address.',
      tags: ['live'],
      params: crewParams,
      body: subscriptionBody,
    },
  }, async (request, reply) => {
    await throttled(request);
    const { id, car } = request.params;
    const e = await ctx.rally(id);
    if (!e.definition.entries.some((x) => x.car === car)) throw apiError('car-not-found', `No car ${car} in the entry list of rally "${id}".`, 'car');
    if (!enabled) throw apiError('push-disabled', 'This server sends no push notifications: its organiser has set no VAPID subject (--push-subject).', 'endpoint');
    const bad = endpointProblem(request.body.endpoint, deps.allowLoopbackHttp ?? false);
    if (bad) throw apiError('invalid-field', `body.endpoint ${bad}.`, 'body.endpoint');
    if (!isKey(request.body.keys.p256dh)) throw apiError('invalid-field', 'body.keys.p256dh must be an uncompressed P-256 public key: 65 bytes starting 0x04, base64url (PushSubscription.toJSON().keys.p256dh).', 'body.keys.p256dh');
    if (Buffer.from(request.body.keys.auth, 'base64url').length !== 16) throw apiError('invalid-field', 'body.keys.auth must be the 16-byte auth secret, base64url (PushSubscription.toJSON().keys.auth).', 'body.keys.auth');
    const added = await deps.store.subscribe({ rallyId: id, car, endpoint: request.body.endpoint, p256dh: request.body.keys.p256dh, auth: request.body.keys.auth, createdAt: now() });
    return reply.code(added ? 201 : 200).send({ rallyId: id, car, following: true });
  });

  app.delete<{ Params: { id: string; car: number }; Body: { endpoint: string } }>('/api/rallies/:id/crews/:car/push', {
    schema: {
      summary: 'Stop push notifications for a crew',
      description: 'Removes the subscription (by its endpoint) for this crew; other crews followed from the same browser keep theirs. `removed` is false when there was none (doing it twice leaves the same state).',
      tags: ['live'],
      params: crewParams,
      body: unsubscribeBody,
    },
  }, async (request) => {
    await throttled(request);
    const { id, car } = request.params;
    await ctx.rally(id);
    const removed = await deps.store.unsubscribe(id, car, request.body.endpoint);
    return { rallyId: id, car, following: false, removed };
  });

  return {
    enabled,
    publicKey: keys.publicKey,
    afterChange(change, snapshot) {
      if (!enabled) return;
      const next: Promise<void> = (chains.get(change.rallyId) ?? Promise.resolve())
        .then(() => send(change, snapshot))
        .catch((err: unknown) => app.log.warn({ err, rallyId: change.rallyId }, 'push: cannot send the notifications of a change'))
        .finally(() => { if (chains.get(change.rallyId) === next) chains.delete(change.rallyId); });
      chains.set(change.rallyId, next);
      track(next);
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
