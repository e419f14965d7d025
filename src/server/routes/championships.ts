// Championship and history routes: seasons, standings with workings and title
// maths, points schemes, history import (administrators; CSV body) and the
// statistics. Public reads need no token. The history store is opened from the
// server's database URL (an in-memory SQLite one when there is none).
// Standings are cached per season, championship and round, keyed by what each
// round's result comes from (SEE: `StandingsCache`): a repeat request is a
// lookup, and any change to a round computes them afresh.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { apiError } from '../problem.ts';
import { registerSeasonAdminRoutes, seasonVersion } from './seasons.ts';
import { notModified } from '../http-cache.ts';
import type { Auth } from '../auth.ts';
import type { RallyEntry } from '../rally-states.ts';
import type { PublicationRecord, Store } from '../../store/contract.ts';
import { computeStandings, standingsHistory, titleMaths, POINTS_SCHEMES, type RoundResult } from '../../core/championship/index.ts';
import type { CalendarRound, Season } from '../../core/championship/season.ts';
import { derivedPlaces, finalClassifications, roundFromClassification, roundFromScoredRally } from '../../core/championship/from-classification.ts';
import { findChampionshipRound, roundsOf } from '../../core/championship/season.ts';
import { score } from '../../core/scoring/index.ts';
import { resolveRules } from '../../core/rules/resolve.ts';
import type { RallyDefinition } from '../../core/model.ts';
import type { Classification } from '../../core/results.ts';
import { openHistoryStore } from '../../store/history/open-history.ts';
import { allSeasons, checkSeason, findSeason, REPO_ROOT, scoreRallyFile } from '../../store/history/season-source.ts';
import { importCsvText } from '../../store/history/csv-file.ts';
import { STAT_DIMENSIONS, STAT_METRICS, type HistoryStore, type StatDimension, type StatMetric } from '../../store/history/types.ts';

export interface ChampionshipDeps {
  store?: Store;
  /** `sqlite:<path>` or `postgres://…`; absent = an in-memory history. */
  dbUrl?: string | undefined;
  auth?: Pick<Auth, 'requireRole'>;
  /** Clock for the import's "no results dated after today" check. */
  now?: () => Date;
  /** A history store to use instead of opening one (tests). */
  history?: HistoryStore;
  /** The server's scored rallies; default: the app's (`app.rallyhq.states`). A round whose rally is here is scored from it. */
  states?: RoundStates;
  /** Told of every computation the cache could not spare: a round scored, or standings built (tests count them). */
  onCompute?: (what: { kind: 'round' | 'standings'; season: string; round?: string }) => void;
}

/** What the standings read of the scored-state cache (src/server/rally-states.ts). */
export interface RoundStates {
  entry(rallyId: string): Promise<RallyEntry | null>;
  classification(entry: RallyEntry): Classification;
}

/** Where a round's result comes from, and the version of it: the cache key of the round. */
type RoundSource =
  | { key: string; kind: 'stored'; result: RoundResult }
  | { key: string; kind: 'rally'; entry: RallyEntry }
  | { key: string; kind: 'official'; entry: RallyEntry; publication: PublicationRecord }
  | { key: string; kind: 'file'; path: string }
  | { key: string; kind: 'note'; note: string }
  | { key: string; kind: 'none' };

interface StandingsAnswer { body: unknown; etag: string }

/** Entries kept per cache; older ones are dropped first. */
const CACHE_LIMIT = 200;

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  cache.delete(key);
  cache.set(key, value);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  return value;
}

/**
 * Standings cached by the versions of their inputs: the season, the stored
 * round results, and per round the rally's definition version and last log
 * seq (a rally this server scores) or the rally file's size and mtime. Every
 * key is read fresh on each request — another process's fact or definition
 * change reaches the scored rallies through the store — so nothing is ever
 * invalidated by hand, and nothing stale is served.
 */
class StandingsCache {
  private readonly rounds = new Map<string, RoundResult | string>();
  private readonly answers = new Map<string, StandingsAnswer>();

