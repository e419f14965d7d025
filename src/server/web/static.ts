// Serves the built browser pages (src/web/dist) from memory, gzipped once at
// start: a phone on one bar of signal gets small, cacheable files. Hashed
// assets are immutable; pages revalidate so a new build is picked up.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, extname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { registerRallySsr, type RallySsrDeps } from './rally-ssr.ts';
import { registerStandingsSsr } from './standings-ssr.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
};

interface Asset { body: Buffer; gz: Buffer; type: string; immutable: boolean }

export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

export function loadAssets(dist = WEB_DIST): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!existsSync(dist)) return assets;
  for (const file of walk(dist)) {
    const url = '/' + relative(dist, file).split('\\').join('/');
    const body = readFileSync(file);
    assets.set(url, { body, gz: gzipSync(body), type: TYPES[extname(file)] ?? 'application/octet-stream', immutable: url.startsWith('/assets/') });
  }
  return assets;
}

export async function registerStaticWeb(app: FastifyInstance, dist = WEB_DIST, ssr?: RallySsrDeps): Promise<void> {
  const assets = loadAssets(dist);
  const send = (req: FastifyRequest, reply: FastifyReply, asset: Asset) => {
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    reply.header('content-type', asset.type);
    reply.header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    reply.header('vary', 'accept-encoding');
    if (gzip) reply.header('content-encoding', 'gzip');
    return reply.send(gzip ? asset.gz : asset.body);
  };
  const missing = (reply: FastifyReply) =>
    reply.code(503).type('text/plain; charset=utf-8').send('The browser pages are not built. Run `npm run build:web` (npm install does it), then restart.\nThe API reference is at /docs.');

  app.get('/', { schema: { hide: true } }, (req, reply) => {
    const a = assets.get('/index.html');
    return a ? send(req, reply, a) : missing(reply);
  });
  // Enrollment links and QR codes point here; the marshal page takes the code.
  app.get('/enroll', { schema: { hide: true } }, (req, reply) => {
    const code = (req.query as { code?: string }).code ?? '';
    return reply.redirect(`/marshal.html?code=${encodeURIComponent(code)}`);
  });
  const rallyPage = assets.get('/rally.html');
  if (ssr && rallyPage) {
    // The rally page is rendered per rally (rally-ssr.ts); the built file stays its template and its fallback.
    registerRallySsr(app, rallyPage.body.toString('utf8'), assets, ssr, (req, reply) => send(req, reply, rallyPage));
  }
  const standingsPage = assets.get('/standings.html');
  if (ssr && standingsPage) {
    // The public standings page likewise (standings-ssr.ts), from the championship routes.
    registerStandingsSsr(app, standingsPage.body.toString('utf8'), assets, (req, reply) => send(req, reply, standingsPage));
  }
  for (const [url, asset] of assets) {
    if (ssr && (url === '/rally.html' || url === '/standings.html')) continue;
    app.get(url, { schema: { hide: true } }, (req, reply) => send(req, reply, asset));
  }
}
