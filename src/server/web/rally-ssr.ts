// The rally page's first view, rendered here from the same components the page
// uses (src/web/rally), so the first results row arrives with the first
// response: on a slow phone network one request, not three in a row. The
// built page is the template; its stylesheet is inlined (no second blocking
// request); the picture it was rendered from goes along as JSON, so the page
// takes over without asking again and follows the stream from that position.
// Readable without JavaScript: the views are plain links.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pageCache } from './page-cache.ts';
import { renderToString } from 'preact-render-to-string';
import { h } from 'preact';
import { App } from '../../web/rally/app.tsx';
import { grid, type GridAnswer } from '../../web/rally/grid.tsx';
import { fresh, picture, pictureOf, type LiveInit } from '../../web/rally/model.ts';
import { announcement, connection, publication, route, routeFrom, stageLoading, type PublicationHead } from '../../web/rally/state.ts';
import { inquiry, serverNow, type InquiryHead } from '../../web/rally/inquiry.tsx';
import type { Store } from '../../store/contract.ts';

export interface RallySsrDeps {
  /** The live stream's whole picture of a rally (the `init` payload), or null for an unknown rally. */
  /** `category`: the picture of that category (an unknown one gives the first). */
  picture(rallyId: string, category?: string): Promise<Record<string, unknown> | null>;
  store?: Pick<Store, 'latestPublicationNumber' | 'getPublication'>;
  /** The stage-by-stage grid (GET …/grid), rendered into the first view when it is the view asked for. */
  grid?(rallyId: string, category?: string): Promise<GridAnswer | null>;
  /** The inquiry clock of GET …/status with the server's time, shown under the title and handed to the page. */
  status?(rallyId: string, latest: PublicationHead | null): Promise<InquiryStatus | null>;
}

export interface InquiryStatus { now: string; inquiry: InquiryHead }

interface Asset { body: Buffer; type: string }

/** JSON safe inside a <script> element. */
const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * The built rally.html with its stylesheet inlined and its scripts moved after
 * the content: on one bar of signal the table's bytes come first, the
 * scripts (which only take the page over) share the link after them. A
 * stylesheet for another medium (print) keeps its media and goes after the
 * content too: nothing on screen waits for it.
 */
export function prepareTemplate(html: string, assets: ReadonlyMap<string, Asset>): string {
  const late: string[] = [];
  const out = html
    .replace(/<link rel="stylesheet"[^>]*href="([^"]+)"[^>]*>/g, (tag, href: string) => {
      const css = assets.get(href);
      if (!css) return tag;
      const media = /\smedia="([^"]+)"/.exec(tag)?.[1];
      if (media && media !== 'all' && media !== 'screen') {
        late.push(`<style media="${media}">${css.body.toString('utf8')}</style>`);
        return '';
      }
      return `<style>${css.body.toString('utf8')}</style>`;
    })
    .replace(/\s*<link rel="modulepreload"[^>]*>/g, '')
    .replace(/\s*<script type="module"[^>]*><\/script>/g, (tag) => { late.push(tag.trim()); return ''; });
  return out.replace('</body>', `${late.join('')}\n</body>`);
}

/** The page for one rally and view, as HTML. Rendering is synchronous, so the shared signals are set and read in one go. */
export function renderRally(template: string, init: LiveInit, pub: PublicationHead | null, query: URLSearchParams, gridAnswer: GridAnswer | null = null, status: InquiryStatus | null = null): string {
  picture.value = pictureOf(init);
  inquiry.value = status?.inquiry ?? null;
  serverNow.value = status ? Date.parse(status.now) : 0;
  grid.value = gridAnswer;
  route.value = routeFrom(query);
  publication.value = pub;
  fresh.value = new Set();
  connection.value = 'live';
  announcement.value = '';
  stageLoading.value = false;
  const body = renderToString(h(App, {}));
  picture.value = null;
  grid.value = null;
  inquiry.value = null;
  return template
    .replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(init.name)} — live results — rallyhq</title>`)
    .replace(/<!--ssr-->[\s\S]*?<!--\/ssr-->/, body)
    .replace('<!--ssr-data-->', `<script id="rally-init" type="application/json">${scriptJson(init)}</script><script id="rally-publication" type="application/json">${scriptJson(pub)}</script>${status ? `<script id="rally-inquiry" type="application/json">${scriptJson(status)}</script>` : ''}${gridAnswer ? `<script id="rally-grid" type="application/json">${scriptJson(gridAnswer)}</script>` : ''}`);
}

async function latestPublication(store: RallySsrDeps['store'], rallyId: string): Promise<PublicationHead | null> {
  if (!store) return null;
  const [prov, off] = await Promise.all([store.latestPublicationNumber(rallyId, 'provisional'), store.latestPublicationNumber(rallyId, 'official')]);
  const n = Math.max(prov ?? 0, off ?? 0);
  if (!n) return null;
  const p = await store.getPublication(rallyId, n);
  return p ? { number: p.number, kind: p.kind, publishedAt: p.publishedAt, ...(p.reason ? { reason: p.reason } : {}), uptoSeq: p.uptoSeq } : null;
}

/**
 * GET /rally.html?id=… — rendered per rally, log position and view; the
 * gzipped answer is kept for the last few combinations (a crowd opening the
 * page between two changes gets the same bytes).
 */
export function registerRallySsr(app: FastifyInstance, html: string, assets: ReadonlyMap<string, Asset>, deps: RallySsrDeps, fallback: (req: FastifyRequest, reply: FastifyReply) => unknown): void {
  const template = prepareTemplate(html, assets);
  const cache = pageCache();
  app.get('/rally.html', { schema: { hide: true } }, async (req, reply) => {
    const query = new URLSearchParams(req.url.split('?')[1] ?? '');
    const rallyId = query.get('id') ?? '';
    const init = rallyId ? ((await deps.picture(rallyId, query.get('category') ?? undefined)) as LiveInit | null) : null;
    if (!init) return fallback(req, reply);
    const pub = await latestPublication(deps.store, rallyId).catch(() => null);
    const status = deps.status ? await deps.status(rallyId, pub).catch(() => null) : null;
    // An open inquiry window's minutes left are part of the page: a new render each minute while it runs.
    const q = status?.inquiry;
    const left = q?.endsAt ? Date.parse(q.endsAt) - Date.parse(status?.now ?? '') : 0;
    const key = `${rallyId}|${init.seq}|${pub?.number ?? 0}|${q?.provisional ?? ''}|${left > 0 ? Math.ceil(left / 60_000) : 0}|${query.toString()}`;
    return cache.send(req, reply, key, async () => {
      const g = ['grid', 'chart'].includes(query.get('view') ?? '') && deps.grid ? await deps.grid(rallyId, query.get('category') ?? undefined).catch(() => null) : null;
      return renderRally(template, init, pub, query, g, status);
    });
  });
}
