// The browser pages. For now: the built pages of src/web (static.ts), and a
// small fallback page when they are not built, linking the API reference and
// the rallies.
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { registerStaticWeb, WEB_DIST } from './static.ts';
import type { RallySsrDeps } from './rally-ssr.ts';

const FALLBACK = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>rallyhq</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem">
<h1>rallyhq</h1>
<p>Stage-rally timing, results and championships.</p>
<ul>
<li><a href="/docs">API reference</a> (<a href="/openapi.json">openapi.json</a>)</li>
<li><a href="/api/rallies">Rallies</a> (JSON)</li>
</ul>
<p>The browser pages are not built: run <code>npm run build:web</code> and restart.</p>
</body></html>
`;

export async function registerWeb(app: FastifyInstance, ssr?: RallySsrDeps): Promise<void> {
  if (existsSync(join(WEB_DIST, 'index.html'))) {
    await registerStaticWeb(app, WEB_DIST, ssr);
    return;
  }
  app.get('/', { schema: { hide: true } }, (_req, reply) => reply.type('text/html; charset=utf-8').send(FALLBACK));
}
