// Retries are not stored twice. Facts carry their own ids (the log answers a
// resend with the original acknowledgment); decisions take theirs from `id`
// or the `Idempotency-Key` header (routes/decisions.ts). Every other write
// route honours `Idempotency-Key` here: the first successful answer to a key
// is kept and a retry with the same key and the same body gets it again
// (`Idempotent-Replayed: true`) without doing anything; the same key with
// another body is refused. Routes that must not run twice (a publication)
// call `requireIdempotencyKey` once the caller's role is checked, and mark
// their schema `x-idempotency: 'required'`.
// WARNING: answers are kept in this process's memory for a day (at most
// MAX_ENTRIES): a retry sent to another process, or after a restart, is done
// again. Facts and decisions do not depend on this: their ids are durable.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { canonicalFact } from '../store/append-plan.ts';
import { apiError } from './problem.ts';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60_000;
const MAX_ENTRIES = 10_000;
export const MAX_KEY_LENGTH = 200;

interface Kept { fingerprint: string; at: number; status?: number; type?: string; payload?: string | Buffer }

declare module 'fastify' {
  interface FastifySchema {
    /** `required`: this write route refuses a request without an Idempotency-Key header. */
    'x-idempotency'?: 'required';
  }
}

/** The Idempotency-Key of a request, checked; undefined when none was sent. */
export function idempotencyKey(request: FastifyRequest): string | undefined {
  const raw = request.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const key = Array.isArray(raw) ? raw[0] ?? '' : raw;
  if (key.length === 0 || key.length > MAX_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
    throw apiError('invalid-field', `idempotency-key: give 1 to ${MAX_KEY_LENGTH} visible ASCII characters (a UUID is usual).`, 'idempotency-key');
  }
  return key;
}

/** For a route that must not run twice: the key, or 400 naming the header. Call it after the caller's role is checked. */
export function requireIdempotencyKey(request: FastifyRequest): string {
  const key = idempotencyKey(request);
  if (key === undefined) {
    throw apiError('idempotency-key-required', 'idempotency-key: this request changes something that a retry would do twice; send an Idempotency-Key header (a UUID made once per intended change, sent again on a retry).', 'idempotency-key');
  }
  return key;
}

export function installIdempotency(app: FastifyInstance, now: () => number = Date.now): void {
  const kept = new Map<string, Kept>();
  const slot = new WeakMap<FastifyRequest, string>();

  function prune(t: number): void {
    for (const [k, v] of kept) {
      if (kept.size <= MAX_ENTRIES && t - v.at < IDEMPOTENCY_TTL_MS) break;
      kept.delete(k);
    }
  }

  app.addHook('preHandler', async (request, reply) => {
    if (!WRITE_METHODS.has(request.method)) return;
    const key = idempotencyKey(request);
    if (key === undefined) return;
    const t = now();
    prune(t);
    // NOTE: per caller (the token it sent), method and URL: two officers' keys never meet.
    const who = createHash('sha256').update(String(request.headers.authorization ?? '')).digest('hex').slice(0, 16);
    const id = `${who} ${request.method} ${request.url} ${key}`;
    const fingerprint = createHash('sha256').update(canonicalFact(request.body ?? null)).digest('hex');
    const before = kept.get(id);
    if (before && t - before.at < IDEMPOTENCY_TTL_MS) {
      if (before.fingerprint !== fingerprint) {
        throw apiError('idempotency-key-reused', 'idempotency-key: this key was already used for a different request; make a new key for a new change.', 'idempotency-key');
      }
      if (before.status === undefined) {
        throw apiError('idempotency-in-progress', 'idempotency-key: the first request with this key is still being handled; retry in a moment.', 'idempotency-key');
      }
      reply.header('idempotent-replayed', 'true');
      if (before.type) reply.type(before.type);
      return reply.code(before.status).serializer((p: unknown) => p as string).send(before.payload);
    }
    kept.set(id, { fingerprint, at: t });
    slot.set(request, id);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const id = slot.get(request);
    if (id === undefined) return payload;
    slot.delete(request);
    if (reply.statusCode >= 200 && reply.statusCode < 300 && (typeof payload === 'string' || Buffer.isBuffer(payload))) {
      const type = reply.getHeader('content-type');
      kept.set(id, { ...(kept.get(id) as Kept), status: reply.statusCode, payload, ...(typeof type === 'string' ? { type } : {}) });
    } else {
      // A failure is not kept: the retry is handled afresh.
      kept.delete(id);
    }
    return payload;
  });
  // A request that ended without an answer (an error before onSend, a hijacked stream) frees its key.
  app.addHook('onResponse', async (request) => {
    const id = slot.get(request);
    if (id !== undefined && kept.get(id)?.status === undefined) kept.delete(id);
  });
}
