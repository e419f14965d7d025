// The rally file's shape, as zod schemas that mirror src/core/model.ts and
// src/core/facts.ts field for field. The server validates API bodies with the
// same schemas, so each message names what was expected, with an example.
// The declared key order is the file's canonical key order (see serialize.ts).
import { z } from 'zod';
import type { Fact } from '../facts.ts';
import type { RallyDefinition } from '../model.ts';
import { parseDuration, parseLocalDate, parseLocalDateTime } from '../time/index.ts';

export const RALLY_FILE_FORMAT = 'rallyhq.rally';
export const RALLY_FILE_VERSION = 1;

// ── text that carries a time ──────────────────────────────────────────────

export const LocalDateTimeText = z
  .string({ error: 'expected a time of day like 2026-02-06T19:32:05.3 (rally-local date and time)' })
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/, {
    error: 'expected a time of day like 2026-02-06T19:32:05.3 (rally-local date and time)',
    abort: true,
  })
  .refine((t) => parseLocalDateTime(t) !== null, {
    error: 'not a real date and time; expected e.g. 2026-02-06T19:32:05.3 (month 1–12, hour 0–23, minutes and seconds 0–59)',
  })
  .meta({ description: 'Rally-local date and time, `2026-02-06T19:32:05.3` (to 0.1 s or better); no time-zone offset.' });

