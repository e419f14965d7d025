// Timing imports with preview and quarantine (results officer of the rally):
//   POST …/imports/preview   { kind, text, mapping? }  what the file would add, skip, conflict, and cannot read; writes nothing
//   POST …/imports           { kind, text, mapping?, confirm: true }  writes the adds as one atomic batch;
//                            conflicts and unreadable lines go to the quarantine; the mapping is saved for the rally
//   GET  …/imports/mapping?kind=       the rally's saved column mapping
//   GET  …/imports/quarantine          lines kept for the desk to fix, and whether each is resolved
//   POST …/imports/quarantine/:qid/resolve  { reason, fact? }  fix a line (the corrected fact is stored) or dismiss it
// The mapping and the quarantine live in the rally's audit trail (append-only,
// on every store): the latest mapping wins; a quarantined line is open until
// a 'quarantine-resolved' line names it.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_MAPPINGS, planImport, type ColumnMapping, type ImportKind, type ImportPlan } from '../../core/exchange/timing-csv.ts';
import type { ServerContext } from '../context.ts';
import { apiError } from '../problem.ts';
import { anyObject, errorResponses, rallyParams } from '../schemas.ts';
import { submitFacts } from './facts.ts';

interface QuarantineItem { qid: string; kind: ImportKind; line: number; text: string; why: string; file: string; at: string; by: string }

const mappingSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['car', 'time'],
  description: 'Which column holds what: a header name or a 1-based column number',
  properties: {
    car: { type: 'string', minLength: 1 }, control: { type: 'string', minLength: 1 }, stage: { type: 'string', minLength: 1 }, time: { type: 'string', minLength: 1 },
    device: { type: 'string' }, marshal: { type: 'string' },
    source: { type: 'string', enum: ['eztrak', 'rallysafe', 'timecard', 'marshalClock', 'photocell', 'manual'] },
    separator: { type: 'string', enum: [',', ';', 'tab'] },
  },
} as const;

const importBody = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'text'],
  properties: {
    kind: { type: 'string', enum: ['times-of-day', 'stage-times'], description: 'times-of-day: car, control, time; stage-times: car, stage, time' },
    text: { type: 'string', description: 'The file\'s text (CSV)' },
    name: { type: 'string', maxLength: 200, description: 'The file\'s name, kept with quarantined lines' },
    mapping: mappingSchema,
    confirm: { type: 'boolean' },
  },
} as const;

type ImportBody = { kind: ImportKind; text: string; name?: string; mapping?: ColumnMapping; confirm?: boolean };

function summary(plan: ImportPlan) {
  return {
    kind: plan.kind,
    lines: plan.lines,
    counts: { adds: plan.adds.length, skips: plan.skips.length, conflicts: plan.conflicts.length, unreadable: plan.unreadable.length },
    adds: plan.adds.map((a) => ({ line: a.line, text: a.text, fact: a.fact })),
    skips: plan.skips.map((s) => ({ line: s.line, text: s.text, why: s.why })),
    conflicts: plan.conflicts.map((c) => ({ line: c.line, text: c.text, why: c.why, existing: c.existing, fact: c.fact })),
    unreadable: plan.unreadable.map((u) => ({ line: u.line, text: u.text, why: u.why })),
  };
}