  /** Publications are immutable: each is read from the store once. */
  private readonly publications = new Map<string, PublicationRecord>();

  constructor(private readonly onCompute: ChampionshipDeps['onCompute'], private readonly store: Store | undefined) {}

  private async officialPublication(rallyId: string, number: number): Promise<PublicationRecord | null> {
    const key = `${rallyId}\u0000${number}`;
    const hit = this.publications.get(key);
    if (hit) return hit;
    const p = await this.store?.getPublication(rallyId, number);
    return p ? remember(this.publications, key, p) : null;
  }

  async source(round: CalendarRound, stored: Map<string, RoundResult>, states: RoundStates | undefined): Promise<RoundSource> {
    const result = stored.get(round.id);
    if (result) return { key: `stored:${hash(result)}`, kind: 'stored', result };
    // A rally this server holds, once it has facts, is the live source of its round.
    const entry = round.rally && states ? await states.entry(round.rally) : null;
    if (entry && entry.seq > 0) {
      if (entry.rulesErrors.length > 0) return { key: `note:rules:${entry.rallyId}:v${entry.version}`, kind: 'note', note: `rally ${entry.rallyId}: rules choice not valid` };
      // Once the results are declared official, the round counts the official publication, not later live changes.
      // Only the number is read per request; the publication itself (a snapshot of ~100 KB) once per number.
      const number = this.store ? await this.store.latestPublicationNumber(entry.rallyId, 'official') : null;
      const official = number === null ? null : await this.officialPublication(entry.rallyId, number);
      // The publication carries the definition it declared, so later definition changes wait for the next official publication too.
      if (official) return { key: `official:${entry.rallyId}:n${official.number}${hasDefinition(official) ? '' : `:v${entry.version}`}`, kind: 'official', entry, publication: official };
      return { key: `rally:${entry.rallyId}:v${entry.version}:s${entry.seq}`, kind: 'rally', entry };
    }
    if (!round.rallyFile) return { key: 'none', kind: 'none' };
    const st = await stat(join(REPO_ROOT, round.rallyFile)).catch(() => null);
    return { key: `file:${round.rallyFile}:${st ? `${st.size}:${st.mtimeMs}` : 'missing'}`, kind: 'file', path: round.rallyFile };
  }

  /** The round's result (or why it has none), scored once per version of its source. */
  async round(season: Season, round: CalendarRound, src: RoundSource, states: RoundStates | undefined): Promise<RoundResult | string | null> {
    if (src.kind === 'none') return null;
    if (src.kind === 'stored') return src.result;
    if (src.kind === 'note') return src.note;
    const key = `${round.id}\u0000${src.key}`;
    const hit = this.rounds.get(key);
    if (hit !== undefined) return hit;
    this.onCompute?.({ kind: 'round', season: season.id, round: round.id });
    const scored = src.kind === 'official' ? fromOfficial(round.id, src.entry, src.publication)
      : src.kind === 'rally' && states ? fromRally(round.id, src.entry, states)
      : src.kind === 'file' ? await scoreRallyFile(round.id, src.path) : null;
    if (scored === null) return null;
    return remember(this.rounds, key, scored);
  }

  async standings(
    season: Season, champId: string, after: string | undefined, stored: RoundResult[], states: RoundStates | undefined,
    compute: (results: RoundResult[], notes: string[]) => unknown,
  ): Promise<StandingsAnswer> {
    const byRound = new Map(stored.map((r) => [r.round, r]));
    const sources = await Promise.all(season.rounds.map((r) => this.source(r, byRound, states)));
    const key = hash({ season, champId, after: after ?? null, rounds: sources.map((s) => s.key) });
    const hit = this.answers.get(key);
    if (hit) return hit;
    const results: RoundResult[] = [];
    const notes: string[] = [];
    for (const [i, round] of season.rounds.entries()) {
      const r = await this.round(season, round, sources[i]!, states);
      if (typeof r === 'string') notes.push(`round ${round.round} ${round.name}: ${r}`);
      else if (r) results.push(r);
    }
    this.onCompute?.({ kind: 'standings', season: season.id });
    return remember(this.answers, key, { body: compute(results, notes), etag: `W/"st-${key.slice(0, 27)}"` });
  }
}

