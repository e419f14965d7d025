// Latency from acknowledgment to receipt over Server-Sent Events, with 1,000
// and 10,000 clients on one server process and the clients in other processes
// (bench/sse-clients.ts). The baseline, in the same run: a bare Fastify SSE
// broadcast (bench/baseline-server.ts) of a message of the same size to the
// same number of clients. Target at 10,000 clients: p99 ≤ 1.25 × the baseline's.
// NOTE: everything stays on 127.0.0.1. Each process holds at most ~10,000
// sockets; `ulimit -n` must allow that (the bench checks and says so).
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import type { BenchResult } from './run.ts';
import { freePort, median, percentile, repoRoot, startChild } from './child.ts';
import { startRallyhq } from './rallyhq-target.ts';
import type { RallyhqTarget } from './rallyhq-target.ts';

const CLIENTS_PER_PROCESS = 5_000;
const EVENTS_PER_ROUND = Number(process.env.RALLYHQ_BENCH_SSE_EVENTS ?? 15);
const ROUNDS = Number(process.env.RALLYHQ_BENCH_SSE_ROUNDS ?? 3);
const SIZES = (process.env.RALLYHQ_BENCH_SSE_CLIENTS ?? '1000,10000').split(',').map(Number);
const GAP_MS = 300;

function now(): number {
  return performance.timeOrigin + performance.now();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Crowd {
  procs: ChildProcess[];
  connected: number;
  report(): Promise<Map<string, number[]>>;
  close(): Promise<void>;
}

/** Starts enough client processes for `n` streams of `url` and waits until all have answered. */
async function crowd(url: string, n: number): Promise<Crowd> {
  const procs: ChildProcess[] = [];
  const ready: Promise<{ ready: number; failed: number }>[] = [];
  for (let left = n; left > 0; left -= CLIENTS_PER_PROCESS) {
    const p = fork(join(repoRoot, 'bench/sse-clients.ts'), [url, String(Math.min(left, CLIENTS_PER_PROCESS))], {
      execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    procs.push(p);
    ready.push(new Promise((resolve) => p.once('message', (m) => resolve(m as { ready: number; failed: number }))));
  }
  const answers = await Promise.all(ready);
  const connected = answers.reduce((s, a) => s + a.ready, 0);
  // Every stream's first answer read to the end, so the measurement sees only the broadcast.
  await Promise.all(procs.map((p) => new Promise<void>((resolve) => {
    p.once('message', () => resolve());
    p.send({ cmd: 'settle' });
  })));
  return {
    procs,
    connected,
    async report() {
      const merged = new Map<string, number[]>();
      const parts = await Promise.all(procs.map((p) => new Promise<Record<string, number[]>>((resolve) => {
        p.once('message', (m) => resolve((m as { receipts: Record<string, number[]> }).receipts));
        p.send({ cmd: 'report' });
      })));
      for (const part of parts) for (const [k, v] of Object.entries(part)) merged.set(k, [...(merged.get(k) ?? []), ...v]);
      return merged;
    },
    async close() {
      await Promise.all(procs.map((p) => new Promise<void>((resolve) => {
        if (p.exitCode !== null) return resolve();
        p.once('exit', () => resolve());
        p.send({ cmd: 'exit' });
      })));
    },
  };
}

interface Sample { p50: number; p99: number; ackP99: number; received: number; expected: number; cpuMsPerEvent: number }

/** CPU time (user + system) of a process so far, ms; 10 ms clock ticks on Linux. */
function cpuMs(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch { return NaN; }
}

/**
 * Sends EVENTS_PER_ROUND messages through `publish` (resolves when the
 * acknowledgment arrives) and measures when each client received each one.
 * NOTE: the server sends the event before its HTTP answer reaches us, so
 * "ack → receipt" seen from here is often negative. The figure is therefore
 * taken from the moment the message was posted — an upper bound of ack →
 * receipt that includes the durable commit — for rallyhq and baseline alike.
 */
async function measure(c: Crowd, prefix: string, publish: (marker: string) => Promise<void>, serverPid: number): Promise<Sample> {
  const cpu0 = cpuMs(serverPid);
  const sent = new Map<string, number>();
  const acked = new Map<string, number>();
  for (let i = 0; i < EVENTS_PER_ROUND; i++) {
    const marker = `bench-${prefix}-${i}`;
    sent.set(marker, now());
    await publish(marker);
    acked.set(marker, now());
    await sleep(GAP_MS);
  }
  await sleep(1500);
  // The server's CPU over the round: the events, the heartbeats and idle streams (the gaps are the same for both servers).
  const cpuMsPerEvent = (cpuMs(serverPid) - cpu0) / EVENTS_PER_ROUND;
  const receipts = await c.report();
  const lat: number[] = [];
  const fromAck: number[] = [];
  for (const [marker, t0] of sent) {
    for (const t of receipts.get(marker) ?? []) {
      lat.push(t - t0);
      fromAck.push(t - acked.get(marker)!);
    }
  }
  return { p50: percentile(lat, 50), p99: percentile(lat, 99), ackP99: percentile(fromAck, 99), received: lat.length, expected: sent.size * c.connected, cpuMsPerEvent };
}

function checkFdLimit(n: number): string | null {
  try {
    const soft = Number(execFileSync('sh', ['-c', 'ulimit -n']).toString().trim());
    if (Number.isFinite(soft) && soft < n + 1000) return `ulimit -n is ${soft}; ${n} clients need more (raise it with \`ulimit -n 65536\` or prlimit)`;
  } catch { /* not a POSIX shell: let the run find out */ }
  return null;
}

export async function bareRound(n: number, payloadBytes: number, round: number): Promise<Sample> {
  const port = await freePort();
  const server = await startChild(['--import', 'tsx', 'bench/baseline-server.ts', 'sse', String(port)], port);
  const c = await crowd(`${server.url}/sse`, n);
  try {
    return await measure(c, `bare-${n}-${round}`, async (marker) => {
      const data = JSON.stringify({ marker, pad: 'x'.repeat(Math.max(0, payloadBytes - marker.length - 20)) });
      const r = await fetch(`${server.url}/publish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data }) });
      await r.arrayBuffer();
    }, server.proc.pid!);
  } finally {
    await c.close();
    await server.stop();
  }
}

async function rallyhqRound(n: number, round: number): Promise<Sample & { payloadBytes: number }> {
  const target: RallyhqTarget = await startRallyhq();
  const c = await crowd(`${target.url}/api/rallies/${target.rallyId}/live`, n);
  try {
    const s = await measure(c, `live-${n}-${round}`, async (marker) => { await target.postFacts([target.nextFact(marker)]); }, target.pid);
    return { ...s, payloadBytes: target.lastDeltaBytes() };
  } finally {
    await c.close();
    await target.stop();
  }
}

export default async function sseBench(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const n of SIZES) {
    const limit = checkFdLimit(n);
    if (limit) { results.push({ name: `SSE ${n} clients`, figure: `skipped: ${limit}` }); continue; }
    const live: Sample[] = [], bare: Sample[] = [];
    let payloadBytes = 600;
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which runs first, so neither always gets the warmer machine.
      if (round % 2 === 0) {
        const l = await rallyhqRound(n, round); live.push(l); payloadBytes = l.payloadBytes || payloadBytes;
        bare.push(await bareRound(n, payloadBytes, round));
      } else {
        bare.push(await bareRound(n, payloadBytes, round));
        const l = await rallyhqRound(n, round); live.push(l); payloadBytes = l.payloadBytes || payloadBytes;
      }
    }
    const p = (xs: Sample[], k: 'p50' | 'p99' | 'ackP99' | 'cpuMsPerEvent') => median(xs.map((x) => x[k]));
    const lost = live.reduce((s, x) => s + x.expected - x.received, 0);
    const lostBare = bare.reduce((s, x) => s + x.expected - x.received, 0);
    results.push({
      name: `SSE ${n} clients, post → receipt p50 (median of ${ROUNDS} rounds × ${EVENTS_PER_ROUND} events)`,
      figure: `${p(live, 'p50').toFixed(1)} ms`,
      baseline: `bare Fastify broadcast ${p(bare, 'p50').toFixed(1)} ms`,
      ratio: p(live, 'p50') / p(bare, 'p50'),
    });
    results.push({
      name: `SSE ${n} clients, post → receipt p99`,
      figure: `${p(live, 'p99').toFixed(1)} ms (after the ack arrived: ${median(live.map((x) => x.ackP99)).toFixed(1)} ms)${lost ? ` (${lost} receipts missing)` : ''}`,
      baseline: `bare Fastify broadcast ${p(bare, 'p99').toFixed(1)} ms (after ack ${median(bare.map((x) => x.ackP99)).toFixed(1)} ms)${lostBare ? ` (${lostBare} missing)` : ''}`,
      ratio: p(live, 'p99') / p(bare, 'p99'),
      ...(n >= 10_000 ? { target: 'p99 ≤ 1.25 × bare', met: p(live, 'p99') <= 1.25 * p(bare, 'p99') && lost === 0 } : {}),
    });
    results.push({
      name: `SSE ${n} clients, server CPU per change`,
      figure: `${p(live, 'cpuMsPerEvent').toFixed(1)} ms (POST, durable commit, scoring, the delta, ${n} writes)`,
      baseline: `bare Fastify broadcast ${p(bare, 'cpuMsPerEvent').toFixed(1)} ms per message`,
      ratio: p(live, 'cpuMsPerEvent') / p(bare, 'cpuMsPerEvent'),
    });
  }
  return results;
}

