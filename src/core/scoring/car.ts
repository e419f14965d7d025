// One car's scoring from its own facts: a cell per stage (time and status),
// its penalties placed in the itinerary, retirements, restarts and exclusion.
// Times that depend on other cars (Super Rally charges for missed stages) are
// filled in afterwards by restart.ts.
import type { Fact, JumpStartRecorded } from '../facts.ts';
import type { Issue } from '../issues.ts';
import type { RuleSet } from '../rules/types.ts';
import { roadPenalties, type RoadOutcome } from '../timing/road-penalties.ts';
import type { RallyDefinition } from '../model.ts';
import type { GlobalContext } from './global.ts';
import { AT_END, placeOfStageEnd, type Itinerary } from './itinerary.ts';
import type { FactStore } from './store.ts';
import { jumpStartItems, penaltyItems } from './penalties.ts';
import { pairRestarts, type RetirementItem } from './retirement.ts';
import { stageCell, twoTimes, type ChosenTime, type StageCell } from './stage-cell.ts';
import { stageCharges } from './stage-charges.ts';

export type { StageCell, ChosenTime };

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
  /** Of those, the first one missed after each retirement (charged the first amount when the preset sets a different later one). */
  missedFirst: ReadonlySet<number>;
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
  // In effect, by kind, in log order; kept up to date by the store as facts arrive.
  // `other` is every in-effect fact but the times: the scans below look for other kinds only.
  const { other, stageTimes: sts } = store.carIndex(car);
  const issues: Issue[] = [];
  if (!it.entryByCar.has(car) && all.length > 0) {
    issues.push(issue({ code: 'unknown-car', severity: 'error', subject: `car ${car}`, car, facts: all.map((f) => f.id),
      detail: `car ${car} is not on the entry list`, fix: 'supersede the facts with the right car number, or add the entry' }));
  }

  // Control times: one per control, the first in log order; a different second time is a conflict.
  const times = store.carTimes(car);
  let controlTimes: Map<string, ChosenTime>;
  if (!times.irregular && !times.namesUnknown(it.controls)) {
    controlTimes = times.share(); // the usual case: nothing to report
  } else {
    controlTimes = new Map();
    for (const [control, g] of times.groups()) {
      if (!it.controls.has(control)) {
        issues.push(issue({ code: 'unknown-control', severity: 'error', subject: `car ${car} at ${control}`, car, control, facts: g.facts.map((f) => f.id),
          detail: `control ${JSON.stringify(control)} is not in the itinerary`, fix: 'supersede the time with one naming a control of the itinerary' }));
        continue;
      }
      for (const f of g.unparsable) {
        issues.push(issue({ code: 'unparsable-time', severity: 'error', subject: `car ${car} at ${control}`, car, control, facts: [f.id],
          detail: `time of day ${JSON.stringify(f.at)} does not parse`, fix: 'supersede it with a rally-local time such as 2026-02-06T19:32:05.3' }));
      }
      const chosen = g.chosen;
      if (!chosen) continue;
      controlTimes.set(control, chosen);
      if (chosen.conflicts.length > 0) issues.push(twoTimes(car, [chosen.fact, ...chosen.conflicts], { control }));
    }
  }

  const stageFacts = groupBy(sts, (f) => f.stage);
  for (const [code, group] of stageFacts) {
    if (!it.stageIndex.has(code)) {
      issues.push(issue({ code: 'unknown-stage', severity: 'error', subject: `car ${car} at ${code}`, car, stage: code, facts: group.map((f) => f.id),
        detail: `stage ${JSON.stringify(code)} is not in the itinerary`, fix: 'supersede the time with one naming a stage of the rally' }));
    }
  }

  const cells: StageCell[] = [];
  for (let i = 0; i < it.stages.length; i++) cells.push(stageCell(car, i, it, rules, global, controlTimes, stageFacts.get(it.stages[i]!.code), issues));

  // NOTE: a ChosenTime is also a CarControlTime; no workings text here (explain builds what it shows from the penalties).
  const road: RoadOutcome | null = controlTimes.size > 0 ? roadPenalties(ctx.def, rules, controlTimes, car, { steps: false }) : null;

  const penalties: PenaltyItem[] = [];
  for (const p of road?.penalties ?? []) {
    if (p.ms === 0) continue;
    const f = controlTimes.get(p.control)?.fact;
    penalties.push({
      pos: it.controls.get(p.control)?.pos ?? AT_END, ms: p.ms, kind: 'road', control: p.control,
      label: p.kind === 'maxLateness' ? `maximum lateness exceeded at ${p.control}: fixed penalty` : `${p.minutes} min ${p.kind} at ${p.control}`, rule: p.rule, confirmed: p.confirmed, facts: f ? [f] : [],
    });
  }
  penalties.push(...penaltyItems(car, other, it, issues));
  const jumps = jumpStartItems(car, other, it, rules, issues);
  penalties.push(...jumps.items);

  // Charges officials decide on a stage: the stage maximum, a crew that did not complete it (dnfStageCharge), a delayed start.
  const charged = stageCharges(car, other, ctx, cells, issues);
  penalties.push(...charged.penalties);
  const retirements = pairRestarts(car, other, ctx, road, issues, charged.retirements, charged.notRetired);
  const excl = other.find((f) => f.type === 'exclusion');
  let exclusion: CarDerived['exclusion'] = excl && excl.type === 'exclusion' ? { reason: excl.reason, rule: excl.rule, fact: excl } : null;
  const over = road?.maxLatenessExceeded;
  if (over) {
    const f = controlTimes.get(over.control)?.fact;
    issues.push({
      code: 'max-lateness-exceeded', severity: 'warning', subject: `car ${car} at ${over.control}`, car, control: over.control, facts: f ? [f.id] : [],
      detail: `car ${car} is ${over.minutesLate} min late at ${over.control} (${over.cumulativeMinutes} min accumulated): beyond the maximum lateness, so ${over.action === 'retire' ? 'retired there' : over.action === 'exclude' ? 'excluded' : 'given the fixed penalty'} (${over.rule})`,
      fix: 'check the time card; if the lateness stands, record the retirement with its reason so the results say why',
    });
  }
  if (!exclusion && over && over.action === 'exclude') {
    const f = controlTimes.get(over.control)?.fact;
    exclusion = { reason: `maximum lateness exceeded at ${over.control} (${over.minutesLate} min late, ${over.cumulativeMinutes} min accumulated)`, rule: over.rule, fact: f ?? null };
  }

  // Stages missed between a retirement and its restart, without a time of their own.
  // A stage the crew's category does not run is not missed: it counts for none of its crews.
  const category = it.entryByCar.get(car)?.category;
  const missed: number[] = [];
  const missedFirst = new Set<number>();
  for (const r of retirements) {
    if (!r.restart) continue;
    let first = true;
    it.stages.forEach((s, i) => {
      if (global.cancelled.has(s.code)) return;
      if (category !== undefined && s.runBy !== undefined && !s.runBy.includes(category)) return;
      if (placeOfStageEnd(it, i) < r.pos || it.stagePos[i]! >= r.restart!.pos) return;
      // A time given by officials on a stage the crew missed (assessed) is not charged again, but it was the first one missed.
      const own = cells[i]!;
      if (own.ms !== null) { if (own.status === 'assessed') first = false; return; }
      {
        missed.push(i);
        if (first) missedFirst.add(i);
        first = false;
      }
    });
  }
  return { car, cells, penalties, retirements, exclusion, controlTimes, road, missed, missedFirst, issues, jumpEvidence: jumps.evidence };
}
