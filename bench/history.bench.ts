// History at scale: bulk import rate against the database's raw insert rate
// (measured in the same run), CSV import rate, and the statistics queries over
// a seeded synthetic history (scripts/generate-history.ts).
//   npm run bench history                             10 million stage results, as the target asks (a few minutes)
//   RALLYHQ_BENCH_ROWS=2000000 npm run bench history  a quicker look
// SQLite and PostgreSQL (when reachable, RALLYHQ_TEST_PG); RALLYHQ_BENCH_DB=sqlite or
// =postgres runs one of them. Size is printed.
import { mkdtempSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { finished } from 'node:stream/promises';
import type { BenchResult } from './run.ts';
import { syntheticHistory } from '../scripts/generate-history.ts';
import { importRecords } from '../src/store/history/importer.ts';
import { importCsvFile } from '../src/store/history/csv-file.ts';
import { openSqliteHistory } from '../src/store/history/sqlite-history.ts';
import { openPostgresHistory } from '../src/store/history/postgres-history.ts';
import { HISTORY_COLUMNS, type HistoryRecord } from '../src/core/championship/history-records.ts';
import { formatDuration } from '../src/core/time/index.ts';
import type { HistoryStore } from '../src/store/history/types.ts';
import { createTestDatabase, TEST_PG_URL } from '../src/testing/pg.ts';
import { median } from '../src/testing/median.ts';

const ROWS = Number(process.env.RALLYHQ_BENCH_ROWS ?? 10_000_000);
const CSV_ROWS = Math.min(ROWS, 1_000_000);
const BASE_ROWS = Math.min(ROWS, 1_000_000);
const QUERY_RUNS = 7;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');


/** Stage-result-shaped rows, inserted as plainly as the database allows: the baseline. */
function rawRows(n: number): { ev: number[]; cls: string[]; stage: number[]; driver: number[]; pos: number[]; ms: number[] } {
  const r = { ev: [] as number[], cls: [] as string[], stage: [] as number[], driver: [] as number[], pos: [] as number[], ms: [] as number[] };
  for (let i = 0; i < n; i++) {
    r.ev.push(Math.floor(i / 2000)); r.cls.push('overall'); r.stage.push(1 + Math.floor((i % 2000) / 200)); r.driver.push(i % 200); r.pos.push(1 + (i % 200)); r.ms.push(300_000 + (i % 9973));
  }
  return r;
}

const RAW_TABLE = 'CREATE TABLE bench_raw (event_id INTEGER NOT NULL, class TEXT NOT NULL, stage INTEGER NOT NULL, driver_id INTEGER NOT NULL, position INTEGER, time_ms INTEGER, PRIMARY KEY (event_id, class, stage, driver_id))';

function sqliteRawRate(path: string, n: number): number {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`${RAW_TABLE} WITHOUT ROWID`);
  const r = rawRows(n);
  const st = db.prepare('INSERT INTO bench_raw VALUES (?, ?, ?, ?, ?, ?)');
  const t = performance.now();
  db.transaction(() => { for (let i = 0; i < n; i++) st.run(r.ev[i], r.cls[i], r.stage[i], r.driver[i], r.pos[i], r.ms[i]); })();
  const rate = n / ((performance.now() - t) / 1000);
  db.close();
  return rate;
}

/**
 * Raw COPY FROM STDIN (text format) of stage-shaped rows into a bare table with the same key: the way
 * the importer writes on PostgreSQL, without checks, names, tallies or other tables. Lines are built in
 * the timed part, as the importer builds them.
 */
async function pgRawRate(url: string, n: number): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(RAW_TABLE);
  const r = rawRows(n);
  const t = performance.now();
  await c.query('BEGIN');
  for (let i = 0; i < n; i += 50_000) {
    const stream = c.query(copyFrom('COPY bench_raw FROM STDIN'));
    const end = Math.min(n, i + 50_000);
    for (let j = i; j < end; j += 2000) {
      const piece: string[] = [];
      for (let k = j; k < Math.min(end, j + 2000); k++) piece.push(`${r.ev[k]!}\t${r.cls[k]!}\t${r.stage[k]!}\t${r.driver[k]!}\t${r.pos[k]!}\t${r.ms[k]!}\n`);
      stream.write(piece.join(''));
    }
    stream.end();
    await finished(stream);
  }
  await c.query('COMMIT');
  const rate = n / ((performance.now() - t) / 1000);
  await c.end();
  return rate;
}

function csvLine(r: HistoryRecord): string {
  const v: Record<string, string> = {
    kind: r.kind, event: r.event, year: String(r.year), date: r.date, class: r.class, position: r.position === null ? '' : String(r.position),
    driver: r.driver, codriver: r.codriver ?? '', make: r.make, model: r.model ?? '', status: r.status, reason: r.reason ?? '', source: 'synthetic',
    stage: r.stage === null ? '' : String(r.stage), time: r.timeMs === null ? '' : formatDuration(r.timeMs, 1),
  };
  return HISTORY_COLUMNS.map((c) => v[c]).join(',');
}

