// The live picture a rally page holds: built from the stream's `init` (or the
// copy the server put in the page), then changed in place by each `delta` —
// no request per change. Plain data in one signal: components read it, and a
// keyed re-render touches only the rows that changed (focus stays put).
import { signal } from '@preact/signals';
import { predictedPosition, predictStageTime, type Prediction, type StageAccuracy } from '../../core/live/predict.ts';
import type { LiveDelta, LiveExclusion, LiveRetirement, LiveRow, LiveStageTime, LiveStageWinner } from '../../server/live/delta.ts';

export type { LiveDelta, LiveExclusion, LiveRetirement, LiveRow, LiveStageTime, LiveStageWinner };

export interface StageInfo { code: string; name: string; distanceM: number; leg?: string; splits?: { id: string; distanceM: number | null }[]; firstCarDue?: string; cancelled?: boolean }
export interface EntryInfo { car: number; driver: string; codriver: string; class: string; make: string; model: string; category?: string }

/** The `init`/`reset` payload of GET /api/rallies/:id/live (docs/live.md). */
export interface LiveInit {
  rallyId: string;
  seq: number;
  name: string;
  timeZone: string;
  distanceUnit?: 'mi' | 'km';
  startDate?: string;
  endDate?: string;
  /** Set when the rally's times of day are not the real ones: shown beside them. */
  illustrativeTimesOfDay?: string;
  /** The category this picture is of, and the rally's categories (ARA National and Regional on the same roads). */
  category?: string;
  categories?: { code: string; name: string }[];
  after: string | null;
  stages: StageInfo[];
  classes?: { code: string; name: string }[];
  legs?: { id: string; name: string; date: string }[];
  entries: EntryInfo[];
  rows: LiveRow[];
  stageWinners: LiveStageWinner[];
  retired: LiveRetirement[];
  excluded: LiveExclusion[];
  latestStage: LiveStageTime[];
  running?: { stage: string; interrupted: boolean; rows: LiveStageTime[] }[];
  /** Driven times of the last complete stages, for predictions. */
  pace?: { stage: string; times: [number, number][] }[];
  /** How good the predictions at the start were, per complete stage. */
  accuracy?: StageAccuracy[];
}

export interface Picture {
  init: LiveInit;
  seq: number;
  after: string | null;
  rows: Map<number, LiveRow>;
  /** Stage times held per stage: the stage the table is after, stages running, and whatever deltas brought. */
  stageTimes: Map<string, Map<number, LiveStageTime>>;
  winners: Map<string, LiveStageWinner>;
  retired: Map<number, LiveRetirement>;
  excluded: Map<number, LiveExclusion>;
  entries: Map<number, EntryInfo>;
}

export function pictureOf(init: LiveInit): Picture {
  const stageTimes = new Map<string, Map<number, LiveStageTime>>();
  const put = (t: LiveStageTime) => {
    let m = stageTimes.get(t.stage);
    if (!m) stageTimes.set(t.stage, (m = new Map()));
    m.set(t.car, t);
  };
  init.latestStage.forEach(put);
  for (const r of init.running ?? []) r.rows.forEach(put);
  return {
    init,
    seq: init.seq,
    after: init.after,
    rows: new Map(init.rows.map((r) => [r.car, r])),
    stageTimes,
    winners: new Map(init.stageWinners.map((w) => [w.stage, w])),
    retired: new Map(init.retired.map((r) => [r.car, r])),
    excluded: new Map(init.excluded.map((e) => [e.car, e])),
    entries: new Map(init.entries.map((e) => [e.car, e])),
  };
}

/** A delta applied to a picture: a new picture sharing what did not change. Values are absolute, so applying twice is harmless. */
export function applyDelta(p: Picture, d: LiveDelta): Picture {
  const next: Picture = { ...p, seq: Math.max(p.seq, d.seq) };
  if (d.after !== undefined) next.after = d.after;
  if (d.rows.length || d.removed.length) {
    next.rows = new Map(p.rows);
    for (const car of d.removed) next.rows.delete(car);
    for (const r of d.rows) next.rows.set(r.car, r);
  }
  if (d.stageTimes.length) {
    next.stageTimes = new Map(p.stageTimes);
    for (const t of d.stageTimes) {
      const m = new Map(next.stageTimes.get(t.stage) ?? []);
      m.set(t.car, t);
      next.stageTimes.set(t.stage, m);
    }
  }
  if (d.stageWinners.length) {
    next.winners = new Map(p.winners);
    for (const w of d.stageWinners) next.winners.set(w.stage, w);
  }
  if (d.retired.length || d.unretired.length) {
    next.retired = new Map(p.retired);
    for (const car of d.unretired) next.retired.delete(car);
    for (const r of d.retired) next.retired.set(r.car, r);
  }
  if (d.excluded.length || d.unexcluded.length) {
    next.excluded = new Map(p.excluded);
    for (const car of d.unexcluded) next.excluded.delete(car);
    for (const e of d.excluded) next.excluded.set(e.car, e);
  }
  return next;
}

