// Results, read from the in-memory scored state (never from the database):
//   GET …/results?after=SS7&class=L4WD&leg=1   overall or class classification
//   GET …/stages/:stage?class=                 one stage's times
//   GET …/grid?category=                       position and total after each complete stage, every crew
//   GET …/crews/:car                           one crew: stages, positions after each, penalties, gap chart, workings
//   GET …/explain?car=23&stage=SS3             the workings of one number
// Every answer carries a weak ETag built from the rally, its definition
// version, its log seq and the query, so a phone polling with If-None-Match
// gets 304 until something changed.
import type { FastifyInstance } from 'fastify';
import type { Entry } from '../../core/model.ts';
import { classify, explain, formatWorkings, stageResults } from '../../core/scoring/index.ts';
import type { ServerContext } from '../context.ts';
import { etagOf, notModified } from '../http-cache.ts';
import { apiError } from '../problem.ts';
import { stageGrid } from '../../core/live/grid.ts';
import { readEntry, snapshotOf } from '../live/states-source.ts';
import type { RallyEntry } from '../rally-states.ts';
import { anyObject, errorResponses, rallyParams } from '../schemas.ts';

/** Answers from the per-seq memo, or computes and remembers. */
function memo<T>(e: RallyEntry, key: string, compute: () => T): T {
  if (e.memo.has(key)) return e.memo.get(key) as T;
  const v = compute();
  e.memo.set(key, v);
  return v;
}

function checkStage(e: RallyEntry, stage: string, field: string): void {
  if (!e.definition.stages.some((s) => s.code === stage)) {
    throw apiError('unknown-stage', `${field}: no stage "${stage}" in rally "${e.rallyId}"; stages are ${e.definition.stages.map((s) => s.code).join(', ')}.`, field);
  }
}
function checkClass(e: RallyEntry, cls: string, field: string): void {
  if (!e.definition.classes.some((c) => c.code === cls)) {
    throw apiError('unknown-class', `${field}: no class "${cls}" in rally "${e.rallyId}"; classes are ${e.definition.classes.map((c) => c.code).join(', ')}.`, field);
  }
}
function checkCategory(e: RallyEntry, category: string, field: string): void {
  const categories = e.definition.categories ?? [];
  if (!categories.some((c) => c.code === category)) {
    throw apiError('unknown-category', categories.length
      ? `${field}: no category "${category}" in rally "${e.rallyId}"; categories are ${categories.map((c) => c.code).join(', ')}.`
      : `${field}: rally "${e.rallyId}" has no categories (one classification for every crew); leave category out.`, field);
  }
}

/**
 * The stage-by-stage grid of a category (default the first): columns up to the
 * stage the honest live table is after (src/core/live/honest.ts), so a stage
 * being run never gets a column of half its crews.
 */
export function gridView(e: RallyEntry, category: string | undefined) {
  const snap = snapshotOf(e.rallyId, readEntry(e)!, undefined, category);
  const cat = snap.category;
  const catOpt = cat !== undefined ? { category: cat } : {};
  const after = snap.honest!().after;
  const codes = snap.stageCodes ?? e.definition.stages.map((s) => s.code);
  const upto = after === null ? [] : codes.slice(0, codes.indexOf(after) + 1).filter((c) => !snap.stageResults(c)?.cancelled);
  const grid = stageGrid(upto.map((code) => ({ stage: code, classification: memo(e, `results:${code}:::${cat ?? ''}`, () => classify(e.state, { after: code, ...catOpt })) })));
  return { rallyId: e.rallyId, seq: e.seq, ...(cat !== undefined ? { category: cat } : {}), after, ...grid };
}

/** The grid, once per log position and category. */
export function gridAnswer(e: RallyEntry, category: string | undefined): ReturnType<typeof gridView> {
  return memo(e, `grid:${category ?? ''}`, () => gridView(e, category));
}

function findEntry(e: RallyEntry, car: number): Entry {
  const entry = e.definition.entries.find((x) => x.car === car);
  if (!entry) throw apiError('car-not-found', `No car ${car} in rally "${e.rallyId}".`, 'car');
  return entry;
}

/** Stages that have begun: any car with a time, or cancelled. */
function stagesRun(e: RallyEntry): string[] {
  return memo(e, 'stages-run', () => e.definition.stages
    .map((s) => s.code)
    .filter((code) => {
      const r = stageResults(e.state, code);
      return r.cancelled || r.rows.some((row) => row.timeMs !== null);
    }));
}

