// Overall and class classification after any stage, and per leg.
// SEE: rally-rules §5 — total = stage times (real, notional, assessed,
// restart-charged) + road penalties + other penalties; lowest total wins
// (FMU26 Art 64.1); equal totals go to the preset's tie-break (Art 64.3).
import type { CarStatus, Classification, ClassificationRow, ExcludedCrew, RetiredCrew } from '../results.ts';
import { AT_END, boundaryAfter } from './itinerary.ts';
import type { Engine } from './engine.ts';
import { compareTie, type TieNote } from './tie-break.ts';
import { rankIndex, type CarRank, type RankIndex } from './rank-index.ts';

export interface ClassifyOptions {
  /** Classification after this stage (`SS7`); default: after the last stage with any time. */
  after?: string;
  /** Only this leg's stages and penalties. */
  leg?: string;
  /** Only crews of this class (positions become class positions). */
  class?: string;
  /**
   * The category classified, when the rally runs several on the same roads
   * (`RallyDefinition.categories`): its crews over the stages it runs.
   * Default: the first category declared. Ignored by a rally without categories.
   */
  category?: string;
}

/** The category a classification is of: the one asked for, else the rally's first; null for a rally without categories. */
export function categoryOf(e: Engine, opts: ClassifyOptions): string | null {
  const cats = e.definition.categories;
  if (!cats || cats.length === 0) return null;
  if (opts.category === undefined) return cats[0]!.code;
  if (!cats.some((c) => c.code === opts.category)) {
    throw new RangeError(`classify: unknown category ${JSON.stringify(opts.category)}; categories are ${cats.map((c) => c.code).join(', ')}`);
  }
  return opts.category;
}

/** Whether a stage counts for a category (a stage without runBy is run by every category). */
export function runsFor(stage: { runBy?: string[] }, category: string | null): boolean {
  return category === null || stage.runBy === undefined || stage.runBy.includes(category);
}

/** The stages a classification counts and the part of the itinerary it covers. */
export interface Scope {
  afterIdx: number;
  counted: number[];
  /** The counted stages are every stage from counted[0] to afterIdx (cancelled ones count zero): totals come from prefix sums. */
  contiguous: boolean;
  from: number;
  to: number;
  /**
   * Every stage of the rally after `afterIdx` is cancelled: the crews that
   * completed the counted stages have finished. SEE: rally-rules §3.4 (a
   * cancelled stage is dropped for everyone) — the end of a rally never waits
   * for times on a stage nobody will run.
   */
  final: boolean;
  /**
   * The current classification (no `after`, overall or the last leg): a
   * penalty with no place in the itinerary ("at the end") counts in it from
   * the moment it is recorded, not only once the last stage has times.
   */
  latest: boolean;
  /** The category classified (null: the rally has none). */
  category: string | null;
}

const WINNING = new Set(['ok', 'notional', 'maxTime']);

/** Side table of tie-break notes per classification (for the workings). */
export const tieNotes = new WeakMap<Classification, Map<number, TieNote>>();

export function scopeOf(e: Engine, opts: ClassifyOptions): Scope {
  const it = e.it;
  if (opts.leg !== undefined && !it.legRange.has(opts.leg)) {
    throw new RangeError(`classify: unknown leg ${JSON.stringify(opts.leg)}; legs are ${[...it.legRange.keys()].join(', ')}`);
  }
  const category = categoryOf(e, opts);
  const ofCategory = it.stages.map((_, i) => i).filter((i) => runsFor(it.stages[i]!, category));
  const inScope = ofCategory.filter((i) => opts.leg === undefined || it.stages[i]!.leg === opts.leg);
  let afterIdx: number;
  if (opts.after !== undefined) {
    const i = it.stageIndex.get(opts.after);
    if (i === undefined) throw new RangeError(`classify: unknown stage ${JSON.stringify(opts.after)}; stages are ${it.stages.map((s) => s.code).join(', ')}`);
    afterIdx = opts.leg === undefined ? i : Math.max(-1, ...inScope.filter((x) => x <= i));
  } else {
    afterIdx = lastStageWithTime(e, inScope);
  }
  const cancelled = e.globalContext().cancelled;
  const upTo = inScope.filter((i) => i <= afterIdx);
  const counted = upTo.filter((i) => !cancelled.has(it.stages[i]!.code));
  const contiguous = upTo.length > 0 && upTo[upTo.length - 1]! - upTo[0]! + 1 === upTo.length;
  // A category's classification ends with the last stage that category runs.
  const final = afterIdx >= 0 && ofCategory.every((i) => i <= afterIdx || cancelled.has(it.stages[i]!.code));
  // The final classification counts everything to the end of the itinerary, even when its last stages were cancelled.
  let from = -Infinity, to = final ? AT_END : boundaryAfter(it, afterIdx);
  if (opts.leg !== undefined) {
    const r = it.legRange.get(opts.leg)!;
    from = r.from;
    const lastLeg = e.definition.legs.at(-1)?.id === opts.leg;
    if (!lastLeg) to = Math.min(to, r.to);
  }
  const latest = opts.after === undefined && (opts.leg === undefined || e.definition.legs.at(-1)?.id === opts.leg);
  return { afterIdx, counted, contiguous, from, to, final, latest, category };
}

