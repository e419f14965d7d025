// Bulk import: reads records in chunks, checks each event edition as a batch
// (duplicates, positions that do not fit, conflicts with what is stored),
// writes the good lines, reports the bad ones by line, and keeps the
// pre-aggregated tallies up to date. Re-importing a file adds nothing twice.
import { checkBatch, isRejection, type HistoryCsvReader, type HistoryRecord, type Rejection } from '../../core/championship/history-records.ts';
import type { HistoryBackend, ImportProgress, ImportReport, TallyCounts, TallyMap } from './types.ts';

const MAX_LISTED = 1000;
/** Rows per transaction unless the backend says otherwise. Large, so a bulk load pays few commits; each commit carries its rows' tallies. */
const COMMIT_EVERY = 1_000_000;
/** Tally rows held in memory before a commit is forced (bounds memory on a file of many distinct keys). */
const TALLY_LIMIT = 1_000_000;
const ANALYZE_AFTER = 100_000;

export interface ImportOptions {
  onProgress?: (p: ImportProgress) => void;
  /** Calls onProgress about every this many lines. */
  progressEvery?: number;
  /** Monotonic clock in ms, for the rate in the report. */
  now?: () => number;
}

function emptyCounts(): TallyCounts {
  return { starts: 0, wins: 0, podiums: 0, titles: 0, stageWins: 0 };
}

/**
 * Tallies of accepted records, summed in memory and written set-based (one
 * upsert per distinct key) when the importer commits, instead of one upsert
 * per row.
 */
export class TallyBuilder {
  readonly map: TallyMap = new Map();
  /** Distinct (prefix, key) entries held. */
  size = 0;
  // NOTE: records come edition by edition; the 16 inner maps of the last event and class are kept so a
  // record costs no prefix strings and no lookups in the outer map.
  private lastEvent = '';
  private lastClass = '';
  private inner: Map<string, TallyCounts>[] = [];

  /** Adds one accepted record: four dimensions × (this event | `*`) × (this class | `*`). */
  add(r: HistoryRecord): void {
    const isChamp = r.kind === 'championship';
    const isStage = r.kind === 'stage';
    const win = r.position === 1;
    if ((isStage || isChamp) && !win) return;
    const podium = r.position !== null && r.position <= 3;
    if (this.inner.length === 0 || r.event !== this.lastEvent || r.class !== this.lastClass) this.select(r.event, r.class);
    for (let d = 0; d < 4; d++) {
      const key = d === 0 ? r.driver : d === 1 ? r.codriver : d === 2 ? r.make : r.class;
      if (!key) continue;
      for (let v = 0; v < 4; v++) {
        const inner = this.inner[d * 4 + v]!;
        let c = inner.get(key);
        if (!c) {
          inner.set(key, (c = emptyCounts()));
          this.size++;
        }
        if (isStage) c.stageWins++;
        else if (isChamp) c.titles++;
        else {
          c.starts++;
          if (win) c.wins++;
          if (podium) c.podiums++;
        }
      }
    }
  }

  private select(event: string, cls: string): void {
    this.lastEvent = event;
    this.lastClass = cls;
    this.inner = [];
    for (const dim of DIMS) {
      for (let v = 0; v < 4; v++) {
        const prefix = `${dim}\u0001${v & 1 ? '*' : event}\u0001${v & 2 ? '*' : cls}`;
        let inner = this.map.get(prefix);
        if (!inner) this.map.set(prefix, (inner = new Map()));
        this.inner.push(inner);
      }
    }
  }

  clear(): void {
    this.map.clear();
    this.size = 0;
    this.inner = [];
  }
}

const DIMS = ['driver', 'codriver', 'make', 'class'] as const;

