// The honest live picture of a rally while a stage is being run.
//
// The rule (docs/live.md "The honest table"): the overall table is the
// classification after the last stage that every crew still in the rally has
// a time on (driven, notional, assessed, maximum or charged under Super
// Rally), with every stage before it complete too (a cancelled stage counts
// as complete). A crew still in the rally is one whose status is running or
// finished: retired, excluded and non-starting crews hold nothing back.
//
// Crews on a later stage are not ranked overall on it: they are shown on that
// stage, with their times or splits and their provisional position on the
// stage. A half-run stage never becomes an "After SSn" table.
import type { Classification, StageClassification, StageRow } from '../results.ts';

/** What the honest picture needs from the scoring state (classify/stageResults of src/core/scoring). */
export interface HonestInput {
  stageCodes: readonly string[];
  /** Classification after the latest stage with any time (classify(state)), for the crews' statuses. */
  latest: Classification;
  stage(code: string): StageClassification;
  classifyAfter(code: string): Classification;
}

export interface HonestPicture {
  /** Stage the table is after; null while no stage is complete. */
  after: string | null;
  classification: Classification;
  /** Stages begun after `after`, in running order (usually one; two when the next starts before the last car is in). */
  running: StageClassification[];
}

/** Statuses of crews that a stage must wait for. */
const IN_RALLY = new Set(['running', 'finished']);

/** Whether every crew still in the rally has a time on this stage. */
export function stageComplete(stage: StageClassification, inRally: ReadonlySet<number>): boolean {
  if (stage.cancelled) return true;
  const timed = new Set(stage.rows.filter((r) => r.timeMs !== null).map((r) => r.car));
  if (timed.size === 0) return false;
  for (const car of inRally) if (!timed.has(car)) return false;
  return true;
}

/** A stage someone has started (a time or a crew on it), not cancelled. */
function begun(stage: StageClassification): boolean {
  return !stage.cancelled && stage.rows.length > 0;
}

export function honestPicture(input: HonestInput): HonestPicture {
  const inRally = new Set(input.latest.rows.filter((r) => IN_RALLY.has(r.status)).map((r) => r.car));
  let after: string | null = null;
  let k = 0;
  for (; k < input.stageCodes.length; k++) {
    const st = input.stage(input.stageCodes[k]!);
    if (!stageComplete(st, inRally)) break;
    if (!st.cancelled) after = st.stage.code;
  }
  const running = input.stageCodes.slice(k).map((c) => input.stage(c)).filter(begun);
  const classification = after === null ? emptyClassification(input.latest) : after === input.latest.after ? input.latest : input.classifyAfter(after);
  return { after, classification, running };
}

/** Before any stage is complete: every crew listed, none ranked, no times. */
function emptyClassification(latest: Classification): Classification {
  return {
    after: null,
    rows: latest.rows.map((r) => ({
      ...r, position: null, classPosition: null, stagesMs: 0, roadPenaltyMs: 0, otherPenaltyMs: 0, penaltyMs: 0, totalMs: 0,
      gapToLeaderMs: null, gapToPrevMs: null, positionChange: null, stagesCounted: 0,
    })).sort((a, b) => a.car - b.car),
    stageWinners: [],
    retired: latest.retired,
    excluded: latest.excluded,
  };
}

/** One crew at one split: its time from the start, rank among crews through that split, gap to the fastest there. */
export interface SplitCell {
  control: string;
  ms: number;
  rank: number;
  gapMs: number;
}

/**
 * Split ranks and gaps for a stage: for each split control, the crews through
 * it ranked by their time from the start (ties share a rank).
 */
export function splitCells(rows: readonly { car: number; splitsMs?: Record<string, number> | undefined }[], splitIds: readonly string[]): Map<number, SplitCell[]> {
  const out = new Map<number, SplitCell[]>(rows.map((r) => [r.car, []]));
  for (const id of splitIds) {
    const through = rows.filter((r) => r.splitsMs?.[id] !== undefined).map((r) => ({ car: r.car, ms: r.splitsMs![id]! }));
    through.sort((a, b) => a.ms - b.ms || a.car - b.car);
    const best = through[0]?.ms ?? 0;
    through.forEach((t, n) => {
      const prev = through[n - 1];
      const rank = prev && prev.ms === t.ms ? out.get(prev.car)!.at(-1)!.rank : n + 1;
      out.get(t.car)!.push({ control: id, ms: t.ms, rank, gapMs: t.ms - best });
    });
  }
  return out;
}

/**
 * Provisional position on a running stage: a finished crew by its time; a
 * crew still on it by its rank at the last split it passed (null before the
 * first split, where nothing is known yet).
 */
export function provisionalStagePosition(row: StageRow, cells: readonly SplitCell[]): number | null {
  if (row.timeMs !== null) return row.position;
  return cells.at(-1)?.rank ?? null;
}
