// Conditional GET for answers that are cheap to name but not to build: the
// route computes an ETag from the versions of what the answer depends on and
// answers 304 when the client already holds that version (a phone polling on
// one bar of signal downloads nothing new).
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RallyEntry } from './rally-states.ts';

/** A weak ETag for a rally answer: the rally, its definition version, its log seq and the request URL. */
export function etagOf(e: Pick<RallyEntry, 'rallyId' | 'version' | 'seq'>, request: FastifyRequest): string {
  const q = createHash('sha1').update(request.url).digest('base64url').slice(0, 10);
  return `W/"${e.rallyId}-v${e.version}-s${e.seq}-${q}"`;
}

/** Sets the ETag; true when the client already has this version (the caller then sends 304). */
export function notModified(request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  reply.header('etag', etag).header('cache-control', 'no-cache');
  const inm = request.headers['if-none-match'];
  if (typeof inm !== 'string') return false;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  return inm.split(',').some((t) => t.trim() === '*' || strip(t) === strip(etag));
}