/** Turns chunks of CSV lines (header first) into chunks of records and rejections. */
export async function* csvChunks(lines: AsyncIterable<string[]>, reader: HistoryCsvReader): AsyncGenerator<(HistoryRecord | Rejection)[]> {
  let lineNo = 0;
  let headerDone = false;
  for await (const chunk of lines) {
    const out: (HistoryRecord | Rejection)[] = [];
    for (const raw of chunk) {
      lineNo++;
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (!headerDone) {
        headerDone = true;
        const bad = reader.header(line);
        if (bad) {
          yield [bad];
          return;
        }
        continue;
      }
      if (line.trim() === '') continue;
      out.push(reader.read(line, lineNo));
    }
    yield out;
  }
}

/** Imports records (as chunks) through a backend; returns the report. */
export async function importRecords(backend: HistoryBackend, chunks: AsyncIterable<(HistoryRecord | Rejection)[]>, options: ImportOptions = {}): Promise<ImportReport> {
  try {
    return await importAll(backend, chunks, options);
  } catch (e) {
    // What was committed before stays; the open transaction is dropped and its connection returned.
    await backend.abort().catch(() => {});
    throw e;
  }
}

async function importAll(backend: HistoryBackend, chunks: AsyncIterable<(HistoryRecord | Rejection)[]>, options: ImportOptions): Promise<ImportReport> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const rejected: Rejection[] = [];
  let rejectedCount = 0;
  let linesRead = 0;
  let imported = 0;
  let alreadyStored = 0;
  let sinceCommit = 0;
  let nextProgress = options.progressEvery ?? 50_000;
  const tallies = new TallyBuilder();
  const commitEvery = backend.commitEvery ?? COMMIT_EVERY;
  let batch: HistoryRecord[] = [];
  let batchKey = '';
  const reject = (r: Rejection): void => {
    rejectedCount++;
    if (rejected.length < MAX_LISTED) rejected.push(r);
  };
  // The tallies of the rows written since the last commit go in the same transaction, so a commit never
  // leaves rows without their counts (an interrupted import keeps the tallies true to the stored rows).
  const commit = async (): Promise<void> => {
    if (tallies.size) await backend.addTallies(tallies.map);
    tallies.clear();
    await backend.commit();
    sinceCommit = 0;
  };
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const first = batch[0]!;
    const stored = await backend.storedFor(first.kind, first.event, first.year);
    const outcome = checkBatch(batch, stored?.results ?? new Map(), stored?.positions ?? new Map());
    for (const r of outcome.rejected) reject(r);
    alreadyStored += outcome.alreadyStored;
    if (outcome.accepted.length) {
      await backend.write(outcome.accepted);
      for (const r of outcome.accepted) tallies.add(r);
      imported += outcome.accepted.length;
      sinceCommit += outcome.accepted.length;
    }
    batch = [];
    if (sinceCommit >= commitEvery || tallies.size >= TALLY_LIMIT) await commit();
  };
  for await (const chunk of chunks) {
    for (const item of chunk) {
      linesRead++;
      if (isRejection(item)) {
        reject(item);
        continue;
      }
      // NOTE: championship rows and event rows of the same name and year are separate editions.
      const key = `${item.kind === 'championship' ? 'c' : 'e'}\u0001${item.event}\u0001${item.year}`;
      if (key !== batchKey) {
        await flush();
        batchKey = key;
      }
      batch.push(item);
    }
    if (options.onProgress && linesRead >= nextProgress) {
      nextProgress = linesRead + (options.progressEvery ?? 50_000);
      options.onProgress({ linesRead, imported, rejected: rejectedCount });
    }
  }
  await flush();
  await commit();
  if (imported >= ANALYZE_AFTER && backend.analyze) await backend.analyze();
  options.onProgress?.({ linesRead, imported, rejected: rejectedCount });
  const elapsedMs = now() - started;
  rejected.sort((a, b) => a.line - b.line);
  return { linesRead, imported, alreadyStored, rejectedCount, rejected, elapsedMs, rowsPerSecond: elapsedMs > 0 ? Math.round(imported / (elapsedMs / 1000)) : imported };
}
