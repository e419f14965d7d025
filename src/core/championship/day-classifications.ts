// The per-day classifications WRC points are awarded on, derived from a
// scored rally through the scoring API. SEE: rally-rules §6.1.
//   Saturday (WRC24): the general classification after the last Saturday stage.
//   Sunday (WRC24 Sunday, WRC25 Super Sunday): Sunday only — "from the first TC
//   after the overnight regroup to the last TC of the competitive part,
//   including penalties incurred in that segment" — over crews who ran every
//   Sunday stage.
//   Power Stage: the stage of type `power`, placed by its stage results.
import { classify, stageResults, type ScoringState } from '../scoring/index.ts';
import type { StageClassification } from '../results.ts';
import { SATURDAY, SUNDAY, stagesOnWeekday } from './rally-days.ts';

export interface DayPositions {
  /** Place by car; crews without a place are absent. */
  positions: Map<number, number>;
  /** How the classification was taken, for the workings. */
  basis: string;
}

/** Stages of the list that were run: not cancelled and timed for at least one crew. */
function runStages(state: ScoringState, codes: readonly string[]): { code: string; result: StageClassification }[] {
  return codes.map((code) => ({ code, result: stageResults(state, code) }))
    .filter((s) => !s.result.cancelled && s.result.rows.some((r) => r.timeMs !== null));
}

/**
 * WRC24: general classification after the last stage run on the rally's
 * Saturday; undefined when no Saturday stage was run. Built leg by leg so
 * that it ends with Saturday's leg (its last controls included) and nothing of
 * the next leg counts: not a Sunday-morning penalty, not a restart made for
 * Sunday. Within one leg it ends where the next stage starts (scoring's
 * "after a stage").
 */
export function saturdayPositions(state: ScoringState): DayPositions | undefined {
  const def = state.definition;
  const run = runStages(state, stagesOnWeekday(def, SATURDAY));
  const last = run.at(-1);
  if (!last) return undefined;
  const lastIdx = def.stages.findIndex((s) => s.code === last.code);
  const satLeg = def.stages[lastIdx]!.leg;
  const legIds = def.legs.map((l) => l.id);
  const upTo = legIds.slice(0, legIds.indexOf(satLeg) + 1);
  const totals = new Map<number, { ms: number; counted: number }>();
  let expected = 0;
  for (const leg of upTo) {
    const legStages = def.stages.map((s, i) => ({ s, i })).filter(({ s, i }) => s.leg === leg && (leg !== satLeg || i <= lastIdx));
    const after = legStages.at(-1)?.s.code;
    if (after === undefined) continue;
    expected += legStages.filter(({ s }) => !stageResults(state, s.code).cancelled).length;
    const part = classify(state, { leg, after });
    for (const row of part.rows) {
      const t = totals.get(row.car) ?? { ms: 0, counted: 0 };
      totals.set(row.car, { ms: t.ms + row.totalMs, counted: t.counted + row.stagesCounted });
      // A crew out at the end of Saturday's leg has no place, whatever it did before.
      if (leg === satLeg && (row.status === 'retired' || row.status === 'excluded' || row.status === 'notStarted')) totals.delete(row.car);
    }
  }
  // Equal totals keep the order of the general classification (its tie-break).
  const gcOrder = new Map(classify(state, { after: last.code }).rows.map((r, k) => [r.car, k]));
  const ranked = [...totals].filter(([, t]) => t.counted === expected)
    .sort((a, b) => a[1].ms - b[1].ms || (gcOrder.get(a[0]) ?? 0) - (gcOrder.get(b[0]) ?? 0) || a[0] - b[0]);
  const positions = new Map(ranked.map(([car], k) => [car, k + 1]));
  return { positions, basis: `general classification after ${last.code}, the last stage run on Saturday, to the end of leg ${satLeg} when it ends the day (WRC24 [P])` };
}

/**
 * WRC24/WRC25: classification of Sunday only. When Sunday is one whole leg,
 * the leg classification (its stages and every penalty from the leg's first
 * control on) is the rule's segment exactly. Otherwise Sunday is the
 * difference of the general classifications before and after Sunday's stages,
 * whose penalties count from the first Sunday stage's start.
 */