function crewView(e: RallyEntry, car: number) {
  const entry = findEntry(e, car);
  const stages = e.definition.stages.map((s) => {
    const sr = memo(e, `stage:${s.code}:`, () => stageResults(e.state, s.code));
    const row = sr.rows.find((r) => r.car === car);
    return { stage: s.code, name: s.name, cancelled: sr.cancelled, status: row?.status ?? 'notRun', timeMs: row?.timeMs ?? null, position: row?.position ?? null, classPosition: row?.classPosition ?? null, penaltyMs: row?.penaltyMs ?? 0, gapToWinnerMs: row?.gapToWinnerMs ?? null };
  });
  // A crew is placed in its own category's classification (a rally with categories: ARA National and Regional).
  const cat = entry.category;
  const catOpt = cat !== undefined ? { category: cat } : {};
  const progression = stagesRun(e).map((code) => {
    const overall = memo(e, `results:${code}:::${cat ?? ''}`, () => classify(e.state, { after: code, ...catOpt }));
    const inClass = memo(e, `results:${code}:${entry.class}::${cat ?? ''}`, () => classify(e.state, { after: code, class: entry.class, ...catOpt }));
    const row = overall.rows.find((r) => r.car === car);
    const classRow = inClass.rows.find((r) => r.car === car);
    const leader = inClass.rows.find((r) => r.position === 1);
    return {
      after: code,
      position: row?.position ?? null,
      classPosition: classRow?.position ?? null,
      totalMs: row?.totalMs ?? null,
      // The gap chart: behind the class leader after each stage (0 = leading).
      gapToClassLeaderMs: classRow && leader && classRow.position !== null ? classRow.totalMs - leader.totalMs : null,
    };
  });
  const supersededIds = new Set(e.facts.map((sf) => sf.fact.supersedes).filter((x): x is string => x !== undefined));
  const penalties = e.facts
    .filter((sf) => sf.fact.type === 'penalty' && sf.fact.car === car)
    .map((sf) => ({ ...sf.fact, seq: sf.seq, principal: sf.principal, receivedAt: sf.receivedAt, withdrawn: supersededIds.has(sf.fact.id) }));
  const current = memo(e, `results::::${cat ?? ''}`, () => classify(e.state, catOpt)).rows.find((r) => r.car === car) ?? null;
  const workings = explain(e.state, car);
  return { rallyId: e.rallyId, seq: e.seq, entry, current, stages, progression, penalties, workings, workingsText: formatWorkings(workings) };
}

