// Season administration: create a season, add and change rounds (dates,
// venue, the rally that scores the round), add or change championships.
// Administrators only; every answer is the whole season as stored, and every
// refusal names the field and the fix. The season document lives in the
// championship history store (a seeded season is stored on its first change).
// NOTE: changes to one season from this process wait for each other; the
// `version` (a hash of the season read) makes a client's stale edit a 409.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { addRound, newSeason, putChampionship, updateRound, type RoundInput, type RoundPatch, type SeasonEdit } from '../../core/championship/season-edit.ts';
import type { Championship, Season } from '../../core/championship/season.ts';
import { POINTS_SCHEMES } from '../../core/championship/schemes.ts';
import { findSeason } from '../../store/history/season-source.ts';
import type { HistoryStore } from '../../store/history/types.ts';
import { apiError } from '../problem.ts';

const open = { type: 'object', additionalProperties: true } as const;
const seasonParams = { type: 'object', required: ['season'], properties: { season: { type: 'string' } } } as const;
const roundParams = { type: 'object', required: ['season', 'round'], properties: { season: { type: 'string' }, round: { type: 'string' } } } as const;
const problems = { 400: { description: 'Bad request (problem+json): the field and the fix', ...open }, 404: { description: 'Not found', ...open }, 409: { description: 'Changed since you read it', ...open } };
const date = { type: ['string', 'null'], description: 'Local date YYYY-MM-DD, or null when not announced' } as const;
const version = { type: 'string', description: 'Optional: the season `version` you read; a change since then answers 409.' } as const;

/** A short fingerprint of the season as stored: changes whenever anything in it does. */
export function seasonVersion(s: Season): string {
  return createHash('sha256').update(JSON.stringify(s)).digest('base64url').slice(0, 16);
}

export interface SeasonAdminDeps {
  history: HistoryStore;
  requireAdmin(request: FastifyRequest): Promise<void>;
  now(): Date;
}

