// The history store: imported historical results, statistics over them, and
// the championship seasons with their round results. One contract, an SQLite
// and a PostgreSQL implementation.
import type { HistoryRecord, Rejection, StoredResult } from '../../core/championship/history-records.ts';
import type { Season, RoundResult } from '../../core/championship/season.ts';
import type { Streak, TitleRun } from '../../core/championship/streaks.ts';

export type StatDimension = 'driver' | 'codriver' | 'make' | 'class';
export type StatMetric = 'wins' | 'podiums' | 'starts' | 'titles' | 'stageWins';
export const STAT_DIMENSIONS: readonly StatDimension[] = ['driver', 'codriver', 'make', 'class'];
export const STAT_METRICS: readonly StatMetric[] = ['wins', 'podiums', 'starts', 'titles', 'stageWins'];

export interface StatsQuery {
  by: StatDimension;
  /** Part of an event name, case-insensitive (`Monte Carlo`); absent = every event. */
  event?: string;
  /** Exact class code; absent = every class. */
  class?: string;
  metric?: StatMetric;
  limit?: number;
}

export interface StatRow {
  key: string;
  starts: number;
  wins: number;
  podiums: number;
  titles: number;
  stageWins: number;
}

export interface StatsAnswer {
  by: StatDimension;
  metric: StatMetric;
  /** Event names the filter matched (empty filter: `*`). */
  events: string[];
  class: string | null;
  rows: StatRow[];
}

export interface StreakQuery {
  by: 'make' | 'driver' | 'codriver';
  event?: string;
  class?: string;
  /** Shortest streak listed; default 2. */
  min?: number;
  limit?: number;
}

/** One stored result line, as a history page lists it. */
export interface HistoryResultRow {
  event: string;
  year: number;
  date: string;
  class: string;
  position: number | null;
  status: string;
  /** Why a crew was excluded or not classified, as imported (the 1966 Monte Carlo exclusions). */
  reason: string | null;
  driver: string;
  codriver: string | null;
  make: string;
  model: string | null;
}

export interface ResultsQuery {
  /** Part of an event name, any case. */
  event?: string;
  /** A driver's (or co-driver's) exact name, any case: their whole record. */
  person?: string;
  /** Only each classification's winner and the crews excluded from it (the event-winners list). */
  winners?: boolean;
  limit?: number;
}

export interface HeadToHead {
  a: string;
  b: string;
  /** Event classifications both were in. */
  meetings: number;
  aAhead: number;
  bAhead: number;
  /** Neither classified, or equal. */
  undecided: number;
  events: { event: string; year: number; class: string; a: string; b: string; ahead: 'a' | 'b' | null }[];
}

export interface ImportReport {
  linesRead: number;
  imported: number;
  alreadyStored: number;
  rejectedCount: number;
  /** The first rejections (all of them up to a thousand), by line. */
  rejected: Rejection[];
  elapsedMs: number;
  rowsPerSecond: number;
}

export interface ImportProgress {
  linesRead: number;
  imported: number;
  rejected: number;
  /** Bytes read so far and in total, when reading a file. */
  bytesRead?: number;
  bytesTotal?: number;
}

/** What the importer needs from a database. */
export interface HistoryBackend {
  knownClasses(): Promise<Set<string>>;
  /** Stored results of one edition, or null when the edition is new (nothing to check against). */
  storedFor(kind: HistoryRecord['kind'], event: string, year: number): Promise<{ results: Map<string, StoredResult>; positions: Map<string, Set<number>> } | null>;
  /** Inserts accepted records (events, people and makes created as needed). */
  write(records: readonly HistoryRecord[]): Promise<void>;
  /** Adds counts to the pre-aggregated tallies. */
  addTallies(tallies: TallyMap): Promise<void>;
  /** Rows per transaction, when the database wants other than the importer's default. */
  readonly commitEvery?: number;
  /** Ends a big transaction; the importer calls it every so many rows and at the end. */
  commit(): Promise<void>;
  /**
   * Rolls back what is not committed and gives the connection back; the importer calls it when an import
   * fails (a database error, a reader error, an aborted upload), so no connection stays in a transaction.
   */
  abort(): Promise<void>;
  /** Refreshes the planner's statistics after a large import (PostgreSQL), so queries keep their index plans. */
  analyze?(): Promise<void>;
}

/** Tallies under construction: by `dimension␁event␁class`, then by key (driver, make, …). */
export type TallyMap = Map<string, Map<string, TallyCounts>>;

export interface TallyCounts {
  starts: number;
  wins: number;
  podiums: number;
  titles: number;
  stageWins: number;
}

export interface HistoryStore {
  readonly kind: 'sqlite' | 'postgres';
  backend(): HistoryBackend;
  addClasses(classes: { code: string; name: string }[]): Promise<void>;
  classes(): Promise<{ code: string; name: string }[]>;
  stats(q: StatsQuery): Promise<StatsAnswer>;
  streaks(q: StreakQuery): Promise<Streak[]>;
  titleRuns(q: { by: 'driver' | 'codriver' | 'make'; championship?: string; min: number; window: number }): Promise<TitleRun[]>;
  headToHead(a: string, b: string): Promise<HeadToHead>;
  /** Stored event results, oldest first: an event's winners by year with its exclusions, or one person's record. */
  results(q: ResultsQuery): Promise<HistoryResultRow[]>;
  /** Names of the events stored. */
  eventNames(): Promise<string[]>;
  counts(): Promise<{ events: number; results: number; stageResults: number }>;
  putSeason(season: Season, now: string): Promise<void>;
  getSeason(id: string): Promise<Season | null>;
  listSeasons(): Promise<Season[]>;
  putRoundResult(season: string, result: RoundResult, now: string): Promise<void>;
  roundResults(season: string): Promise<RoundResult[]>;
  close(): Promise<void>;
}
