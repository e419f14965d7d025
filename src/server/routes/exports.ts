// Downloads: every results table as CSV as well as JSON.
//   ?format=csv or Accept: text/csv on …/results, …/stages/:stage, …/entries, …/crews/:car, …/grid
//   GET …/stage-times(.csv)          the stage-times-by-crew spreadsheet
//   GET …/times.csv                  every time of day in the log (the generic import format)
//   GET …/tables/:kind.csv|.json     the tables of any official document: every table in one CSV
//                                    (a `table` column, the union of the columns), or one with ?table=n
// The CSV is built from the same scored state as the JSON answer, with the
// same functions the `rallyhq` command uses for its --format csv.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { stageTimesCells, stageTimesSheet } from '../../core/exchange/stage-times.ts';
import { timesOfDayCsv } from '../../core/exchange/timing-csv.ts';
import { classify, stageResults } from '../../core/scoring/index.ts';
import { classificationCsv } from '../../cli/format/classification.ts';
import { toCsv } from '../../cli/format/csv.ts';
import { entriesCsv } from '../../cli/format/entries.ts';
import { entriesInStartOrder } from '../../core/start-order.ts';
import { retiredOnStage, stageCsv } from '../../cli/format/stage.ts';
import type { ServerContext } from '../context.ts';
import { buildDocument, DOCUMENT_KINDS, DocumentQueryError, type DocTable, type DocumentKind, type DocumentQuery, type OfficialDocument } from '../documents/content.ts';
import type { RallyEntry } from '../rally-states.ts';
import { gridAnswer } from './results.ts';
import { decimalsFor, formatDuration } from '../../core/time/index.ts';
import { etagOf, notModified } from '../http-cache.ts';
import { apiError } from '../problem.ts';
import { errorResponses, rallyParams } from '../schemas.ts';

const CSV = 'text/csv; charset=utf-8';

declare module 'fastify' {
  interface FastifyRequest { wantsCsv?: boolean }
}

/** Routes whose JSON answer has a CSV twin. */
const CSV_ROUTES = new Set(['/api/rallies/:id/results', '/api/rallies/:id/stages/:stage', '/api/rallies/:id/entries', '/api/rallies/:id/crews/:car', '/api/rallies/:id/grid']);

function wantsCsv(request: FastifyRequest): boolean {
  const q = request.query as Record<string, unknown> | undefined;
  if (q && typeof q.format === 'string') return q.format.toLowerCase() === 'csv';
  const accept = request.headers.accept ?? '';
  return /\btext\/csv\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept.split(',')[0] ?? '');
}

function sendCsv(reply: FastifyReply, text: string, name: string): FastifyReply {
  return reply.type(CSV).header('content-disposition', `attachment; filename="${name}.csv"`).header('vary', 'Accept').send(text);
}