export async function registerImportRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  async function savedMapping(rallyId: string, kind: ImportKind): Promise<ColumnMapping | null> {
    const lines = await ctx.store.listAudit(rallyId);
    const last = lines.filter((l) => l.action === 'import-mapping' && (l.detail as { kind?: string }).kind === kind).at(-1);
    return last ? (last.detail as { mapping: ColumnMapping }).mapping : null;
  }
  async function quarantine(rallyId: string): Promise<(QuarantineItem & { resolved: null | { at: string; by: string; reason: string; factId?: string } })[]> {
    const lines = await ctx.store.listAudit(rallyId);
    const resolved = new Map(lines.filter((l) => l.action === 'quarantine-resolved').map((l) => {
      const d = l.detail as { qid: string; reason: string; factId?: string };
      return [d.qid, { at: l.at, by: l.principal, reason: d.reason, ...(d.factId ? { factId: d.factId } : {}) }];
    }));
    const items = new Map<string, QuarantineItem>();
    for (const l of lines) {
      if (l.action !== 'import-quarantine') continue;
      for (const it of (l.detail as { items: Omit<QuarantineItem, 'at' | 'by'>[] }).items) {
        if (!items.has(it.qid)) items.set(it.qid, { ...it, at: l.at, by: l.principal });
      }
    }
    return [...items.values()].map((it) => ({ ...it, resolved: resolved.get(it.qid) ?? null }));
  }
  async function plan(rallyId: string, body: ImportBody) {
    const e = await ctx.rally(rallyId);
    const mapping = body.mapping ?? await savedMapping(rallyId, body.kind) ?? DEFAULT_MAPPINGS[body.kind];
    if (body.kind === 'times-of-day' && !mapping.control) throw apiError('invalid-field', 'mapping.control: a times-of-day import needs the column of the control id.', 'mapping.control');
    if (body.kind === 'stage-times' && !mapping.stage) throw apiError('invalid-field', 'mapping.stage: a stage-times import needs the column of the stage code.', 'mapping.stage');
    return { e, mapping, plan: planImport(e.definition, e.facts.map((sf) => sf.fact), body.kind, body.text, mapping) };
  }

  app.post<{ Params: { id: string }; Body: ImportBody }>('/api/rallies/:id/imports/preview', {
    schema: { summary: 'Preview a timing import: what it adds, skips as already present, conflicts, and cannot read (by line, with why); writes nothing', tags: ['imports'], params: rallyParams, body: importBody, response: { 200: anyObject('{ mapping, lines, counts, adds, skips, conflicts, unreadable }'), ...errorResponses }, security: [{ bearer: [] }] },
  }, async (request) => {
    await ctx.auth.requireRole(request, ['officer'], request.params.id);
    const r = await plan(request.params.id, request.body);
    return { rallyId: r.e.rallyId, mapping: r.mapping, ...summary(r.plan) };
  });

  app.post<{ Params: { id: string }; Body: ImportBody }>('/api/rallies/:id/imports', {
    schema: { summary: 'Confirm a timing import: the adds are stored as one atomic batch, conflicts and unreadable lines are quarantined, the mapping is saved', tags: ['imports'], params: rallyParams, body: importBody, response: { 200: anyObject('{ stored, counts, quarantined }'), 201: anyObject('{ stored, counts, quarantined }'), ...errorResponses }, security: [{ bearer: [] }] },
  }, async (request, reply) => {
    const p = await ctx.auth.requireRole(request, ['officer'], request.params.id);
    if (request.body.confirm !== true) throw apiError('invalid-field', 'confirm: send "confirm": true to write the import; POST …/imports/preview shows what it would do.', 'confirm');
    const { e, mapping, plan: pl } = await plan(request.params.id, request.body);
    const acks = pl.adds.length ? await submitFacts(ctx, request, e.rallyId, pl.adds.map((a) => ({ raw: a.fact, path: `line ${a.line}` })), p) : [];
    const file = request.body.name ?? 'import.csv';
    const qid = (line: number, text: string) => createHash('sha1').update(`${request.body.kind}\n${text}`).digest('hex').slice(0, 12) + `-${line}`;
    const items = [
      ...pl.conflicts.map((c) => ({ qid: qid(c.line, c.text), kind: request.body.kind, line: c.line, text: c.text, why: `conflict: ${c.why}`, file })),
      ...pl.unreadable.map((u) => ({ qid: qid(u.line, u.text), kind: request.body.kind, line: u.line, text: u.text, why: u.why, file })),
    ];
    const open = new Set((await quarantine(e.rallyId)).map((q) => q.qid));
    const fresh = items.filter((it) => !open.has(it.qid));
    await ctx.audit(p, 'import-mapping', e.rallyId, { kind: request.body.kind, mapping });
    if (fresh.length) await ctx.audit(p, 'import-quarantine', e.rallyId, { file, items: fresh });
    await ctx.audit(p, 'import', e.rallyId, { file, kind: request.body.kind, added: acks.filter((a) => !a.duplicate).length, skipped: pl.skips.length, quarantined: fresh.length });
    reply.code(acks.some((a) => !a.duplicate) ? 201 : 200);
    return { rallyId: e.rallyId, stored: acks.filter((a) => !a.duplicate).length, counts: summary(pl).counts, quarantined: fresh.length, acks };
  });

  app.get<{ Params: { id: string }; Querystring: { kind?: ImportKind } }>('/api/rallies/:id/imports/mapping', {
    schema: { summary: 'The column mapping saved for this rally (else the default)', tags: ['imports'], params: rallyParams, querystring: { type: 'object', additionalProperties: false, properties: { kind: { type: 'string', enum: ['times-of-day', 'stage-times'] } } }, response: { 200: anyObject('{ kind, mapping, saved }'), ...errorResponses }, security: [{ bearer: [] }] },
  }, async (request) => {
    await ctx.auth.requireRole(request, ['officer'], request.params.id);
    const kind = request.query.kind ?? 'times-of-day';
    const saved = await savedMapping(request.params.id, kind);
    return { rallyId: request.params.id, kind, mapping: saved ?? DEFAULT_MAPPINGS[kind], saved: saved !== null };
  });

  app.get<{ Params: { id: string } }>('/api/rallies/:id/imports/quarantine', {
    schema: { summary: 'Imported lines kept for the desk: unreadable lines and conflicts, with why, and whether each is resolved', tags: ['imports'], params: rallyParams, response: { 200: anyObject('{ items: [{ qid, kind, file, line, text, why, at, by, resolved }] }'), ...errorResponses }, security: [{ bearer: [] }] },
  }, async (request) => {
    await ctx.auth.requireRole(request, ['officer'], request.params.id);
    await ctx.rally(request.params.id);
    return { rallyId: request.params.id, items: await quarantine(request.params.id) };
  });

  app.post<{ Params: { id: string; qid: string }; Body: { reason: string; fact?: unknown } }>('/api/rallies/:id/imports/quarantine/:qid/resolve', {
    schema: {
      summary: 'Resolve a quarantined line: store the corrected fact, or dismiss the line (reason required)',
      tags: ['imports'],
      params: { type: 'object', required: ['id', 'qid'], properties: { id: rallyParams.properties.id, qid: { type: 'string', minLength: 1 } } },
      body: { type: 'object', additionalProperties: false, required: ['reason'], properties: { reason: { type: 'string', minLength: 1 }, fact: { type: 'object', additionalProperties: true, description: 'The corrected fact (a controlTime or stageTime)' } } },
      response: { 200: anyObject('{ qid, resolved }'), ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request) => {
    const p = await ctx.auth.requireRole(request, ['officer'], request.params.id);
    const items = await quarantine(request.params.id);
    const item = items.find((i) => i.qid === request.params.qid);
    if (!item) throw apiError('not-found', `qid: no quarantined line "${request.params.qid}" in rally "${request.params.id}"; GET …/imports/quarantine lists them.`, 'qid');
    if (item.resolved) throw apiError('invalid-field', `qid: line ${item.line} of ${item.file} was already resolved by ${item.resolved.by} at ${item.resolved.at}.`, 'qid');
    let factId: string | undefined;
    if (request.body.fact !== undefined) {
      const [ack] = await submitFacts(ctx, request, request.params.id, [{ raw: request.body.fact, path: '$.fact' }], p);
      factId = ack!.id;
    }
    await ctx.audit(p, 'quarantine-resolved', request.params.id, { qid: item.qid, reason: request.body.reason, ...(factId ? { factId } : {}) });
    return { rallyId: request.params.id, qid: item.qid, resolved: { reason: request.body.reason, ...(factId ? { factId } : {}) } };
  });
}
