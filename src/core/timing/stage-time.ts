// The stage time a crew is charged: the driven time brought to the preset's
// precision with its named rounding, then limited by a stage maximum if the
// rules have one. SEE: rally-rules §3.1 — compute in integer ms, then truncate;
// never round the two clock readings first.
import type { Stage } from '../model.ts';
import type { Rounding, RuleSet, StageLimit } from '../rules/types.ts';
import type { WorkingStep } from '../results.ts';
import { decimalsFor, formatDuration } from '../time/duration.ts';

/** Brings a non-negative ms value to a multiple of `precisionMs` with the named rounding (integer arithmetic only). */
export function roundTo(ms: number, precisionMs: number, rounding: Rounding): number {
  const whole = Math.floor(ms / precisionMs) * precisionMs;
  const rest = ms - whole;
  if (rest === 0 || rounding === 'truncate') return whole;
  if (rounding === 'ceil') return whole + precisionMs;
  return rest * 2 >= precisionMs ? whole + precisionMs : whole; // half up
}

const PRECISION_WORDS: Record<number, string> = { 1: '0.001 s', 10: '0.01 s', 100: '0.1 s', 1000: '1 s' };
const precisionText = (p: number): string => PRECISION_WORDS[p] ?? `${p} ms`;

function limitMs(limit: StageLimit, stage: Stage): number | null {
  if (limit.kind === 'fixed') return limit.ms;
  if (limit.kind === 'perKm') return Math.floor((limit.msPerKm * stage.distanceM) / 1000);
  return null;
}

/** The stage maximum in ms for this stage (its own `maximumMs`, else the rules'), or null when there is none. */
export function stageMaximumMs(stage: Stage, rules: RuleSet): number | null {
  return stage.maximumMs ?? limitMs(rules.stageMaxTime.value, stage);
}

/** The bogey time in ms for this stage (its own `bogeyMs`, else the rules'), or null when there is none. SEE: MSUK26 App 13 Art 9.1. */
export function stageBogeyMs(stage: Stage, rules: RuleSet): number | null {
  return stage.bogeyMs ?? limitMs(rules.stageBogeyTime.value, stage);
}

export interface ChargedStageTime {
  /** What counts in the total: at the rules' precision (or the stage's, if coarser), then the stage maximum. */
  ms: number;
  /** The time at the stage's own precision (a power stage's thousandths), for the stage's own ranking. */
  stageMs: number;
  /** True when the stage maximum replaced a slower time. */
  maxApplied: boolean;
  /** True when the bogey time replaced a faster time. */
  bogeyApplied: boolean;
  steps: WorkingStep[];
}

/**
 * Charges a driven stage time. `rawMs` is finish − start in integer ms
 * (rally-local times, so a stage across midnight is already right).
 * WARNING: a negative or fractional `rawMs` is a caller bug (a finish before
 * its start is an Issue to raise before charging) and throws.
 */
export function chargeStageTime(rawMs: number, stage: Stage, rules: RuleSet): ChargedStageTime {
  if (!Number.isInteger(rawMs) || rawMs < 0) throw new RangeError(`chargeStageTime: rawMs must be a whole, non-negative number of ms, got ${rawMs}`);
  const rounding = rules.stageRounding.value;
  const rulesPrecision = rules.stagePrecisionMs.value;
  const stagePrecision = stage.precisionMs ?? rulesPrecision;
  // NOTE: WRC power stages are timed to 0.001 s but count in the total truncated
  // to 0.1 s (every classified total of fixtures/real agrees): the coarser precision counts.
  const totalPrecision = Math.max(stagePrecision, rulesPrecision);
  const stageMs = roundTo(rawMs, stagePrecision, rounding);
  let ms = roundTo(rawMs, totalPrecision, rounding);

  const steps: WorkingStep[] = [{ label: `time driven ${formatDuration(rawMs, 3)}`, ms: rawMs }];
  if (stagePrecision !== rulesPrecision) {
    steps.push({ label: `${stage.code} timed to ${precisionText(stagePrecision)}: ${formatDuration(stageMs, decimalsFor(stagePrecision))}`, ms: stageMs, note: 'Stage.precisionMs' });
  }
  steps.push({
    label: `${rounding} to ${precisionText(totalPrecision)}: ${formatDuration(ms, decimalsFor(totalPrecision))}`,
    ms,
    rule: rules.stageRounding.rule.includes(rules.stagePrecisionMs.rule) ? rules.stageRounding.rule : `${rules.stagePrecisionMs.rule}; ${rules.stageRounding.rule}`,
    confirmed: rules.stagePrecisionMs.confirmed && rules.stageRounding.confirmed,
  });

  // SEE: rally-rules §3.3 — MSUK26 App 13 Arts 9.1, 11.1: bogey if faster, the time driven between, the maximum if slower.
  const maxMs = stageMaximumMs(stage, rules);
  const maxApplied = maxMs !== null && ms > maxMs;
  if (maxApplied) {
    ms = maxMs;
    steps.push({
      label: `stage maximum ${formatDuration(maxMs, decimalsFor(totalPrecision))} charged instead`,
      ms,
      rule: stage.maximumMs !== undefined ? `${stage.code} maximum (rally definition); ${rules.stageMaxTime.rule}` : rules.stageMaxTime.rule,
      confirmed: rules.stageMaxTime.confirmed || stage.maximumMs !== undefined,
    });
  }
  const bogey = stageBogeyMs(stage, rules);
  const bogeyApplied = bogey !== null && ms < bogey;
  if (bogeyApplied) {
    ms = bogey;
    steps.push({
      label: `faster than the bogey time: bogey ${formatDuration(bogey, decimalsFor(totalPrecision))} charged instead`,
      ms,
      rule: stage.bogeyMs !== undefined ? `${stage.code} bogey (rally definition); ${rules.stageBogeyTime.rule}` : rules.stageBogeyTime.rule,
      confirmed: rules.stageBogeyTime.confirmed || stage.bogeyMs !== undefined,
    });
  }
  return { ms, stageMs: maxApplied ? Math.min(stageMs, ms) : bogeyApplied ? Math.max(stageMs, ms) : stageMs, maxApplied, bogeyApplied, steps };
}
