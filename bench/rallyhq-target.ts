// rallyhq as a benchmark target: `rallyhq serve` in a child process on a fresh
// SQLite file, with the Sno*Drift rally imported (without its facts) under
// `rallies` ids; the load is the fixture's own facts, given fresh ids, each
// rally receiving them once in order — as on a real weekend, where a rally
// has about 3,600 facts. Only when a rally runs out does it start over (then
// every repeat is an agreeing time, which costs the scoring more than a new one).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fact } from '../src/core/facts.ts';
import { freePort, repoRoot, startChild } from './child.ts';

export const FIXTURE = join(repoRoot, 'fixtures/snodrift-2026.rally.json');

export interface RallyFileJson {
  format: string;
  version: number;
  rally: { id: string } & Record<string, unknown>;
  facts: Fact[];
}

export function readFixture(path = FIXTURE): RallyFileJson {
  return JSON.parse(readFileSync(path, 'utf8')) as RallyFileJson;
}

export interface RallyhqTarget {
  url: string;
  /** The server process (its CPU time is read from /proc). */
  pid: number;
  /** The first rally (the SSE benchmark watches it). */
  rallyId: string;
  rallyIds: string[];
  headers: Record<string, string>;
  /** The next fact for rally number `rally` (default 0), with `id` = marker. */
  nextFact(marker: string, rally?: number): Fact;
  encode(facts: Fact[]): string;
  postFacts(facts: Fact[]): Promise<unknown>;
  /** Size of the latest `delta` event seen on a stream of the rally (0 until one arrives). */
  lastDeltaBytes(): number;
  stop(): Promise<void>;
}

function generator(file: RallyFileJson, rallies: number): (marker: string, rally?: number) => Fact {
  // NOTE: corrections and retractions are left out: they name fact ids this load renames.
  const facts = file.facts.filter((f) => !f.supersedes && f.type !== 'retraction');
  const next = new Array<number>(rallies).fill(0);
  return (marker, rally = 0) => {
    const f = facts[next[rally]!++ % facts.length]!;
    const { seq: _seq, ...rest } = f;
    return { ...rest, id: marker, by: 'bench', device: 'bench' } as Fact;
  };
}

/** Starts a server (or, with `dryRun`, only the fact generator, for a baseline fed the same bodies). */
export async function startRallyhq(opts: { dryRun?: boolean; rallies?: number; extraArgs?: string[] } = {}): Promise<RallyhqTarget> {
  const file = readFixture();
  const count = opts.rallies ?? 1;
  const rallyIds = Array.from({ length: count }, (_, k) => (k === 0 ? file.rally.id : `${file.rally.id}-${k + 1}`));
  const rallyId = rallyIds[0]!;
  const nextFact = generator(file, count);
  const encode = (facts: Fact[]) => JSON.stringify(facts.length === 1 ? facts[0] : { facts });
  if (opts.dryRun) {
    return { url: '', pid: 0, rallyId, rallyIds, headers: {}, nextFact, encode, postFacts: async () => null, lastDeltaBytes: () => 0, stop: async () => {} };
  }
  const dir = mkdtempSync(join(tmpdir(), 'rallyhq-bench-'));
  const port = await freePort();
  const token = randomBytes(24).toString('base64url');
  // NOTE: RALLYHQ_BENCH_SERVER_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=.bench/prof`) profiles the server.
  const nodeArgs = (process.env.RALLYHQ_BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = await startChild([...nodeArgs, 'bin/rallyhq.js', 'serve', '--db', `sqlite:${join(dir, 'bench.db')}`, '--port', String(port), '--no-seed-demo', `--admin-token=${token}`, '--log-level', 'warn', ...(opts.extraArgs ?? [])], port, { readyPath: '/api/rallies' });
  const headers = { authorization: `Bearer ${token}` };
  for (const id of rallyIds) {
    const imported = await fetch(`${child.url}/api/rallies/import`, {
      method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ ...file, rally: { ...file.rally, id }, facts: [] }),
    });
    if (!imported.ok) throw new Error(`cannot import the rally into the bench server: ${imported.status} ${await imported.text()}`);
  }
  let lastDelta = 0;
  const watcher = new AbortController();
  void (async () => {
    try {
      const r = await fetch(`${child.url}/api/rallies/${rallyId}/live`, { signal: watcher.signal });
      const reader = r.body!.getReader();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += new TextDecoder().decode(value);
        let end: number;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const ev = buf.slice(0, end + 2);
          buf = buf.slice(end + 2);
          if (ev.includes('event: delta')) lastDelta = Buffer.byteLength(ev);
        }
      }
    } catch { /* stopped */ }
  })();
  return {
    url: child.url,
    pid: child.proc.pid!,
    rallyId,
    rallyIds,
    headers,
    nextFact,
    encode,
    async postFacts(facts) {
      const r = await fetch(`${child.url}/api/rallies/${rallyId}/facts`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: encode(facts) });
      const body: unknown = await r.json();
      if (!r.ok) throw new Error(`POST facts: ${r.status} ${JSON.stringify(body)}`);
      return body;
    },
    lastDeltaBytes: () => lastDelta,
    async stop() {
      watcher.abort();
      await child.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
