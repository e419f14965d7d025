// The entry list, one change at a time: add (late entry), edit, withdraw,
// substitute, and import from CSV with a line-by-line plan shown before
// anything is written. Each change carries a reason and is kept in the rally's
// audit as an entry change (GET …/entries/changes).
// NOTE: changes to different crews do not conflict: a change that loses the
// race for the definition's version is applied again to the newer list, unless
// the client sent the `version` it read (then it gets 409, as with PUT …/entries).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Entry, Person } from '../../core/model.ts';
import { addEntry, editEntry, substitute, withdrawEntry, type ChangeOutcome, type EntryChange, type EntryPatch, type Who } from '../../core/entries/entry-changes.ts';
import { applyEntryImport, planEntryImport } from '../../core/entries/entry-csv.ts';
import { fromZod } from '../../core/rallyfile/errors.ts';
import { EntrySchema, PersonSchema } from '../../core/rallyfile/schema.ts';
import { StoreError, type RallyRecord } from '../../store/contract.ts';
import type { Principal } from '../auth.ts';
import type { ServerContext } from '../context.ts';
import { apiError } from '../problem.ts';
import type { RallyEntry } from '../rally-states.ts';
import { refuseOrphaningChange } from '../orphan-guard.ts';
import { startedCars } from '../started-cars.ts';
import { anyObject, errorResponses, rallyParams } from '../schemas.ts';
import { checkRallyDefinition } from './rallies.ts';
import { submitFacts } from './facts.ts';

const carParams = { type: 'object', required: ['id', 'car'], properties: { id: { type: 'string' }, car: { type: 'integer', minimum: 0 } } } as const;
const reason = { type: 'string', description: 'Why the entry list changes; kept with the change.' } as const;
const version = { type: 'integer', minimum: 1, description: 'Optional: the version you read. Sent, a change by someone else since then answers 409; absent, the change is applied to the current list.' } as const;
const conflict = { 409: errorResponses[400] };
/** Attempts at applying a change when another server's changes keep landing first. */
const ATTEMPTS = 20;

