// In-stage predictions: a crew's likely stage time while it is on the stage,
// with a range, from what is known — its splits against the splits of crews
// that finished, or else its pace against theirs on the stages before.
// And how good such predictions were once a stage is over, measured the same
// way every time (so the figure cannot be tuned after the fact).
//
// Method (decided here; no rally rule covers it):
// * by split: for each crew through the stage, its time × (this crew's time
//   at its latest split ÷ that crew's time at the same split);
// * by pace: for each crew through the stage, its time × the median, over
//   earlier stages both drove, of (this crew's time ÷ that crew's time);
// the prediction is the median of those estimates, the range their 10th to
// 90th percentile (all of them with fewer than five).

export interface Prediction {
  timeMs: number;
  lowMs: number;
  highMs: number;
  basis: 'split' | 'pace';
  /** Crews through the stage the estimate leans on. */
  n: number;
}

export interface PredictInput {
  car: number;
  /** Times of the crews through this stage, car → ms. */
  finished: ReadonlyMap<number, number>;
  /** Split times on this stage (car → split id → ms from the start), for the crew and those through. */
  splits: ReadonlyMap<number, Readonly<Record<string, number>>>;
  /** Split ids of the stage in order. */
  splitIds: readonly string[];
  /** Driven times on earlier stages: one map per stage, car → ms. */
  earlier: readonly ReadonlyMap<number, number>[];
}

function quantile(sorted: readonly number[], q: number): number {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i), hi = Math.ceil(i);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (i - lo);
}

function median(xs: number[]): number {
  return quantile([...xs].sort((a, b) => a - b), 0.5);
}

/** Tenths, as stage times are kept. */
const tenth = (ms: number): number => Math.round(ms / 100) * 100;

export function predictStageTime(input: PredictInput): Prediction | null {
  const own = input.splits.get(input.car) ?? {};
  const last = [...input.splitIds].reverse().find((id) => own[id] !== undefined);
  const estimates: number[] = [];
  let basis: Prediction['basis'] = 'pace';
  if (last !== undefined) {
    for (const [car, t] of input.finished) {
      const s = input.splits.get(car)?.[last];
      if (s !== undefined && s > 0) estimates.push(t * (own[last]! / s));
    }
    if (estimates.length) basis = 'split';
  }
  if (!estimates.length) {
    for (const [car, t] of input.finished) {
      const ratios = input.earlier.flatMap((m) => {
        const a = m.get(input.car), b = m.get(car);
        return a !== undefined && b !== undefined && b > 0 ? [a / b] : [];
      });
      if (ratios.length) estimates.push(t * median(ratios));
    }
  }
  if (!estimates.length) return null;
  const sorted = estimates.sort((a, b) => a - b);
  const wide = sorted.length < 5;
  return {
    timeMs: tenth(quantile(sorted, 0.5)),
    lowMs: tenth(wide ? sorted[0]! : quantile(sorted, 0.1)),
    highMs: tenth(wide ? sorted.at(-1)! : quantile(sorted, 0.9)),
    basis,
    n: sorted.length,
  };
}

/** Where a predicted total would place among the totals known after this stage (1 = ahead of all of them). */
export function predictedPosition(totalMs: number, knownTotals: readonly number[]): number {
  return 1 + knownTotals.filter((t) => t < totalMs).length;
}

export interface StageAccuracy {
  stage: string;
  /** Mean absolute error of the predictions at the start, ms. */
  meanErrorMs: number;
  /** Share of crews whose time fell inside the predicted range. */
  inRange: number;
  n: number;
}

/**
 * How good the predictions at the start of a finished stage were: for every
 * crew with a time, the pace prediction from the crews that had finished the
 * stage before it started (finish time of day = start + stage time), against
 * the time it then drove.
 */
export function stageAccuracy(stage: string, times: ReadonlyMap<number, number>, startsLocalMs: ReadonlyMap<number, number>, earlier: readonly ReadonlyMap<number, number>[]): StageAccuracy | null {
  let sum = 0, inside = 0, n = 0;
  for (const [car, actual] of times) {
    const start = startsLocalMs.get(car);
    if (start === undefined) continue;
    const known = new Map<number, number>();
    for (const [other, t] of times) {
      const s = startsLocalMs.get(other);
      if (other !== car && s !== undefined && s + t <= start) known.set(other, t);
    }
    const p = predictStageTime({ car, finished: known, splits: new Map(), splitIds: [], earlier });
    if (!p) continue;
    sum += Math.abs(actual - p.timeMs);
    if (actual >= p.lowMs && actual <= p.highMs) inside++;
    n++;
  }
  return n ? { stage, meanErrorMs: Math.round(sum / n), inRange: inside / n, n } : null;
}