/** The last stage in scope on which any crew has a time of its own; -1 when none has. */
function lastStageWithTime(e: Engine, inScope: number[]): number {
  const cars = e.cars();
  if (inScope.length === e.it.stages.length) {
    // Every stage in scope: the latest of each car's last timed stage (a cancelled stage has no time), O(cars).
    let last = -1;
    for (const c of cars) last = Math.max(last, e.carScore(c).lastTimed);
    return last;
  }
  const cancelled = e.globalContext().cancelled;
  for (let k = inScope.length - 1; k >= 0; k--) {
    const i = inScope[k]!;
    if (cancelled.has(e.it.stages[i]!.code)) continue;
    for (const c of cars) {
      const cell = e.carScore(c).cells[i]!;
      if (cell.ms !== null && cell.status !== 'restartCharged') return i;
    }
  }
  return -1;
}

const OTHERS_ORDER: Record<CarStatus, number> = { running: 0, finished: 0, retired: 1, excluded: 2, notStarted: 3 };

function rowOf(r: CarRank): ClassificationRow {
  return {
    position: null, classPosition: null, car: r.car, entry: r.entry, status: r.status, stagesMs: r.stagesMs,
    roadPenaltyMs: r.roadPenaltyMs, otherPenaltyMs: r.otherPenaltyMs, penaltyMs: r.roadPenaltyMs + r.otherPenaltyMs,
    totalMs: r.totalMs, gapToLeaderMs: null, gapToPrevMs: null, positionChange: null, stagesCounted: r.stagesCounted,
  };
}

function keyOf(opts: ClassifyOptions, scope: Scope): string {
  return `${scope.afterIdx}|${opts.leg ?? ''}|${opts.class ?? ''}|${scope.latest ? 'latest' : ''}|${scope.category ?? ''}`;
}

export function classifyEngine(e: Engine, opts: ClassifyOptions = {}): Classification {
  const key = JSON.stringify([opts.after ?? null, opts.leg ?? null, opts.class ?? null, opts.category ?? null]);
  const hit = e.classCache.get(key);
  if (hit) return hit;
  const scope = scopeOf(e, opts);
  const idx = rankIndex(e, opts, scope, keyOf(opts, scope));

  // Position change since the previous counted stage of the same scope.
  let prev: RankIndex | null = null;
  const prevIdx = scope.counted.length >= 2 ? scope.counted[scope.counted.length - 2]! : -1;
  if (prevIdx >= 0) {
    const prevOpts = { ...opts, after: e.it.stages[prevIdx]!.code };
    const prevScope = scopeOf(e, prevOpts);
    prev = rankIndex(e, prevOpts, prevScope, keyOf(prevOpts, prevScope));
  }
  const prevPos = new Map<number, number>();
  if (prev) prev.order.forEach((car, k) => prevPos.set(car, k + 1));

  const rows: ClassificationRow[] = [];
  const ties = new Map<number, TieNote>();
  const classCount = new Map<string, number>();
  const classLast = new Map<string, ClassificationRow>();
  const tieOrder = idx.tieOrder;
  const share = e.rules.tieBreakLast.value === 'shared';
  /** Equal on every compared stage (only asked when totals are equal and the rules share such positions). */
  const fullTie = (a: number, b: number): boolean => {
    const scratch = new Map<number, TieNote>();
    compareTie(a, b, idx.entries.get(a)!.score.cells, idx.entries.get(b)!.score.cells, tieOrder, e.it, e.rules, scratch);
    return scratch.get(b)?.stage === null;
  };
  for (let n = 0; n < idx.order.length; n++) {
    const r = idx.entries.get(idx.order[n]!)!;
    const row = rowOf(r);
    row.position = n + 1;
    const cp = (classCount.get(r.entry.class) ?? 0) + 1;
    classCount.set(r.entry.class, cp);
    row.classPosition = cp;
    if (n > 0) {
      const first = rows[0]!, before = rows[n - 1]!;
      row.gapToLeaderMs = row.totalMs - first.totalMs;
      row.gapToPrevMs = row.totalMs - before.totalMs;
      // A dead heat: record how the tie-break decided it, for the workings.
      if (row.totalMs === before.totalMs) {
        compareTie(before.car, row.car, idx.entries.get(before.car)!.score.cells, r.score.cells, tieOrder, e.it, e.rules, ties);
        // Equal on every stage too, and the rules say such crews share the position (tieBreakLast "shared").
        if (share && ties.get(row.car)?.stage === null) row.position = before.position;
      }
      const mate = share ? classLast.get(r.entry.class) : undefined;
      if (mate && mate.totalMs === row.totalMs && fullTie(mate.car, r.car)) row.classPosition = mate.classPosition;
    }
    if (share) classLast.set(r.entry.class, row);
    if (opts.class !== undefined) row.position = row.classPosition;
    // With a class option both indexes hold that class only, so both positions are class positions.
    const p = prevPos.get(r.car);
    if (p !== undefined) row.positionChange = p - row.position!;
    rows.push(row);
  }
  const others: ClassificationRow[] = [];
  const retired: RetiredCrew[] = [];
  const excluded: ExcludedCrew[] = [];
  for (const entry of e.definition.entries) {
    const r = idx.entries.get(entry.car);
    if (!r) continue;
    // NOTE: idx holds only this scope's crews (class, category).
    retired.push(...r.retired);
    if (r.excluded) excluded.push(r.excluded);
    if (!r.classified) others.push(rowOf(r));
  }
  others.sort((a, b) => OTHERS_ORDER[a.status] - OTHERS_ORDER[b.status] || b.stagesCounted - a.stagesCounted || a.totalMs - b.totalMs || a.car - b.car);
  const result: Classification = {
    after: scope.afterIdx >= 0 ? e.it.stages[scope.afterIdx]!.code : null,
    ...(opts.leg !== undefined ? { leg: opts.leg } : {}),
    ...(opts.class !== undefined ? { class: opts.class } : {}),
    rows: [...rows, ...others],
    ...(scope.category !== null ? { category: scope.category } : {}),
    stageWinners: winnersOf(e, scope.counted, opts.class, scope.category),
    retired,
    excluded,
  };
  tieNotes.set(result, ties);
  e.classCache.set(key, result);
  return result;
}