export function sundayPositions(state: ScoringState): DayPositions | undefined {
  const def = state.definition;
  const sunday = stagesOnWeekday(def, SUNDAY);
  if (sunday.length === 0) return undefined;
  const run = runStages(state, sunday);
  if (run.length === 0) return undefined;
  const legs = new Set(def.stages.filter((s) => sunday.includes(s.code)).map((s) => s.leg));
  const [leg] = legs;
  if (legs.size === 1 && leg !== undefined && def.stages.every((s) => s.leg !== leg || sunday.includes(s.code))) {
    const timed = classify(state, { leg }).rows.filter((r) => r.position !== null).map((r) => ({ car: r.car, ms: r.totalMs }));
    return { positions: sharedPlaces(timed), basis: `classification of leg ${leg} (Sunday): its stages and the penalties of that leg (WRC25 [P]); equal Sunday times share a place ([NF])` };
  }
  const firstIdx = def.stages.findIndex((s) => s.code === sunday[0]);
  const before = firstIdx > 0 ? classify(state, { after: def.stages[firstIdx - 1]!.code }) : null;
  const after = classify(state, { after: run.at(-1)!.code });
  const pre = new Map((before?.rows ?? []).map((r) => [r.car, r]));
  const timed: { car: number; ms: number }[] = [];
  for (const row of after.rows) {
    if (row.status === 'retired' || row.status === 'excluded' || row.status === 'notStarted') continue;
    const p = pre.get(row.car);
    if (row.stagesCounted - (p?.stagesCounted ?? 0) !== run.length) continue;
    timed.push({ car: row.car, ms: row.totalMs - (p?.totalMs ?? 0) });
  }
  return { positions: sharedPlaces(timed), basis: `Sunday stages ${run[0]!.code}–${run.at(-1)!.code} and the penalties between them (WRC25 [P]); equal Sunday times share a place ([NF])` };
}

/**
 * Places by time, equal times sharing a place. NOTE: the Sunday tie-break is not
 * in the reference ([NF]); sharing is applied the same way whether Sunday is a
 * whole leg or part of one, so one dead heat never scores two ways.
 */
function sharedPlaces(timed: { car: number; ms: number }[]): Map<number, number> {
  const sorted = [...timed].sort((a, b) => a.ms - b.ms || a.car - b.car);
  const positions = new Map<number, number>();
  sorted.forEach((t, i) => positions.set(t.car, i > 0 && sorted[i - 1]!.ms === t.ms ? positions.get(sorted[i - 1]!.car)! : i + 1));
  return positions;
}

/** The Power Stage: the first stage of type `power`, if the rally has one. */
export function powerStageResults(state: ScoringState): StageClassification | undefined {
  const ps = state.definition.stages.find((s) => s.type === 'power');
  return ps ? stageResults(state, ps.code) : undefined;
}

/**
 * Each leg's own classification (its stages and the penalties of that leg), for leg bonus points
 * (ERC20 [P]: 5-4-3-2-1 to the top five of each leg). Legs with no stage run give no places; a rally
 * with categories is placed within each category. Labels number the legs as run: `leg 1`, `leg 2`.
 */
export function legPositions(state: ScoringState): { id: string; label: string; positions: Map<number, number>; basis: string }[] {
  const def = state.definition;
  const cats = (def.categories ?? []).map((c) => c.code);
  const out: { id: string; label: string; positions: Map<number, number>; basis: string }[] = [];
  def.legs.forEach((leg, i) => {
    const codes = def.stages.filter((s) => s.leg === leg.id).map((s) => s.code);
    const run = runStages(state, codes);
    if (run.length === 0) return;
    const positions = new Map<number, number>();
    for (const category of cats.length ? cats : [undefined]) {
      const c = classify(state, { leg: leg.id, ...(category !== undefined ? { category } : {}) });
      for (const row of c.rows) if (row.position !== null) positions.set(row.car, row.position);
    }
    out.push({ id: leg.id, label: `leg ${i + 1}`, positions,
      basis: `classification of leg ${leg.id} (${leg.name}) alone: its stages ${run[0]!.code}–${run.at(-1)!.code} and the penalties of that leg${cats.length ? ', within each category' : ''} (ERC20 [P])` });
  });
  return out;
}
