// Championships in the public read API v1: seasons, a season's rounds and the
// standings, in versioned shapes of their own (SEE: docs/api.md "Public read
// API"). The answers are read from the championship routes (the same seasons,
// the same standings cache) and reshaped here, so a change to the internal
// answer cannot change the public one without this file saying so.
//   GET /api/public/v1/seasons
//   GET /api/public/v1/seasons/:season                          the season and its rounds
//   GET /api/public/v1/seasons/:season/standings?championship=&after=   (CSV too)
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import type { Championship, CalendarRound, Season } from '../../core/championship/season.ts';
import type { Standings } from '../../core/championship/standings.ts';
import type { TitleMaths } from '../../core/championship/title-maths.ts';
import type { StandingsHistory } from '../../core/championship/standings-history.ts';
import { toCsv } from '../../cli/format/csv.ts';
import { notModified } from '../http-cache.ts';
import { apiError, type ProblemBody } from '../problem.ts';
import type { ProblemCode } from '../messages.ts';
import { anyObject, errorResponses } from '../schemas.ts';

const seasonParams = { type: 'object', required: ['season'], properties: { season: { type: 'string', minLength: 1 } } } as const;

/** An internal read; its problem (a 4xx naming the field) is passed on as it is. */
async function internal<T>(app: FastifyInstance, url: string, field: string): Promise<{ body: T; etag: string | undefined }> {
  const r = await app.inject({ method: 'GET', url });
  if (r.statusCode !== 200) {
    const p = r.json() as Partial<ProblemBody>;
    throw apiError((p.code ?? 'not-found') as ProblemCode, p.detail ?? `${field}: not found`, p.field ?? field);
  }
  return { body: r.json() as T, etag: r.headers.etag as string | undefined };
}

/** The public shape of a round: calendar facts only (the sources stay in the internal API). */
export function roundV1(r: CalendarRound) {
  return {
    id: r.id, round: r.round, name: r.name, startDate: r.startDate, endDate: r.endDate, location: r.location ?? null,
    confirmed: r.confirmed, rally: r.rally ?? null,
  };
}

export function championshipV1(c: Pick<Championship, 'id' | 'name' | 'kind' | 'scheme'> & { class?: string | null }) {
  return { id: c.id, name: c.name, kind: c.kind, scheme: c.scheme, class: c.class ?? null };
}

export function seasonHead(s: Pick<Season, 'id' | 'name' | 'year' | 'series'>) {
  return { id: s.id, name: s.name, year: s.year, series: { id: s.series.id, name: s.series.name, body: s.series.body } };
}

function wantsCsv(request: FastifyRequest<{ Querystring: { format?: 'json' | 'csv' } }>): boolean {
  if (request.query.format) return request.query.format === 'csv';
  const accept = request.headers.accept ?? '';
  return /\btext\/csv\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept.split(',')[0] ?? '');
}

export function standingsV1(season: Season, s: Standings, title: TitleMaths, notes: string[], history?: StandingsHistory) {
  return {
    season: seasonHead(season),
    championship: championshipV1(s.championship),
    scheme: { id: s.scheme.id, name: s.scheme.name },
    after: s.after, roundsRun: s.roundsRun, roundsRemaining: s.roundsRemaining, provisional: s.provisional,
    rows: s.rows.map((r) => ({
      rank: r.rank, competitor: r.competitor, total: r.total,
      points: { final: r.bySource.final, saturday: r.bySource.saturday, sunday: r.bySource.sunday, powerStage: r.bySource.powerStage, leg: r.bySource.leg },
      rounds: r.rounds.map((c) => ({
        round: c.round, points: c.points, counted: c.counted, place: c.place, entered: c.entered,
        // The workings of the round's points: which classification, which place, which rule (manufacturers: which car).
        lines: (c.detail?.lines ?? []).map((l) => ({ source: l.source, place: l.place, points: l.points, rule: l.rule, ...(l.legLabel ? { leg: l.legLabel } : {}), ...(s.championship.kind === 'manufacturers' ? { crew: l.crew } : {}) })),
      })),
      dropped: r.dropped, notEntered: r.notEntered, tieBreak: r.tieBreak ?? null,
    })),
    title: {
      leader: title.leader, clinched: title.clinched, roundsRemaining: title.roundsRemaining, note: title.note, maxPerRound: title.maxPerRound,
      contenders: title.contenders.map((c) => ({ competitor: c.competitor, current: c.current, maxPossible: c.maxPossible, chance: c.chance })),
      toClinchNextRound: title.toClinchNextRound,
    },
    history: history ?? null,
    unconfirmed: s.unconfirmed, notes,
  };
}

/** One row per competitor, one column per round run (points; empty when not entered; dropped rounds listed). */
export function standingsCsv(v: ReturnType<typeof standingsV1>): string {
  return toCsv(
    ['rank', 'competitor', 'total', ...v.roundsRun, 'dropped', 'final', 'saturday', 'sunday', 'power_stage', 'leg_bonus'],
    v.rows.map((r) => [r.rank, r.competitor, r.total, ...v.roundsRun.map((id) => { const c = r.rounds.find((x) => x.round === id); return c?.entered ? c.points : null; }), r.dropped.join(' '), r.points.final, r.points.saturday, r.points.sunday, r.points.powerStage, r.points.leg]),
  );
}

