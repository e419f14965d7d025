// Durable facts per second over HTTP against rallyhq on SQLite, (i) 50
// concurrent clients each posting single facts, (ii) 50 clients posting
// batches. Baseline in the same run: a bare Fastify route doing raw
// better-sqlite3 inserts with the same durability (WAL, synchronous=FULL, the
// requests of one event-loop turn sharing a transaction) under the same load
// (bench/baseline-server.ts).
// Both servers run in a child process; the load runs in this one.
// Context: one durable SQLite commit per fact tops out near 3,600 commits/s on
// a 2-core machine, so rallyhq must share commits between concurrent requests
// to reach the target of 5,000 facts/s from 50 single-fact clients.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResult } from './run.ts';
import { freePort, median, startChild } from './child.ts';
import { runLoad } from './load.ts';
import type { LoadResult } from './load.ts';
import { startRallyhq } from './rallyhq-target.ts';
import type { RallyhqTarget } from './rallyhq-target.ts';

const CLIENTS = 50;
const BATCH = Number(process.env.RALLYHQ_BENCH_BATCH ?? 100);
const DURATION_MS = Number(process.env.RALLYHQ_BENCH_HTTP_MS ?? 4000);
const ROUNDS = Number(process.env.RALLYHQ_BENCH_HTTP_ROUNDS ?? 3);
/** Rallies the load is spread over: each gets the fixture's ~3,600 facts once, as on a real weekend. */
const RALLIES = Number(process.env.RALLYHQ_BENCH_HTTP_RALLIES ?? 10);
/** `single`, `batch` or both (default), comma-separated. */
const SCENARIOS = (process.env.RALLYHQ_BENCH_HTTP_SCENARIOS ?? 'single,batch').split(',').filter((s): s is Scenario => s === 'single' || s === 'batch');

/** Request `i` of client `c`: its rally (clients spread evenly) and the facts. */
function request(target: RallyhqTarget, scenario: Scenario, c: number, prefix: string, counter: { n: number }): { json: string; facts: number; path: string } {
  const rally = c % target.rallyIds.length;
  const facts = Array.from({ length: scenario === 'single' ? 1 : BATCH }, () => target.nextFact(`bench-${prefix}-${counter.n++}`, rally));
  return { json: target.encode(facts), facts: facts.length, path: `/api/rallies/${target.rallyIds[rally]}/facts` };
}

type Scenario = 'single' | 'batch';

async function rallyhqRound(scenario: Scenario): Promise<LoadResult> {
  const target = await startRallyhq({ rallies: RALLIES });
  try {
    const counter = { n: 0 };
    return await runLoad({
      url: target.url, path: '', headers: target.headers, clients: CLIENTS, durationMs: DURATION_MS,
      body: (c) => request(target, scenario, c, 'h', counter),
    });
  } finally {
    await target.stop();
  }
}

async function bareRound(scenario: Scenario): Promise<LoadResult> {
  // The same fact bodies as rallyhq gets, so parsing and bytes match.
  const shape = await startRallyhq({ dryRun: true, rallies: RALLIES });
  const dir = mkdtempSync(join(tmpdir(), 'rallyhq-bench-bare-'));
  const port = await freePort();
  const server = await startChild(['--import', 'tsx', 'bench/baseline-server.ts', 'ingest', String(port), join(dir, 'bare.sqlite')], port);
  try {
    const counter = { n: 0 };
    return await runLoad({
      url: server.url, path: '', clients: CLIENTS, durationMs: DURATION_MS,
      body: (c) => request(shape, scenario, c, 'b', counter),
    });
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const rate = (x: number) => `${Math.round(x).toLocaleString('en-US')} facts/s`;

export default async function httpBench(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const scenario of SCENARIOS) {
    const live: LoadResult[] = [], bare: LoadResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 2 === 0) { live.push(await rallyhqRound(scenario)); bare.push(await bareRound(scenario)); }
      else { bare.push(await bareRound(scenario)); live.push(await rallyhqRound(scenario)); }
    }
    const fig = median(live.map((r) => r.factsPerSecond));
    const base = median(bare.map((r) => r.factsPerSecond));
    const errors = live.reduce((s, r) => s + r.errors, 0);
    const firstError = live.find((r) => r.firstError)?.firstError;
    results.push({
      name: `HTTP durable facts/s, ${CLIENTS} clients over ${RALLIES} rallies, ${scenario === 'single' ? '1 fact' : `${BATCH} facts`} per request (SQLite, median of ${ROUNDS} × ${DURATION_MS / 1000} s)`,
      figure: `${rate(fig)}${errors ? ` (${errors} errors: ${firstError})` : ''}`,
      baseline: `bare Fastify + better-sqlite3 ${rate(base)}`,
      ratio: fig / base,
      ...(scenario === 'single' ? { target: '≥ 5,000 facts/s', met: fig >= 5000 && errors === 0 } : {}),
    });
  }
  return results;
}
