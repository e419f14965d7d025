// Hands the folded state to the data-quality checks and the overdue check,
// and adds the problems scoring itself found (unparsable times, unknown cars,
// disagreeing stage times, refused restarts, …).
import type { Issue } from '../issues.ts';
import type { OverdueCrew } from '../results.ts';
import { checkDataQuality, findOverdue, type QualityInput } from '../quality/index.ts';
import type { Engine } from './engine.ts';
import { isDecidedJumpStart } from './penalties.ts';
import { AT_END } from './itinerary.ts';
import { retiredAt } from './retirement.ts';
import { parseLocalDateTime } from '../time/local-time.ts';

/** A penalty for the offence rally-rules §3.2 names "Jump start (false start)", in either wording. */
const JUMP_START_OFFENCE = /jump|false[\s-]*start/i;

export function qualityInput(e: Engine): QualityInput {
  const input: QualityInput = {
    def: e.definition, rules: e.rules, controlTimes: [], stageTimes: [], jumpStarts: [], retiredCars: [], finishedStages: {},
  };
  for (const car of e.cars()) {
    const facts = e.store.carFacts(car);
    const score = e.carScore(car);
    for (const f of facts) {
      if (f.type !== 'controlTime') continue;
      const atMs = parseLocalDateTime(f.at);
      if (atMs !== null) input.controlTimes.push({ factId: f.id, car, control: f.control, atMs, superseded: !e.store.active(f.id) });
    }
    score.cells.forEach((c, i) => {
      const code = e.it.stages[i]!.code;
      if (c.stageMs !== null) input.stageTimes.push({ car, stage: code, ms: c.rawMs ?? c.stageMs, factIds: c.used.map((f) => f.id), status: c.status });
      const fin = e.it.finishOf.get(code);
      if (fin && score.derived.controlTimes.has(fin)) (input.finishedStages[code] ??= []).push(car);
    });
    const live = facts.filter((f) => e.store.active(f.id));
    // NOTE: only a decision about the jump start settles device evidence; any other penalty on the stage does not.
    const decidedStages = new Set(live.flatMap((f) => (f.type === 'jumpStart' && isDecidedJumpStart(f)) || (f.type === 'penalty' && f.stage && JUMP_START_OFFENCE.test(`${f.reason} ${f.rule ?? ''}`)) ? [f.stage as string] : []));
    for (const f of live) {
      if (f.type !== 'jumpStart') continue;
      input.jumpStarts.push({ factId: f.id, car, stage: f.stage, ...(f.source ? { source: f.source } : {}), decided: isDecidedJumpStart(f) || decidedStages.has(f.stage) });
    }
    if (score.derived.exclusion || retiredAt(score.derived.retirements, AT_END)) input.retiredCars.push(car);
  }
  return input;
}

export function dataIssuesEngine(e: Engine): Issue[] {
  const own: Issue[] = [...e.globalContext().issues];
  for (const car of e.cars()) {
    for (const i of e.carScore(car).derived.issues) {
      // NOTE: disagreeing control times are the quality checks' finding (they judge time controls to the minute).
      if (i.code === 'two-times-one-control' && i.control !== undefined) continue;
      own.push(i);
    }
  }
  const found = checkDataQuality(qualityInput(e));
  const seen = new Set<string>();
  const out: Issue[] = [];
  for (const i of [...own, ...found]) {
    const key = `${i.code}|${i.car ?? ''}|${i.facts.join(',')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(i);
  }
  return out;
}

export function overdueEngine(e: Engine, nowLocalMs: number): OverdueCrew[] {
  return findOverdue(qualityInput(e), nowLocalMs).map((o) => ({
    car: o.car, stage: o.stage, startedAt: o.startedAt, expectedByLocalMs: o.expectedByLocalMs, overdueMs: o.overdueMs, detail: o.detail,
  }));
}
