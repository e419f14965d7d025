// One car's time on one stage, from the facts in effect, in this order:
// cancelled stage → notional time given after an interruption → stage-time
// fact (device or official, `assessed` when charged by officials) → finish −
// start from the stage's SS_START and SS_FINISH time-of-day facts.
// The workings text is built only when asked for (explain), never while scoring.
import type { ControlTimeRecorded, Fact, StageTimeRecorded } from '../facts.ts';
import type { Issue } from '../issues.ts';
import type { Stage } from '../model.ts';
import type { RuleSet } from '../rules/types.ts';
import type { StageStatus, WorkingStep } from '../results.ts';
import { parseDuration } from '../time/duration.ts';
import { timesOfDayForPeople } from '../time/local-time.ts';
import { chargeStageTime, roundTo, stageBogeyMs, stageMaximumMs } from '../timing/stage-time.ts';
import type { GlobalContext } from './global.ts';
import type { Itinerary } from './itinerary.ts';

export type CellSource = 'none' | 'cancelled' | 'notional' | 'stageTime' | 'controls' | 'restart';

export interface StageCell {
  status: StageStatus;
  /** Time that counts in totals (rules' precision); null without a time. */
  ms: number | null;
  /** Time at the stage's own precision, for the stage's ranking. */
  stageMs: number | null;
  rawMs: number | null;
  source: CellSource;
  used: Fact[];
  /** In-effect facts that disagree with the one used (two times for one car and control or stage). */
  conflicts: Fact[];
  /** Only for Super Rally charges, which are built with their workings. */
  steps?: WorkingStep[];
  splitsMs?: Record<string, number>;
  /** Start time of day (rally-local ms) when the car started and has no finish yet. */
  startedAtMs?: number;
}

export interface ChosenTime {
  atMs: number;
  fact: ControlTimeRecorded;
  conflicts: ControlTimeRecorded[];
  /** The control and fact id again, so road penalties read the same map (timing/road-penalties.ts CarControlTime). */
  control: string;
  factId: string;
}

/**
 * The arithmetic of `chargeStageTime` without its workings text: rescoring a
 * rally charges thousands of cells, and the text is only needed for explain.
 * WARNING: keep in step with timing/stage-time.ts; a property test checks that both agree.
 */
export function chargeQuick(rawMs: number, stage: Stage, rules: RuleSet): { ms: number; stageMs: number; maxApplied: boolean; bogeyApplied: boolean } {
  const rounding = rules.stageRounding.value;
  const rulesPrecision = rules.stagePrecisionMs.value;
  const stagePrecision = stage.precisionMs ?? rulesPrecision;
  const stageMs = roundTo(rawMs, stagePrecision, rounding);
  let ms = roundTo(rawMs, Math.max(stagePrecision, rulesPrecision), rounding);
  const max = stageMaximumMs(stage, rules);
  const maxApplied = max !== null && ms > max;
  if (maxApplied) ms = max;
  const bogey = stageBogeyMs(stage, rules);
  const bogeyApplied = bogey !== null && ms < bogey;
  if (bogeyApplied) ms = bogey;
  return { ms, stageMs: maxApplied ? Math.min(stageMs, ms) : bogeyApplied ? Math.max(stageMs, ms) : stageMs, maxApplied, bogeyApplied };
}

// NOTE: shared empty lists for the thousands of cells without facts or conflicts (frozen: never added to).
const NONE: Fact[] = Object.freeze([]) as unknown as Fact[];

function cell(status: StageStatus, source: CellSource, used: Fact[], conflicts: Fact[]): StageCell {
  return { status, ms: null, stageMs: null, rawMs: null, source, used, conflicts };
}

function charged(raw: number, status: StageStatus, source: CellSource, stage: Stage, rules: RuleSet, used: Fact[], conflicts: Fact[]): StageCell {
  const c = chargeQuick(raw, stage, rules);
  return { status: c.maxApplied && status === 'ok' ? 'maxTime' : status, ms: c.ms, stageMs: c.stageMs, rawMs: raw, source, used, conflicts };
}

