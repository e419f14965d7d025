// Facts: what officials record, as an append-only log. Each is immutable;
// mistakes are fixed by a later fact that supersedes an earlier one, with a reason.
// Times are kept as text (rally-local date-time, or a duration) exactly as
// the rally file and the API carry them; the core parses them when it folds.

export type TimeSource = 'eztrak' | 'rallysafe' | 'timecard' | 'marshalClock' | 'photocell' | 'manual' | 'derived' | 'official';

/** Fields every fact carries. */
export interface FactEnvelope {
  /** Client-generated id, unique within the rally (a UUID or `device:seq`). */
  id: string;
  /** Position in the rally's log, assigned by the store; absent before it is stored. */
  seq?: number;
  /** This fact replaces the fact with this id (a correction); `reason` then says why. */
  supersedes?: string;
  /** Why: required for corrections and decisions. */
  reason?: string;
  /** Who recorded it (user or device name). */
  by?: string;
  device?: string;
  /** When it was recorded (wall clock, ISO with offset); informational only, never used for scoring. */
  recordedAt?: string;
  /** What was typed, kept beside what was accepted. */
  raw?: string;
}

/** A time of day at a control or split point. */
export interface ControlTimeRecorded extends FactEnvelope {
  type: 'controlTime';
  car: number;
  control: string;
  /** Rally-local date-time, `2026-02-06T19:32:05.3` (to 0.1 s or better). */
  at: string;
  source?: TimeSource;
}

/** A stage time given directly by a timing device or by officials. */
export interface StageTimeRecorded extends FactEnvelope {
  type: 'stageTime';
  car: number;
  stage: string;
  /** Duration text, `3:45.2` or `1:02:03.456`. */
  time: string;
  source?: TimeSource;
  /** Time charged by officials rather than driven (e.g. assessed on restart). */
  assessed?: boolean;
  /**
   * With `assessed`: the time is the officials' restart (Super Rally) charge for a
   * stage the crew missed, so it counts in the crew's total but is never the base
   * of another crew's restart charge (ARA: "restart charges left out").
   */
  restartCharge?: boolean;
}

export interface PenaltyApplied extends FactEnvelope {
  type: 'penalty';
  car: number;
  /** Seconds; may carry decimals (to the ms). */
  seconds: number;
  reason: string;
  /** The rule or article, e.g. `FIA 44.2.10a` or `stewards' decision 12`. */
  rule?: string;
  /** Where it was incurred: a control id or a stage code (decides which leg/after-stage it counts in). */
  control?: string;
  stage?: string;
}

export interface JumpStartRecorded extends FactEnvelope {
  type: 'jumpStart';
  car: number;
  stage: string;
  /** How early the car moved, ms (MSUK adds it to the penalty). */
  jumpedMs?: number;
  source?: TimeSource;
}

export interface CarRetired extends FactEnvelope {
  type: 'retirement';
  car: number;
  /** Control id or stage code where the crew retired. */
  where: string;
  reason: string;
  /** A permanent retirement cannot be followed by a restart. */
  permanent?: boolean;
}

export interface CarRestarted extends FactEnvelope {
  type: 'restart';
  car: number;
  /** Id of the section (or leg) at whose start the crew restarts under Super Rally. */
  section: string;
}

export interface CarExcluded extends FactEnvelope {
  type: 'exclusion';
  car: number;
  reason: string;
  rule?: string;
}

export interface StageInterrupted extends FactEnvelope {
  type: 'stageInterrupted';
  stage: string;
  reason: string;
  /** Notional stage times for named cars, as decided by the Clerk of the Course. */
  notionalTimes: { car: number; time: string }[];
  /** When the stage was stopped, rally-local (finishes before it are the times "set at the interruption"). */
  at?: string;
  /** When the stage was restarted after a red flag, rally-local (MSUK 4.38: the first times after it). */
  restartedAt?: string;
  /** Crews wholly or partly responsible for the stoppage: they never benefit (FMU26 Art 52, MSUK 4.36). */
  responsible?: number[];
}

/**
 * The crew did not perform the stage correctly (MSUK App 8 (c), App 14 (d)):
 * charged the stage maximum, whatever it drove. An official's decision, with its reason.
 */
export interface StageMaximumCharged extends FactEnvelope {
  type: 'stageMaximumCharged';
  car: number;
  stage: string;
  reason: string;
  rule?: string;
}

/** The crew delayed its own stage start (FMU26 Art 48.4): charged per minute or part; too long after the signal, retired. */
export interface DelayedStart extends FactEnvelope {
  type: 'delayedStart';
  car: number;
  stage: string;
  reason: string;
  /** How long the start was delayed by the crew, ms. */
  delayMs?: number;
  /** How long after the start signal the car moved, ms (beyond delayedStartRetireAfterMs: retired). */
  afterSignalMs?: number;
}

export interface StageCancelled extends FactEnvelope {
  type: 'stageCancelled';
  stage: string;
  reason: string;
}

/** Withdraws an earlier fact without replacing it (`supersedes` names it). */
export interface FactRetracted extends FactEnvelope {
  type: 'retraction';
  supersedes: string;
  reason: string;
}

export type Fact =
  | ControlTimeRecorded
  | StageTimeRecorded
  | PenaltyApplied
  | JumpStartRecorded
  | CarRetired
  | CarRestarted
  | CarExcluded
  | StageInterrupted
  | StageCancelled
  | StageMaximumCharged
  | DelayedStart
  | FactRetracted;

export type FactType = Fact['type'];

export const FACT_TYPES: readonly FactType[] = [
  'controlTime', 'stageTime', 'penalty', 'jumpStart', 'retirement', 'restart', 'exclusion', 'stageInterrupted', 'stageCancelled', 'stageMaximumCharged', 'delayedStart', 'retraction',
];

/** The car a fact is about, if it is about one car. */
export function carOf(fact: Fact): number | null {
  return 'car' in fact && typeof fact.car === 'number' ? fact.car : null;
}
