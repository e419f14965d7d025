// The standing order of one classification scope (after a stage, a leg, a
// class), kept up to date incrementally: a new fact re-evaluates only the cars
// whose scoring changed and moves them in the order, so a live classification
// costs O(changed cars × log n) plus building the rows, not a full re-rank.
import type { Entry } from '../model.ts';
import type { CarStatus, ExcludedCrew, RetiredCrew } from '../results.ts';
import { COUNTED, type CarScore, type Engine } from './engine.ts';
import { retiredAt } from './retirement.ts';
import { AT_END } from './itinerary.ts';
import { compareTie, tieBreakOrder } from './tie-break.ts';
import type { ClassifyOptions, Scope } from './classification.ts';

export interface CarRank {
  car: number;
  entry: Entry;
  score: CarScore;
  stagesMs: number;
  stagesCounted: number;
  roadPenaltyMs: number;
  otherPenaltyMs: number;
  totalMs: number;
  status: CarStatus;
  classified: boolean;
  retired: RetiredCrew[];
  excluded: ExcludedCrew | null;
}

export interface RankIndex {
  version: number;
  scope: Scope;
  entries: Map<number, CarRank>;
  /** Classified cars, best first. */
  order: number[];
  tieOrder: number[];
}

function statusOf(score: CarScore): CarStatus {
  return score.cells.some((c) => c.status !== 'notRun' && c.status !== 'cancelled') || score.derived.controlTimes.size > 0 ? 'running' : 'notStarted';
}

export function evaluate(e: Engine, scope: Scope, entry: Entry, isFinal: boolean): CarRank {
  const score = e.carScore(entry.car);
  const d = score.derived;
  let stagesMs = 0, stagesCounted = 0;
  if (scope.contiguous) {
    const lo = scope.counted[0] ?? 0, hi = scope.afterIdx + 1;
    stagesMs = score.prefixMs[hi]! - score.prefixMs[lo]!;
    stagesCounted = score.prefixCount[hi]! - score.prefixCount[lo]!;
  } else {
    for (const i of scope.counted) {
      const c = score.cells[i]!;
      if (c.ms !== null && COUNTED.has(c.status)) { stagesMs += c.ms; stagesCounted++; }
    }
  }
  let roadPenaltyMs = 0, otherPenaltyMs = 0;
  for (const p of d.penalties) {
    if (!penaltyInScope(p.pos, scope)) continue;
    if (p.kind === 'road') roadPenaltyMs += p.ms; else otherPenaltyMs += p.ms;
  }
  const retired: RetiredCrew[] = [];
  for (const r of d.retirements) {
    if (r.pos > scope.to) break;
    const crew: RetiredCrew = { car: entry.car, where: r.where, reason: r.reason, permanent: r.permanent, factId: r.fact?.id ?? '' };
    if (r.restart && r.restart.pos <= scope.to) crew.restartedAt = r.restart.section;
    retired.push(crew);
  }
  let excluded: ExcludedCrew | null = null;
  let status: CarStatus;
  let classified = false;
  if (d.exclusion) {
    excluded = { car: entry.car, reason: d.exclusion.reason, factId: d.exclusion.fact?.id ?? '' };
    if (d.exclusion.rule) excluded.rule = d.exclusion.rule;
    status = 'excluded';
  } else if (retiredAt(d.retirements, scope.to)) {
    status = 'retired';
  } else if (scope.counted.length > 0 && stagesCounted === scope.counted.length) {
    status = isFinal ? 'finished' : 'running';
    classified = true;
  } else {
    status = statusOf(score);
  }
  return {
    car: entry.car, entry, score, stagesMs, stagesCounted, roadPenaltyMs, otherPenaltyMs,
    totalMs: stagesMs + roadPenaltyMs + otherPenaltyMs, status, classified, retired, excluded,
  };
}

/** A penalty counts where it was incurred; one with no place ("at the end") in the current and the final classification. */
export function penaltyInScope(pos: number, scope: Scope): boolean {
  if (pos === AT_END) return scope.to === AT_END || scope.latest;
  return pos >= scope.from && pos <= scope.to;
}