/** Winners of the stages, overall ones from the engine's cache; stages not cached are found in one pass over the cars. */
function winnersOf(e: Engine, stages: number[], cls: string | undefined, category: string | null): { stage: string; cars: number[]; timeMs: number }[] {
  if (category !== null) return stages.map((i) => stageWinners(e, i, cls, category)).filter((w): w is NonNullable<typeof w> => w !== null);
  if (cls === undefined) {
    const missing = stages.filter((i) => e.winners.get(i) === undefined);
    if (missing.length > 1) {
      const best = missing.map(() => Infinity);
      const cars: number[][] = missing.map(() => []);
      for (const entry of e.definition.entries) {
        const cells = e.carScore(entry.car).cells;
        for (let k = 0; k < missing.length; k++) {
          const c = cells[missing[k]!]!;
          if (c.stageMs === null || !WINNING.has(c.status)) continue;
          if (c.stageMs < best[k]!) { best[k] = c.stageMs; cars[k] = [entry.car]; } else if (c.stageMs === best[k]) cars[k]!.push(entry.car);
        }
      }
      missing.forEach((i, k) => e.winners.set(i, cars[k]!.length ? { cars: cars[k]!.sort((a, b) => a - b), timeMs: best[k]! } : null));
    }
  }
  return stages.map((i) => stageWinners(e, i, cls, null)).filter((w): w is NonNullable<typeof w> => w !== null);
}

function stageWinners(e: Engine, i: number, cls: string | undefined, category: string | null): { stage: string; cars: number[]; timeMs: number } | null {
  const whole = cls === undefined && category === null;
  const cached = whole ? e.winners.get(i) : undefined;
  let w = cached;
  if (w === undefined) {
    let best = Infinity;
    let cars: number[] = [];
    for (const entry of e.definition.entries) {
      if (cls !== undefined && entry.class !== cls) continue;
      if (category !== null && entry.category !== category) continue;
      const c = e.carScore(entry.car).cells[i]!;
      if (c.stageMs === null || !WINNING.has(c.status)) continue;
      if (c.stageMs < best) { best = c.stageMs; cars = [entry.car]; } else if (c.stageMs === best) cars.push(entry.car);
    }
    w = cars.length ? { cars: cars.sort((a, b) => a - b), timeMs: best } : null;
    if (whole) e.winners.set(i, w);
  }
  return w ? { stage: e.it.stages[i]!.code, cars: w.cars, timeMs: w.timeMs } : null;
}
