// What changed between two classifications, as a small event for the live
// stream: only the rows whose position, total, gap or status moved, the new
// stage times, the new stage winners, and who retired or was excluded — never
// the whole table (a fan on one bar of signal receives a few hundred bytes).
import type { Classification, ClassificationRow, StageClassification, StageRow } from '../../core/results.ts';

/** One overall row as the live stream carries it: the car is the key, the entry is sent once in `init`. */
export interface LiveRow {
  car: number;
  position: number | null;
  classPosition: number | null;
  status: ClassificationRow['status'];
  stagesMs: number;
  penaltyMs: number;
  totalMs: number;
  gapToLeaderMs: number | null;
  gapToPrevMs: number | null;
  positionChange: number | null;
  stagesCounted: number;
}

export interface LiveStageTime {
  stage: string;
  car: number;
  status: StageRow['status'];
  timeMs: number | null;
  position: number | null;
  classPosition: number | null;
  gapToWinnerMs: number | null;
  penaltyMs: number;
  /** Split times from the stage start by SPLIT control id, ms; absent when the crew has none. */
  splitsMs?: Record<string, number>;
}

export interface LiveStageWinner {
  stage: string;
  cars: number[];
  timeMs: number;
}

export interface LiveRetirement {
  car: number;
  where: string;
  reason: string;
  permanent: boolean;
  restartedAt?: string;
}

export interface LiveExclusion {
  car: number;
  reason: string;
  rule?: string;
}

/** Payload of a `delta` event. Arrays are empty when nothing of that kind changed. */
export interface LiveDelta {
  rallyId: string;
  /** Log seq before the facts of this delta; the client must have seen it. */
  fromSeq: number;
  /** Log seq after this delta; also the SSE event id. */
  seq: number;
  /** Stage the classification is after, when it moved. */
  after?: string | null;
  rows: LiveRow[];
  /** Cars that left the overall table. */
  removed: number[];
  stageTimes: LiveStageTime[];
  stageWinners: LiveStageWinner[];
  retired: LiveRetirement[];
  /** Cars no longer listed as retired (restarted under Super Rally, or a retraction). */
  unretired: number[];
  excluded: LiveExclusion[];
  unexcluded: number[];
  /** The facts that caused it, in short. */
  facts: { id: string; seq: number; type: string; car?: number }[];
}

export function liveRow(r: ClassificationRow): LiveRow {
  return {
    car: r.car,
    position: r.position,
    classPosition: r.classPosition,
    status: r.status,
    stagesMs: r.stagesMs,
    penaltyMs: r.penaltyMs,
    totalMs: r.totalMs,
    gapToLeaderMs: r.gapToLeaderMs,
    gapToPrevMs: r.gapToPrevMs,
    positionChange: r.positionChange,
    stagesCounted: r.stagesCounted,
  };
}

export function liveStageTime(stage: string, r: StageRow): LiveStageTime {
  const out: LiveStageTime = {
    stage,
    car: r.car,
    status: r.status,
    timeMs: r.timeMs,
    position: r.position,
    classPosition: r.classPosition,
    gapToWinnerMs: r.gapToWinnerMs,
    penaltyMs: r.penaltyMs,
  };
  if (r.splitsMs && Object.keys(r.splitsMs).length > 0) out.splitsMs = { ...r.splitsMs };
  return out;
}

export function liveRetirement(r: Classification['retired'][number]): LiveRetirement {
  const out: LiveRetirement = { car: r.car, where: r.where, reason: r.reason, permanent: r.permanent };
  if (r.restartedAt !== undefined) out.restartedAt = r.restartedAt;
  return out;
}

export function liveExclusion(e: Classification['excluded'][number]): LiveExclusion {
  const out: LiveExclusion = { car: e.car, reason: e.reason };
  if (e.rule !== undefined) out.rule = e.rule;
  return out;
}

function sameRow(a: LiveRow, b: LiveRow): boolean {
  return a.position === b.position && a.classPosition === b.classPosition && a.status === b.status
    && a.stagesMs === b.stagesMs && a.penaltyMs === b.penaltyMs && a.totalMs === b.totalMs
    && a.gapToLeaderMs === b.gapToLeaderMs && a.gapToPrevMs === b.gapToPrevMs
    && a.positionChange === b.positionChange && a.stagesCounted === b.stagesCounted;
}

function sameStageTime(a: LiveStageTime, b: LiveStageTime): boolean {
  return a.status === b.status && a.timeMs === b.timeMs && a.position === b.position
    && a.classPosition === b.classPosition && a.gapToWinnerMs === b.gapToWinnerMs && a.penaltyMs === b.penaltyMs
    && JSON.stringify(a.splitsMs ?? null) === JSON.stringify(b.splitsMs ?? null);
}

/** Overall rows that are new or changed in `after`, and the cars that left the table. */
export function diffRows(before: Classification, after: Classification): { rows: LiveRow[]; removed: number[] } {
  const old = new Map(before.rows.map((r) => [r.car, liveRow(r)]));
  const rows: LiveRow[] = [];
  for (const r of after.rows) {
    const now = liveRow(r);
    const was = old.get(r.car);
    if (!was || !sameRow(was, now)) rows.push(now);
    old.delete(r.car);
  }
  return { rows, removed: [...old.keys()] };
}

