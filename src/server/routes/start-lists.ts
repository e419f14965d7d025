// Start lists per leg: previewed from a seeding method (nothing stored), then
// stored in the rally's definition with a reason and a version, where the
// scoring takes its leg-start due times from, and the documents, the public
// pages and other tools read them (GET …/start-lists).
import type { FastifyInstance } from 'fastify';
import { buildStartList, type StartListRequest } from '../../core/startlists/start-list.ts';
import { classify } from '../../core/scoring/index.ts';
import type { RallyDefinition } from '../../core/model.ts';
import type { ServerContext } from '../context.ts';
import { apiError } from '../problem.ts';
import type { RallyEntry } from '../rally-states.ts';
import { anyObject, errorResponses, rallyParams } from '../schemas.ts';

const requestSchema = {
  type: 'object', required: ['method', 'intervals', 'firstDue'], additionalProperties: false,
  properties: {
    method: { type: 'string', enum: ['priority', 'class', 'classification'], description: 'priority: by priority group then car; class: by the rally\'s class order; classification: by the classification after `afterLeg`' },
    afterLeg: { type: 'string', description: 'method classification: the leg whose classification seeds this one (default: the previous leg)' },
    reverseTopN: { type: 'integer', minimum: 0, description: 'method classification: the first N classified start in reverse order' },
    restarted: { type: 'string', enum: ['after', 'before'], description: 'Crews restarting after a retirement start after (default) or before the classified crews. No rule found: the rally\'s regulations decide.' },
    intervals: { type: 'array', minItems: 1, items: { type: 'object', required: ['fromOrder', 'intervalMs'], additionalProperties: false, properties: { fromOrder: { type: 'integer', minimum: 1 }, intervalMs: { type: 'integer', minimum: 1000 } } } },
    firstDue: { type: 'string', description: 'Due time of the first car at the leg\'s first control, rally-local: 2026-02-07T09:00' },
  },
} as const;

function compute(e: RallyEntry, leg: string, body: Omit<StartListRequest, 'leg'>) {
  const def = e.definition;
  const legIndex = def.legs.findIndex((l) => l.id === leg);
  let seed;
  if (body.method === 'classification' && legIndex > 0) {
    const afterLeg = body.afterLeg ?? def.legs[legIndex - 1]!.id;
    const last = def.stages.filter((s) => s.leg === afterLeg).at(-1);
    if (last) seed = classify(e.state, { after: last.code });
  }
  const out = buildStartList(def, { ...body, leg }, seed);
  if (!out.ok) throw apiError('invalid-field', `${out.field}: ${out.message}`, out.field);
  return out.list;
}

export async function registerStartListRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const legParams = { type: 'object', required: ['id', 'leg'], properties: { id: { type: 'string' }, leg: { type: 'string' } } } as const;

  app.get<{ Params: { id: string } }>('/api/rallies/:id/start-lists', {
    schema: { summary: 'The stored start lists, one per leg: order, car, due time at the leg\'s first control, why', tags: ['rallies'], params: rallyParams, response: { 200: anyObject('{ rallyId, version, startLists: [{ leg, control, method, version, rows: [{ order, car, due, why }], notStarting, reason, at, by }] }'), ...errorResponses } },
  }, async (request) => {
    const e = await ctx.rally(request.params.id);
    return { rallyId: e.rallyId, version: e.version, startLists: e.definition.startLists ?? [] };
  });

  app.post<{ Params: { id: string; leg: string }; Body: Omit<StartListRequest, 'leg'> }>('/api/rallies/:id/start-lists/:leg/preview', {
    schema: { summary: 'A leg\'s start list as a seeding method makes it, nothing stored', tags: ['rallies'], params: legParams, body: requestSchema, response: { 200: anyObject('{ leg, control, method, rows, notStarting }'), ...errorResponses }, security: [{ bearer: [] }] },
  }, async (request) => {
    await ctx.auth.requireRole(request, ['officer'], request.params.id);
    return compute(await ctx.rally(request.params.id), request.params.leg, request.body);
  });

  app.put<{ Params: { id: string; leg: string }; Body: Omit<StartListRequest, 'leg'> & { reason: string; version?: number } }>('/api/rallies/:id/start-lists/:leg', {
    schema: {
      summary: 'Store a leg\'s start list (replacing the leg\'s earlier one) with a reason',
      description: 'Results officer of the rally. The list is computed as the preview shows it and stored in the rally\'s definition; the entry in the audit says who, when and why.',
      tags: ['rallies'], params: legParams,
      body: { ...requestSchema, required: [...requestSchema.required, 'reason'], properties: { ...requestSchema.properties, reason: { type: 'string', minLength: 1 }, version: { type: 'integer', minimum: 1, maximum: 2147483647 } } },
      response: { 200: anyObject('{ rallyId, version, startList }'), 409: errorResponses[400], ...errorResponses }, security: [{ bearer: [] }],
    },
  }, async (request) => {
    const p = await ctx.auth.requireRole(request, ['officer'], request.params.id);
    const { reason, version, ...req } = request.body;
    if (!reason.trim()) throw apiError('invalid-field', 'reason: say why this start list (e.g. "leg 2 seeding per SR 5.3")', 'reason');
    const e = await ctx.rally(request.params.id);
    if (version !== undefined && version !== e.version) throw apiError('version-conflict', `The rally is at version ${e.version}, not ${version}.`, 'version');
    const list = compute(e, request.params.leg, req);
    const at = ctx.now().toISOString();
    // The leg's list has a version of its own (1, then one more for each replacement), the one a notice cites;
    // stored in the definition, it is what the scoring's leg-start due times come from (core/start-order.ts).
    const earlier = (e.definition.startLists ?? []).find((s) => s.leg === list.leg);
    const stored = { ...list, version: earlier ? (earlier.version ?? 1) + 1 : 1, reason: reason.trim(), at, by: p.label };
    const definition: RallyDefinition = { ...e.definition, startLists: [...(e.definition.startLists ?? []).filter((s) => s.leg !== list.leg), stored].sort((a, b) => e.definition.legs.findIndex((l) => l.id === a.leg) - e.definition.legs.findIndex((l) => l.id === b.leg)) };
    const record = await ctx.store.updateRally(e.rallyId, definition, e.version, at);
    ctx.states.invalidate(e.rallyId);
    await ctx.audit(p, 'start-list', e.rallyId, { version: record.version, leg: list.leg, method: list.method, reason: stored.reason });
    return { rallyId: e.rallyId, version: record.version, startList: stored };
  });
}
