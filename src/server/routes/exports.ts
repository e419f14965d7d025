// Downloads: every results table as CSV as well as JSON.
//   ?format=csv or Accept: text/csv on …/results, …/stages/:stage, …/entries
//   GET …/stage-times(.csv)          the stage-times-by-crew spreadsheet
//   GET …/times.csv                  every time of day in the log (the generic import format)
//   GET …/documents/:kind.csv|.json  the tables of any official document
// The CSV is built from the same scored state as the JSON answer, with the
// same functions the `rallyhq` command uses for its --format csv.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { stageTimesCells, stageTimesSheet } from '../../core/exchange/stage-times.ts';
import { timesOfDayCsv } from '../../core/exchange/timing-csv.ts';
import { classify, stageResults } from '../../core/scoring/index.ts';
import { classificationCsv } from '../../cli/format/classification.ts';
import { toCsv } from '../../cli/format/csv.ts';
import { entriesCsv, startOrder } from '../../cli/format/entries.ts';
import { retiredOnStage, stageCsv } from '../../cli/format/stage.ts';
import type { ServerContext } from '../context.ts';
import { buildDocument, DOCUMENT_KINDS, DocumentQueryError, type DocumentKind, type DocumentQuery } from '../documents/content.ts';
import { etagOf, notModified } from '../http-cache.ts';
import { apiError } from '../problem.ts';
import { errorResponses, rallyParams } from '../schemas.ts';

const CSV = 'text/csv; charset=utf-8';

declare module 'fastify' {
  interface FastifyRequest { wantsCsv?: boolean }
}

/** Routes whose JSON answer has a CSV twin. */
const CSV_ROUTES = new Set(['/api/rallies/:id/results', '/api/rallies/:id/stages/:stage', '/api/rallies/:id/entries']);

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
    const params = request.params as { id: string; stage?: string };
    const q = request.query as { after?: string; class?: string; leg?: string };
    const e = await ctx.rally(params.id);
    const etag = etagOf(e, request).replace(/"$/, '-csv"');
    if (notModified(request, reply, etag)) return reply.code(304).send();
    const rctx = { definition: e.definition, rules: e.rules };
    switch (request.routeOptions.url) {
      case '/api/rallies/:id/results': {
        if (q.after !== undefined && !e.definition.stages.some((s) => s.code === q.after)) return; // the route answers the 400
        if (q.class !== undefined && !e.definition.classes.some((c) => c.code === q.class)) return;
        if (q.leg !== undefined && !e.definition.legs.some((l) => l.id === q.leg)) return;
        return sendCsv(reply, classificationCsv(classify(e.state, { after: q.after, class: q.class, leg: q.leg }), rctx), `${e.rallyId}-results`);
      }
      case '/api/rallies/:id/stages/:stage': {
        if (!e.definition.stages.some((s) => s.code === params.stage)) return;
        if (q.class !== undefined && !e.definition.classes.some((c) => c.code === q.class)) return;
        const sc = stageResults(e.state, params.stage!, q.class ? { class: q.class } : {});
        const c = classify(e.state);
        const marks = { retiredHere: retiredOnStage(e.definition, params.stage!, c.retired), excluded: new Set(c.excluded.map((x) => x.car)) };
        return sendCsv(reply, stageCsv(sc, rctx, marks), `${e.rallyId}-${params.stage}`);
      }
      case '/api/rallies/:id/entries':
        return sendCsv(reply, entriesCsv(startOrder(e.definition)), `${e.rallyId}-entries`);
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

  app.get<{ Params: { id: string; n?: number; file: string }; Querystring: DocumentQuery }>('/api/rallies/:id/tables/:file', {
    schema: {
      summary: 'The tables of an official document of the current results as CSV or JSON (e.g. penalties.csv, final-classification.json)',
      tags: ['documents'],
      params: { type: 'object', required: ['id', 'file'], properties: { id: rallyParams.properties.id, file: { type: 'string' } } },
      querystring: { type: 'object', additionalProperties: false, properties: { leg: { type: 'string' }, stage: { type: 'string' }, after: { type: 'string' }, class: { type: 'string' }, fact: { type: 'string' } } },
      response: { 200: { description: 'text/csv or application/json' }, 304: { type: 'null' }, ...errorResponses },
    },
  }, async (request, reply) => {
    const m = /^([a-z-]+)\.(csv|json)$/.exec(request.params.file);
    const kind = m?.[1] as DocumentKind | undefined;
    if (!m || !kind || !DOCUMENT_KINDS.includes(kind)) {
      throw apiError('not-found', `file: no table "${request.params.file}"; tables are ${DOCUMENT_KINDS.map((k) => `${k}.csv`).join(', ')} (or .json).`, 'file');
    }
    const e = await ctx.rally(request.params.id);
    if (notModified(request, reply, etagOf(e, request))) return reply.code(304).send();
    let doc;
    try {
      doc = buildDocument(kind, { definition: e.definition, rules: e.rules, state: e.state, facts: e.facts.map((sf) => sf.fact) }, request.query);
    } catch (err) {
      if (err instanceof DocumentQueryError) throw apiError('invalid-field', `query.${err.message}.`, `query.${err.field}`);
      throw err;
    }
    if (m[2] === 'json') {
      return { rallyId: e.rallyId, seq: e.seq, kind, title: doc.title, subtitle: doc.subtitle, particulars: Object.fromEntries(doc.particulars), tables: doc.tables.map((t) => ({ heading: t.heading ?? null, columns: t.columns.map((c) => c.header), rows: t.rows })) };
    }
    const multi = doc.tables.length > 1;
    const header = doc.particulars.length && !doc.tables.length ? ['field', 'value'] : [...(multi ? ['table'] : []), ...(doc.tables[0]?.columns.map((c) => c.header) ?? [])];
    const rows = doc.particulars.length && !doc.tables.length
      ? doc.particulars.map(([k, v]) => [k, v])
      : doc.tables.flatMap((t) => (t.columns.length === doc.tables[0]!.columns.length || !multi ? t.rows.map((r) => [...(multi ? [t.heading ?? ''] : []), ...r]) : []));
    // NOTE: tables with other columns (the "not classified" list) have their own download: retirements.csv.
    return sendCsv(reply, toCsv(header, rows), `${e.rallyId}-${kind}`);
  });
}
