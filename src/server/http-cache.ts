// Conditional GET for answers that are cheap to name but not to build: the
// route computes an ETag from the versions of what the answer depends on and
// answers 304 when the client already holds that version (a phone polling on
// one bar of signal downloads nothing new).
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RallyEntry } from './rally-states.ts';

/**
 * This server process: a restart (perhaps an upgrade that scores differently)
 * invalidates every tag it gave, so no client keeps old results behind a 304.
 */
const PROCESS_TAG = Date.now().toString(36);

/** A weak ETag for a rally answer: the process, the rally's definition version and log seq, and a hash of the rally id and the request URL (ids may hold any character; a tag may not). */
export function etagOf(e: Pick<RallyEntry, 'rallyId' | 'version' | 'seq'>, request: FastifyRequest): string {
  const q = createHash('sha1').update(`${e.rallyId}\n${request.url}`).digest('base64url').slice(0, 16);
  return `W/"${PROCESS_TAG}-v${e.version}-s${e.seq}-${q}"`;
}

/** Sets the ETag; true when the client already has this version (the caller then sends 304). */
export function notModified(request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  reply.header('etag', etag).header('cache-control', 'no-cache');
  const inm = request.headers['if-none-match'];
  if (typeof inm !== 'string') return false;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  return inm.split(',').some((t) => t.trim() === '*' || strip(t) === strip(etag));
}