async function writeCsv(path: string, rows: number, seed: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(HISTORY_COLUMNS.join(',') + '\n');
  for await (const chunk of syntheticHistory({ stageRows: rows, seed })) {
    if (!out.write(chunk.map(csvLine).join('\n') + '\n')) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  await new Promise<void>((r) => out.end(r));
}

async function queryTimings(db: string, store: HistoryStore): Promise<BenchResult[]> {
  const queries: [string, () => Promise<unknown>][] = [
    ['wins by make, all events', () => store.stats({ by: 'make' })],
    ['wins by driver, one event (name part)', () => store.stats({ by: 'driver', event: 'Synthetic Rally 007' })],
    ['podiums by driver, class overall', () => store.stats({ by: 'driver', metric: 'podiums', class: 'overall' })],
    ['stage wins by driver, all events', () => store.stats({ by: 'driver', metric: 'stageWins' })],
    ['wins in a row by make, all events', () => store.streaks({ by: 'make' })],
    ['wins in a row by driver, one event', () => store.streaks({ by: 'driver', event: 'Synthetic Rally 007' })],
    ['titles: 2 in 3 seasons by driver', () => store.titleRuns({ by: 'driver', min: 2, window: 3 })],
    ['head-to-head Driver 0001 vs Driver 0002', () => store.headToHead('Driver 0001', 'Driver 0002')],
  ];
  const out: BenchResult[] = [];
  for (const [name, q] of queries) {
    await q(); // warm the cache once
    const times: number[] = [];
    for (let i = 0; i < QUERY_RUNS; i++) {
      const t = performance.now();
      await q();
      times.push(performance.now() - t);
    }
    const m = median(times);
    out.push({ name: `${db}: ${name}`, figure: `median ${m.toFixed(1)} ms (${QUERY_RUNS} runs)`, target: '< 200 ms', met: m < 200 });
  }
  return out;
}

async function runOn(db: 'SQLite' | 'PostgreSQL', dir: string): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  let store: HistoryStore;
  let csvStore: HistoryStore;
  let rawRate: number;
  const drops: (() => Promise<void>)[] = [];
  if (db === 'SQLite') {
    rawRate = sqliteRawRate(join(dir, 'raw.db'), BASE_ROWS);
    store = openSqliteHistory(join(dir, 'history.db'));
    csvStore = openSqliteHistory(join(dir, 'csv.db'));
  } else {
    const raw = await createTestDatabase('rallyhq_bench_raw');
    drops.push(() => raw.drop());
    rawRate = await pgRawRate(raw.url, BASE_ROWS);
    const big = await createTestDatabase('rallyhq_bench_history');
    const csv = await createTestDatabase('rallyhq_bench_csv');
    drops.push(() => big.drop(), () => csv.drop());
    store = await openPostgresHistory(big.url);
    csvStore = await openPostgresHistory(csv.url);
  }
  try {
    const baseline = `${fmt(rawRate)} rows/s raw ${db === 'SQLite' ? 'INSERT' : 'COPY'} of ${fmt(BASE_ROWS)} stage-shaped rows, one table, no checks`;
    const gen = await importRecords(store.backend(), syntheticHistory({ stageRows: ROWS, seed: 1 }));
    results.push({ name: `${db}: bulk import, ${fmt(gen.imported)} rows (${fmt(ROWS)} stage results + event and title rows), checks + tallies`, figure: `${fmt(gen.rowsPerSecond)} rows/s in ${(gen.elapsedMs / 1000).toFixed(1)} s`, baseline, ratio: gen.rowsPerSecond / rawRate, target: '≥ 100,000 rows/s', met: gen.rowsPerSecond >= 100_000 });
    const csvPath = join(dir, 'history.csv');
    await writeCsv(csvPath, CSV_ROWS, 2);
    const csv = await importCsvFile(csvStore, csvPath, { today: '2100-01-01' });
    results.push({ name: `${db}: CSV import (parse + checks + tallies), ${fmt(csv.imported)} rows`, figure: `${fmt(csv.rowsPerSecond)} rows/s, ${csv.rejectedCount} rejected`, baseline, ratio: csv.rowsPerSecond / rawRate, target: '≥ 100,000 rows/s', met: csv.rowsPerSecond >= 100_000 });
    const again = await importCsvFile(csvStore, csvPath, { today: '2100-01-01' });
    results.push({ name: `${db}: same CSV again (idempotent)`, figure: `${fmt(again.imported)} imported, ${fmt(again.alreadyStored)} already stored, ${fmt(again.linesRead / (again.elapsedMs / 1000))} lines/s` });
    const counts = await store.counts();
    console.log(`  ${db}: history holds ${fmt(counts.stageResults)} stage results, ${fmt(counts.results)} event results, ${fmt(counts.events)} events`);
    results.push(...await queryTimings(db, store));
  } finally {
    await store.close();
    await csvStore.close();
    for (const d of drops) await d();
  }
  return results;
}

async function pgReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

export default async function bench(): Promise<BenchResult[]> {
  console.log(`  size: ${fmt(ROWS)} synthetic stage results (RALLYHQ_BENCH_ROWS), CSV ${fmt(CSV_ROWS)}, baseline ${fmt(BASE_ROWS)} rows`);
  const dir = mkdtempSync(join(tmpdir(), 'rallyhq-bench-history-'));
  try {
    const only = process.env.RALLYHQ_BENCH_DB?.toLowerCase();
    const out: BenchResult[] = [];
    if (only !== 'postgres') out.push(...await runOn('SQLite', dir));
    if (only !== 'sqlite') {
      if (await pgReachable()) out.push(...await runOn('PostgreSQL', dir));
      else console.log('  PostgreSQL not reachable: skipped (set RALLYHQ_TEST_PG)');
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
