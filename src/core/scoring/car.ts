// One car's scoring from its own facts: a cell per stage (time and status),
// its penalties placed in the itinerary, retirements, restarts and exclusion.
// Times that depend on other cars (Super Rally charges for missed stages) are
// filled in afterwards by restart.ts.
import type { ControlTimeRecorded, Fact, JumpStartRecorded, StageTimeRecorded } from '../facts.ts';
import type { Issue } from '../issues.ts';
import type { RuleSet } from '../rules/types.ts';
import type { StageStatus, WorkingStep } from '../results.ts';
import { parseDuration } from '../time/duration.ts';
import { parseLocalDateTime } from '../time/local-time.ts';
import { chargeStageTime } from '../timing/stage-time.ts';
import { roadPenalties, type CarControlTime, type RoadOutcome } from '../timing/road-penalties.ts';
import type { RallyDefinition } from '../model.ts';
import type { GlobalContext } from './global.ts';
import { AT_END, placeOfStageEnd, type Itinerary } from './itinerary.ts';
import type { FactStore } from './store.ts';
import { jumpStartItems, penaltyItems } from './penalties.ts';
import { pairRestarts, type RetirementItem } from './retirement.ts';

export interface StageCell {
  status: StageStatus;
  /** Time that counts in totals (rules' precision); null without a time. */
  ms: number | null;
  /** Time at the stage's own precision, for the stage's ranking. */
  stageMs: number | null;
  rawMs: number | null;
  used: Fact[];
  /** In-effect facts that disagree with the one used (two times for one car and control or stage). */
  conflicts: Fact[];
  steps: WorkingStep[];
  splitsMs?: Record<string, number>;
  /** Start time of day (rally-local ms) when the car started and has no finish yet. */
  startedAtMs?: number;
}

export interface PenaltyItem {
  /** Itinerary position where it was incurred (AT_END when it has no place). */
  pos: number;
  ms: number;
  kind: 'road' | 'other';
  label: string;
  rule?: string;
  confirmed?: boolean;
  facts: Fact[];
  stage?: string;
  control?: string;
}

export interface ChosenTime {
  atMs: number;
  fact: ControlTimeRecorded;
  conflicts: ControlTimeRecorded[];
}

export interface CarDerived {
  car: number;
  cells: StageCell[];
  penalties: PenaltyItem[];
  retirements: RetirementItem[];
  exclusion: { reason: string; rule?: string; fact: Fact | null } | null;
  controlTimes: Map<string, ChosenTime>;
  road: RoadOutcome | null;
  /** Stage indices missed through a retirement followed by a restart, with no time of their own. */
  missed: number[];
  issues: Issue[];
  /** Jump starts recorded by a device and not (yet) decided by an official. */
  jumpEvidence: JumpStartRecorded[];
}

export interface CarContext {
  def: RallyDefinition;
  rules: RuleSet;
  it: Itinerary;
  store: FactStore;
  global: GlobalContext;
}

const issue = (i: Issue): Issue => i;

/** Groups in-effect facts by a key, each group in log order (the first is the one chosen). */
function groupBy<T extends Fact>(facts: T[], key: (f: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const f of facts) { const k = key(f); const g = m.get(k); if (g) g.push(f); else m.set(k, [f]); }
  return m;
}