function hash(x: unknown): string {
  return createHash('sha256').update(JSON.stringify(x)).digest('base64url');
}

/** A rally's current scored state as a round result (provisional: a final result is stored with PUT …/results). */
function fromRally(roundId: string, e: RallyEntry, states: RoundStates): RoundResult {
  // A rally classifying several categories on the same roads (ARA National, Regional) gives each its places.
  const final = e.state.definition.categories?.length ? finalClassifications(e.state) : states.classification(e);
  return roundFromClassification(final, {
    round: roundId,
    status: 'provisional',
    source: `rally ${e.rallyId} scored by rallyhq (log seq ${e.seq}, definition version ${e.version})`,
    ...derivedPlaces(e.state),
  });
}

/** The rally as its latest official publication declared it: the log up to that publication's seq, status final. */
function hasDefinition(p: PublicationRecord): p is PublicationRecord & { snapshot: { definition: RallyDefinition } } {
  return typeof p.snapshot === 'object' && p.snapshot !== null && 'definition' in p.snapshot && typeof (p.snapshot as { definition?: unknown }).definition === 'object';
}

function fromOfficial(roundId: string, e: RallyEntry, p: PublicationRecord): RoundResult {
  // Older publications hold no definition: the current one is used for them.
  const definition = hasDefinition(p) ? p.snapshot.definition : e.definition;
  const { rules } = resolveRules(definition.rules);
  const state = score(definition, rules, e.facts.filter((f) => f.seq <= p.uptoSeq).map((f) => f.fact));
  return roundFromScoredRally(state, {
    round: roundId,
    status: 'final',
    source: `rally ${e.rallyId}, official publication ${p.number} of ${p.publishedAt} (log seq ${p.uptoSeq})`,
  });
}

const open = { type: 'object', additionalProperties: true } as const;
const problemRef = (): Record<string, unknown> => ({ 400: { description: 'Bad request (problem+json): the field and the fix', ...open }, 404: { description: 'Not found (problem+json)', ...open } });

const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

