// Resolves a rally's rules choice (preset + version + supplementary-regulation
// overrides) into the RuleSet it is scored under. Bad input never throws: each
// problem comes back with the JSON path at fault and how to fix it.
import { z } from 'zod';
import type { RulesChoice } from '../model.ts';
import type { Cited, RuleKey, RuleSet, RuleValues } from './types.ts';
import { fia2026 } from './presets/fia.ts';
import { getPreset, listPresets, presetVersions } from './presets/index.ts';

const wholeMs = z.number().int().nonnegative();
const wholeMinutes = z.number().int().positive();
const positive = z.number().positive();
const stageLimit = z.union([
  z.object({ kind: z.literal('none') }).strict(),
  z.object({ kind: z.literal('fixed'), ms: z.number().int().positive() }).strict(),
  z.object({ kind: z.literal('perKm'), msPerKm: z.number().int().positive() }).strict(),
]);

/** One schema per rule value, with the words an error message uses to say what was expected. */
export const RULE_VALUE_SCHEMAS = {
  stagePrecisionMs: { schema: z.number().int().positive(), expected: 'a whole number of ms, e.g. 100 for tenths or 1000 for whole seconds' },
  stageRounding: { schema: z.enum(['truncate', 'round', 'ceil']), expected: 'one of "truncate", "round", "ceil"' },
  controlResolutionMs: { schema: z.number().int().positive(), expected: 'a whole number of ms, e.g. 60000 for the whole minute' },
  targetFrom: { schema: z.enum(['previousTimeControl', 'stageStart']), expected: 'one of "previousTimeControl", "stageStart"' },
  latePenaltyPerMinuteMs: { schema: wholeMs, expected: 'a whole number of ms, e.g. 10000' },
  earlyPenaltyPerMinuteMs: { schema: wholeMs, expected: 'a whole number of ms, e.g. 60000' },
  earlyAllowedAtLegEnd: { schema: z.boolean(), expected: 'true or false' },
  maxLatenessPerTargetMin: { schema: wholeMinutes.nullable(), expected: 'a whole number of minutes, e.g. 15, or null for no limit' },
  maxLatenessCumulativeMin: { schema: wholeMinutes.nullable(), expected: 'a whole number of minutes, e.g. 30, or null for no limit' },
  cumulativeLatenessResetAt: { schema: z.enum(['overnightRegroup', 'mainTimeControl', 'event']), expected: 'one of "overnightRegroup", "mainTimeControl", "event"' },
  onExceedMaxLateness: { schema: z.enum(['retire', 'exclude', 'fixedPenalty']), expected: 'one of "retire", "exclude", "fixedPenalty"' },
  latenessPenaltyCapMs: { schema: wholeMs.nullable(), expected: 'a whole number of ms, e.g. 300000, or null for no cap' },
  jumpStartPenaltiesMs: { schema: z.array(wholeMs), expected: 'a list of whole numbers of ms, e.g. [10000, 60000, 180000]' },
  jumpStartAddsJumpedTime: { schema: z.boolean(), expected: 'true or false' },
  stageMaxTime: { schema: stageLimit, expected: '{"kind": "none"}, {"kind": "fixed", "ms": 900000} or {"kind": "perKm", "msPerKm": 60000}' },
  stageBogeyTime: { schema: stageLimit, expected: '{"kind": "none"}, {"kind": "fixed", "ms": 300000} or {"kind": "perKm", "msPerKm": 40000}' },
  dnfStageCharge: { schema: z.enum(['retire', 'maxTime', 'maxTimePlus']), expected: 'one of "retire", "maxTime", "maxTimePlus"' },
  dnfStagePlusMs: { schema: wholeMs, expected: 'a whole number of ms, e.g. 300000' },
  restartAllowed: { schema: z.boolean(), expected: 'true or false' },
  restartBase: { schema: z.enum(['fastestInClass', 'fastestInPriorityGroup', 'fastestOverall', 'stageMax']), expected: 'one of "fastestInClass", "fastestInPriorityGroup", "fastestOverall", "stageMax"' },
  restartPlusMs: { schema: wholeMs, expected: 'a whole number of ms, e.g. 600000 for 10 minutes' },
  restartPlusLaterMs: { schema: wholeMs.nullable(), expected: 'a whole number of ms, e.g. 420000 for 7 minutes, or null for the same as restartPlusMs' },
  restartBasePrecisionMs: { schema: z.number().int().positive(), expected: 'a whole number of ms: 1 to keep the base as it is, 1000 to drop the tenths' },
  restartBaseScope: { schema: z.enum(['category', 'event']), expected: 'one of "category", "event"' },
  restartPlusMsSuperSpecial: { schema: wholeMs, expected: 'a whole number of ms, e.g. 300000 for 5 minutes' },
  restartMaxPerLeg: { schema: z.number().int().nonnegative(), expected: 'a whole number, e.g. 1' },
  notionalTimePolicy: { schema: z.enum(['clerkFairest', 'fastestAtInterruption', 'worstBeforeStoppage']), expected: 'one of "clerkFairest", "fastestAtInterruption", "worstBeforeStoppage"' },
  tieBreak: { schema: z.enum(['firstStage', 'firstNonSuperSpecial', 'lastStage']), expected: 'one of "firstStage", "firstNonSuperSpecial", "lastStage"' },
  tieBreakThen: { schema: z.enum(['nextStage', 'tieBreakLast']), expected: 'one of "nextStage", "tieBreakLast"' },
  tieBreakLast: { schema: z.enum(['lowerCarNumber', 'shared']), expected: 'one of "lowerCarNumber", "shared"' },
  maxAverageSpeedKph: { schema: positive, expected: 'a speed in km/h above 0, e.g. 180' },
  overdueFactor: { schema: z.number().min(1), expected: 'a factor of at least 1, e.g. 1.3' },
  overdueMinMs: { schema: wholeMs, expected: 'a whole number of ms, e.g. 180000' },
  overdueDefaultSpeedKph: { schema: positive, expected: 'a speed in km/h above 0, e.g. 80' },
  stageStartGapMs: { schema: wholeMs.nullable(), expected: 'a whole number of ms, e.g. 180000, or null for no check' },
  inquiryWindowMin: { schema: z.number().int().nonnegative(), expected: 'a whole number of minutes, e.g. 30' },
  maxLatenessFixedPenaltyMs: { schema: wholeMs, expected: 'a whole number of ms, e.g. 1800000 for 30 minutes' },
  restartAfterMaxLateness: { schema: z.enum(['nextSection', 'nextLeg']), expected: 'one of "nextSection", "nextLeg"' },
  delayedStartPenaltyPerMinuteMs: { schema: wholeMs, expected: 'a whole number of ms, e.g. 60000' },
  delayedStartRetireAfterMs: { schema: wholeMs.nullable(), expected: 'a whole number of ms, e.g. 20000, or null for no such rule' },
  dueTimeMethod: { schema: z.enum(['targetTimes', 'scheduled']), expected: 'one of "targetTimes", "scheduled"' },
} satisfies Record<RuleKey, { schema: z.ZodType; expected: string }>;