export async function registerResultRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const etagHeader = { etag: { type: 'string', description: 'Weak ETag; send it back as If-None-Match to get 304 when nothing changed' } };

  app.get<{ Params: { id: string }; Querystring: { after?: string; class?: string; leg?: string; category?: string } }>('/api/rallies/:id/results', {
    schema: {
      summary: 'Overall or class classification, after a stage, for a leg',
      tags: ['results'],
      params: rallyParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          after: { type: 'string', minLength: 1, description: 'Stage code: classification after this stage (default: latest)' },
          class: { type: 'string', minLength: 1, description: 'Class code: only this class, class positions' },
          leg: { type: 'string', minLength: 1, description: 'Leg id: only this leg\'s stages and penalties' },
          category: { type: 'string', minLength: 1, description: 'Category code, for a rally that classifies several on the same roads (ARA National, Regional): its crews over the stages it runs; default the first declared' },
        },
      },
      response: { 200: { ...anyObject('{ rallyId, seq, classification }'), headers: etagHeader }, 304: { type: 'null', description: 'Not modified' }, ...errorResponses },
    },
  }, async (request, reply) => {
    const e = await ctx.rally(request.params.id);
    const { after, class: cls, leg, category } = request.query;
    if (category !== undefined) checkCategory(e, category, 'query.category');
    if (after !== undefined) checkStage(e, after, 'query.after');
    if (cls !== undefined) checkClass(e, cls, 'query.class');
    if (leg !== undefined && !e.definition.legs.some((l) => l.id === leg)) {
      throw apiError('unknown-leg', `query.leg: no leg "${leg}" in rally "${e.rallyId}"; legs are ${e.definition.legs.map((l) => l.id).join(', ')}.`, 'query.leg');
    }
    if (notModified(request, reply, etagOf(e, request))) return reply.code(304).send();
    const classification = memo(e, `results:${after ?? ''}:${cls ?? ''}:${leg ?? ''}:${category ?? ''}`, () => classify(e.state, { after, class: cls, leg, ...(category !== undefined ? { category } : {}) }));
    return { rallyId: e.rallyId, seq: e.seq, version: e.version, classification };
  });

  app.get<{ Params: { id: string; stage: string }; Querystring: { class?: string; category?: string } }>('/api/rallies/:id/stages/:stage', {
    schema: {
      summary: 'Stage results',
      tags: ['results'],
      params: { type: 'object', required: ['id', 'stage'], properties: { id: rallyParams.properties.id, stage: { type: 'string', description: 'Stage code, e.g. SS3' } } },
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          class: { type: 'string', minLength: 1 },
          category: { type: 'string', minLength: 1, description: 'Category code (ARA National, Regional): only its crews, ranked among themselves; default the first declared, as for the results and the grid (places among crews not classified together would mislead). The answer names the category.' },
        },
      },
      response: { 200: { ...anyObject('{ rallyId, seq, stage: StageClassification }'), headers: etagHeader }, 304: { type: 'null' }, ...errorResponses },
    },
  }, async (request, reply) => {
    const e = await ctx.rally(request.params.id);
    const { stage } = request.params;
    if (!e.definition.stages.some((s) => s.code === stage)) {
      throw apiError('stage-not-found', `No stage "${stage}" in rally "${e.rallyId}"; stages are ${e.definition.stages.map((s) => s.code).join(', ')}.`, 'stage');
    }
    const { class: cls, category } = request.query;
    if (cls !== undefined) checkClass(e, cls, 'query.class');
    if (category !== undefined) checkCategory(e, category, 'query.category');
    if (notModified(request, reply, etagOf(e, request))) return reply.code(304).send();
    // A rally running several categories on the same roads: one category's places, never a ranking mixing them.
    const cat = category ?? e.definition.categories?.[0]?.code;
    const result = memo(e, `stage:${stage}:${cls ?? ''}:${cat ?? ''}`, () => stageResults(e.state, stage, { ...(cls ? { class: cls } : {}), ...(cat ? { category: cat } : {}) }));
    return { rallyId: e.rallyId, seq: e.seq, ...(cat ? { category: cat } : {}), stage: result };
  });

  app.get<{ Params: { id: string }; Querystring: { category?: string } }>('/api/rallies/:id/grid', {
    schema: {
      summary: 'Stage-by-stage grid: every crew\'s overall position and total after each complete stage',
      description: 'Columns run up to the stage the honest live table is after (docs/live.md): a stage still being run has no column. '
        + 'Each cell is `[position, totalMs]` when the crew is ranked after that stage, or `[null, null, status]` when it is not (retired, excluded, not started). '
        + 'Rows are in the order of the last column.',
      tags: ['results'],
      params: rallyParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { category: { type: 'string', minLength: 1, description: 'Category code (ARA National, Regional): its crews over the stages it runs; default the first declared' } },
      },
      response: { 200: { ...anyObject('{ rallyId, seq, category?, after, stages: string[], rows: { car, cells }[] }'), headers: etagHeader }, 304: { type: 'null' }, ...errorResponses },
    },
  }, async (request, reply) => {
    const e = await ctx.rally(request.params.id);
    const { category } = request.query;
    if (category !== undefined) checkCategory(e, category, 'query.category');
    if (notModified(request, reply, etagOf(e, request))) return reply.code(304).send();
    return gridAnswer(e, category);
  });

  app.get<{ Params: { id: string; car: number } }>('/api/rallies/:id/crews/:car', {
    schema: {
      summary: 'One crew: entry, stage times, position after each stage, penalties, gap to the class leader, workings',
      tags: ['results'],
      params: { type: 'object', required: ['id', 'car'], properties: { id: rallyParams.properties.id, car: { type: 'integer', minimum: 0, description: 'Car number' } } },
      response: { 200: { ...anyObject('{ entry, current, stages, progression, penalties, workings, workingsText }'), headers: etagHeader }, 304: { type: 'null' }, ...errorResponses },
    },
  }, async (request, reply) => {
    const e = await ctx.rally(request.params.id);
    findEntry(e, request.params.car);
    if (notModified(request, reply, etagOf(e, request))) return reply.code(304).send();
    return memo(e, `crew:${request.params.car}`, () => crewView(e, request.params.car));
  });

  app.get<{ Params: { id: string }; Querystring: { car: number; stage?: string } }>('/api/rallies/:id/explain', {
    schema: {
      summary: 'Why a number is what it is: the workings for a car (and stage)',
      tags: ['results'],
      params: rallyParams,
      querystring: {
        type: 'object',
        required: ['car'],
        additionalProperties: false,
        properties: { car: { type: 'integer', minimum: 0 }, stage: { type: 'string', minLength: 1, description: 'Stage code; without it, the whole rally total' } },
      },
      response: { 200: { ...anyObject('{ workings, text }'), headers: etagHeader }, 304: { type: 'null' }, ...errorResponses },
    },
  }, async (request, reply) => {
    const e = await ctx.rally(request.params.id);
    const { car, stage } = request.query;
    if (!e.definition.entries.some((x) => x.car === car)) throw apiError('unknown-car', `query.car: no car ${car} in rally "${e.rallyId}".`, 'query.car');
    if (stage !== undefined) checkStage(e, stage, 'query.stage');
    if (notModified(request, reply, etagOf(e, request))) return reply.code(304).send();
    const workings = explain(e.state, car, stage);
    return { rallyId: e.rallyId, seq: e.seq, workings, text: formatWorkings(workings) };
  });
}