/** Stage winners new or changed (a faster time, a tie, a correction). */
export function diffStageWinners(before: Classification, after: Classification): LiveStageWinner[] {
  const old = new Map(before.stageWinners.map((w) => [w.stage, w]));
  return after.stageWinners
    .filter((w) => {
      const was = old.get(w.stage);
      return !was || was.timeMs !== w.timeMs || was.cars.join(',') !== w.cars.join(',');
    })
    .map((w) => ({ stage: w.stage, cars: [...w.cars], timeMs: w.timeMs }));
}

export function diffStatuses(before: Classification, after: Classification): Pick<LiveDelta, 'retired' | 'unretired' | 'excluded' | 'unexcluded'> {
  const key = (r: LiveRetirement) => `${r.where}|${r.reason}|${r.permanent}|${r.restartedAt ?? ''}`;
  const oldRet = new Map(before.retired.map((r) => [r.car, key(liveRetirement(r))]));
  const newRet = new Map(after.retired.map((r) => [r.car, liveRetirement(r)]));
  const oldExc = new Map(before.excluded.map((e) => [e.car, `${e.reason}|${e.rule ?? ''}`]));
  const newExc = new Map(after.excluded.map((e) => [e.car, liveExclusion(e)]));
  return {
    retired: [...newRet.values()].filter((r) => oldRet.get(r.car) !== key(r)),
    unretired: [...oldRet.keys()].filter((car) => !newRet.has(car)),
    excluded: [...newExc.values()].filter((e) => oldExc.get(e.car) !== `${e.reason}|${e.rule ?? ''}`),
    unexcluded: [...oldExc.keys()].filter((car) => !newExc.has(car)),
  };
}

/**
 * Remembers the last stage rows sent per stage, so a delta carries only stage
 * times that are new or moved (a later, faster car pushes everyone down one).
 */
export class StageTimesMemory {
  private readonly byStage = new Map<string, Map<number, LiveStageTime>>();

  /** Records the current rows of a stage without reporting them (e.g. at init). */
  remember(stage: StageClassification): void {
    const code = stage.stage.code;
    this.byStage.set(code, new Map(stage.rows.map((r) => [r.car, liveStageTime(code, r)])));
  }

  /** Rows of the stage that differ from what was last remembered; remembers the new ones. */
  diff(stage: StageClassification): LiveStageTime[] {
    const code = stage.stage.code;
    const old = this.byStage.get(code) ?? new Map<number, LiveStageTime>();
    const next = new Map<number, LiveStageTime>();
    const changed: LiveStageTime[] = [];
    for (const r of stage.rows) {
      const now = liveStageTime(code, r);
      next.set(r.car, now);
      const was = old.get(r.car);
      // A crew that started the stage is news (the honest table shows it on the stage); one that has not is not.
      if (!was ? now.status !== 'notRun' : !sameStageTime(was, now)) changed.push(now);
    }
    this.byStage.set(code, next);
    return changed;
  }

  has(stage: string): boolean {
    return this.byStage.has(stage);
  }

  clear(): void {
    this.byStage.clear();
  }
}

export interface DeltaInput {
  rallyId: string;
  fromSeq: number;
  toSeq: number;
  before: Classification;
  after: Classification;
  /**
   * The overall tables the stream shows (the honest table after the last
   * stage every running crew has finished, src/core/live/honest.ts); default
   * `before`/`after`. Stage winners, retirements and exclusions come from
   * `before`/`after`, which see every stage.
   */
  tableBefore?: Classification;
  tableAfter?: Classification;
  facts: { id: string; seq: number; type: string; car?: number }[];
  /** Stage classifications of the stages the facts touched, after the change. */
  touchedStages: StageClassification[];
  stageMemory: StageTimesMemory;
}

export function computeDelta(input: DeltaInput): LiveDelta {
  const tableBefore = input.tableBefore ?? input.before;
  const tableAfter = input.tableAfter ?? input.after;
  const { rows, removed } = diffRows(tableBefore, tableAfter);
  const delta: LiveDelta = {
    rallyId: input.rallyId,
    fromSeq: input.fromSeq,
    seq: input.toSeq,
    rows,
    removed,
    stageTimes: input.touchedStages.flatMap((s) => input.stageMemory.diff(s)),
    stageWinners: diffStageWinners(input.before, input.after),
    ...diffStatuses(input.before, input.after),
    facts: input.facts,
  };
  if (tableBefore.after !== tableAfter.after) delta.after = tableAfter.after;
  return delta;
}

/** True when a delta carries nothing a screen would show (facts that changed no result). */
export function isEmptyDelta(d: LiveDelta): boolean {
  return d.after === undefined && d.rows.length === 0 && d.removed.length === 0 && d.stageTimes.length === 0
    && d.stageWinners.length === 0 && d.retired.length === 0 && d.unretired.length === 0
    && d.excluded.length === 0 && d.unexcluded.length === 0;
}
