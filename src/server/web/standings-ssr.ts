// The public standings page's first view, rendered here from the page's own
// components (src/web/standings), so fans and crews read the table, the
// workings and the title maths with one request and without JavaScript. The
// answers are the public API v1's shapes (public-standings.ts), read from the
// internal championship routes: those are not rate-limited per address, so a
// crowd opening the page does not use up the server's own allowance.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pageCache } from './page-cache.ts';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Season } from '../../core/championship/season.ts';
import type { Standings } from '../../core/championship/standings.ts';
import type { StandingsHistory } from '../../core/championship/standings-history.ts';
import type { TitleMaths } from '../../core/championship/title-maths.ts';
import { StandingsPage } from '../../web/standings/page.tsx';
import type { SeasonV1, StandingsPageData, StandingsV1 } from '../../web/standings/model.ts';
import { championshipV1, roundV1, seasonHead, standingsV1 } from '../routes/public-standings.ts';
import { prepareTemplate } from './rally-ssr.ts';

interface Asset { body: Buffer; type: string }

const scriptJson = (v: unknown): string => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * What the page shows for its address: `season` (default: the season a
 * `rally` is a round of, else the latest season), `championship` (default:
 * the season's first) and `after` (a round; default: the latest with results).
 * `key` changes whenever anything shown changes (the render cache's key).
 */
export async function standingsPageData(app: FastifyInstance, query: URLSearchParams): Promise<{ data: StandingsPageData; key: string }> {
  const get = async <T>(url: string): Promise<{ ok: boolean; body: T; etag: string }> => {
    const r = await app.inject({ method: 'GET', url });
    return { ok: r.statusCode === 200, body: r.json() as T, etag: String(r.headers.etag ?? '') };
  };
  const choice = { season: query.get('season') ?? '', championship: query.get('championship') ?? '', after: query.get('after') ?? '' };
  const empty = (error: string): { data: StandingsPageData; key: string } => ({ data: { seasons: [], season: null, standings: null, choice, error }, key: `error:${error}` });
  const list = await get<Season[]>('/api/championships');
  if (!list.ok) return empty('The seasons cannot be read just now.');
  const seasons = list.body;
  const rally = query.get('rally');
  const byYear = (xs: Season[]) => [...xs].sort((a, b) => b.year - a.year)[0];
  const ofRally = rally ? byYear(seasons.filter((s) => s.rounds.some((r) => r.rally === rally))) : undefined;
  const picked = seasons.find((s) => s.id === choice.season) ?? ofRally ?? byYear(seasons);
  // Linked from a rally that no season counts: said, rather than showing another season as if it were its.
  const note = rally && !ofRally && !seasons.some((s) => s.id === choice.season) ? `No season on this server has a round scored by the rally ${rally}; the latest season is shown.` : '';
  const names = seasons.map((s) => ({ id: s.id, name: s.name }));
  if (!picked) return { data: { seasons: names, season: null, standings: null, choice, error: '' }, key: 'none' };
  choice.season = picked.id;
  const detail = await get<{ season: Season; version: string }>(`/api/championships/${encodeURIComponent(picked.id)}`);
  if (!detail.ok) return empty('The season cannot be read just now.');
  const season = detail.body.season;
  const seasonV1: SeasonV1 = { season: seasonHead(season), rounds: season.rounds.map(roundV1), championships: season.championships.map(championshipV1) };
  if (!season.championships.some((c) => c.id === choice.championship)) choice.championship = season.championships[0]?.id ?? '';
  const base = { seasons: names, season: seasonV1, choice, ...(note ? { note } : {}) };
  if (!choice.championship) return { data: { ...base, standings: null, error: 'This season has no championship yet.' }, key: `${detail.body.version}|none` };
  const q = new URLSearchParams({ championship: choice.championship, ...(choice.after ? { after: choice.after } : {}) });
  const st = await get<{ standings: Standings; title: TitleMaths; history: StandingsHistory; notes: string[]; detail?: string }>(`/api/championships/${encodeURIComponent(season.id)}/standings?${q}`);
  const key = `${JSON.stringify(names)}|${note}|${season.id}|${detail.body.version}|${st.etag}|${q}`;
  if (!st.ok) return { data: { ...base, standings: null, error: st.body.detail ?? 'The standings cannot be read just now.' }, key };
  const standings = standingsV1(season, st.body.standings, st.body.title, st.body.notes, st.body.history) as StandingsV1;
  return { data: { ...base, standings, error: '' }, key };
}

export function renderStandings(template: string, data: StandingsPageData): string {
  const title = data.standings && data.season ? `${data.standings.championship.name} — ${data.season.season.name} standings — rallyhq` : 'Championship standings — rallyhq';
  return template
    .replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(title)}</title>`)
    .replace(/<!--ssr-->[\s\S]*?<!--\/ssr-->/, renderToString(h(StandingsPage, { data })))
    .replace('<!--ssr-data-->', `<script id="standings-data" type="application/json">${scriptJson(data)}</script>`);
}

/** GET /standings.html?season=&championship=&after= (or ?rally=): rendered per choice; the last few answers kept gzipped. */
export function registerStandingsSsr(app: FastifyInstance, html: string, assets: ReadonlyMap<string, Asset>, fallback: (req: FastifyRequest, reply: FastifyReply) => unknown): void {
  const template = prepareTemplate(html, assets);
  const cache = pageCache();
  app.get('/standings.html', { schema: { hide: true } }, async (req, reply) => {
    const query = new URLSearchParams(req.url.split('?')[1] ?? '');
    let page: Awaited<ReturnType<typeof standingsPageData>>;
    try {
      page = await standingsPageData(app, query);
    } catch (err) {
      // The page then asks the API itself.
      req.log.error({ err }, 'standings page: first view not rendered');
      return fallback(req, reply);
    }
    return cache.send(req, reply, page.key, () => renderStandings(template, page.data));
  });
}