export async function registerPublicStandings(app: FastifyInstance, opts: RouteShorthandOptions, version: number): Promise<void> {
  app.get('/api/public/v1/seasons', {
    ...opts,
    schema: { summary: 'Public API v1: seasons', tags: ['public'], response: { 200: anyObject('{ apiVersion, seasons: [{ id, name, year, series, rounds, championships }] }'), 304: { type: 'null' } } },
  }, async (request, reply) => {
    const { body } = await internal<(Pick<Season, 'id' | 'name' | 'year' | 'series' | 'rounds'> & { championships: (Championship & { class: string | null })[] })[]>(app, '/api/championships', 'season');
    const out = { apiVersion: version, seasons: body.map((s) => ({ ...seasonHead(s), rounds: s.rounds.length, championships: s.championships.map(championshipV1) })) };
    if (notModified(request, reply, `W/"seasons-${hashOf(out)}"`)) return reply.code(304).send();
    return out;
  });

  app.get<{ Params: { season: string } }>('/api/public/v1/seasons/:season', {
    ...opts,
    schema: {
      summary: 'Public API v1: a season with its rounds and championships', tags: ['public'], params: seasonParams,
      response: { 200: anyObject('{ apiVersion, season: { id, name, year, series }, rounds: [{ id, round, name, startDate, endDate, location, confirmed, rally }], championships: [{ id, name, kind, scheme, class }] }'), 304: { type: 'null' }, ...errorResponses },
    },
  }, async (request, reply) => {
    const { body } = await internal<{ season: Season; version: string }>(app, `/api/championships/${encodeURIComponent(request.params.season)}`, 'season');
    if (notModified(request, reply, `W/"season-${body.version}-v${version}"`)) return reply.code(304).send();
    const s = body.season;
    return { apiVersion: version, season: seasonHead(s), rounds: s.rounds.map(roundV1), championships: s.championships.map(championshipV1) };
  });

  app.get<{ Params: { season: string }; Querystring: { championship?: string; after?: string; format?: 'json' | 'csv' } }>('/api/public/v1/seasons/:season/standings', {
    ...opts,
    schema: {
      summary: 'Public API v1: championship standings after a round (JSON, or CSV with ?format=csv or Accept: text/csv)', tags: ['public'], params: seasonParams,
      querystring: { type: 'object', additionalProperties: false, properties: {
        championship: { type: 'string', minLength: 1, description: 'Championship id of the season (default: the first, e.g. drivers)' },
        after: { type: 'string', minLength: 1, description: 'Round id, or its number in the championship\'s own calendar (default: the last round with results)' },
        format: { type: 'string', enum: ['json', 'csv'] },
      } },
      response: {
        200: anyObject('{ apiVersion, season, championship: { id, name, kind, scheme, class }, scheme: { id, name }, after, roundsRun, roundsRemaining, provisional, rows: [{ rank, competitor, total, points: { final, saturday, sunday, powerStage, leg }, rounds: [{ round, points, counted, place, entered, lines: [{ source, place, points, rule, leg?, crew? }] }], dropped, notEntered, tieBreak }], title: { leader, clinched, roundsRemaining, note, maxPerRound, contenders: [{ competitor, current, maxPossible, chance }], toClinchNextRound: [{ rival, ifRivalScoresNothing, outscoreBy }] }, history: { rounds: [{ round, number }], rows: [{ competitor, ranks, totals }] }, unconfirmed, notes }'),
        304: { type: 'null' }, ...errorResponses,
      },
    },
  }, async (request, reply) => {
    const q = new URLSearchParams();
    if (request.query.championship !== undefined) q.set('championship', request.query.championship);
    if (request.query.after !== undefined) q.set('after', request.query.after);
    const base = `/api/championships/${encodeURIComponent(request.params.season)}`;
    // The season first: its version is part of the tag (a renamed season or round changes the public answer).
    const season = await internal<{ season: Season; version: string }>(app, base, 'season');
    const { body, etag } = await internal<{ standings: Standings; title: TitleMaths; history: StandingsHistory; notes: string[] }>(app, `${base}/standings${q.size ? `?${q}` : ''}`, 'query');
    const csv = wantsCsv(request);
    const tag = `W/"${(etag ?? '').replace(/^W\//, '').replace(/"/g, '')}-${season.body.version}-v${version}${csv ? '-csv' : ''}"`;
    if (notModified(request, reply, tag)) return reply.code(304).send();
    const v = standingsV1(season.body.season, body.standings, body.title, body.notes, body.history);
    if (csv) return sendCsv(reply, standingsCsv(v), `${season.body.season.id}-${v.championship.id}-standings`);
    return { apiVersion: version, ...v };
  });
}

function sendCsv(reply: FastifyReply, text: string, name: string): FastifyReply {
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).header('vary', 'Accept, Origin').send(text);
}

function hashOf(x: unknown): string {
  return createHash('sha1').update(JSON.stringify(x)).digest('base64url').slice(0, 20);
}
