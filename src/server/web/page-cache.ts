// The server-rendered pages' answer cache: a crowd opening a page between two
// changes gets the same bytes, gzipped once, instead of a render each.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { gzipSync } from 'node:zlib';

interface Rendered { html: Buffer; gz: Buffer }

/** The last `size` renders by key; `send` renders on a miss and answers gzipped when the client takes it. */
export function pageCache(size = 64) {
  const cache = new Map<string, Rendered>();
  return {
    async send(req: FastifyRequest, reply: FastifyReply, key: string, render: () => string | Promise<string>): Promise<FastifyReply> {
      let hit = cache.get(key);
      if (!hit) {
        const body = Buffer.from(await render(), 'utf8');
        hit = { html: body, gz: gzipSync(body) };
        cache.set(key, hit);
        if (cache.size > size) cache.delete(cache.keys().next().value!);
      }
      const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
      reply.header('content-type', 'text/html; charset=utf-8');
      reply.header('cache-control', 'no-cache');
      reply.header('vary', 'accept-encoding');
      if (gzip) reply.header('content-encoding', 'gzip');
      return reply.send(gzip ? hit.gz : hit.html);
    },
  };
}
