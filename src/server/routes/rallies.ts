// Rallies: list, read, create (from a rules preset), import and export the
// rally file, and the itinerary and entry list (changed by a results officer
// with optimistic concurrency: send the version you read).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RallyDefinition } from '../../core/model.ts';
import { checkItinerary, type ItineraryFinding } from '../../core/itinerary/check-itinerary.ts';
import { checkDefinition } from '../../core/rallyfile/check-definition.ts';
import { fromZod, type PathError } from '../../core/rallyfile/errors.ts';
import { parseRallyFile } from '../../core/rallyfile/parse.ts';
import { RALLY_FILE_FORMAT, RALLY_FILE_VERSION, RallyDefinitionSchema } from '../../core/rallyfile/schema.ts';
import { serializeRallyFile } from '../../core/rallyfile/serialize.ts';
import { listPresets } from '../../core/rules/presets/index.ts';
import type { RallyRecord } from '../../store/contract.ts';
import type { ServerContext } from '../context.ts';
import type { RallyEntry } from '../rally-states.ts';
import { definitionDiff } from '../definition-diff.ts';
import { refuseOrphaningChange } from '../orphan-guard.ts';
import { startedCars } from '../started-cars.ts';
import { etagOf, notModified } from '../http-cache.ts';
import { apiError, type ApiError } from '../problem.ts';
import { anyObject, definitionJsonSchema, errorResponses, rallyFileJsonSchema, rallyParams } from '../schemas.ts';