export const LocalDateText = z
  .string({ error: 'expected a date like 2026-02-06' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date like 2026-02-06', abort: true })
  .refine((t) => parseLocalDate(t) !== null, { error: 'not a real date; expected e.g. 2026-02-06' })
  .meta({ description: 'Local date, `2026-02-06`.' });

export const DurationText = z
  .string({ error: 'expected a duration like 3:45.2 or 1:02:03.4' })
  .regex(/^(\d+:)?(\d{1,2}:)?\d+(\.\d{1,3})?$/, { error: 'expected a duration like 3:45.2 or 1:02:03.4', abort: true })
  .refine((t) => parseDuration(t) !== null, { error: 'not a valid duration; seconds and minutes must be below 60, e.g. 3:45.2' })
  .meta({ description: 'Duration, `m:ss.t` (`3:45.2`) or `h:mm:ss.t` (`1:02:03.4`), up to thousandths.' });

/** Longest id of anything (rally, fact, control, stage…): what a URL path segment of the API accepts. */
export const MAX_ID_LENGTH = 200;
/** Largest whole number a stored integer column holds (32-bit signed, in SQLite and PostgreSQL alike). */
export const MAX_INT32 = 2_147_483_647;
const Id = z.string({ error: 'expected a non-empty text id' }).min(1, { error: 'must not be empty' })
  .max(MAX_ID_LENGTH, { error: `at most ${MAX_ID_LENGTH} characters` });
const Text = z.string({ error: 'expected text' }).min(1, { error: 'must not be empty' });
const CarNumber = z
  .number({ error: 'expected a car number (a whole number, e.g. 23)' })
  .int({ error: 'expected a car number (a whole number, e.g. 23)' })
  .min(0, { error: 'a car number is 0 or more' })
  .max(MAX_INT32, { error: `a car number is at most ${MAX_INT32}` });
const Millis = z
  .number({ error: 'expected whole milliseconds' })
  .int({ error: 'expected whole milliseconds (an integer)' })
  .min(0, { error: 'must not be negative' });

// ── the rally definition (src/core/model.ts) ──────────────────────────────

export const DistanceUnitSchema = z.enum(['mi', 'km'], { error: 'expected "mi" or "km"' });

export const ControlKindSchema = z.enum([
  'TC', 'SS_START', 'SPLIT', 'SS_FINISH', 'STOP', 'SERVICE_IN', 'SERVICE_OUT',
  'REGROUP_IN', 'REGROUP_OUT', 'PARC_FERME_IN', 'PARC_FERME_OUT', 'PASSAGE',
], { error: 'expected a control kind: TC, SS_START, SPLIT, SS_FINISH, STOP, SERVICE_IN, SERVICE_OUT, REGROUP_IN, REGROUP_OUT, PARC_FERME_IN, PARC_FERME_OUT or PASSAGE' });

export const ControlSchema = z.strictObject({
  id: Id,
  kind: ControlKindSchema,
  name: Text.optional(),
  stage: Id.optional(),
  splitDistanceM: z.number({ error: 'expected metres from the stage start' }).min(0).optional(),
  distanceM: z.number({ error: 'expected the road distance from the previous control in metres (e.g. 12500)' }).min(0, { error: 'a road distance is 0 m or more' }).optional()
    .meta({ description: 'Road distance from the previous control, metres (the liaison in the route book).' }),
  targetMs: Millis.optional(),
  firstCarDue: LocalDateTimeText.optional(),
  main: z.boolean().optional(),
});

export const SectionSchema = z.strictObject({
  id: Id,
  name: Text.optional(),
  controls: z.array(ControlSchema),
});

export const LegSchema = z.strictObject({
  id: Id,
  name: Text,
  date: LocalDateText,
  sections: z.array(SectionSchema),
});

export const StageSchema = z.strictObject({
  bogeyMs: Millis.optional(),
  maximumMs: Millis.optional(),
  code: Id,
  name: Text,
  distanceM: z.number({ error: 'expected the stage length in metres (e.g. 9978 for 6.2 mi)' }).positive({ error: 'a stage length is more than 0 m' }),
  type: z.enum(['special', 'superSpecial', 'power'], { error: 'expected "special", "superSpecial" or "power"' }),
  precisionMs: z.number({ error: 'expected a precision in ms (1, 10, 100 or 1000)' }).int().positive().optional(),
  leg: Id,
  runBy: z.array(Id).optional().meta({ description: 'Categories that run this stage (codes of rally.categories); absent: every category.' }),
});

export const CategorySchema = z.strictObject({ code: Id, name: Text });

export const RallyClassSchema = z.strictObject({ code: Id, name: Text });

export const PersonSchema = z.strictObject({
  name: Text,
  nationality: z.string().regex(/^[A-Z]{3}$/, { error: 'expected a three-letter code like USA or FIN' }).optional(),
  licence: Text.optional(),
  club: Text.optional(),
});

export const SubstitutionSchema = z.strictObject({
  role: z.enum(['driver', 'codriver'], { error: 'expected "driver" or "codriver"' }),
  from: Text,
  to: Text,
  at: Text,
  approvedBy: Text,
  reason: Text,
});

export const WithdrawalSchema = z.strictObject({
  reason: Text,
  at: Text,
  by: Text,
  afterStart: z.boolean(),
});

export const EntrySchema = z.strictObject({
  car: CarNumber,
  driver: PersonSchema,
  codriver: PersonSchema,
  make: Text,
  model: Text,
  class: Id,
  entrant: Text.optional(),
  support: z.enum(['factory', 'privateer'], { error: 'expected "factory" or "privateer"' }).optional(),
  eligibility: z.array(Id).optional(),
  group: Text.optional(),
  fictional: z.boolean().optional(),
  carGroup: Text.optional(),
  registration: Text.optional(),
  late: z.boolean().optional(),
  substitutions: z.array(SubstitutionSchema).optional(),
  withdrawal: WithdrawalSchema.optional(),
  category: Id.optional().meta({ description: 'The category (code of rally.categories) the crew is classified in.' }),
});

export const RulesChoiceSchema = z.strictObject({
  preset: Id,
  version: Id,
  overrides: z.record(z.string(), z.strictObject({ value: z.unknown(), rule: Text })).optional(),
});

export const RallyDefinitionSchema = z.strictObject({
  id: Id,
  name: Text,
  timeZone: Text.meta({ description: 'IANA time zone the times are written in, e.g. America/Detroit.' }),
  distanceUnit: DistanceUnitSchema,
  startDate: LocalDateText,
  endDate: LocalDateText,
  rules: RulesChoiceSchema,
  legs: z.array(LegSchema),
  stages: z.array(StageSchema),
  classes: z.array(RallyClassSchema),
  entries: z.array(EntrySchema),
  withdrawn: z.array(EntrySchema).optional(),
  categories: z.array(CategorySchema).optional().meta({ description: 'Classifications run apart on the same roads (e.g. ARA National and Regional).' }),
  illustrativeTimesOfDay: Text.optional().meta({ description: 'Shown beside times of day that are not the real ones.' }),
  startLists: z.array(z.strictObject({
    leg: Id,
    control: Id,
    method: Text,
    rows: z.array(z.strictObject({ order: z.number().int().min(1), car: CarNumber, due: LocalDateTimeText, why: Text })),
    version: z.number().int().min(1).max(2147483647).optional(),
    notStarting: z.array(z.strictObject({ car: CarNumber, why: Text })),
    reason: Text,
    at: Text,
    by: Text,
  })).optional(),
  startIntervalMs: Millis.optional(),
  country: Text.optional(),
  championshipRound: Text.optional(),
});

// ── facts (src/core/facts.ts) ─────────────────────────────────────────────

export const TimeSourceSchema = z.enum(
  ['eztrak', 'rallysafe', 'timecard', 'marshalClock', 'photocell', 'manual', 'derived', 'official'],
  { error: 'expected a time source: eztrak, rallysafe, timecard, marshalClock, photocell, manual, derived or official' },
);

/** The envelope every fact carries; `type` comes right after `id` in the file. */
const envelope = {
  id: Id,
  seq: z.number().int().min(0).optional(),
  supersedes: Id.optional(),
  reason: Text.optional(),
  by: Text.optional(),
  device: Text.optional(),
  recordedAt: Text.optional(),
  raw: z.string().optional(),
};

/**
 * One fact type: `id`, `type`, its own fields, then the rest of the envelope.
 * A field the type declares itself (a penalty's required `reason`) wins over
 * the envelope's optional one.
 */
function fact<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  const rest: Record<string, z.ZodType> = {};
  for (const [key, schema] of Object.entries(envelope)) if (key !== 'id' && !(key in shape)) rest[key] = schema;
  return z.strictObject({ id: envelope.id, type: z.literal(type), ...shape, ...(rest as Omit<typeof envelope, 'id' | keyof S>) });
}

export const ControlTimeSchema = fact('controlTime', { car: CarNumber, control: Id, at: LocalDateTimeText, source: TimeSourceSchema.optional() });
export const StageTimeSchema = fact('stageTime', { car: CarNumber, stage: Id, time: DurationText, source: TimeSourceSchema.optional(), assessed: z.boolean().optional(), restartCharge: z.boolean().optional().meta({ description: 'An assessed time that is an official\'s restart (Super Rally) charge: counts in the crew\'s total, never as another crew\'s restart base.' }) });
export const PenaltySchema = fact('penalty', {
  car: CarNumber,
  // A penalty only adds time; a wrong one is withdrawn by a retraction, never offset by a negative one.
  seconds: z.number({ error: 'expected seconds, e.g. 40 or 10.5' })
    .min(0, { error: 'a penalty is never negative (seconds 0 or more, e.g. 10); to undo a penalty, retract it with a retraction fact naming it in supersedes', abort: true })
    .refine((s) => Number.isInteger(Math.round(s * 1000)) && Math.abs(s * 1000 - Math.round(s * 1000)) < 1e-6, { error: 'seconds may carry at most three decimals (whole ms)' }),
  reason: Text,
  rule: Text.optional(),
  control: Id.optional(),
  stage: Id.optional(),
});
export const JumpStartSchema = fact('jumpStart', { car: CarNumber, stage: Id, jumpedMs: Millis.optional(), source: TimeSourceSchema.optional() });
export const RetirementSchema = fact('retirement', { car: CarNumber, where: Id, reason: Text, permanent: z.boolean().optional() });
export const RestartSchema = fact('restart', { car: CarNumber, section: Id });
export const ExclusionSchema = fact('exclusion', { car: CarNumber, reason: Text, rule: Text.optional() });
export const StageInterruptedSchema = fact('stageInterrupted', {
  stage: Id,
  reason: Text,
  notionalTimes: z.array(z.strictObject({ car: CarNumber, time: DurationText })),
  at: LocalDateTimeText.optional(),
  restartedAt: LocalDateTimeText.optional(),
  responsible: z.array(CarNumber).optional(),
});
export const StageMaximumChargedSchema = fact('stageMaximumCharged', { car: CarNumber, stage: Id, reason: Text, rule: Text.optional() });
export const DelayedStartSchema = fact('delayedStart', { car: CarNumber, stage: Id, reason: Text, delayMs: Millis.optional(), afterSignalMs: Millis.optional() });
export const StageCancelledSchema = fact('stageCancelled', { stage: Id, reason: Text });
export const RetractionSchema = fact('retraction', { supersedes: Id, reason: Text });

const FACT_TYPE_LIST = 'controlTime, stageTime, penalty, jumpStart, retirement, restart, exclusion, stageInterrupted, stageCancelled, stageMaximumCharged, delayedStart or retraction';

export const FactSchema = z.discriminatedUnion('type', [
  ControlTimeSchema, StageTimeSchema, PenaltySchema, JumpStartSchema, RetirementSchema,
  RestartSchema, ExclusionSchema, StageInterruptedSchema, StageCancelledSchema, StageMaximumChargedSchema, DelayedStartSchema, RetractionSchema,
], { error: `expected a fact type: ${FACT_TYPE_LIST}` });

export const RallyFileSchema = z.strictObject({
  format: z.literal(RALLY_FILE_FORMAT, { error: `expected "${RALLY_FILE_FORMAT}"` }),
  version: z.literal(RALLY_FILE_VERSION, { error: `expected ${RALLY_FILE_VERSION} (this rallyhq reads rally file version ${RALLY_FILE_VERSION})` }),
  rally: RallyDefinitionSchema,
  facts: z.array(FactSchema),
});

export type RallyFile = { format: typeof RALLY_FILE_FORMAT; version: typeof RALLY_FILE_VERSION; rally: RallyDefinition; facts: Fact[] };

// ── compile-time agreement with the TypeScript contracts ─────────────────
// If a field is added to Fact or RallyDefinition and not here (or the other
// way round), or a field's type differs, these lines stop compiling. Optional
// fields are compared by name too: assignability alone would let one side
// miss an optional field.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
type Keys<T> = T extends object ? keyof T : never;
/** Same type, and at every object level the same field names. */
type Exact<A, B> = Same<A, B> extends true
  ? [NonNullable<A>] extends [readonly (infer EA)[]]
    ? [NonNullable<B>] extends [readonly (infer EB)[]] ? Exact<EA, EB> : false
    : [NonNullable<A>] extends [Record<string, unknown>]
      ? Same<Keys<NonNullable<A>>, Keys<NonNullable<B>>> extends true
        ? false extends { [K in Keys<NonNullable<A>> & Keys<NonNullable<B>>]: Exact<NonNullable<A>[K], NonNullable<B>[K]> }[Keys<NonNullable<A>> & Keys<NonNullable<B>>] ? false : true
        : false
      : true
  : false;
type InferredFact = z.infer<typeof FactSchema>;
type FactsAgree = { [T in Fact['type']]: Exact<Extract<InferredFact, { type: T }>, Extract<Fact, { type: T }>> };
export type _FactAgrees = Assert<Same<InferredFact, Fact>>;
export type _EachFactAgrees = Assert<false extends FactsAgree[Fact['type']] ? false : true>;
export type _DefinitionAgrees = Assert<Exact<z.infer<typeof RallyDefinitionSchema>, RallyDefinition>>;
export type _FileAgrees = Assert<Same<z.infer<typeof RallyFileSchema>, RallyFile>>;