export async function registerChampionshipRoutes(app: FastifyInstance, deps: ChampionshipDeps): Promise<void> {
  const history = deps.history ?? await openHistoryStore(deps.dbUrl ?? 'sqlite::memory:');
  if (!deps.history) app.addHook('onClose', async () => history.close());
  const now = deps.now ?? (() => new Date());
  const standingsCache = new StandingsCache(deps.onCompute, deps.store);

  if (!app.hasContentTypeParser('text/csv')) {
    app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: MAX_IMPORT_BYTES }, (_req, body, done) => done(null, body));
  }

  const requireAdmin = async (request: FastifyRequest): Promise<void> => {
    if (!deps.auth) throw apiError('token-wrong-role', 'History import needs an administrator token and this server has no authentication configured.', 'authorization');
    await deps.auth.requireRole(request, ['admin']);
  };

  app.get('/api/championships', {
    schema: { tags: ['championships'], summary: 'Seasons with their rounds (calendar, sources, confirmed or not) and championships', response: { 200: { type: 'array', items: open } } },
  }, async () => (await allSeasons(history)).map((s) => ({
    id: s.id, name: s.name, year: s.year, series: s.series, note: s.note ?? null,
    rounds: s.rounds, championships: s.championships.map((c) => ({ id: c.id, name: c.name, kind: c.kind, scheme: c.scheme, class: c.class ?? null, eligibility: c.eligibility ?? null })),
  })));

  app.get<{ Params: { season: string } }>('/api/championships/:season', {
    schema: { tags: ['championships'], summary: 'One season as stored or seeded, with any problems in it', params: { type: 'object', required: ['season'], properties: { season: { type: 'string' } } }, response: { 200: open, ...problemRef() } },
  }, async (request) => {
    const season = await findSeason(request.params.season, history);
    if (!season) throw apiError('not-found', `No season '${request.params.season}'; GET /api/championships lists them.`, 'season');
    return { season, version: seasonVersion(season), problems: checkSeason(season) };
  });

  app.get<{ Params: { season: string }; Querystring: { championship?: string; after?: string } }>('/api/championships/:season/standings', {
    schema: {
      tags: ['championships'],
      summary: 'Standings after a round: per-round points, counted and dropped rounds, points by classification, count-back, title maths, and the position and total of every competitor after each round run (history)',
      params: { type: 'object', required: ['season'], properties: { season: { type: 'string' } } },
      querystring: { type: 'object', additionalProperties: false, properties: {
        championship: { type: 'string', description: 'Championship id of the season (default: the first, e.g. drivers)' },
        after: { type: 'string', description: 'Round id, or the round\'s number in this championship\'s own calendar (a regional championship counts only its region\'s rounds); default: the last round with results' },
      } },
      response: {
        200: { ...open, headers: { etag: { type: 'string', description: 'Weak ETag; send it back as If-None-Match to get 304 until a round changes' } } },
        304: { type: 'null', description: 'Not modified' },
        ...problemRef(),
      },
    },
  }, async (request, reply) => {
    const season = await findSeason(request.params.season, history);
    if (!season) throw apiError('not-found', `No season '${request.params.season}'; GET /api/championships lists them.`, 'season');
    const champId = request.query.championship ?? season.championships[0]?.id;
    const champ = season.championships.find((c) => c.id === champId);
    if (!champ) throw apiError('invalid-field', `Unknown championship '${champId}': ${season.id} has ${season.championships.map((c) => c.id).join(', ')}.`, 'query.championship');
    let after: string | undefined;
    if (request.query.after !== undefined) {
      const r = findChampionshipRound(season, champ, request.query.after);
      if (!r) throw apiError('invalid-field', `Unknown round '${request.query.after}': give a round id of the season or a round number of ${champ.id} (${roundsOf(season, champ).map((x, i) => `${i + 1} (${x.id})`).join(', ')}).`, 'query.after');
      after = r.id;
    }
    const scheme = POINTS_SCHEMES[champ.scheme];
    if (!scheme) throw apiError('invalid-field', `Championship ${champ.id} names unknown scheme '${champ.scheme}'.`, 'championship.scheme');
    // NOTE: looked up per request: the app's state cache is attached after the routes are registered.
    const states = deps.states ?? app.rallyhq?.states;
    const answer = await standingsCache.standings(season, champ.id, after, await history.roundResults(season.id), states, (results, notes) => {
      const standings = computeStandings(season, champ, scheme, results, after);
      // The after-round history is computed with the answer, so it is cached with it.
      return { standings, title: titleMaths(standings, scheme), history: standingsHistory(season, champ, scheme, results, after), notes };
    });
    if (notModified(request, reply, answer.etag)) return reply.code(304).send();
    return answer.body;
  });

  app.put<{ Params: { season: string; round: string }; Body: RoundResult }>('/api/championships/:season/rounds/:round/results', {
    schema: {
      tags: ['championships'], summary: 'Store a round\'s result (external results, or a final result replacing the scored rally file) — administrators',
      params: { type: 'object', required: ['season', 'round'], properties: { season: { type: 'string' }, round: { type: 'string' } } },
      body: { type: 'object', required: ['status', 'crews', 'source'], additionalProperties: false, properties: {
        round: { type: 'string' }, status: { type: 'string', enum: ['provisional', 'final'] }, runShare: { type: 'number', minimum: 0, maximum: 1 },
        powerStageVoid: { type: 'boolean' }, source: { type: 'string', minLength: 1 },
        crews: { type: 'array', items: { type: 'object', required: ['driver', 'make', 'class', 'status', 'position'], additionalProperties: false, properties: {
          car: { type: 'integer' }, driver: { type: 'string', minLength: 1 }, codriver: { type: 'string' }, make: { type: 'string' }, class: { type: 'string' },
          status: { type: 'string', enum: ['finished', 'retired', 'excluded', 'notStarted'] }, position: { type: ['integer', 'null'], minimum: 1 },
          saturdayPosition: { type: ['integer', 'null'], minimum: 1 }, sundayPosition: { type: ['integer', 'null'], minimum: 1 }, powerStagePosition: { type: ['integer', 'null'], minimum: 1 },
          eligibility: { type: 'array', items: { type: 'string' } }, nominated: { type: 'boolean' },
          category: { type: 'string', minLength: 1, description: 'Category the crew was classified in (ARA National / Regional); position is within it' },
          legPositions: { type: 'object', additionalProperties: { type: ['integer', 'null'], minimum: 1 }, description: 'Place in each leg\'s own classification, by leg id (leg bonus points)' },
        } } },
        legs: { type: 'array', items: { type: 'object', required: ['id', 'label', 'basis'], additionalProperties: false, properties: { id: { type: 'string', minLength: 1 }, label: { type: 'string', minLength: 1 }, basis: { type: 'string' } } } },
      } },
      response: { 200: open, ...problemRef() },
      security: [{ bearer: [] }],
    },
  }, async (request) => {
    await requireAdmin(request);
    const season = await findSeason(request.params.season, history);
    if (!season) throw apiError('not-found', `No season '${request.params.season}'.`, 'season');
    if (!season.rounds.some((r) => r.id === request.params.round)) throw apiError('not-found', `No round '${request.params.round}' in ${season.id}: rounds are ${season.rounds.map((r) => r.id).join(', ')}.`, 'round');
    const result: RoundResult = { ...request.body, round: request.params.round };
    if (!(await history.getSeason(season.id))) await history.putSeason(season, now().toISOString());
    await history.putRoundResult(season.id, result, now().toISOString());
    return { stored: true, season: season.id, round: result.round, crews: result.crews.length };
  });

  await registerSeasonAdminRoutes(app, { history, requireAdmin, now });

  app.get('/api/points-schemes', {
    schema: { tags: ['championships'], summary: 'Points schemes as cited data (each table with its rule and whether it is confirmed)', response: { 200: { type: 'array', items: open } } },
  }, async () => Object.values(POINTS_SCHEMES));

  app.post<{ Body: string }>('/api/history/import', {
    bodyLimit: MAX_IMPORT_BYTES,
    schema: {
      tags: ['history'],
      summary: 'Import historical results (text/csv, layout in docs/championships.md) — administrators. Good lines land; bad lines are reported by line with the reason; re-importing adds nothing twice.',
      consumes: ['text/csv'],
      response: { 200: { description: 'Import report', ...open }, ...problemRef() },
      security: [{ bearer: [] }],
    },
  }, async (request) => {
    await requireAdmin(request);
    if (typeof request.body !== 'string' || request.body.trim() === '') {
      throw apiError('bad-request', 'Send the CSV as the request body with Content-Type: text/csv (header line first).', 'body');
    }
    try {
      return await importCsvText(history, request.body, { today: now().toISOString().slice(0, 10) });
    } catch (err) {
      // A database fault mid-import: the import rolled back to its last commit, so importing the same file again is safe.
      if (typeof (err as { code?: unknown })?.code !== 'string') throw err;
      request.log.error({ err }, 'history import failed in the database');
      throw apiError('history-import-failed', `The database refused the import: ${(err as Error).message}.`, 'body');
    }
  });

  const statsQuery = {
    type: 'object', additionalProperties: false, required: ['by'], properties: {
      by: { type: 'string', enum: [...STAT_DIMENSIONS] },
      event: { type: 'string', description: 'Part of an event name, any case (Monte Carlo)' },
      class: { type: 'string' },
      metric: { type: 'string', enum: [...STAT_METRICS], default: 'wins' },
      limit: { type: 'integer', minimum: 1, maximum: 500, default: 20 },
    },
  };
  app.get<{ Querystring: { by: StatDimension; event?: string; class?: string; metric?: StatMetric; limit?: number } }>('/api/history/stats', {
    schema: { tags: ['history'], summary: 'Wins, podiums, starts, titles and stage wins by driver, co-driver, make or class', querystring: statsQuery, response: { 200: open, ...problemRef() } },
  }, async (request) => {
    const q = request.query;
    return history.stats({ by: q.by, ...(q.event ? { event: q.event } : {}), ...(q.class ? { class: q.class } : {}), ...(q.metric ? { metric: q.metric } : {}), ...(q.limit ? { limit: q.limit } : {}) });
  });

  app.get<{ Querystring: { by: 'make' | 'driver' | 'codriver'; event?: string; class?: string; min?: number; limit?: number } }>('/api/history/streaks', {
    schema: {
      tags: ['history'], summary: 'Wins of an event in a row (consecutive editions) by make, driver or co-driver',
      querystring: { type: 'object', additionalProperties: false, properties: {
        by: { type: 'string', enum: ['make', 'driver', 'codriver'], default: 'make' }, event: { type: 'string' }, class: { type: 'string' },
        min: { type: 'integer', minimum: 1, default: 2 }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 20 },
      } },
      response: { 200: { type: 'array', items: open }, ...problemRef() },
    },
  }, async (request) => {
    const q = request.query;
    return history.streaks({ by: q.by, ...(q.event ? { event: q.event } : {}), ...(q.class ? { class: q.class } : {}), ...(q.min ? { min: q.min } : {}), ...(q.limit ? { limit: q.limit } : {}) });
  });

  app.get<{ Querystring: { by: 'driver' | 'codriver' | 'make'; championship?: string; min: number; window: number } }>('/api/history/title-runs', {
    schema: {
      tags: ['history'], summary: 'Title runs: at least `min` titles within `window` consecutive seasons ("four titles in five seasons")',
      querystring: { type: 'object', additionalProperties: false, properties: {
        by: { type: 'string', enum: ['driver', 'codriver', 'make'], default: 'driver' }, championship: { type: 'string' },
        min: { type: 'integer', minimum: 1, default: 4 }, window: { type: 'integer', minimum: 1, default: 5 },
      } },
      response: { 200: { type: 'array', items: open }, ...problemRef() },
    },
  }, async (request) => {
    const q = request.query;
    return history.titleRuns({ by: q.by, min: q.min, window: q.window, ...(q.championship ? { championship: q.championship } : {}) });
  });

  app.get<{ Querystring: { event?: string; person?: string; winners?: boolean; limit?: number } }>('/api/history/results', {
    schema: {
      tags: ['history'],
      summary: 'Stored event results, oldest first: an event\'s winners by year with the crews excluded and why (`event`, `winners=true`), or a driver\'s or co-driver\'s record (`person`)',
      querystring: { type: 'object', additionalProperties: false, properties: {
        event: { type: 'string', minLength: 1, description: 'Part of an event name, any case (Monte Carlo)' },
        person: { type: 'string', minLength: 1, description: 'A driver\'s or co-driver\'s full name, any case (Paddy Hopkirk)' },
        winners: { type: 'boolean', default: false, description: 'Only each classification\'s winner and the crews excluded from it, with the reason' },
        limit: { type: 'integer', minimum: 1, maximum: 2000, default: 500 },
      } },
      response: { 200: { description: '{ events: string[], rows: { event, year, date, class, position, status, reason, driver, codriver, make, model }[] }', ...open }, ...problemRef() },
    },
  }, async (request) => {
    const q = request.query;
    const [events, rows] = await Promise.all([
      history.eventNames(),
      history.results({ ...(q.event ? { event: q.event } : {}), ...(q.person ? { person: q.person } : {}), ...(q.winners ? { winners: true } : {}), ...(q.limit ? { limit: q.limit } : {}) }),
    ]);
    return { events, rows };
  });

  app.get<{ Querystring: { a: string; b: string } }>('/api/history/head-to-head', {
    schema: {
      tags: ['history'], summary: 'Head-to-head of two drivers over the classifications both were in',
      querystring: { type: 'object', additionalProperties: false, required: ['a', 'b'], properties: { a: { type: 'string', minLength: 1 }, b: { type: 'string', minLength: 1 } } },
      response: { 200: open, ...problemRef() },
    },
  }, async (request) => history.headToHead(request.query.a, request.query.b));
}
