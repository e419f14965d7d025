// Overall and class classification after any stage, and per leg.
// SEE: rally-rules §5 — total = stage times (real, notional, assessed,
// restart-charged) + road penalties + other penalties; lowest total wins
// (FMU26 Art 64.1); equal totals go to the preset's tie-break (Art 64.3).
import type { CarStatus, Classification, ClassificationRow, ExcludedCrew, RetiredCrew } from '../results.ts';
import { boundaryAfter, type Itinerary } from './itinerary.ts';
import type { CarScore, Engine } from './engine.ts';
import { retiredAt } from './retirement.ts';
import { compareTie, tieBreakOrder, type TieNote } from './tie-break.ts';

export interface ClassifyOptions {
  /** Classification after this stage (`SS7`); default: after the last stage with any time. */
  after?: string;
  /** Only this leg's stages and penalties. */
  leg?: string;
  /** Only crews of this class (positions become class positions). */
  class?: string;
}

/** The stages a classification counts and the part of the itinerary it covers. */
export interface Scope {
  afterIdx: number;
  counted: number[];
  from: number;
  to: number;
}

const TIMED = new Set(['ok', 'notional', 'assessed', 'restartCharged', 'maxTime']);
const WINNING = new Set(['ok', 'notional', 'maxTime']);

/** Side table of tie-break notes per classification (for the workings). */
export const tieNotes = new WeakMap<Classification, Map<number, TieNote>>();

export function scopeOf(e: Engine, opts: ClassifyOptions): Scope {
  const it = e.it;
  if (opts.leg !== undefined && !it.legRange.has(opts.leg)) {
    throw new RangeError(`classify: unknown leg ${JSON.stringify(opts.leg)}; legs are ${[...it.legRange.keys()].join(', ')}`);
  }
  const inScope = it.stages.map((_, i) => i).filter((i) => opts.leg === undefined || it.stages[i]!.leg === opts.leg);
  let afterIdx: number;
  if (opts.after !== undefined) {
    const i = it.stageIndex.get(opts.after);
    if (i === undefined) throw new RangeError(`classify: unknown stage ${JSON.stringify(opts.after)}; stages are ${it.stages.map((s) => s.code).join(', ')}`);
    afterIdx = opts.leg === undefined ? i : Math.max(-1, ...inScope.filter((x) => x <= i));
  } else {
    afterIdx = -1;
    const cars = e.cars();
    for (const i of inScope) {
      if (e.globalContext().cancelled.has(it.stages[i]!.code)) continue;
      if (cars.some((c) => { const cell = e.carScore(c).cells[i]!; return cell.ms !== null && cell.status !== 'restartCharged'; })) afterIdx = i;
    }
  }
  const cancelled = e.globalContext().cancelled;
  const counted = inScope.filter((i) => i <= afterIdx && !cancelled.has(it.stages[i]!.code));
  let from = -Infinity, to = boundaryAfter(it, afterIdx);
  if (opts.leg !== undefined) {
    const r = it.legRange.get(opts.leg)!;
    from = r.from;
    const lastLeg = e.definition.legs.at(-1)?.id === opts.leg;
    if (!lastLeg) to = Math.min(to, r.to);
  }
  return { afterIdx, counted, from, to };
}

interface Ranked {
  rows: ClassificationRow[];
  retired: RetiredCrew[];
  excluded: ExcludedCrew[];
  ties: Map<number, TieNote>;
}

function statusOf(score: CarScore): CarStatus {
  return score.cells.some((c) => c.status !== 'notRun' && c.status !== 'cancelled') || score.derived.controlTimes.size > 0 ? 'running' : 'notStarted';
}

