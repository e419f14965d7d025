// HTTP hygiene for pages and API alike: security headers (@fastify/helmet)
// and compressed JSON (@fastify/compress).
// - The Content-Security-Policy allows only this server: the pages' built
//   scripts and styles (/assets/…), their live streams (EventSource is
//   `connect-src`), the marshal page's service worker. Inline style
//   attributes stay allowed: charts and the enrollment QR code set them.
//   `upgrade-insecure-requests` is left out: at a rally, HQ often serves
//   phones over plain HTTP on a local network, and upgrading would break it.
// - Compression is for JSON, problem+json and CSV answers over 1 KiB. The
//   built pages are gzipped once at start (web/static.ts); live streams
//   (text/event-stream) are never compressed, so no event waits in a
//   compressor's buffer.
import { constants } from 'node:zlib';
import compress from '@fastify/compress';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

export const CONTENT_SECURITY_POLICY = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    workerSrc: ["'self'"],
    manifestSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'self'"],
  },
};

/** Answers worth compressing: JSON (plain and problem details) and CSV. */
export const COMPRESSIBLE = /^(application\/(json|problem\+json)|text\/csv)\b/;

export async function installHttpPlugins(app: FastifyInstance): Promise<void> {
  await app.register(helmet, { contentSecurityPolicy: CONTENT_SECURITY_POLICY });
  await app.register(compress, {
    threshold: 1024,
    customTypes: COMPRESSIBLE,
    // NOTE: brotli's default quality (11) costs far more CPU than it saves on a results page; 4 is near gzip's cost, smaller.
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
  });
}
