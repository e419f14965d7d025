// The public read API for media and other sites: versioned, documented JSON
// shapes (SEE: docs/api.md "Public read API"), ETags, CORS for any origin,
// a per-address rate limit, iCalendar feeds and an embeddable live widget.
//   GET /api/public/v1/rallies                       rallies
//   GET /api/public/v1/rallies/:id/results?class=&after=   classification
//   GET /api/public/v1/rallies/:id/stages/:stage?class=    stage times
//   GET /api/public/v1/rallies/:id/publications      publications with their seals
//   GET /api/public/v1/seasons[/:season[/standings]] seasons, rounds, standings (public-standings.ts)
//   GET /api/public/v1/rallies/:id/timetable.ics     the rally's timetable
//   GET /api/public/v1/seasons/:season/calendar.ics  a season's rounds
//   GET /widget/:id?class=                           a class table for an iframe (updates itself)
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { nextDay, rallyTimetable, toICalendar, type CalendarEvent } from '../../core/exchange/ical.ts';
import type { ClassificationRow } from '../../core/results.ts';
import type { RallyDefinition } from '../../core/model.ts';
import { classify, stageResults } from '../../core/scoring/index.ts';
import { decimalsFor, formatDuration, formatGap } from '../../core/time/index.ts';
import type { ServerContext } from '../context.ts';
import { sealOf } from '../documents/publish.ts';
import { publicKeyLine } from '../documents/seal.ts';
import { etagOf, notModified } from '../http-cache.ts';
import { apiError } from '../problem.ts';
import type { RallyEntry } from '../rally-states.ts';
import { anyObject, errorResponses, rallyParams } from '../schemas.ts';
import { registerPublicStandings } from './public-standings.ts';

/** The public API's version: a field is never removed or changes meaning within a version. */
export const PUBLIC_API_VERSION = 1;
/** Requests per address per minute on the public read API and the widget. */
export const PUBLIC_READ_LIMIT = { max: 300, timeWindow: 60_000 } as const;

function cors(reply: FastifyReply): void {
  reply.header('access-control-allow-origin', '*')
    .header('access-control-expose-headers', 'ETag, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining')
    .header('vary', 'Origin');
}

function crew(r: { entry: { driver: { name: string; nationality?: string }; codriver?: { name: string; nationality?: string } } }) {
  return {
    driver: { name: r.entry.driver.name, nationality: r.entry.driver.nationality ?? null },
    codriver: { name: r.entry.codriver?.name ?? '', nationality: r.entry.codriver?.nationality ?? null },
  };
}

function resultRow(r: ClassificationRow, dec: number) {
  const out = r.status === 'excluded' || r.status === 'retired';
  return {
    position: r.position, classPosition: r.classPosition, car: r.car, ...crew(r), class: r.entry.class, make: r.entry.make, model: r.entry.model,
    status: r.status, totalMs: out ? null : r.totalMs, total: out ? null : formatDuration(r.totalMs, dec),
    penaltyMs: r.penaltyMs, gapToLeaderMs: r.gapToLeaderMs, gapToLeader: r.gapToLeaderMs === null || r.gapToLeaderMs === 0 ? null : formatGap(r.gapToLeaderMs, dec),
    gapToPrevMs: r.gapToPrevMs, stagesCounted: r.stagesCounted,
  };
}

async function latestPublication(ctx: ServerContext, rallyId: string) {
  const list = await ctx.store.listPublications(rallyId);
  const p = list.at(-1);
  return p ? { number: p.number, kind: p.kind, publishedAt: p.publishedAt, uptoSeq: p.uptoSeq, hash: sealOf(p)?.hash ?? null } : null;
}

function rallyHead(e: RallyEntry) {
  return { id: e.rallyId, name: e.definition.name, timeZone: e.definition.timeZone, startDate: e.definition.startDate, endDate: e.definition.endDate, country: e.definition.country ?? null };
}