/** Ranks crews in a scope; positions only (no position change). */
export function rank(e: Engine, opts: ClassifyOptions, scope: Scope): Ranked {
  const it = e.it;
  const classified: ClassificationRow[] = [];
  const others: ClassificationRow[] = [];
  const retired: RetiredCrew[] = [];
  const excluded: ExcludedCrew[] = [];
  const cellsByCar = new Map<number, CarScore>();
  const isFinal = scope.afterIdx === it.stages.length - 1 && opts.leg === undefined;
  for (const entry of e.definition.entries) {
    if (opts.class !== undefined && entry.class !== opts.class) continue;
    const score = e.carScore(entry.car);
    cellsByCar.set(entry.car, score);
    const d = score.derived;
    let stagesMs = 0, stagesCounted = 0;
    for (const i of scope.counted) {
      const c = score.cells[i]!;
      if (c.ms !== null && TIMED.has(c.status)) { stagesMs += c.ms; stagesCounted++; }
    }
    let roadPenaltyMs = 0, otherPenaltyMs = 0;
    for (const p of d.penalties) {
      if (p.pos < scope.from || p.pos > scope.to) continue;
      if (p.kind === 'road') roadPenaltyMs += p.ms; else otherPenaltyMs += p.ms;
    }
    const penaltyMs = roadPenaltyMs + otherPenaltyMs;
    const row: ClassificationRow = {
      position: null, classPosition: null, car: entry.car, entry, status: 'running', stagesMs, roadPenaltyMs, otherPenaltyMs, penaltyMs,
      totalMs: stagesMs + penaltyMs, gapToLeaderMs: null, gapToPrevMs: null, positionChange: null, stagesCounted,
    };
    for (const r of d.retirements) {
      if (r.pos > scope.to) break;
      retired.push({
        car: entry.car, where: r.where, reason: r.reason, permanent: r.permanent, factId: r.fact?.id ?? '',
        ...(r.restart && r.restart.pos <= scope.to ? { restartedAt: r.restart.section } : {}),
      });
    }
    if (d.exclusion) {
      excluded.push({ car: entry.car, reason: d.exclusion.reason, factId: d.exclusion.fact?.id ?? '', ...(d.exclusion.rule ? { rule: d.exclusion.rule } : {}) });
      row.status = 'excluded';
    } else if (retiredAt(d.retirements, scope.to)) {
      row.status = 'retired';
    } else if (scope.counted.length > 0 && stagesCounted === scope.counted.length) {
      row.status = isFinal ? 'finished' : 'running';
      classified.push(row);
      continue;
    } else {
      row.status = statusOf(score);
    }
    others.push(row);
  }

  const order = tieBreakOrder(e.rules, it, scope.counted);
  const ties = new Map<number, TieNote>();
  classified.sort((a, b) => {
    if (a.totalMs !== b.totalMs) return a.totalMs - b.totalMs;
    return compareTie(a.car, b.car, cellsByCar.get(a.car)!.cells, cellsByCar.get(b.car)!.cells, order, it, e.rules, ties);
  });
  const classCount = new Map<string, number>();
  const classLast = new Map<string, number>();
  classified.forEach((row, n) => {
    row.position = n + 1;
    const k = row.entry.class;
    const cp = (classCount.get(k) ?? 0) + 1;
    classCount.set(k, cp);
    row.classPosition = cp;
    if (opts.class !== undefined) row.position = cp;
    if (n > 0) {
      row.gapToLeaderMs = row.totalMs - classified[0]!.totalMs;
      row.gapToPrevMs = row.totalMs - classified[n - 1]!.totalMs;
    }
    classLast.set(k, row.totalMs);
  });
  const rankOf = (s: CarStatus): number => ({ running: 0, finished: 0, notStarted: 3, retired: 1, excluded: 2 })[s];
  others.sort((a, b) => rankOf(a.status) - rankOf(b.status) || b.stagesCounted - a.stagesCounted || a.totalMs - b.totalMs || a.car - b.car);
  return { rows: [...classified, ...others], retired, excluded, ties };
}

export function classifyEngine(e: Engine, opts: ClassifyOptions = {}): Classification {
  const key = JSON.stringify([opts.after ?? null, opts.leg ?? null, opts.class ?? null]);
  const hit = e.classCache.get(key);
  if (hit) return hit;
  const scope = scopeOf(e, opts);
  const ranked = rank(e, opts, scope);
  // Position change since the previous counted stage of the same scope.
  const prevIdx = scope.counted.length >= 2 ? scope.counted[scope.counted.length - 2]! : -1;
  if (prevIdx >= 0) {
    const prevScope = { ...scopeOf(e, { ...opts, after: e.it.stages[prevIdx]!.code }) };
    const prev = new Map(rank(e, opts, prevScope).rows.map((r) => [r.car, r.position]));
    for (const row of ranked.rows) {
      const before = prev.get(row.car);
      if (row.position !== null && before !== null && before !== undefined) row.positionChange = before - row.position;
    }
  }
  const result: Classification = {
    after: scope.afterIdx >= 0 ? e.it.stages[scope.afterIdx]!.code : null,
    ...(opts.leg !== undefined ? { leg: opts.leg } : {}),
    ...(opts.class !== undefined ? { class: opts.class } : {}),
    rows: ranked.rows,
    stageWinners: scope.counted.map((i) => stageWinners(e, i, opts.class)).filter((w): w is NonNullable<typeof w> => w !== null),
    retired: ranked.retired,
    excluded: ranked.excluded,
  };
  tieNotes.set(result, ranked.ties);
  e.classCache.set(key, result);
  return result;
}

function stageWinners(e: Engine, i: number, cls: string | undefined): { stage: string; cars: number[]; timeMs: number } | null {
  let best = Infinity;
  let cars: number[] = [];
  for (const entry of e.definition.entries) {
    if (cls !== undefined && entry.class !== cls) continue;
    const c = e.carScore(entry.car).cells[i]!;
    if (c.stageMs === null || !WINNING.has(c.status)) continue;
    if (c.stageMs < best) { best = c.stageMs; cars = [entry.car]; } else if (c.stageMs === best) cars.push(entry.car);
  }
  return cars.length ? { stage: e.it.stages[i]!.code, cars: cars.sort((a, b) => a - b), timeMs: best } : null;
}

export type { Itinerary };
