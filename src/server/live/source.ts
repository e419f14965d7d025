// What the live module needs from the rest of the server, kept narrow so the
// stream can be tested without a database: a snapshot of a rally's scored
// state, and a callback per change (facts appended here or, on PostgreSQL, by
// another process and announced through LISTEN/NOTIFY).
import type { RallyDefinition } from '../../core/model.ts';
import type { Classification, OverdueCrew, StageClassification } from '../../core/results.ts';
import type { Issue } from '../../core/issues.ts';
import type { HonestPicture } from '../../core/live/honest.ts';

export interface LiveFactRef {
  id: string;
  seq: number;
  type: string;
  car?: number;
  control?: string;
  stage?: string;
  /** `at` of a control time, kept for the replay clock. */
  at?: string;
}

export interface RallySnapshot {
  rallyId: string;
  /** Log seq the snapshot reflects (0 = empty log). */
  seq: number;
  definition: RallyDefinition;
  /** The category this picture is of (a rally with categories); absent: every crew. */
  category?: string;
  /** Stages this picture covers, in running order (a category's own); absent: every stage. */
  stageCodes?: readonly string[];
  classification: Classification;
  stageResults(stage: string): StageClassification | null;
  /** The honest live table and the stages being run (src/core/live/honest.ts); without it, `classification` is the table. */
  honest?(): HonestPicture;
  /** The same log position for another category (unknown or absent: the first); absent when the source has one picture per rally. */
  forCategory?(category: string | undefined): RallySnapshot;
  overdue(nowLocalMs: number): OverdueCrew[];
  issues(): Issue[];
  /** Start times of day (rally-local ms) of the crews on a stage, from the log; optional (prediction accuracy). */
  stageStarts?(stage: string): Map<number, number>;
  /** Latest control time of day in the log (`2026-02-07T11:32:05.3`), to start the HQ log clock; optional. */
  latestAt?(): string | null;
}

export interface LiveChange {
  rallyId: string;
  /** Seq before the change (the facts are `fromSeq < seq <= toSeq`). */
  fromSeq: number;
  toSeq: number;
  facts: LiveFactRef[];
  before: Classification;
  after: Classification;
}

export interface LiveSource {
  /** The rally's current state, or null for an unknown rally. Called synchronously after a change. */
  snapshot(rallyId: string, category?: string): RallySnapshot | null | Promise<RallySnapshot | null>;
  onChange(listener: (change: LiveChange) => void): () => void;
  /** The rally's definition changed (entries, itinerary, rules), here or in another process: streams start over. */
  onDefinition?(listener: (rallyId: string) => void): () => void;
  /** Another process published results of the rally (this process announces its own); `data` is the `publication` event. */
  onPublication?(listener: (rallyId: string, data: unknown) => void): () => void;
}
