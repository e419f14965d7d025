// What scoring produces. Every time is integer ms; every position is 1..n over
// classified crews (null for crews that are not classified).
import type { Entry, Stage } from './model.ts';
import type { Issue } from './issues.ts';

export type StageStatus =
  | 'ok'              // driven and timed
  | 'notional'        // given by the Clerk after an interruption
  | 'assessed'        // charged by officials (e.g. on restart) and given as a fact
  | 'restartCharged'  // computed by the preset's Super Rally rule for a missed stage
  | 'maxTime'         // stage maximum charged
  | 'running'         // started, not yet finished
  | 'notRun'          // not (yet) run
  | 'cancelled';      // stage cancelled for everyone

export type CarStatus = 'notStarted' | 'running' | 'finished' | 'retired' | 'excluded';

export interface FactRef {
  id: string;
  type: string;
  seq?: number;
  by?: string;
  recordedAt?: string;
  reason?: string;
}

export interface StageRow {
  position: number | null;
  classPosition: number | null;
  car: number;
  entry: Entry;
  status: StageStatus;
  /** Charged stage time (after precision and any maximum); null when there is none. */
  timeMs: number | null;
  gapToWinnerMs: number | null;
  gapToPrevMs: number | null;
  /** Penalties incurred at this stage (jump start, stage penalties), ms. */
  penaltyMs: number;
  /** Split times by SPLIT control id, from the stage start, ms. */
  splitsMs?: Record<string, number>;
}

export interface StageClassification {
  stage: Stage;
  cancelled: boolean;
  interrupted: boolean;
  rows: StageRow[];
  winners: { car: number; timeMs: number }[];
}

export interface ClassificationRow {
  position: number | null;
  classPosition: number | null;
  car: number;
  entry: Entry;
  status: CarStatus;
  /** Sum of charged stage times counted so far, ms. */
  stagesMs: number;
  /** Time-control (road section) penalties, ms. */
  roadPenaltyMs: number;
  /** All other time penalties (jump start, stewards, …), ms. */
  otherPenaltyMs: number;
  penaltyMs: number;
  totalMs: number;
  gapToLeaderMs: number | null;
  gapToPrevMs: number | null;
  /** Overall position change since the previous stage (+2 = gained two places); null when unknown. */
  positionChange: number | null;
  stagesCounted: number;
}

export interface RetiredCrew {
  car: number;
  where: string;
  reason: string;
  permanent: boolean;
  restartedAt?: string;
  factId: string;
}

export interface ExcludedCrew {
  car: number;
  reason: string;
  rule?: string;
  factId: string;
}

export interface Classification {
  /** Stage code the classification is after; null = nothing run yet. */
  after: string | null;
  leg?: string;
  class?: string;
  /** The category classified, for a rally that runs several on the same roads. */
  category?: string;
  rows: ClassificationRow[];
  stageWinners: { stage: string; cars: number[]; timeMs: number }[];
  retired: RetiredCrew[];
  excluded: ExcludedCrew[];
}

/** One step of an explanation: what, how much, and on what authority. */
export interface WorkingStep {
  /** `penalty`: a time penalty charged (road lateness, jump start, a decision), so readers pick penalties without parsing labels. */
  kind?: 'penalty';
  label: string;
  ms?: number;
  rule?: string;
  confirmed?: boolean;
  /** Not in the rulebook but shown by the body's published results: which results, how many cases (see rules/types.ts). */
  shown?: string;
  facts?: FactRef[];
  note?: string;
}

export interface Workings {
  car: number;
  stage?: string;
  status: StageStatus | CarStatus;
  /** About a stage the crew started and retired on: its status stays `running` (no finish), but it is not on the stage. */
  retiredHere?: boolean;
  steps: WorkingStep[];
  resultMs: number | null;
  factsUsed: FactRef[];
  factsSuperseded: FactRef[];
  /** Rule values relied on; unconfirmed ones are listed so a steward sees them. */
  rules: { key: string; value: unknown; rule: string; confirmed: boolean; shown?: string }[];
}

export interface OverdueCrew {
  car: number;
  stage: string;
  startedAt: string;
  expectedByLocalMs: number;
  overdueMs: number;
  detail: string;
}

export type { Issue };
