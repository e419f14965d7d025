// Durable appends per second at the store, without HTTP.
// (a) SQLite: rallyhq's SqliteStore with 50 concurrent callers each appending
//     single facts (group commit) vs raw better-sqlite3 with the same pragmas
//     (WAL, synchronous=FULL) doing one transaction per row, and raw 100-row
//     transactions (the ceiling when commits are shared perfectly).
// (b) PostgreSQL, the same against raw `pg`: 50 concurrent single-row
//     autocommit INSERTs over a pool of 10, and 100-row transactions.
// Medians over ROUNDS repeats; every database is a temp file or a temp database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { BenchResult } from './run.ts';
import type { Store } from '../src/store/contract.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { PostgresStore } from '../src/store/postgres/postgres-store.ts';
import { controlTime, sampleRally } from '../src/store/contract.suite.ts';
import { createTestDatabase, pgSkipReason } from '../src/testing/pg.ts';

const CALLERS = 50;
const ROUNDS = Number(process.env.RALLYHQ_BENCH_STORE_ROUNDS ?? 3);
const DURATION_MS = Number(process.env.RALLYHQ_BENCH_STORE_MS ?? 2000);
const TARGET_PER_S = 5000;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const rate = (n: number) => `${Math.round(n).toLocaleString('en-US')} facts/s`;

const RAW_TABLE = `CREATE TABLE raw_facts (rally_id TEXT NOT NULL, seq INTEGER NOT NULL, fact_id TEXT NOT NULL, body TEXT NOT NULL, received_at TEXT NOT NULL,
  PRIMARY KEY (rally_id, seq), UNIQUE (rally_id, fact_id))`;
const body = (i: number) => JSON.stringify(controlTime(`raw-${i}`, i));

/** 50 callers, each appending one fact at a time until the time is up. Returns facts/s. */
async function storeRate(store: Store, tag: string): Promise<number> {
  const rallyId = `bench-${tag}`;
  await store.createRally(sampleRally(rallyId), new Date().toISOString());
  let n = 0;
  const t0 = performance.now();
  const until = t0 + DURATION_MS;
  await Promise.all(Array.from({ length: CALLERS }, async (_, c) => {
    for (let k = 0; performance.now() < until; k++) {
      await store.appendFacts(rallyId, [{ fact: controlTime(`c${c}-${k}`, k), principal: 'bench', receivedAt: new Date().toISOString() }]);
      n++;
    }
  }));
  return n / ((performance.now() - t0) / 1000);
}

function rawSqlite(path: string, rowsPerTx: number): number {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(RAW_TABLE);
  const insert = db.prepare('INSERT INTO raw_facts VALUES (?, ?, ?, ?, ?)');
  const tx = db.transaction((from: number) => {
    for (let i = from; i < from + rowsPerTx; i++) insert.run('r', i + 1, `f${i}`, body(i), new Date().toISOString());
  });
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < DURATION_MS) { tx(n); n += rowsPerTx; }
  const perS = n / ((performance.now() - t0) / 1000);
  db.close();
  return perS;
}

async function sqliteBench(): Promise<BenchResult[]> {
  const group: number[] = [];
  const perRow: number[] = [];
  const hundred: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const dir = mkdtempSync(join(tmpdir(), 'rallyhq-bench-store-'));
    try {
      const store = new SqliteStore(join(dir, 'store.db'));
      group.push(await storeRate(store, `s${r}`));
      await store.close();
      perRow.push(rawSqlite(join(dir, 'raw1.db'), 1));
      hundred.push(rawSqlite(join(dir, 'raw100.db'), 100));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const g = median(group);
  return [
    { name: 'sqlite: 50 callers × single-fact appends (group commit)', figure: rate(g), baseline: `${rate(median(perRow))} raw better-sqlite3, 1 row/tx`, ratio: g / median(perRow), target: `≥ ${rate(TARGET_PER_S)}`, met: g >= TARGET_PER_S },
    { name: 'sqlite: same vs raw 100-row transactions (ceiling)', figure: rate(g), baseline: `${rate(median(hundred))} raw better-sqlite3, 100 rows/tx`, ratio: g / median(hundred) },
  ];
}

async function rawPg(url: string, rowsPerTx: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  await pool.query('DROP TABLE IF EXISTS raw_facts');
  await pool.query(RAW_TABLE);
  let n = 0;
  const t0 = performance.now();
  const until = t0 + DURATION_MS;
  if (rowsPerTx === 1) {
    await Promise.all(Array.from({ length: CALLERS }, async () => {
      while (performance.now() < until) {
        const i = n++;
        await pool.query('INSERT INTO raw_facts VALUES ($1, $2, $3, $4, $5)', ['r', i + 1, `f${i}`, body(i), new Date().toISOString()]);
      }
    }));
  } else {
    while (performance.now() < until) {
      const ids = Array.from({ length: rowsPerTx }, (_, k) => n + k);
      await pool.query('INSERT INTO raw_facts SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[])',
        [ids.map(() => 'r'), ids.map((i) => i + 1), ids.map((i) => `f${i}`), ids.map(body), ids.map(() => new Date().toISOString())]);
      n += rowsPerTx;
    }
  }
  const perS = n / ((performance.now() - t0) / 1000);
  await pool.end();
  return perS;
}

async function postgresBench(): Promise<BenchResult[]> {
  const skip = await pgSkipReason();
  if (skip) {
    console.log(`  NOTE: ${skip}`);
    return [{ name: 'postgres: store appends', figure: 'skipped (PostgreSQL not reachable)' }];
  }
  const group: number[] = [];
  const perRow: number[] = [];
  const hundred: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const db = await createTestDatabase('rallyhq_bench');
    try {
      const store = await PostgresStore.open(db.url);
      group.push(await storeRate(store, `p${r}`));
      await store.close();
      perRow.push(await rawPg(db.url, 1));
      hundred.push(await rawPg(db.url, 100));
    } finally {
      await db.drop();
    }
  }
  const g = median(group);
  return [
    { name: 'postgres: 50 callers × single-fact appends (group commit)', figure: rate(g), baseline: `${rate(median(perRow))} raw pg, 50 callers, 1 row/tx`, ratio: g / median(perRow) },
    { name: 'postgres: same vs raw 100-row transactions', figure: rate(g), baseline: `${rate(median(hundred))} raw pg, 100 rows/tx`, ratio: g / median(hundred) },
  ];
}

export default async function storeBench(): Promise<BenchResult[]> {
  return [...(await sqliteBench()), ...(await postgresBench())];
}