export async function registerSeasonAdminRoutes(app: FastifyInstance, deps: SeasonAdminDeps): Promise<void> {
  const schemes = new Set(Object.keys(POINTS_SCHEMES));
  let queue: Promise<unknown> = Promise.resolve();
  /** One season change at a time in this process. */
  function serial<T>(work: () => Promise<T>): Promise<T> {
    const next = queue.then(work, work);
    queue = next.catch(() => {});
    return next;
  }

  async function edit(request: FastifyRequest, id: string, expected: string | undefined, make: (s: Season) => SeasonEdit): Promise<{ season: Season; version: string; change: string }> {
    await deps.requireAdmin(request);
    return serial(async () => {
      const season = await findSeason(id, deps.history);
      if (!season) throw apiError('not-found', `No season '${id}'; GET /api/championships lists them, POST /api/championships creates one.`, 'season');
      if (expected !== undefined && expected !== seasonVersion(season)) throw apiError('version-conflict', `Season ${id} changed since you read it (version ${seasonVersion(season)}, not ${expected}).`, 'version');
      const out = make(season);
      if (!out.ok) throw apiError('invalid-field', out.problems[0]!, out.problems[0]!.split(':')[0], { errors: out.problems.map((p) => ({ path: p.split(':')[0]!, message: p })) });
      await deps.history.putSeason(out.season, deps.now().toISOString());
      return { season: out.season, version: seasonVersion(out.season), change: out.line };
    });
  }

  app.post<{ Body: { id: string; name: string; year: number; series: Season['series']; classes?: Season['classes'] } }>('/api/championships', {
    schema: {
      tags: ['championships'], summary: 'Create a season (administrators): id, name, year, series, classes; rounds and championships are added after',
      body: { type: 'object', required: ['id', 'name', 'year', 'series'], additionalProperties: false, properties: {
        id: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1 }, year: { type: 'integer', minimum: 1900, maximum: 2100 },
        series: { type: 'object', required: ['id', 'name', 'body'], additionalProperties: false, properties: { id: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1 }, body: { type: 'string', minLength: 1 } } },
        classes: { type: 'array', items: { type: 'object', required: ['code', 'name'], additionalProperties: false, properties: { code: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1 } } } },
      } },
      response: { 201: open, ...problems },
      security: [{ bearer: [] }],
    },
  }, async (request, reply) => {
    await deps.requireAdmin(request);
    const made = await serial(async () => {
      if (await findSeason(request.body.id, deps.history)) throw apiError('entry-conflict', `A season '${request.body.id}' already exists; change it instead, or pick another id.`, 'id');
      const out = newSeason(request.body, schemes);
      if (!out.ok) throw apiError('invalid-field', out.problems[0]!, 'id');
      await deps.history.putSeason(out.season, deps.now().toISOString());
      return out.season;
    });
    return reply.code(201).send({ season: made, version: seasonVersion(made), change: `season ${made.id} created` });
  });

  app.post<{ Params: { season: string }; Body: RoundInput & { version?: string } }>('/api/championships/:season/rounds', {
    schema: {
      tags: ['championships'], summary: 'Add a round (administrators): dates, venue, source, and the rally that scores it if this server holds it',
      description: 'Rounds are numbered in date order (undated rounds last). A round run elsewhere gets its result with PUT …/rounds/:round/results.',
      params: seasonParams,
      body: { type: 'object', required: ['id', 'name', 'startDate', 'endDate', 'confirmed', 'source'], additionalProperties: false, properties: {
        id: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1 }, startDate: date, endDate: date, location: { type: 'string' },
        rally: { type: 'string', minLength: 1, description: 'Id of the rally on this server that scores the round' },
        region: { type: 'string', minLength: 1, description: 'Region the event is in (ARA East, Central, West): it counts for that region\'s regional championships' },
        level: { type: 'string', enum: ['national', 'regional'], description: 'regional: a regional event, counting only for its region\'s championships' },
        confirmed: { type: 'boolean', description: 'The date is confirmed by the series' }, source: { type: 'string', description: 'Where the date comes from' }, note: { type: 'string' }, version,
      } },
      response: { 201: open, ...problems },
      security: [{ bearer: [] }],
    },
  }, async (request, reply) => {
    const { version: v, ...input } = request.body;
    return reply.code(201).send(await edit(request, request.params.season, v, (s) => addRound(s, input, schemes)));
  });

  app.patch<{ Params: { season: string; round: string }; Body: RoundPatch & { version?: string } }>('/api/championships/:season/rounds/:round', {
    schema: {
      tags: ['championships'], summary: 'Change a round (administrators): dates, venue, confirmed, source, or the rally that scores it (null unlinks)',
      params: roundParams,
      body: { type: 'object', additionalProperties: false, properties: {
        name: { type: 'string', minLength: 1 }, startDate: date, endDate: date, location: { type: 'string' }, rally: { type: ['string', 'null'] },
        region: { type: 'string', minLength: 1 }, level: { type: 'string', enum: ['national', 'regional'] },
        confirmed: { type: 'boolean' }, source: { type: 'string', minLength: 1 }, note: { type: 'string' }, version,
      } },
      response: { 200: open, ...problems },
      security: [{ bearer: [] }],
    },
  }, async (request) => {
    const { version: v, ...patch } = request.body;
    return edit(request, request.params.season, v, (s) => updateRound(s, request.params.round, patch, schemes));
  });

  app.put<{ Params: { season: string; championship: string }; Body: Omit<Championship, 'id'> & { version?: string } }>('/api/championships/:season/championships/:championship', {
    schema: {
      tags: ['championships'], summary: 'Add or change a championship of the season (administrators): kind, points scheme, eligibility code, class, best-N with its rule',
      params: { type: 'object', required: ['season', 'championship'], properties: { season: { type: 'string' }, championship: { type: 'string' } } },
      body: { type: 'object', required: ['name', 'kind', 'scheme'], additionalProperties: false, properties: {
        name: { type: 'string', minLength: 1 }, kind: { type: 'string', enum: ['drivers', 'codrivers', 'manufacturers'] }, scheme: { type: 'string', description: 'GET /api/points-schemes lists them' },
        eligibility: { type: 'string', minLength: 1, description: 'Registration code crews carry, e.g. ara-national; absent = every crew' },
        class: { type: 'string', minLength: 1 }, carsPerMake: { type: 'integer', minimum: 1 },
        countBest: { type: 'object', required: ['value', 'rule', 'confirmed'], additionalProperties: false, properties: { value: { type: 'integer', minimum: 1 }, rule: { type: 'string', minLength: 1 }, confirmed: { type: 'boolean' }, note: { type: 'string' } } },
        region: { ...{ type: 'object', required: ['value', 'rule', 'confirmed'], additionalProperties: false, properties: { value: { type: 'string', minLength: 1 }, rule: { type: 'string', minLength: 1 }, confirmed: { type: 'boolean' }, note: { type: 'string' } } }, description: 'A regional championship: only rounds of this region count, with the rule that says so' },
        category: { type: 'string', minLength: 1, description: 'Only crews of this category score (ARA National / Regional)' },
        makeCars: { ...{ type: 'object', required: ['value', 'rule', 'confirmed'], additionalProperties: false, properties: { value: { type: 'string', enum: ['nominated', 'every-car'] }, rule: { type: 'string', minLength: 1 }, confirmed: { type: 'boolean' }, note: { type: 'string' } } }, description: 'Manufacturers: which cars score for their make, with the rule' },
        version,
      } },
      response: { 200: open, ...problems },
      security: [{ bearer: [] }],
    },
  }, async (request) => {
    const { version: v, ...rest } = request.body;
    return edit(request, request.params.season, v, (s) => putChampionship(s, { id: request.params.championship, ...rest }, schemes));
  });
}