const CATEGORY_QUERY = { type: 'string', minLength: 1, description: 'Category code, for a rally running several on the same roads (ARA National, Regional): its crews ranked among themselves. Default the first declared; the answer names it.' } as const;

/** The category an answer is of: the one asked for (checked), else the rally's first; undefined for a rally without categories. Places never mix categories. */
function categoryFor(d: RallyDefinition, asked: string | undefined): string | undefined {
  const cats = d.categories ?? [];
  if (asked === undefined) return cats[0]?.code;
  if (!cats.some((c) => c.code === asked)) {
    throw apiError('unknown-category', cats.length
      ? `query.category: no category "${asked}"; categories are ${cats.map((c) => c.code).join(', ')}.`
      : 'query.category: this rally has no categories (one classification for every crew); leave category out.', 'query.category');
  }
  return asked;
}

export async function registerPublicApi(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  // One @fastify/rate-limit registration for the whole app: reuse it when another part registered it first.
  if (!app.hasDecorator('createRateLimit')) await app.register(rateLimit, { global: false });
  const limiter = app.createRateLimit({ ...PUBLIC_READ_LIMIT, keyGenerator: (r) => `public-read:${r.ip}` });
  const limited = async (request: FastifyRequest, reply: FastifyReply) => {
    cors(reply);
    const r = await limiter(request);
    reply.header('x-ratelimit-limit', String(PUBLIC_READ_LIMIT.max));
    if (!r.isAllowed) reply.header('x-ratelimit-remaining', String(Math.max(0, r.remaining)));
    if (!r.isAllowed && r.isExceeded) {
      const retryAfter = Math.max(1, Math.ceil(r.ttl / 1000));
      reply.header('retry-after', String(retryAfter));
      throw apiError('too-many-requests', `Too many requests from this address (${PUBLIC_READ_LIMIT.max} a minute); try again in ${retryAfter} s, and send If-None-Match to get 304s cheaply.`, undefined, { retryAfter });
    }
  };
  const opts = { preHandler: limited };

  // CORS preflight (If-None-Match is not a simple header).
  app.options('/api/public/*', { schema: { hide: true } }, async (_request, reply) => {
    cors(reply);
    return reply.header('access-control-allow-methods', 'GET, HEAD, OPTIONS').header('access-control-allow-headers', 'If-None-Match, Accept').header('access-control-max-age', '86400').code(204).send();
  });

  app.get('/api/public/v1/rallies', {
    ...opts,
    schema: { summary: 'Public API v1: rallies', tags: ['public'], response: { 200: anyObject('{ apiVersion, rallies: [{ id, name, timeZone, startDate, endDate, country }] }') } },
  }, async () => {
    const rallies = await ctx.store.listRallies();
    return { apiVersion: PUBLIC_API_VERSION, rallies: rallies.map((r) => ({ id: r.id, name: r.definition.name, timeZone: r.definition.timeZone, startDate: r.definition.startDate, endDate: r.definition.endDate, country: r.definition.country ?? null })) };
  });

  app.get<{ Params: { id: string }; Querystring: { class?: string; after?: string; category?: string } }>('/api/public/v1/rallies/:id/results', {
    ...opts,
    schema: {
      summary: 'Public API v1: overall or class classification', tags: ['public'], params: rallyParams,
      querystring: { type: 'object', additionalProperties: false, properties: { class: { type: 'string', minLength: 1 }, after: { type: 'string', minLength: 1 }, category: CATEGORY_QUERY } },
      response: { 200: anyObject('{ apiVersion, rally, seq, publication, after, class, category?, rows: [{ position, classPosition, car, driver, codriver, class, make, model, status, totalMs, total, penaltyMs, gapToLeaderMs, gapToLeader, gapToPrevMs, stagesCounted }] }'), 304: { type: 'null' }, ...errorResponses },
    },
  }, async (request, reply) => {
    const e = await ctx.rally(request.params.id);
    const { class: cls, after } = request.query;
    const category = categoryFor(e.definition, request.query.category);
    if (cls !== undefined && !e.definition.classes.some((c) => c.code === cls)) throw apiError('unknown-class', `query.class: no class "${cls}"; classes are ${e.definition.classes.map((c) => c.code).join(', ')}.`, 'query.class');
    if (after !== undefined && !e.definition.stages.some((s) => s.code === after)) throw apiError('unknown-stage', `query.after: no stage "${after}"; stages are ${e.definition.stages.map((s) => s.code).join(', ')}.`, 'query.after');
    const publication = await latestPublication(ctx, e.rallyId);
    if (notModified(request, reply, etagOf(e, request).replace(/"$/, `-p${publication?.number ?? 0}"`))) return reply.code(304).send();
    const c = classify(e.state, { ...(cls ? { class: cls } : {}), ...(after ? { after } : {}), ...(category ? { category } : {}) });
    const dec = decimalsFor(e.rules.stagePrecisionMs.value);
    return { apiVersion: PUBLIC_API_VERSION, rally: rallyHead(e), seq: e.seq, publication, after: c.after, class: cls ?? null, ...(category ? { category } : {}), rows: c.rows.map((r) => resultRow(r, dec)) };
  });

  app.get<{ Params: { id: string; stage: string }; Querystring: { class?: string; category?: string } }>('/api/public/v1/rallies/:id/stages/:stage', {
    ...opts,
    schema: {
      summary: 'Public API v1: stage times', tags: ['public'],
      params: { type: 'object', required: ['id', 'stage'], properties: { id: rallyParams.properties.id, stage: { type: 'string' } } },
      querystring: { type: 'object', additionalProperties: false, properties: { class: { type: 'string', minLength: 1 }, category: CATEGORY_QUERY } },
      response: { 200: anyObject('{ apiVersion, rally, seq, category?, stage: { code, name, distanceM, cancelled, interrupted }, rows: [{ position, classPosition, car, driver, codriver, class, status, timeMs, time, gapToWinnerMs, penaltyMs }] }'), 304: { type: 'null' }, ...errorResponses },
    },
  }, async (request, reply) => {
    const e = await ctx.rally(request.params.id);
    const stage = e.definition.stages.find((s) => s.code === request.params.stage);
    if (!stage) throw apiError('stage-not-found', `stage: no stage "${request.params.stage}"; stages are ${e.definition.stages.map((s) => s.code).join(', ')}.`, 'stage');
    const cls = request.query.class;
    if (cls !== undefined && !e.definition.classes.some((c) => c.code === cls)) throw apiError('unknown-class', `query.class: no class "${cls}".`, 'query.class');
    const category = categoryFor(e.definition, request.query.category);
    if (notModified(request, reply, etagOf(e, request))) return reply.code(304).send();
    const sr = stageResults(e.state, stage.code, { ...(cls ? { class: cls } : {}), ...(category ? { category } : {}) });
    const dec = decimalsFor(stage.precisionMs ?? e.rules.stagePrecisionMs.value);
    return {
      apiVersion: PUBLIC_API_VERSION, rally: rallyHead(e), seq: e.seq, ...(category ? { category } : {}),
      stage: { code: stage.code, name: stage.name, distanceM: stage.distanceM, cancelled: sr.cancelled, interrupted: sr.interrupted },
      rows: sr.rows.map((r) => ({ position: r.position, classPosition: r.classPosition, car: r.car, ...crew(r), class: r.entry.class, status: r.status, timeMs: r.timeMs, time: r.timeMs === null ? null : formatDuration(r.timeMs, dec), gapToWinnerMs: r.gapToWinnerMs, penaltyMs: r.penaltyMs })),
    };
  });

  app.get<{ Params: { id: string } }>('/api/public/v1/rallies/:id/publications', {
    ...opts,
    schema: { summary: 'Public API v1: publications with their seals', tags: ['public'], params: rallyParams, response: { 200: anyObject('{ apiVersion, rally, publications: [{ number, kind, publishedAt, uptoSeq, hash, previousHash, logHash, rules, signed, signature, verify, documents }] }'), ...errorResponses } },
  }, async (request) => {
    const e = await ctx.rally(request.params.id);
    const list = await ctx.store.listPublications(e.rallyId);
    return {
      apiVersion: PUBLIC_API_VERSION, rally: rallyHead(e),
      publications: list.map((p) => {
        const seal = sealOf(p);
        return {
          number: p.number, kind: p.kind, publishedAt: p.publishedAt, uptoSeq: p.uptoSeq,
          hash: seal?.hash ?? null, previousHash: seal?.previousHash ?? null, logHash: seal?.logHash ?? null, rules: seal?.rules ?? null, signed: !!seal?.signature,
          signature: seal?.signature ? { algorithm: seal.signature.algorithm, publicKey: seal.signature.publicKey, publicKeyLine: publicKeyLine(seal.signature.publicKey), value: seal.signature.value } : null,
          verify: `/api/rallies/${e.rallyId}/publications/${p.number}/verify`,
          documents: `/api/rallies/${e.rallyId}/publications/${p.number}/documents/final-classification.pdf`,
        };
      }),
    };
  });

  await registerPublicStandings(app, opts, PUBLIC_API_VERSION);

  app.get<{ Params: { id: string } }>('/api/public/v1/rallies/:id/timetable.ics', {
    ...opts,
    schema: { summary: 'Public API v1: the rally\'s timetable as iCalendar', tags: ['public'], params: rallyParams, response: { 200: { type: 'string', description: 'text/calendar' }, ...errorResponses } },
  }, async (request, reply) => {
    const e = await ctx.rally(request.params.id);
    const text = toICalendar(e.definition.name, rallyTimetable(e.definition), e.definition.timeZone, ctx.now().toISOString());
    return reply.type('text/calendar; charset=utf-8').header('content-disposition', `inline; filename="${e.rallyId}.ics"`).send(text);
  });

  app.get<{ Params: { season: string } }>('/api/public/v1/seasons/:season/calendar.ics', {
    ...opts,
    schema: { summary: 'Public API v1: a season\'s rounds as iCalendar', tags: ['public'], params: { type: 'object', required: ['season'], properties: { season: { type: 'string' } } }, response: { 200: { type: 'string', description: 'text/calendar' }, ...errorResponses } },
  }, async (request, reply) => {
    // The season as the championship routes give it (stored or seeded).
    const r = await app.inject({ method: 'GET', url: `/api/championships/${encodeURIComponent(request.params.season)}` });
    if (r.statusCode !== 200) throw apiError('not-found', `season: no season "${request.params.season}"; GET /api/championships lists them.`, 'season');
    const season = r.json().season as { id: string; name: string; rounds: { id: string; round?: number; name: string; startDate: string | null; endDate?: string | null; location?: string; confirmed?: boolean }[] };
    // A round whose dates are not known yet has no place in a calendar.
    const dated = season.rounds.filter((x): x is typeof x & { startDate: string } => typeof x.startDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(x.startDate));
    const events: CalendarEvent[] = dated.map((x) => ({
      uid: `${season.id}-${x.id}@rallyhq`, summary: `${x.round ? `Round ${x.round}: ` : ''}${x.name}`,
      description: `${season.name}${x.confirmed === false ? ' (dates not confirmed)' : ''}`, start: x.startDate, end: nextDay(x.endDate ?? x.startDate), allDay: true,
      ...(x.location ? { location: x.location } : {}),
    }));
    return reply.type('text/calendar; charset=utf-8').header('content-disposition', `inline; filename="${season.id}.ics"`).send(toICalendar(season.name, events, null, ctx.now().toISOString()));
  });

  // The widget: a small page for an iframe; its script polls the public API with If-None-Match.
  app.get<{ Params: { id: string }; Querystring: { class?: string } }>('/widget/:id', {
    ...opts,
    schema: { hide: true, params: rallyParams, querystring: { type: 'object', additionalProperties: false, properties: { class: { type: 'string', minLength: 1 } } } },
  }, async (request, reply) => {
    const e = await ctx.rally(request.params.id);
    const cls = request.query.class;
    if (cls !== undefined && !e.definition.classes.some((c) => c.code === cls)) throw apiError('unknown-class', `query.class: no class "${cls}"; classes are ${e.definition.classes.map((c) => c.code).join(', ')}.`, 'query.class');
    const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    const title = `${e.definition.name}${cls ? ` – ${cls}` : ''}`;
    reply.removeHeader('x-frame-options');
    return reply.type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors *")
      .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${attr(title)}</title>
<style>body{font:14px/1.3 system-ui,sans-serif;margin:0;color:#111;background:#fff}h1{font-size:15px;margin:6px 8px}table{border-collapse:collapse;width:100%}th,td{padding:3px 6px;border-bottom:1px solid #ddd;text-align:left}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}caption{text-align:left;font-size:12px;color:#555;padding:2px 8px}a{color:inherit}</style></head>
<body><h1><a href="/rally.html?id=${attr(encodeURIComponent(e.rallyId))}" target="_blank" rel="noopener">${attr(title)}</a></h1>
<table aria-live="polite"><caption id="status">Loading…</caption><thead><tr><th class="n">Pos</th><th class="n">Car</th><th>Crew</th><th class="n">Total</th><th class="n">Gap</th></tr></thead><tbody id="rows"></tbody></table>
<script src="/widget.js" data-rally="${attr(e.rallyId)}" data-class="${attr(cls ?? '')}"></script></body></html>`);
  });

  app.get('/widget.js', { schema: { hide: true } }, async (_request, reply) => {
    return reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(WIDGET_JS);
  });
}

/** The widget's script: fetch the class table every 10 s with If-None-Match (a 304 costs a few bytes), update the rows. */
const WIDGET_JS = `(function () {
  var me = document.currentScript, rally = me.getAttribute('data-rally'), cls = me.getAttribute('data-class');
  var url = '/api/public/v1/rallies/' + encodeURIComponent(rally) + '/results' + (cls ? '?class=' + encodeURIComponent(cls) : '');
  var etag = null, rows = document.getElementById('rows'), status = document.getElementById('status');
  function cell(text, num) { var td = document.createElement('td'); td.textContent = text == null ? '' : text; if (num) td.className = 'n'; return td; }
  function show(data) {
    var frag = document.createDocumentFragment();
    data.rows.filter(function (r) { return r.position !== null; }).forEach(function (r) {
      var tr = document.createElement('tr');
      tr.appendChild(cell(cls ? r.classPosition : r.position, true)); tr.appendChild(cell(r.car, true));
      tr.appendChild(cell(r.driver.name + (r.codriver.name ? ' / ' + r.codriver.name : ''))); tr.appendChild(cell(r.total, true)); tr.appendChild(cell(r.gapToLeader, true));
      frag.appendChild(tr);
    });
    rows.replaceChildren(frag);
    var p = data.publication;
    status.textContent = (data.after ? 'After ' + data.after : 'Before the start') + (p ? ' · ' + (p.kind === 'official' ? 'Official' : 'Provisional') + ' publication ' + p.number : ' · Unofficial') + ' · updated ' + new Date().toLocaleTimeString();
  }
  function poll() {
    var h = {}; if (etag) h['If-None-Match'] = etag;
    fetch(url, { headers: h }).then(function (res) {
      if (res.status === 304) return null;
      if (!res.ok) throw new Error(res.status);
      etag = res.headers.get('ETag'); return res.json();
    }).then(function (d) { if (d) show(d); }).catch(function () { status.textContent = 'Waiting for the results service…'; })
      .then(function () { setTimeout(poll, 10000); });
  }
  poll();
})();
`;