/** Every rule key, in the order the presets list them. */
export const RULE_KEYS = Object.keys(RULE_VALUE_SCHEMAS) as RuleKey[];

const overrideEntry = (key: RuleKey) => z.object({
  value: RULE_VALUE_SCHEMAS[key].schema,
  rule: z.string().trim().min(1),
}).strict();

/** The shape of `rules.overrides` in a rally file: every key optional, each `{ value, rule }`. */
export const ruleOverridesSchema = z.object(
  Object.fromEntries(RULE_KEYS.map((k) => [k, overrideEntry(k).optional()])) as Record<RuleKey, z.ZodOptional<ReturnType<typeof overrideEntry>>>,
).strict();

export interface RulesError {
  path: string;
  message: string;
}

function isRuleKey(key: string): key is RuleKey {
  return Object.prototype.hasOwnProperty.call(RULE_VALUE_SCHEMAS, key);
}

function closestKey(key: string): RuleKey | undefined {
  const lower = key.toLowerCase();
  return RULE_KEYS.find((k) => k.toLowerCase() === lower)
    ?? RULE_KEYS.find((k) => k.toLowerCase().includes(lower) || lower.includes(k.toLowerCase()));
}

function applyOverride(rules: RuleSet, key: RuleKey, value: unknown, rule: string): RuleSet {
  const previous = rules[key] as Cited<unknown>;
  const cited: Cited<unknown> = {
    value,
    rule: rule.trim(),
    confirmed: true,
    note: `Set by the rally's supplementary regulations; the preset had ${JSON.stringify(previous.value)} (${previous.rule}).`,
  };
  return { ...rules, [key]: cited } as RuleSet;
}