const NO_NOTES = new Map();

function cmp(e: Engine, idx: RankIndex, a: CarRank, b: CarRank): number {
  if (a.totalMs !== b.totalMs) return a.totalMs - b.totalMs;
  return compareTie(a.car, b.car, a.score.cells, b.score.cells, idx.tieOrder, e.it, e.rules, NO_NOTES);
}

const CAR_SLOTS = 100_000;

/** Whether a crew belongs to a scope's classification (its class and category). */
function inScope(entry: Entry, opts: ClassifyOptions, scope: Scope): boolean {
  return (opts.class === undefined || entry.class === opts.class) && (scope.category === null || entry.category === scope.category);
}

function build(e: Engine, opts: ClassifyOptions, scope: Scope): RankIndex {
  // A scope after the rally's last stage run (scope.final): its classified crews have finished, in a leg view too.
  const isFinal = scope.final;
  const idx: RankIndex = { version: e.version, scope, entries: new Map(), order: [], tieOrder: tieBreakOrder(e.rules, e.it, scope.counted) };
  const classified: CarRank[] = [];
  for (const entry of e.definition.entries) {
    if (!inScope(entry, opts, scope)) continue;
    const r = evaluate(e, scope, entry, isFinal);
    idx.entries.set(entry.car, r);
    if (r.classified) classified.push(r);
  }
  // Totals sorted natively as one number (total × slots + car); runs of equal totals then go to the tie-break.
  const keys = new Float64Array(classified.length);
  for (let k = 0; k < classified.length; k++) keys[k] = classified[k]!.totalMs * CAR_SLOTS + classified[k]!.car;
  keys.sort();
  const order = Array.from(keys, (x) => x % CAR_SLOTS);
  for (let k = 0; k < order.length;) {
    const total = idx.entries.get(order[k]!)!.totalMs;
    let j = k + 1;
    while (j < order.length && idx.entries.get(order[j]!)!.totalMs === total) j++;
    if (j - k > 1) {
      const run = order.slice(k, j).sort((a, b) => cmp(e, idx, idx.entries.get(a)!, idx.entries.get(b)!));
      for (let x = 0; x < run.length; x++) order[k + x] = run[x]!;
    }
    k = j;
  }
  idx.order = order;
  return idx;
}

/** The index of a scope, brought up to date with the facts folded since it was last used. */
export function rankIndex(e: Engine, opts: ClassifyOptions, scope: Scope, key: string): RankIndex {
  const old = e.rankIndexes.get(key);
  const changed = old && sameScope(old.scope, scope) ? e.carsChangedSince(old.version) : null;
  if (!old || changed === null || changed.size > 32) {
    const idx = build(e, opts, scope);
    e.rankIndexes.set(key, idx);
    return idx;
  }
  // A scope after the rally's last stage run (scope.final): its classified crews have finished, in a leg view too.
  const isFinal = scope.final;
  for (const car of changed) {
    const entry = e.it.entryByCar.get(car);
    if (!entry || !inScope(entry, opts, scope)) continue;
    const before = old.entries.get(car);
    if (before?.classified) {
      const at = old.order.indexOf(car);
      if (at >= 0) old.order.splice(at, 1);
    }
    const now = evaluate(e, scope, entry, isFinal);
    old.entries.set(car, now);
    if (!now.classified) continue;
    let lo = 0, hi = old.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(e, old, old.entries.get(old.order[mid]!)!, now) < 0) lo = mid + 1; else hi = mid;
    }
    old.order.splice(lo, 0, car);
  }
  old.version = e.version;
  return old;
}

function sameScope(a: Scope, b: Scope): boolean {
  return a.afterIdx === b.afterIdx && a.final === b.final && a.latest === b.latest && a.category === b.category && a.from === b.from && a.to === b.to && a.counted.length === b.counted.length && a.counted.every((x, i) => x === b.counted[i]);
}