/** Rows in table order: ranked crews by position, then the others as the server listed them. */
export function orderedRows(p: Picture, cls = ''): LiveRow[] {
  const all = [...p.rows.values()].filter((r) => !cls || p.entries.get(r.car)?.class === cls);
  const pos = (r: LiveRow) => (cls ? r.classPosition : r.position);
  const order = new Map(p.init.rows.map((r, i) => [r.car, i]));
  return all.sort((a, b) => (pos(a) ?? Infinity) - (pos(b) ?? Infinity) || (order.get(a.car) ?? 1e9) - (order.get(b.car) ?? 1e9) || a.car - b.car);
}

/** Stages begun after the one the table is after: the crews on them are shown there, not ranked overall. */
export function runningStages(p: Picture): StageInfo[] {
  const stages = p.init.stages;
  const from = p.after === null ? 0 : stages.findIndex((s) => s.code === p.after) + 1;
  return stages.slice(from).filter((s) => [...(p.stageTimes.get(s.code)?.values() ?? [])].some((t) => t.status !== 'notRun' && t.status !== 'cancelled'));
}

/** Whether a crew is out of the rally (retired for good, or excluded): never shown as on a stage. */
export function isOut(p: Picture, car: number): boolean {
  const r = p.retired.get(car);
  return p.excluded.has(car) || (r !== undefined && r.restartedAt === undefined);
}

export const picture = signal<Picture | null>(null);
/** Cars changed by the last update: highlighted once. */
export const fresh = signal<ReadonlySet<number>>(new Set());

/** Driven times of a stage the picture holds, car → ms. */
function driven(p: Picture, code: string): Map<number, number> {
  return new Map([...(p.stageTimes.get(code)?.values() ?? [])].filter((t) => t.status === 'ok' && t.timeMs !== null).map((t) => [t.car, t.timeMs!]));
}

/** The last three complete stages' driven times: those the server sent, and stages completed since (held in the picture). */
function earlierStages(p: Picture, code: string): Map<number, number>[] {
  const order = p.init.stages.map((s) => s.code);
  const idx = order.indexOf(code);
  const sent = new Map((p.init.pace ?? []).map((x) => [x.stage, new Map(x.times)]));
  const out: Map<number, number>[] = [];
  for (let i = idx - 1; i >= 0 && out.length < 3; i--) {
    const c = order[i]!;
    const m = sent.get(c) ?? driven(p, c);
    if (m.size) out.push(m);
  }
  return out;
}

export interface LivePrediction extends Prediction {
  /** Overall position the predicted total would take among the crews through the stage, and at the ends of the range. */
  position: number | null;
  positionRange: [number, number] | null;
}

/** Predicted stage times of every crew still to finish a running stage, once per picture and stage (pictures are replaced, never changed, by a delta). */
const predictedTimes = new WeakMap<Picture, Map<string, Map<number, Prediction>>>();

function stagePredictions(p: Picture, stage: StageInfo): Map<number, Prediction> {
  let byStage = predictedTimes.get(p);
  if (!byStage) { byStage = new Map(); predictedTimes.set(p, byStage); }
  const kept = byStage.get(stage.code);
  if (kept) return kept;
  const times = p.stageTimes.get(stage.code);
  const finished = driven(p, stage.code);
  const splits = new Map([...(times?.values() ?? [])].filter((t) => t.splitsMs).map((t) => [t.car, t.splitsMs!]));
  const splitIds = (stage.splits ?? []).map((x) => x.id);
  const earlier = earlierStages(p, stage.code);
  const out = new Map<number, Prediction>();
  // Crews on the stage, and crews of the table still to start it: each predicted the same way.
  for (const car of p.rows.keys()) {
    const t = times?.get(car);
    if ((t && (t.timeMs !== null || t.status !== 'running')) || isOut(p, car)) continue;
    const pr = predictStageTime({ car, finished, splits, splitIds, earlier });
    if (pr) out.set(car, pr);
  }
  byStage.set(stage.code, out);
  return out;
}

/**
 * A crew on a running stage: its predicted time and where it would place
 * (src/core/live/predict.ts). The place is overall, against every crew of the
 * table: the totals of the crews through the stage, and the predicted totals
 * of those still to finish it — not against the crews through alone, which
 * would give every crew behind the first few finishers the same place.
 */
export function predictFor(p: Picture, stage: StageInfo, car: number): LivePrediction | null {
  const times = p.stageTimes.get(stage.code);
  const own = times?.get(car);
  if (!own || own.timeMs !== null || own.status !== 'running' || isOut(p, car)) return null;
  const preds = stagePredictions(p, stage);
  const pred = preds.get(car);
  if (!pred) return null;
  const row = p.rows.get(car);
  if (!row || row.position === null || p.after === null || stage.code !== runningStages(p)[0]?.code) return { ...pred, position: null, positionRange: null };
  // Totals after this stage of the crews through it: their table total plus the stage time and its penalties.
  const known = [...(times?.values() ?? [])].filter((t) => t.timeMs !== null && p.rows.get(t.car)?.position != null)
    .map((t) => p.rows.get(t.car)!.totalMs + t.timeMs! + t.penaltyMs);
  for (const [other, pr] of preds) {
    const r = p.rows.get(other);
    if (other !== car && r && r.position !== null) known.push(r.totalMs + pr.timeMs);
  }
  return {
    ...pred,
    position: predictedPosition(row.totalMs + pred.timeMs, known),
    positionRange: [predictedPosition(row.totalMs + pred.lowMs, known), predictedPosition(row.totalMs + pred.highMs, known)],
  };
}