/**
 * The rules a rally is scored under. When `errors` is not empty the choice is
 * unusable and `rules` is only a fallback (the named preset without the bad
 * overrides, or FIA when the preset is unknown): never publish results with it.
 */
export function resolveRules(choice: RulesChoice): { rules: RuleSet; errors: RulesError[] } {
  const errors: RulesError[] = [];
  const ids = [...new Set(listPresets().map((p) => p.id))];
  let rules = getPreset(choice.preset, choice.version);
  if (!getPreset(choice.preset)) {
    errors.push({ path: 'rules.preset', message: `unknown preset ${JSON.stringify(choice.preset)}; use one of ${ids.join(', ')}` });
    rules = fia2026;
  } else if (!rules) {
    const versions = presetVersions(choice.preset);
    errors.push({
      path: 'rules.version',
      message: `preset ${choice.preset} has no version ${JSON.stringify(choice.version)}; use one of ${versions.join(', ')}`,
    });
    rules = getPreset(choice.preset) as RuleSet;
  }

  const overrides = choice.overrides ?? {};
  if (typeof overrides !== 'object' || Array.isArray(overrides)) {
    errors.push({ path: 'rules.overrides', message: 'expected an object of { "<ruleKey>": { "value": …, "rule": "SR article" } }' });
    return { rules, errors };
  }
  for (const [key, entry] of Object.entries(overrides)) {
    const path = `rules.overrides.${key}`;
    if (!isRuleKey(key)) {
      const near = closestKey(key);
      errors.push({ path, message: `unknown rule key${near ? `; did you mean ${near}?` : ''} Known keys: ${RULE_KEYS.join(', ')}` });
      continue;
    }
    const { schema, expected } = RULE_VALUE_SCHEMAS[key];
    if (entry === null || typeof entry !== 'object' || !('value' in entry)) {
      errors.push({ path, message: `expected { "value": …, "rule": "SR article" } with value ${expected}` });
      continue;
    }
    let ok = true;
    if (!schema.safeParse(entry.value).success) {
      errors.push({ path, message: `expected ${expected}` });
      ok = false;
    }
    if (typeof entry.rule !== 'string' || entry.rule.trim() === '') {
      errors.push({ path: `${path}.rule`, message: 'give the supplementary-regulation article that sets this value, e.g. "SR 8.2"' });
      ok = false;
    }
    if (ok) rules = applyOverride(rules, key, entry.value, entry.rule);
  }
  return { rules, errors };
}

/** Checks a whole preset against the same schemas as the overrides (tests use it on every preset). */
export function checkRuleValues(values: RuleValues): RulesError[] {
  const errors: RulesError[] = [];
  for (const key of RULE_KEYS) {
    const cited = values[key] as Cited<unknown> | undefined;
    if (!cited) { errors.push({ path: key, message: 'missing' }); continue; }
    if (!RULE_VALUE_SCHEMAS[key].schema.safeParse(cited.value).success) errors.push({ path: `${key}.value`, message: `expected ${RULE_VALUE_SCHEMAS[key].expected}` });
    if (typeof cited.rule !== 'string' || cited.rule.trim() === '') errors.push({ path: `${key}.rule`, message: 'every value cites its rule' });
    if (typeof cited.confirmed !== 'boolean') errors.push({ path: `${key}.confirmed`, message: 'expected true or false' });
    if (!cited.confirmed && !cited.note && !cited.shown) errors.push({ path: `${key}.note`, message: 'an unconfirmed value says what was assumed' });
    if (cited.confirmed && cited.shown) errors.push({ path: `${key}.shown`, message: 'a value confirmed by the rulebook is not also marked as shown by results' });
  }
  return errors;
}