export async function registerExportRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  // `format` is taken off the query before the route's own query schema (which knows no `format`) sees it.
  app.addHook('onRequest', async (request) => {
    if (request.method !== 'GET' || !CSV_ROUTES.has(request.routeOptions.url ?? '')) return;
    const q = request.query as Record<string, unknown>;
    if (q && 'format' in q) {
      const f = String(q.format).toLowerCase();
      if (f !== 'csv' && f !== 'json') throw apiError('invalid-field', `query.format: "${String(q.format)}" is not a format here; use csv or json.`, 'query.format');
    }
    request.wantsCsv = wantsCsv(request);
    if (q) delete q.format;
  });
  app.addHook('preHandler', async (request, reply) => {
    if (!request.wantsCsv) return;
    const params = request.params as { id: string; stage?: string; car?: number | string };
    const q = request.query as { after?: string; class?: string; leg?: string; category?: string };
    const e = await ctx.rally(params.id);
    const etag = etagOf(e, request).replace(/"$/, '-csv"');
    if (notModified(request, reply, etag)) return reply.code(304).send();
    const rctx = { definition: e.definition, rules: e.rules };
    switch (request.routeOptions.url) {
      case '/api/rallies/:id/results': {
        if (q.after !== undefined && !e.definition.stages.some((s) => s.code === q.after)) return; // the route answers the 400
        if (q.class !== undefined && !e.definition.classes.some((c) => c.code === q.class)) return;
        if (q.leg !== undefined && !e.definition.legs.some((l) => l.id === q.leg)) return;
        if (q.category !== undefined && !(e.definition.categories ?? []).some((c) => c.code === q.category)) return;
        const c = classify(e.state, { after: q.after, class: q.class, leg: q.leg, ...(q.category !== undefined ? { category: q.category } : {}) });
        return sendCsv(reply, classificationCsv(c, rctx), `${e.rallyId}-results${q.category ? `-${q.category}` : ''}${q.class ? `-${q.class}` : ''}`);
      }
      case '/api/rallies/:id/stages/:stage': {
        if (!e.definition.stages.some((s) => s.code === params.stage)) return;
        if (q.class !== undefined && !e.definition.classes.some((c) => c.code === q.class)) return;
        if (q.category !== undefined && !(e.definition.categories ?? []).some((c) => c.code === q.category)) return;
        // As the JSON answer: the first category by default, never places mixing categories.
        const cat = q.category ?? e.definition.categories?.[0]?.code;
        const sc = stageResults(e.state, params.stage!, { ...(q.class ? { class: q.class } : {}), ...(cat ? { category: cat } : {}) });
        const c = classify(e.state);
        const marks = { retiredHere: retiredOnStage(e.definition, params.stage!, c.retired), excluded: new Set(c.excluded.map((x) => x.car)) };
        return sendCsv(reply, stageCsv(sc, rctx, marks), `${e.rallyId}-${params.stage}${cat ? `-${cat}` : ''}`);
      }
      case '/api/rallies/:id/entries':
        return sendCsv(reply, entriesCsv(entriesInStartOrder(e.definition)), `${e.rallyId}-entries`);
      case '/api/rallies/:id/grid': {
        if (q.category !== undefined && !(e.definition.categories ?? []).some((c) => c.code === q.category)) return;
        return sendCsv(reply, gridCsv(e, gridAnswer(e, q.category)), `${e.rallyId}-stage-by-stage${q.category ? `-${q.category}` : ''}`);
      }
      case '/api/rallies/:id/crews/:car': {
        const car = Number(params.car);
        if (!e.definition.entries.some((x) => x.car === car)) return; // the route answers the 404
        return sendCsv(reply, crewCsv(e, car), `${e.rallyId}-car-${car}`);
      }
    }
  });

  app.get<{ Params: { id: string }; Querystring: { format?: string } }>('/api/rallies/:id/stage-times', {
    schema: {
      summary: 'Stage times by crew: one row per crew, one column per stage, penalties and total (JSON, or CSV with ?format=csv or Accept: text/csv)',
      tags: ['results'],
      params: rallyParams,
      querystring: { type: 'object', additionalProperties: false, properties: { format: { type: 'string', enum: ['json', 'csv'] } } },
      response: { 200: { type: 'object', additionalProperties: true, description: '{ rallyId, seq, stages, rows: [{ car, driver, codriver, class, times: [ms|null], penaltyMs, totalMs, position, status }] }' }, 304: { type: 'null' }, ...errorResponses },
    },
  }, async (request, reply) => {
    const e = await ctx.rally(request.params.id);
    const csv = wantsCsv(request);
    if (notModified(request, reply, csv ? etagOf(e, request).replace(/"$/, '-csv"') : etagOf(e, request))) return reply.code(304).send();
    const sheet = stageTimesSheet(e.definition, e.state);
    if (csv) {
      const cells = stageTimesCells(sheet, e.rules.stagePrecisionMs.value);
      return sendCsv(reply, toCsv(cells.header, cells.rows), `${e.rallyId}-stage-times`);
    }
    return { rallyId: e.rallyId, seq: e.seq, ...sheet };
  });

  app.get<{ Params: { id: string } }>('/api/rallies/:id/times.csv', {
    schema: {
      summary: 'Every time of day in the log as CSV (car, control, time, device, marshal): the generic timing import format',
      tags: ['results'],
      params: rallyParams,
      response: { 200: { type: 'string', description: 'text/csv' }, 304: { type: 'null' }, ...errorResponses },
    },
  }, async (request, reply) => {
    const e = await ctx.rally(request.params.id);
    if (notModified(request, reply, etagOf(e, request))) return reply.code(304).send();
    return sendCsv(reply, timesOfDayCsv(e.facts.map((sf) => sf.fact)), `${e.rallyId}-times`);
  });

  app.get<{ Params: { id: string; file: string }; Querystring: DocumentQuery & { table?: number } }>('/api/rallies/:id/tables/:file', {
    schema: {
      summary: 'The tables of an official document of the current results as CSV or JSON (e.g. penalties.csv, final-classification.json); CSV: every table with a `table` column, or ?table=n for one',
      tags: ['documents'],
      params: { type: 'object', required: ['id', 'file'], properties: { id: rallyParams.properties.id, file: { type: 'string' } } },
      querystring: { type: 'object', additionalProperties: false, properties: {
        leg: { type: 'string' }, stage: { type: 'string' }, after: { type: 'string' }, class: { type: 'string' }, category: { type: 'string' }, fact: { type: 'string' },
        table: { type: 'integer', minimum: 1, maximum: 1000, description: 'CSV: only table n of the document (1-based, in the order of the JSON `tables`), with its own columns' },
      } },
      response: { 200: { description: 'text/csv or application/json' }, 304: { type: 'null' }, ...errorResponses },
    },
  }, async (request, reply) => {
    const m = /^([a-z-]+)\.(csv|json)$/.exec(request.params.file);
    const kind = m?.[1] as DocumentKind | undefined;
    if (!m || !kind || !DOCUMENT_KINDS.includes(kind)) {
      throw apiError('not-found', `file: no table "${request.params.file}"; tables are ${DOCUMENT_KINDS.map((k) => `${k}.csv`).join(', ')} (or .json).`, 'file');
    }
    const e = await ctx.rally(request.params.id);
    const { table, ...query } = request.query;
    let doc;
    try {
      doc = buildDocument(kind, { definition: e.definition, rules: e.rules, state: e.state, facts: e.facts.map((sf) => sf.fact) }, query);
    } catch (err) {
      if (err instanceof DocumentQueryError) throw apiError('invalid-field', `query.${err.message}.`, `query.${err.field}`);
      throw err;
    }
    if (table !== undefined && table > doc.tables.length) {
      throw apiError('invalid-field', `query.table: ${kind} has ${doc.tables.length === 0 ? 'no table (ask for the CSV without table)' : `${doc.tables.length} table${doc.tables.length === 1 ? '' : 's'}: ${doc.tables.map((t, i) => `${i + 1} ${t.heading ?? doc.title}`).join(', ')}`}.`, 'query.table');
    }
    if (notModified(request, reply, etagOf(e, request))) return reply.code(304).send();
    if (m[2] === 'json') {
      const base = request.url.split('?')[0]!.replace(/\.json$/, '.csv');
      const qs = (n: number) => { const u = new URLSearchParams(query as Record<string, string>); u.set('table', String(n)); return `${base}?${u}`; };
      return {
        rallyId: e.rallyId, seq: e.seq, kind, title: doc.title, subtitle: doc.subtitle, particulars: Object.fromEntries(doc.particulars),
        tables: doc.tables.map((t, i) => ({ heading: t.heading ?? null, columns: t.columns.map((c) => c.header), rows: t.rows, csv: qs(i + 1) })),
        notes: doc.notes,
      };
    }
    const cells = table !== undefined ? oneTable(doc.tables[table - 1]!) : documentCells(doc);
    return sendCsv(reply, toCsv(cells.header, cells.rows), `${e.rallyId}-${kind}${table !== undefined ? `-${table}` : ''}`);
  });
}

/** Column names as a CSV header: a name repeated in one table gets what it means (the PDF's second "Car" is the make and model). */
function csvHeaders(t: DocTable): string[] {
  const seen = new Map<string, number>();
  return t.columns.map((c) => {
    const n = (seen.get(c.header) ?? 0) + 1;
    seen.set(c.header, n);
    return n === 1 ? c.header : c.header === 'Car' ? 'Make and model' : `${c.header} ${n}`;
  });
}

function oneTable(t: DocTable): { header: string[]; rows: string[][] } {
  return { header: csvHeaders(t), rows: t.rows };
}

/**
 * Every table of a document in one rectangular CSV: a `table` column (the
 * table's heading), then the union of the tables' columns in order of first
 * appearance; a cell a table does not have is empty. A document of one table
 * is that table alone; a document of particulars only (a decision) is `field,value`.
 */
export function documentCells(doc: OfficialDocument): { header: string[]; rows: string[][] } {
  if (!doc.tables.length) return { header: ['field', 'value'], rows: doc.particulars.map(([k, v]) => [k, v]) };
  if (doc.tables.length === 1) return oneTable(doc.tables[0]!);
  const union: string[] = [];
  const named = doc.tables.map((t) => csvHeaders(t));
  for (const h of named.flat()) if (!union.includes(h)) union.push(h);
  const rows = doc.tables.flatMap((t, i) => t.rows.map((r) => {
    const byName = new Map(named[i]!.map((h, k) => [h, r[k] ?? '']));
    return [t.heading ?? doc.title, ...union.map((h) => byName.get(h) ?? '')];
  }));
  return { header: ['table', ...union], rows };
}

/** The stage-by-stage grid (the rally page's grid): a row per crew, the position and total after each complete stage. */
function gridCsv(e: RallyEntry, g: ReturnType<typeof gridAnswer>): string {
  const dec = decimalsFor(e.rules.stagePrecisionMs.value);
  const byCar = new Map(e.definition.entries.map((x) => [x.car, x]));
  const header = ['car', 'driver', 'codriver', 'class', ...g.stages.flatMap((code) => [`${code}_position`, `${code}_total_ms`, `${code}_total`, `${code}_status`])];
  const rows = g.rows.map((r) => {
    const x = byCar.get(r.car);
    return [r.car, x?.driver.name ?? '', x?.codriver?.name ?? '', x?.class ?? '', ...r.cells.flatMap((c) => [c[0], c[1], c[1] === null ? '' : formatDuration(c[1], dec), c[2] ?? ''])];
  });
  return toCsv(header, rows);
}

/** One crew's stages: time, stage place, overall and class place after it, gap to the class leader (the crew page's table). */
function crewCsv(e: RallyEntry, car: number): string {
  const dec = decimalsFor(e.rules.stagePrecisionMs.value);
  const entry = e.definition.entries.find((x) => x.car === car)!;
  const catOpt = entry.category !== undefined ? { category: entry.category } : {};
  const rows = e.definition.stages.map((s) => {
    const sr = stageResults(e.state, s.code);
    const row = sr.rows.find((r) => r.car === car);
    const ran = sr.cancelled || sr.rows.some((r) => r.timeMs !== null);
    const overall = ran ? classify(e.state, { after: s.code, ...catOpt }) : null;
    const inClass = ran ? classify(e.state, { after: s.code, class: entry.class, ...catOpt }) : null;
    const o = overall?.rows.find((r) => r.car === car);
    const k = inClass?.rows.find((r) => r.car === car);
    const leader = inClass?.rows.find((r) => r.position === 1);
    const gap = k && leader && k.position !== null ? k.totalMs - leader.totalMs : null;
    return [s.code, s.name, row?.status ?? 'notRun', row?.timeMs ?? null, row?.timeMs == null ? '' : formatDuration(row.timeMs, dec), row?.penaltyMs ?? 0, row?.position ?? null, o?.position ?? null, k?.position ?? null, gap, gap === null ? '' : formatDuration(gap, dec)];
  });
  return toCsv(['stage', 'name', 'status', 'time_ms', 'time', 'penalty_ms', 'stage_position', 'overall_position_after', 'class_position_after', 'gap_to_class_leader_ms', 'gap_to_class_leader'], rows);
}
