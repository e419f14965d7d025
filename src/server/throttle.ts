// Guessing is throttled (@fastify/rate-limit, counted in this process):
//   enrollment codes   per address and per code, every attempt counts
//   token failures     per address, only failed authentications count, so a
//                      busy desk or control with a good token is never slowed
// Over the limit → 429 too-many-attempts with Retry-After.
// NOTE: the address is the connection's; behind a reverse proxy every client
// shares the proxy's address (SEE: docs/operations.md "Brute force").
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { apiError } from './problem.ts';

/** Enrollment attempts per address: enough for a whole HQ of phones behind one Wi-Fi, far too few to guess a 51-bit code. */
export const ENROLL_PER_ADDRESS_LIMIT = { max: 30, timeWindow: 60_000 } as const;
/** Attempts at one code, from anywhere. */
export const ENROLL_PER_CODE_LIMIT = { max: 10, timeWindow: 15 * 60_000 } as const;
/** Failed token authentications per address. */
export const AUTH_FAILURE_LIMIT = { max: 20, timeWindow: 60_000 } as const;

export interface Throttle {
  /** Counts an enrollment attempt with this (normalised) code; throws 429 when over either limit. */
  enrollAttempt(request: FastifyRequest, code: string): Promise<void>;
  /** Throws 429 when this address has failed authentication too often (counts nothing). */
  checkAuth(request: FastifyRequest): Promise<void>;
  /** Counts a failed authentication from this address. */
  authFailed(request: FastifyRequest): Promise<void>;
}

function tooMany(what: string, ttlMs: number): never {
  const retryAfter = Math.max(1, Math.ceil(ttlMs / 1000));
  throw apiError('too-many-attempts', `Too many ${what}; try again in ${retryAfter} s.`, undefined, { retryAfter });
}

export async function installThrottle(app: FastifyInstance): Promise<Throttle> {
  if (!app.hasDecorator('createRateLimit')) await app.register(rateLimit, { global: false });
  const byAddress = app.createRateLimit({ ...ENROLL_PER_ADDRESS_LIMIT, keyGenerator: (r) => `enroll-address:${r.ip}` });
  // NOTE: the key is the code itself: it exists only in this process's memory, never in the database.
  const codeOf = new WeakMap<FastifyRequest, string>();
  const byCode = app.createRateLimit({ ...ENROLL_PER_CODE_LIMIT, keyGenerator: (r) => `enroll-code:${codeOf.get(r) ?? ''}` });
  const failures = app.createRateLimit({ ...AUTH_FAILURE_LIMIT, keyGenerator: (r) => `auth-failure:${r.ip}` });
  return {
    async enrollAttempt(request, code) {
      const a = await byAddress(request);
      if (!a.isAllowed && a.isExceeded) tooMany('enrollment attempts from this address', a.ttl);
      codeOf.set(request, code);
      const c = await byCode(request);
      codeOf.delete(request);
      if (!c.isAllowed && c.isExceeded) tooMany('attempts at this enrollment code', c.ttl);
    },
    async checkAuth(request) {
      const r = await failures(request, { increment: false });
      if (!r.isAllowed && r.remaining === 0) tooMany('failed token authentications from this address', r.ttl);
    },
    async authFailed(request) {
      await failures(request);
    },
  };
}