function entryFrom(raw: unknown, field: string): Entry {
  const parsed = EntrySchema.safeParse(raw);
  if (parsed.success) return parsed.data as Entry;
  const errors = fromZod(parsed.error, raw, field);
  const first = errors[0]!;
  throw apiError('invalid-field', `${first.path}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more, listed in errors)` : ''}`, first.path, { errors });
}

function personFrom(raw: unknown, field: string): Person {
  const parsed = PersonSchema.safeParse(raw);
  if (parsed.success) return parsed.data as Person;
  const first = fromZod(parsed.error, raw, field)[0]!;
  throw apiError('invalid-field', `${first.path}: ${first.message}`, first.path);
}

function refused(out: Extract<ChangeOutcome, { ok: false }>): never {
  if (out.status === 404) throw apiError('car-not-found', out.message, out.field);
  if (out.status === 409) throw apiError('entry-conflict', out.message, out.field);
  throw apiError('invalid-field', `${out.field}: ${out.message}`, out.field);
}

export async function registerEntryRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  // Changes to one rally's definition from this process wait for each other, so
  // only changes from other processes can race (and are retried below).
  const queues = new Map<string, Promise<unknown>>();
  function queued<T>(rallyId: string, work: () => Promise<T>): Promise<T> {
    const prev = queues.get(rallyId) ?? Promise.resolve();
    const next = prev.then(work, work);
    const tail = next.catch(() => {});
    queues.set(rallyId, tail);
    void tail.then(() => { if (queues.get(rallyId) === tail) queues.delete(rallyId); });
    return next;
  }

  /**
   * Applies one change to the rally's current definition and stores it;
   * retried on a version race unless the client named its version.
   */
  async function change(
    request: FastifyRequest, rallyId: string, expected: number | undefined,
    apply: (e: RallyEntry, who: Who, p: Principal) => ChangeOutcome | Promise<ChangeOutcome>, reasonText: string,
  ): Promise<{ record: RallyRecord; change: EntryChange; entry: Entry }> {
    const p = await ctx.auth.requireRole(request, ['officer'], rallyId);
    return queued(rallyId, () => changeNow(rallyId, expected, apply, reasonText, p));
  }

  async function changeNow(
    rallyId: string, expected: number | undefined,
    apply: (e: RallyEntry, who: Who, p: Principal) => ChangeOutcome | Promise<ChangeOutcome>, reasonText: string, p: Principal,
  ): Promise<{ record: RallyRecord; change: EntryChange; entry: Entry }> {
    for (let attempt = 1; ; attempt++) {
      const e = await ctx.rally(rallyId);
      if (expected !== undefined && e.version !== expected) {
        throw apiError('version-conflict', `The entry list is at version ${e.version}, not ${expected}: someone changed it since you read it.`, 'version');
      }
      const who: Who = { reason: reasonText, at: ctx.now().toISOString(), by: p.label };
      const out = await apply(e, who, p);
      if (!out.ok) refused(out);
      const checked = checkRallyDefinition(out.definition, '$');
      if (!checked.ok) throw apiError('invalid-rally', `${checked.errors[0]!.path}: ${checked.errors[0]!.message}`, checked.errors[0]!.path, { errors: checked.errors });
      refuseOrphaningChange(e, checked.definition);
      try {
        const record = await ctx.store.updateRally(rallyId, checked.definition, e.version, who.at);
        ctx.states.invalidate(rallyId);
        await ctx.audit(p, `entry-${out.change.kind}`, rallyId, { version: record.version, change: out.change });
        return { record, change: out.change, entry: out.entry };
      } catch (err) {
        const raced = err instanceof StoreError && err.code === 'version-conflict';
        if (!raced || expected !== undefined || attempt >= ATTEMPTS) throw err;
        // Another server's change landed first: read the list again and apply ours to it, after a short pause that differs per attempt.
        ctx.states.invalidate(rallyId);
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
      }
    }
  }

  const answer = (r: { record: RallyRecord; change: EntryChange; entry: Entry }) => ({ rallyId: r.record.id, version: r.record.version, entry: r.entry, change: r.change });

  app.get<{ Params: { id: string } }>('/api/rallies/:id/entries/changes', {
    schema: {
      summary: 'Every change to the entry list, oldest first: what, why, when and by whom',
      tags: ['entries'], params: rallyParams,
      response: { 200: anyObject('{ rallyId, changes: [{ kind, car, reason, at, by, lines, version }] }'), ...errorResponses },
    },
  }, async (request) => {
    const e = await ctx.rally(request.params.id);
    const changes = (await ctx.store.listAudit(e.rallyId))
      .filter((a) => a.action.startsWith('entry-'))
      .map((a) => {
        const d = a.detail as { change: EntryChange; version: number };
        return { ...d.change, version: d.version };
      });
    return { rallyId: e.rallyId, changes };
  });

  app.post<{ Params: { id: string }; Body: { entry: unknown; reason: string; version?: number } }>('/api/rallies/:id/entries', {
    schema: {
      summary: 'Add a crew (a late entry carries late: true)',
      description: 'Results officer of the rally. The entry is checked like a rally file\'s (class known, nationality a three-letter code); a number already entered or withdrawn answers 409.',
      tags: ['entries'], params: rallyParams,
      body: { type: 'object', required: ['entry', 'reason'], additionalProperties: false, properties: { entry: anyObject('An entry: car, driver, codriver, make, model, class, category (on a rally classified by category), and optionally carGroup, registration, entrant, group (priority), eligibility, late.'), reason, version } },
      response: { 201: anyObject('{ rallyId, version, entry, change }'), ...conflict, ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request, reply) => {
    const entry = entryFrom(request.body.entry, 'entry');
    const r = await change(request, request.params.id, request.body.version, (e, who) => addEntry(e.definition, entry, who), request.body.reason);
    return reply.code(201).send(answer(r));
  });

  app.patch<{ Params: { id: string; car: number }; Body: { changes: EntryPatch; reason: string; version?: number } }>('/api/rallies/:id/entries/:car', {
    schema: {
      summary: 'Edit a crew\'s entry: class, car details, categories, nationalities, licence and club numbers',
      description: 'Results officer of the rally. `changes` holds only the fields to change (null clears an optional one). A new driver or co-driver is a substitution, not an edit.',
      tags: ['entries'], params: carParams,
      body: {
        type: 'object', required: ['changes', 'reason'], additionalProperties: false,
        properties: {
          changes: {
            type: 'object', additionalProperties: false,
            properties: {
              class: { type: 'string', minLength: 1 }, make: { type: 'string', minLength: 1 }, model: { type: 'string', minLength: 1 },
              category: { type: 'string', minLength: 1, description: 'On a rally classified by category (e.g. ARA National, Regional): the crew\'s' },
              carGroup: { type: ['string', 'null'] }, registration: { type: ['string', 'null'] }, entrant: { type: ['string', 'null'] },
              group: { type: ['string', 'null'], description: 'Priority or seeding category (e.g. P1)' },
              eligibility: { type: ['array', 'null'], items: { type: 'string', minLength: 1 } },
              support: { type: ['string', 'null'], enum: ['factory', 'privateer', null] },
              late: { type: 'boolean' },
              driver: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' }, nationality: { type: ['string', 'null'], pattern: '^[A-Z]{3}$' }, licence: { type: ['string', 'null'] }, club: { type: ['string', 'null'] } } },
              codriver: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' }, nationality: { type: ['string', 'null'], pattern: '^[A-Z]{3}$' }, licence: { type: ['string', 'null'] }, club: { type: ['string', 'null'] } } },
            },
          },
          reason, version,
        },
      },
      response: { 200: anyObject('{ rallyId, version, entry, change }'), ...conflict, ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request) => answer(await change(request, request.params.id, request.body.version, (e, who) => editEntry(e.definition, request.params.car, request.body.changes, who), request.body.reason)));

  app.post<{ Params: { id: string; car: number }; Body: { reason: string; where?: string; version?: number } }>('/api/rallies/:id/entries/:car/withdrawal', {
    schema: {
      summary: 'Withdraw a crew, before or after its start',
      description: 'Results officer of the rally. Before the crew has any time, it leaves the entry list (and the results) and is kept under `withdrawn` with the reason. After its start, its times stay and it is retired for good at `where` (a control or stage, required then) with the reason "withdrawn: …".',
      tags: ['entries'], params: carParams,
      body: { type: 'object', required: ['reason'], additionalProperties: false, properties: { reason, where: { type: 'string', minLength: 1, description: 'After the start: the control or stage where the crew withdrew.' }, version } },
      response: { 200: anyObject('{ rallyId, version, entry, change, retirement? }'), ...conflict, ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request) => {
    const { car } = request.params;
    let retirement: unknown;
    const r = await change(request, request.params.id, request.body.version, async (e, who, p) => {
      const started = startedCars(e).has(car);
      if (started && e.definition.entries.some((x) => x.car === car && !x.withdrawal)) {
        if (!request.body.where) throw apiError('invalid-field', `where: car ${car} has started; say where it withdrew (a control such as TC5 or a stage such as SS5) so its retirement is recorded there`, 'where');
        if (!who.reason.trim()) return { ok: false, field: 'reason', message: 'say why the crew withdraws' };
        // NOTE: one id per car, so a repeated request is a duplicate, not a second retirement.
        const acks = await submitFacts(ctx, request, e.rallyId, [{ raw: { id: `withdrawal-${car}`, type: 'retirement', car, where: request.body.where, reason: `withdrawn: ${who.reason}`, permanent: true }, path: '$' }], p);
        retirement = acks[0];
      }
      return withdrawEntry(e.definition, car, started, who);
    }, request.body.reason);
    return { ...answer(r), ...(retirement ? { retirement } : {}) };
  });

  app.post<{ Params: { id: string; car: number }; Body: { role: 'driver' | 'codriver'; person: unknown; approvedBy: string; reason: string; version?: number } }>('/api/rallies/:id/entries/:car/substitution', {
    schema: {
      summary: 'Replace the driver or co-driver of a crew (who, when, approved by whom)',
      description: 'Results officer of the rally. Kept on the entry under `substitutions` and in the entry changes.',
      tags: ['entries'], params: carParams,
      body: {
        type: 'object', required: ['role', 'person', 'approvedBy', 'reason'], additionalProperties: false,
        properties: { role: { type: 'string', enum: ['driver', 'codriver'] }, person: anyObject('{ name, nationality?, licence?, club? }'), approvedBy: { type: 'string', description: 'Who approved it, e.g. "Clerk of the Course"' }, reason, version },
      },
      response: { 200: anyObject('{ rallyId, version, entry, change }'), ...conflict, ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request) => {
    const person = personFrom(request.body.person, 'person');
    return answer(await change(request, request.params.id, request.body.version, (e, who) => substitute(e.definition, request.params.car, { role: request.body.role, person, approvedBy: request.body.approvedBy }, who), request.body.reason));
  });

  app.post<{ Params: { id: string }; Body: { csv: string; apply?: boolean; version?: number; reason?: string } }>('/api/rallies/:id/entries/import', {
    schema: {
      summary: 'Import crews from CSV: a line-by-line plan first, then (apply: true) its adds and changes',
      description: 'Results officer of the rally. Without `apply` nothing is written: the answer lists each line as add, change (field by field), unchanged or refused (with every reason). '
        + 'With `apply: true`, `version` (the one the plan was made against) and a `reason`, the adds and changes are stored in one change; refused lines are not imported. '
        + 'Columns (first line, any order, case ignored): car, driver, codriver, make, model, class (required); driver nationality, driver licence, driver club, the same for codriver, group (car group), registration, entrant, priority, eligibility (codes separated by ;), category (on a rally classified by category). Crews not in the file are left as they are.',
      tags: ['entries'], params: rallyParams,
      body: { type: 'object', required: ['csv'], additionalProperties: false, properties: { csv: { type: 'string' }, apply: { type: 'boolean' }, version: { type: 'integer', minimum: 1, maximum: 2147483647 }, reason: { type: 'string' } } },
      response: { 200: anyObject('{ rallyId, version, applied, plan: { fileErrors, lines, adds, changes, unchanged, refused } }'), ...conflict, ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request) => {
    const { csv, apply } = request.body;
    if (!apply) {
      await ctx.auth.requireRole(request, ['officer'], request.params.id);
      const e = await ctx.rally(request.params.id);
      return { rallyId: e.rallyId, version: e.version, applied: false, plan: planEntryImport(e.definition, csv) };
    }
    if (request.body.version === undefined) throw apiError('invalid-field', 'version: send the version the plan was made against (the preview\'s `version`), so a list changed since is not overwritten', 'version');
    let plan = planEntryImport((await ctx.rally(request.params.id)).definition, csv);
    const r = await change(request, request.params.id, request.body.version, (e, who) => {
      plan = planEntryImport(e.definition, csv);
      if (!who.reason.trim()) return { ok: false, field: 'reason', message: 'say why these crews are imported (e.g. "entries received by 30 Jan")' };
      if (plan.fileErrors.length) return { ok: false, field: 'csv', message: plan.fileErrors.join('; ') };
      if (plan.adds + plan.changes === 0) return { ok: false, field: 'csv', message: 'nothing to import: every line is unchanged or refused' };
      const lines = plan.lines.flatMap((l) => (l.action === 'add' ? [`added ${l.lines[0]}`] : l.action === 'change' ? l.lines.map((x) => `#${l.car} ${x}`) : []));
      const definition = applyEntryImport(e.definition, plan);
      const first = plan.lines.find((l) => l.action === 'add' || l.action === 'change')!;
      return { ok: true, definition, entry: definition.entries.find((x) => x.car === first.car)!, change: { kind: 'import', car: first.car, reason: who.reason, at: who.at, by: who.by, lines: [`${plan.adds} added, ${plan.changes} changed, ${plan.refused} refused lines not imported`, ...lines] } };
    }, request.body.reason ?? '');
    return { rallyId: r.record.id, version: r.record.version, applied: true, plan, change: r.change };
  });
}