export function stageCell(car: number, i: number, it: Itinerary, rules: RuleSet, global: GlobalContext, times: ReadonlyMap<string, ChosenTime>, stageFacts: StageTimeRecorded[] | undefined, issues: Issue[], ownOnly = false): StageCell {
  const stage = it.stages[i]!;
  if (global.cancelled.size > 0) {
    const cancelled = global.cancelled.get(stage.code);
    if (cancelled) return cell('cancelled', 'cancelled', [cancelled], NONE);
  }

  if (global.notional.size > 0 && !ownOnly) {
    const notional = global.notional.get(stage.code)?.get(car);
    if (notional) {
      // SEE: rally-rules §3.4 — FMU26 Art 52.1, MSUK 4.36: a crew responsible for the stoppage never benefits; it keeps its own time.
      if (notional.fact.responsible?.includes(car)) {
        const own = stageCell(car, i, it, rules, global, times, stageFacts, issues, true);
        if (own.ms !== null) return own;
      }
      return charged(notional.ms, 'notional', 'notional', stage, rules, [notional.fact], notional.conflicts);
    }
  }

  if (stageFacts) {
    let chosen: StageTimeRecorded | null = null;
    let chosenMs = 0;
    const conflicts: Fact[] = [];
    for (const f of stageFacts) {
      const ms = parseDuration(f.time);
      if (ms === null) {
        issues.push({ code: 'unparsable-time', severity: 'error', subject: `car ${car} at ${stage.code}`, car, stage: stage.code, facts: [f.id],
          detail: `stage time ${JSON.stringify(f.time)} does not parse`, fix: 'supersede it with a time written as 3:45.2 or 1:02:03.4' });
        continue;
      }
      // Facts come in log order: the first one stands, a different later one is a conflict.
      if (!chosen) { chosen = f; chosenMs = ms; } else if (ms !== chosenMs) conflicts.push(f);
    }
    if (chosen) {
      if (conflicts.length) issues.push(twoTimes(car, [chosen, ...conflicts], { stage: stage.code }));
      return charged(chosenMs, chosen.assessed ? 'assessed' : 'ok', 'stageTime', stage, rules, [chosen], conflicts);
    }
  }

  const startId = it.startAt[i], finishId = it.finishAt[i];
  const start = startId !== undefined ? times.get(startId) : undefined;
  if (!start) return cell('notRun', 'none', NONE, NONE);
  const finish = finishId !== undefined ? times.get(finishId) : undefined;
  const conflicts: Fact[] = finish
    ? (start.conflicts.length + finish.conflicts.length === 0 ? NONE : [...start.conflicts, ...finish.conflicts])
    : (start.conflicts.length === 0 ? NONE : [...start.conflicts]);
  let splitsMs: Record<string, number> | undefined;
  for (const sp of it.splitsAt[i]!) {
    const t = times.get(sp);
    if (t && t.atMs >= start.atMs) (splitsMs ??= {})[sp] = t.atMs - start.atMs;
  }
  let out: StageCell;
  if (!finish) {
    out = cell('running', 'controls', [start.fact], conflicts);
    out.startedAtMs = start.atMs;
  } else if (finish.atMs < start.atMs) {
    issues.push({ code: 'finish-before-start', severity: 'error', subject: `car ${car} at ${stage.code}`, car, stage: stage.code, facts: [start.fact.id, finish.fact.id],
      detail: finishBeforeStart(finish.atMs, start.atMs), fix: 'supersede the wrong time of day with a correction' });
    out = cell('running', 'controls', [start.fact, finish.fact], conflicts);
    out.startedAtMs = start.atMs;
  } else {
    out = charged(finish.atMs - start.atMs, 'ok', 'controls', stage, rules, [start.fact, finish.fact], conflicts);
  }
  if (splitsMs) out.splitsMs = splitsMs;
  return out;
}

export function twoTimes(car: number, facts: Fact[], where: { control?: string; stage?: string }): Issue {
  const what = where.control !== undefined ? `control ${where.control}` : `stage ${where.stage}`;
  return {
    code: 'two-times-one-control', severity: 'error', subject: `car ${car} at ${where.control ?? where.stage}`, car, ...where,
    facts: facts.map((f) => f.id),
    detail: `${facts.length} different times for car ${car} at ${what}; fact ${facts[0]!.id} is used (first in the log: lowest seq, then id)`,
    fix: 'supersede the wrong one with a correction that gives the reason',
  };
}

/** The workings of a cell, built on demand. */
export function cellSteps(c: StageCell, stage: Stage, rules: RuleSet, it: Itinerary): WorkingStep[] {
  if (c.steps) return c.steps;
  const pre: WorkingStep[] = [];
  const f = c.used[0];
  if (c.source === 'cancelled' && f?.type === 'stageCancelled') return [{ label: `${stage.code} cancelled: ${f.reason}` }];
  if (c.source === 'notional' && f?.type === 'stageInterrupted') {
    pre.push({ label: `notional time given after ${stage.code} was interrupted: ${f.reason}`, ms: c.rawMs ?? undefined, rule: rules.notionalTimePolicy.rule, confirmed: rules.notionalTimePolicy.confirmed });
  } else if (c.source === 'stageTime' && f?.type === 'stageTime') {
    pre.push({ label: `stage time ${f.assessed ? 'assessed by the officials' : `given by ${f.source ?? 'the timing'}`}: ${f.time}`, ms: c.rawMs ?? undefined });
  } else if (c.source === 'controls' && c.used.length === 2) {
    const [s, e] = c.used as [ControlTimeRecorded, ControlTimeRecorded];
    pre.push({ label: `start ${s.at} (${it.startOf.get(stage.code)}), finish ${e.at} (${it.finishOf.get(stage.code)}): finish − start`, ms: c.rawMs ?? undefined });
  }
  if (c.rawMs === null || c.ms === null) return pre;
  return [...pre, ...chargeStageTime(c.rawMs, stage, rules).steps];
}

/** Only built when the error is reported: the two times as rally people write them. */
function finishBeforeStart(finishMs: number, startMs: number): string {
  const [finish, start] = timesOfDayForPeople(finishMs, startMs);
  return `finish ${finish} is before start ${start}`;
}