export function deriveCar(car: number, ctx: CarContext): CarDerived {
  const { it, store, rules, global } = ctx;
  const all = store.carFacts(car);
  const live = all.filter((f) => store.active(f.id));
  const issues: Issue[] = [];
  if (!it.entryByCar.has(car) && all.length > 0) {
    issues.push(issue({ code: 'unknown-car', severity: 'error', subject: `car ${car}`, car, facts: all.map((f) => f.id),
      detail: `car ${car} is not on the entry list`, fix: 'supersede the facts with the right car number, or add the entry' }));
  }

  // Control times: one per control, the first in log order; a different second time is a conflict.
  const controlTimes = new Map<string, ChosenTime>();
  const cts = live.filter((f): f is ControlTimeRecorded => f.type === 'controlTime');
  for (const [control, group] of groupBy(cts, (f) => f.control)) {
    if (!it.controls.has(control)) {
      issues.push(issue({ code: 'unknown-control', severity: 'error', subject: `car ${car} at ${control}`, car, control, facts: group.map((f) => f.id),
        detail: `control ${JSON.stringify(control)} is not in the itinerary`, fix: 'supersede the time with one naming a control of the itinerary' }));
      continue;
    }
    let chosen: ChosenTime | null = null;
    for (const f of group) {
      const atMs = parseLocalDateTime(f.at);
      if (atMs === null) {
        issues.push(issue({ code: 'unparsable-time', severity: 'error', subject: `car ${car} at ${control}`, car, control, facts: [f.id],
          detail: `time of day ${JSON.stringify(f.at)} does not parse`, fix: 'supersede it with a rally-local time such as 2026-02-06T19:32:05.3' }));
        continue;
      }
      if (!chosen) chosen = { atMs, fact: f, conflicts: [] };
      else if (atMs !== chosen.atMs) chosen.conflicts.push(f);
    }
    if (!chosen) continue;
    controlTimes.set(control, chosen);
    if (chosen.conflicts.length > 0) issues.push(twoTimes(car, `control ${control}`, [chosen.fact, ...chosen.conflicts], { control }));
  }

  const stageFacts = groupBy(live.filter((f): f is StageTimeRecorded => f.type === 'stageTime'), (f) => f.stage);
  for (const [code, group] of stageFacts) {
    if (!it.stageIndex.has(code)) {
      issues.push(issue({ code: 'unknown-stage', severity: 'error', subject: `car ${car} at ${code}`, car, stage: code, facts: group.map((f) => f.id),
        detail: `stage ${JSON.stringify(code)} is not in the itinerary`, fix: 'supersede the time with one naming a stage of the rally' }));
    }
  }

  const cells = it.stages.map((stage, i) => stageCell(car, i, ctx, controlTimes, stageFacts.get(stage.code) ?? [], issues));

  const road = controlTimes.size > 0
    ? roadPenalties(ctx.def, rules, new Map<string, CarControlTime>([...controlTimes].map(([c, t]) => [c, { control: c, atMs: t.atMs, factId: t.fact.id }])), car)
    : null;

  const penalties: PenaltyItem[] = [];
  for (const p of road?.penalties ?? []) {
    if (p.ms === 0) continue;
    const f = controlTimes.get(p.control)?.fact;
    penalties.push({
      pos: it.controls.get(p.control)?.pos ?? AT_END, ms: p.ms, kind: 'road', control: p.control,
      label: `${p.minutes} min ${p.kind} at ${p.control}`, rule: p.rule, confirmed: p.confirmed, facts: f ? [f] : [],
    });
  }
  penalties.push(...penaltyItems(car, live, it, issues));
  const jumps = jumpStartItems(car, live, it, rules, issues);
  penalties.push(...jumps.items);

  const retirements = pairRestarts(car, live, ctx, road, issues);
  const excl = live.filter((f) => f.type === 'exclusion')[0];
  let exclusion: CarDerived['exclusion'] = excl && excl.type === 'exclusion' ? { reason: excl.reason, rule: excl.rule, fact: excl } : null;
  const over = road?.maxLatenessExceeded;
  if (!exclusion && over && over.action === 'exclude') {
    const f = controlTimes.get(over.control)?.fact;
    exclusion = { reason: `maximum lateness exceeded at ${over.control} (${over.minutesLate} min late, ${over.cumulativeMinutes} min accumulated)`, rule: over.rule, fact: f ?? null };
  }

  // Stages missed between a retirement and its restart, without a time of their own.
  const missed: number[] = [];
  for (const r of retirements) {
    if (!r.restart) continue;
    it.stages.forEach((s, i) => {
      if (global.cancelled.has(s.code)) return;
      const c = cells[i]!;
      if (c.ms !== null) return;
      if (placeOfStageEnd(it, i) >= r.pos && it.stagePos[i]! < r.restart!.pos) missed.push(i);
    });
  }
  return { car, cells, penalties, retirements, exclusion, controlTimes, road, missed, issues, jumpEvidence: jumps.evidence };
}

function twoTimes(car: number, what: string, facts: Fact[], where: { control?: string; stage?: string }): Issue {
  return {
    code: 'two-times-one-control', severity: 'error', subject: `car ${car} at ${where.control ?? where.stage}`, car, ...where,
    facts: facts.map((f) => f.id),
    detail: `${facts.length} different times for car ${car} at ${what}; fact ${facts[0]!.id} is used (first in the log)`,
    fix: 'supersede the wrong one with a correction that gives the reason',
  };
}