function invalidRally(code: 'invalid-rally' | 'invalid-rally-file', errors: PathError[]): ApiError {
  const first = errors[0] as PathError;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more, listed in errors)` : '';
  return apiError(code, `${first.path}: ${first.message}${more}`, first.path, { errors });
}

/** A definition checked as thoroughly as a rally file's; paths start at `base`. */
export function checkRallyDefinition(raw: unknown, base: string): { ok: true; definition: RallyDefinition } | { ok: false; errors: PathError[] } {
  const parsed = RallyDefinitionSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: fromZod(parsed.error, raw, base) };
  const definition = parsed.data as RallyDefinition;
  const errors = checkDefinition(definition, base);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, definition };
}

/** The rules that decide how the itinerary's due times are counted (the editor checks with the same). */
function timingRules(e: Pick<RallyEntry, 'rules'>) {
  return { targetFrom: e.rules.targetFrom.value, dueTimeMethod: e.rules.dueTimeMethod.value, bogey: e.rules.stageBogeyTime.value };
}

/** The itinerary checks of src/core/itinerary, under the rally's rules. */
export function itineraryFindings(e: Pick<RallyEntry, 'rules'>, def: Pick<RallyDefinition, 'legs' | 'stages' | 'distanceUnit'>): ItineraryFinding[] {
  const r = timingRules(e);
  return checkItinerary({ legs: def.legs, stages: def.stages, distanceUnit: def.distanceUnit }, { targetFrom: r.targetFrom, bogey: r.bogey });
}

const inWords = (f: ItineraryFinding): string => `${f.path}: ${f.message}; ${f.fix}`;

function summary(r: RallyRecord) {
  const d = r.definition;
  return {
    id: r.id, name: d.name, startDate: d.startDate, endDate: d.endDate, timeZone: d.timeZone,
    country: d.country, championshipRound: d.championshipRound, rules: d.rules,
    entries: d.entries.length, stages: d.stages.length, version: r.version, createdAt: r.createdAt, updatedAt: r.updatedAt,
  };
}

const reasonField = { type: 'string', maxLength: 2000, description: 'Why the definition changes (kept in the audit with the diff of what changed)' };
const versionField = { type: 'integer', minimum: 1, maximum: 2147483647, description: 'The version you read; a change by someone else since then answers 409.' };

export async function registerRallyRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.get('/api/presets', {
    schema: { summary: 'Rules presets a rally can be scored under', tags: ['rallies'], response: { 200: { type: 'array', items: anyObject('{ id, version, name }') } } },
  }, async () => listPresets());

  app.get('/api/rallies', {
    schema: { summary: 'List rallies', tags: ['rallies'], response: { 200: anyObject('{ rallies: [...] }') } },
  }, async () => ({ rallies: (await ctx.store.listRallies()).map(summary) }));

  app.post('/api/rallies', {
    schema: {
      summary: 'Create a rally from its definition (rules: a preset and version, with overrides)',
      description: 'Administrator. Invalid → 400 listing every error by path; nothing is stored.',
      tags: ['rallies'],
      'x-body': definitionJsonSchema,
      response: { 201: anyObject('The new rally: summary with version 1.'), 409: errorResponses[400], ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request, reply) => {
    const p = await ctx.auth.requireRole(request, ['admin']);
    const checked = checkRallyDefinition(request.body, '$');
    if (!checked.ok) throw invalidRally('invalid-rally', checked.errors);
    const record = await ctx.store.createRally(checked.definition, ctx.now().toISOString());
    ctx.states.invalidate(record.id);
    await ctx.audit(p, 'create-rally', record.id, { name: record.definition.name });
    return reply.code(201).send(summary(record));
  });

  app.post('/api/rallies/import', {
    schema: {
      summary: 'Import a rally file (definition and facts)',
      description: 'Administrator. The whole file is checked first; invalid → 400 listing every error by JSON path and nothing is stored.',
      tags: ['rallies'],
      'x-body': rallyFileJsonSchema,
      response: { 201: anyObject('{ id, version, facts, lastSeq, warnings }'), 409: errorResponses[400], ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request, reply) => {
    const p = await ctx.auth.requireRole(request, ['admin']);
    const parsed = parseRallyFile(request.body);
    if (!parsed.ok) throw invalidRally('invalid-rally-file', parsed.errors);
    const { rally, facts } = parsed.file;
    if (await ctx.store.getRally(rally.id)) throw apiError('rally-exists', `A rally with id "${rally.id}" already exists.`, '$.rally.id');
    const at = ctx.now().toISOString();
    // NOTE: one transaction: an import the database refuses part-way leaves nothing, so the same file can be sent again.
    const { rally: record, results } = await ctx.store.importRally(rally, facts.map((f) => {
      const { seq: _seq, ...fact } = f;
      return { fact: fact as typeof f, principal: p.label, ...(p.device ? { device: p.device } : {}), receivedAt: at };
    }), at);
    ctx.states.invalidate(rally.id);
    await ctx.audit(p, 'import-rally', rally.id, { facts: facts.length });
    return reply.code(201).send({ ...summary(record), facts: results.length, lastSeq: results.at(-1)?.stored.seq ?? 0, warnings: parsed.warnings });
  });

  app.get<{ Params: { id: string } }>('/api/rallies/:id', {
    schema: { summary: 'A rally: summary, definition and log position', tags: ['rallies'], params: rallyParams, response: { 200: anyObject('{ id, name, …, version, lastSeq, definition }'), ...errorResponses } },
  }, async (request, reply) => {
    const e = await ctx.rally(request.params.id);
    if (notModified(request, reply, etagOf(e, request))) return reply.code(304).send();
    return { id: e.rallyId, name: e.definition.name, version: e.version, lastSeq: e.seq, rulesErrors: e.rulesErrors, definition: e.definition };
  });

  app.get<{ Params: { id: string } }>('/api/rallies/:id/export', {
    schema: { summary: 'Export the rally file (definition and every fact)', tags: ['rallies'], params: rallyParams, response: { 200: anyObject('The rally file (format rallyhq.rally); its JSON Schema is in schema/rally-file.schema.json'), ...errorResponses } },
  }, async (request, reply) => {
    const e = await ctx.rally(request.params.id);
    const text = serializeRallyFile({ format: RALLY_FILE_FORMAT, version: RALLY_FILE_VERSION, rally: e.definition, facts: e.facts.map((sf) => sf.fact) });
    return reply
      .header('content-disposition', `attachment; filename="${e.rallyId}.rally.json"`)
      .type('application/json; charset=utf-8')
      .serializer((x: unknown) => x as string)
      .send(text);
  });

  app.get<{ Params: { id: string } }>('/api/rallies/:id/itinerary', {
    schema: {
      summary: 'Legs, sections, controls and stages',
      description: 'With `rules` (how due times are counted: targetFrom, dueTimeMethod, bogey) and `findings`: what the itinerary checks find in it (each { level: error | warning, path, subject, field, message, fix, text }; an error there came in by an import, and the next PUT must fix it).',
      tags: ['rallies'], params: rallyParams, response: { 200: anyObject('{ version, timeZone, distanceUnit, rules, legs, stages, findings }'), ...errorResponses },
    },
  }, async (request) => {
    const e = await ctx.rally(request.params.id);
    const d = e.definition;
    return {
      rallyId: e.rallyId, version: e.version, timeZone: d.timeZone, distanceUnit: d.distanceUnit, startDate: d.startDate, endDate: d.endDate,
      rules: timingRules(e), legs: d.legs, stages: d.stages,
      findings: itineraryFindings(e, d).map((f) => ({ ...f, text: inWords(f) })),
    };
  });

  app.get<{ Params: { id: string } }>('/api/rallies/:id/entries', {
    schema: { summary: 'Entry list and classes, crews withdrawn before the start, and the cars that have started (have a fact)', tags: ['rallies', 'entries'], params: rallyParams, response: { 200: anyObject('{ version, classes, categories, entries, withdrawn, started }'), ...errorResponses } },
  }, async (request) => {
    const e = await ctx.rally(request.params.id);
    return { rallyId: e.rallyId, version: e.version, classes: e.definition.classes, categories: e.definition.categories ?? [], entries: e.definition.entries, withdrawn: e.definition.withdrawn ?? [], started: [...startedCars(e)].sort((a, b) => a - b) };
  });

  async function update(request: FastifyRequest, id: string, action: string, change: (def: RallyDefinition, body: Record<string, unknown>) => unknown, also?: (e: RallyEntry, def: RallyDefinition) => void) {
    const p = await ctx.auth.requireRole(request, ['officer'], id);
    const body = request.body as Record<string, unknown>;
    const e = await ctx.rally(id);
    const raw = change(e.definition, body);
    const checked = checkRallyDefinition(raw, '$');
    if (!checked.ok) throw invalidRally('invalid-rally', checked.errors);
    also?.(e, checked.definition);
    refuseOrphaningChange(e, checked.definition);
    const record = await ctx.store.updateRally(id, checked.definition, body.version as number, ctx.now().toISOString());
    ctx.states.invalidate(id);
    // The audit keeps why and what changed, for the desk's audit view.
    const reason = typeof body.reason === 'string' && body.reason.trim() !== '' ? body.reason.trim() : undefined;
    await ctx.audit(p, action, id, { version: record.version, ...(reason ? { reason } : {}), diff: definitionDiff(e.definition, record.definition) });
    return record;
  }

  app.put<{ Params: { id: string } }>('/api/rallies/:id/itinerary', {
    schema: {
      summary: 'Replace the itinerary (legs and stages)',
      description: 'Results officer of the rally. Send the version you read and a reason (kept in the audit with the diff); 409 `version-conflict` when it changed meanwhile. '
        + 'The itinerary checks (a due time before the previous one, a stage without a start, a target the distance makes faster than any road, a control code used twice, …) refuse it with 400 '
        + '`invalid-itinerary`, each error naming the control or stage, the field and the fix; what is only suspicious (an average above a plausible road-section one, a repeated name) is stored and answered in `warnings`. '
        + '409 `facts-in-the-way` (listing them under `facts`) when a stored fact names a control, stage or section the change removes: the log must stay importable.',
      tags: ['rallies'],
      params: rallyParams,
      body: { type: 'object', required: ['version', 'legs', 'stages', 'reason'], properties: { version: versionField, legs: { type: 'array' }, stages: { type: 'array' }, reason: { ...reasonField, minLength: 1 } }, additionalProperties: false },
      response: { 200: anyObject('{ version, legs, stages, warnings }'), 409: errorResponses[400], ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request) => {
    if (String((request.body as { reason?: unknown }).reason ?? '').trim() === '') throw apiError('reason-required', 'reason: say why the itinerary changes (e.g. "SS3 shortened: road closed"); it is kept in the audit with the diff.', 'reason');
    let warnings: ItineraryFinding[] = [];
    const r = await update(request, request.params.id, 'update-itinerary', (def, b) => ({ ...def, legs: b.legs, stages: b.stages }), (e, def) => {
      const found = itineraryFindings(e, def);
      const errors = found.filter((f) => f.level === 'error');
      if (errors.length > 0) {
        const more = errors.length > 1 ? ` (and ${errors.length - 1} more, listed in errors)` : '';
        throw apiError('invalid-itinerary', `${inWords(errors[0]!)}${more}`, errors[0]!.path, { fix: errors[0]!.fix, errors: errors.map((f) => ({ ...f, text: inWords(f) })) });
      }
      warnings = found.filter((f) => f.level === 'warning');
    });
    return { rallyId: r.id, version: r.version, legs: r.definition.legs, stages: r.definition.stages, warnings: warnings.map((f) => ({ ...f, text: inWords(f) })) };
  });

  app.put<{ Params: { id: string } }>('/api/rallies/:id/rules', {
    schema: {
      summary: 'Change the rules choice: preset, version and the supplementary regulations\' overrides',
      description: 'Results officer of the rally. Send the version you read and a reason (kept in the audit with the diff; 400 `reason-required` without one); 409 `version-conflict` when it changed meanwhile. '
        + 'Refused with 400 `invalid-rally` naming the path (`$.rules.preset`, `$.rules.overrides.<key>`: an unknown preset or version, an override of an unknown key or with a bad value, one without the article that sets it); nothing is written. '
        + 'Every result is scored again under the new rules.',
      tags: ['rallies'],
      params: rallyParams,
      body: { type: 'object', required: ['version', 'rules', 'reason'], properties: { version: versionField, rules: anyObject('{ preset, version, overrides?: { <key>: { value, rule } } } (GET /api/presets lists the presets)'), reason: { ...reasonField, minLength: 1 } }, additionalProperties: false },
      response: { 200: anyObject('{ version, rules }'), 409: errorResponses[400], ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request) => {
    if (String((request.body as { reason?: unknown }).reason ?? '').trim() === '') throw apiError('reason-required', 'reason: say why the rules change (e.g. "SR 12.3: inquiry window 45 min"); it is kept in the audit with the diff.', 'reason');
    // The definition's checks resolve the rules: an unknown preset or a bad override is a 400 naming its path.
    const r = await update(request, request.params.id, 'update-rules', (def, b) => ({ ...def, rules: b.rules }));
    return { rallyId: r.id, version: r.version, rules: r.definition.rules };
  });

  app.put<{ Params: { id: string } }>('/api/rallies/:id/entries', {
    schema: {
      summary: 'Replace the entry list (and optionally the classes)',
      description: 'Results officer of the rally. Send the version you read and a reason (kept in the audit with the diff; 400 `reason-required` without one); 409 `version-conflict` when it changed meanwhile. 409 `facts-in-the-way` (listing them under `facts`) when a stored fact names a car, stage, control or section the change removes: the log must stay importable.',
      tags: ['rallies'],
      params: rallyParams,
      body: { type: 'object', required: ['version', 'entries', 'reason'], properties: { version: versionField, entries: { type: 'array' }, classes: { type: 'array' }, reason: { ...reasonField, minLength: 1 } }, additionalProperties: false },
      response: { 200: anyObject('{ version, classes, entries }'), 409: errorResponses[400], ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request) => {
    if (String((request.body as { reason?: unknown }).reason ?? '').trim() === '') throw apiError('reason-required', 'reason: say why the entry list changes (e.g. "car 12 withdrawn: engine"); it is kept in the audit with the diff.', 'reason');
    const r = await update(request, request.params.id, 'update-entries', (def, b) => ({ ...def, entries: b.entries, classes: b.classes ?? def.classes }));
    return { rallyId: r.id, version: r.version, classes: r.definition.classes, entries: r.definition.entries };
  });
}