function stageCell(car: number, i: number, ctx: CarContext, times: Map<string, ChosenTime>, stageFacts: StageTimeRecorded[], issues: Issue[]): StageCell {
  const { it, rules, global } = ctx;
  const stage = it.stages[i]!;
  const empty = (status: StageStatus, extra: Partial<StageCell> = {}): StageCell => ({ status, ms: null, stageMs: null, rawMs: null, used: [], conflicts: [], steps: [], ...extra });
  const cancelled = global.cancelled.get(stage.code);
  if (cancelled) return empty('cancelled', { used: [cancelled], steps: [{ label: `${stage.code} cancelled: ${cancelled.reason}`, facts: [] }] });

  const charge = (raw: number, status: StageStatus, used: Fact[], conflicts: Fact[], pre: WorkingStep[]): StageCell => {
    const c = chargeStageTime(raw, stage, rules);
    return { status: c.maxApplied && status === 'ok' ? 'maxTime' : status, ms: c.ms, stageMs: c.stageMs, rawMs: raw, used, conflicts, steps: [...pre, ...c.steps] };
  };

  const notional = global.notional.get(stage.code)?.get(car);
  if (notional) {
    return charge(notional.ms, 'notional', [notional.fact], notional.conflicts,
      [{ label: `notional time given after ${stage.code} was interrupted: ${notional.fact.reason}`, ms: notional.ms, rule: rules.notionalTimePolicy.rule, confirmed: rules.notionalTimePolicy.confirmed }]);
  }

  let chosen: { ms: number; f: StageTimeRecorded } | null = null;
  const conflicts: Fact[] = [];
  for (const f of stageFacts) {
    const ms = parseDuration(f.time);
    if (ms === null) {
      issues.push({ code: 'unparsable-time', severity: 'error', subject: `car ${car} at ${stage.code}`, car, stage: stage.code, facts: [f.id],
        detail: `stage time ${JSON.stringify(f.time)} does not parse`, fix: 'supersede it with a time written as 3:45.2 or 1:02:03.4' });
      continue;
    }
    if (!chosen) chosen = { ms, f };
    else if (ms !== chosen.ms) conflicts.push(f);
  }
  if (chosen) {
    if (conflicts.length) issues.push(twoTimes(car, `stage ${stage.code}`, [chosen.f, ...conflicts], { stage: stage.code }));
    const what = chosen.f.assessed ? 'assessed by the officials' : `given by ${chosen.f.source ?? 'the timing'}`;
    return charge(chosen.ms, chosen.f.assessed ? 'assessed' : 'ok', [chosen.f], conflicts, [{ label: `stage time ${what}: ${chosen.f.time}`, ms: chosen.ms }]);
  }

  const startId = it.startOf.get(stage.code), finishId = it.finishOf.get(stage.code);
  const start = startId ? times.get(startId) : undefined;
  const finish = finishId ? times.get(finishId) : undefined;
  if (!start) return empty('notRun');
  const splitsMs: Record<string, number> = {};
  for (const sp of it.splitsOf.get(stage.code) ?? []) {
    const t = times.get(sp);
    if (t && t.atMs >= start.atMs) splitsMs[sp] = t.atMs - start.atMs;
  }
  const conflictsCt = [...start.conflicts, ...(finish?.conflicts ?? [])];
  if (!finish) return empty('running', { startedAtMs: start.atMs, used: [start.fact], conflicts: conflictsCt, splitsMs });
  const raw = finish.atMs - start.atMs;
  if (raw < 0) {
    issues.push({ code: 'finish-before-start', severity: 'error', subject: `car ${car} at ${stage.code}`, car, stage: stage.code, facts: [start.fact.id, finish.fact.id],
      detail: `finish ${finish.fact.at} is before start ${start.fact.at}`, fix: 'supersede the wrong time of day with a correction' });
    return empty('running', { startedAtMs: start.atMs, used: [start.fact, finish.fact] });
  }
  const cell = charge(raw, 'ok', [start.fact, finish.fact], conflictsCt, [
    { label: `start ${start.fact.at} (${startId}), finish ${finish.fact.at} (${finishId}): finish − start`, ms: raw },
  ]);
  if (Object.keys(splitsMs).length) cell.splitsMs = splitsMs;
  return cell;
}

