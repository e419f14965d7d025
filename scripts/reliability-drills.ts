// The reliability drills behind the figures in docs/operations.md
// ("Reliability"), on SQLite and PostgreSQL, bounded to a few minutes:
//   - kill -9 rounds: concurrent clients post the Sno*Drift rally's facts to a
//     real `rallyhq serve`, which is killed with SIGKILL at a random moment and
//     started again on the same database; every acknowledged fact must be
//     there (counted per round, and again for all rounds at the end);
//   - concurrent same-id sends: several clients send one fact id with
//     different contents at the same moment; exactly one may be stored and
//     acknowledged, the others must get 409 (none acknowledged as a duplicate);
//   - generated bad inputs and role cells: the generated-input and role-matrix
//     tests are run and their counts read from their output.
// Usage: node --import tsx scripts/reliability-drills.ts [--rounds 10] [--clients 50] [--stores sqlite,postgres] [--tries 20]
// PostgreSQL: RALLYHQ_TEST_PG (default postgres://postgres@127.0.0.1:5432/postgres), a fresh database per run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Fact } from '../src/core/facts.ts';
import { importRally, repoRoot, startServer, type RallyFileJson, type ServerProcess } from '../src/server/live/test-process.ts';
import { createTestDatabase, pgSkipReason, type TestDatabase } from '../src/testing/pg.ts';

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '10' },
    clients: { type: 'string', default: '50' },
    stores: { type: 'string', default: 'sqlite,postgres' },
    tries: { type: 'string', default: '20' },
    'skip-tests': { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(opts.rounds);
const CLIENTS = Number(opts.clients);
const TRIES = Number(opts.tries);
const SAME_ID_SENDERS = 4;
const file = JSON.parse(readFileSync(join(repoRoot, 'fixtures/snodrift-2026.rally.json'), 'utf8')) as RallyFileJson;

const load = () => loadavg().map((l) => l.toFixed(1)).join(' / ');
console.log(`machine: ${cpus().length} cores, load average (1/5/15 min) ${load()} at the start`);

interface KillRound { acked: number; noAnswer: number; storedUnacked: number; lost: number; fiveXx: number; killAfterMs: number }

async function exportFacts(s: ServerProcess, rallyId: string): Promise<Set<string>> {
  const r = await fetch(`${s.url}/api/rallies/${rallyId}/export`, { headers: { authorization: `Bearer ${s.token}` } });
  if (!r.ok) throw new Error(`export of ${rallyId}: ${r.status} ${await r.text()}`);
  return new Set(((await r.json()) as RallyFileJson).facts.map((f) => f.id));
}

function post(s: ServerProcess, rallyId: string, fact: Fact, token = s.token): Promise<Response> {
  return fetch(`${s.url}/api/rallies/${rallyId}/facts`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(fact) });
}

/** One round: a fresh copy of the rally, CLIENTS clients posting its facts, SIGKILL after a random 0.5–2.5 s. */
async function killRound(db: string, server: ServerProcess, round: number, ackedByRally: Map<string, Set<string>>): Promise<{ result: KillRound; next: ServerProcess }> {
  const rallyId = `${file.rally.id}-kill-${round}`;
  await importRally(server, { ...file, rally: { ...file.rally, id: rallyId } });
  const acked = new Set<string>();
  const sent = new Set<string>();
  let next = 0, killed = false, fiveXx = 0, noAnswer = 0;
  const killAfterMs = 500 + Math.floor(Math.random() * 2000);
  const killer = setTimeout(() => { killed = true; server.proc.kill('SIGKILL'); }, killAfterMs);
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (!killed && next < file.facts.length) {
      const fact = file.facts[next++]!;
      sent.add(fact.id);
      try {
        const r = await post(server, rallyId, fact);
        await r.arrayBuffer().catch(() => {});
        if (r.ok) acked.add(fact.id);
        else if (r.status >= 500) fiveXx += 1;
        else throw new Error(`fact ${fact.id} refused: ${r.status}`);
      } catch (e) {
        if (!killed) throw e;
        noAnswer += 1;
      }
    }
  }));
  clearTimeout(killer);
  if (!killed) server.proc.kill('SIGKILL');
  await server.stop('SIGKILL');
  ackedByRally.set(rallyId, acked);
  const restarted = await startServer(db, { token: server.token });
  const stored = await exportFacts(restarted, rallyId);
  const lost = [...acked].filter((id) => !stored.has(id)).length;
  const storedUnacked = [...stored].filter((id) => sent.has(id) && !acked.has(id)).length;
  return { result: { acked: acked.size, noAnswer, storedUnacked, lost, fiveXx, killAfterMs }, next: restarted };
}

/** TRIES times: SAME_ID_SENDERS clients send one id with different times at once. */
async function sameIdDrill(s: ServerProcess): Promise<{ tries: number; oneStored: number; silentlyDropped: number; statuses: Record<string, number> }> {
  const rallyId = `${file.rally.id}-same-id`;
  await importRally(s, { ...file, rally: { ...file.rally, id: rallyId } });
  const base = file.facts.find((f) => f.type === 'controlTime') as Fact & { at: string };
  const statuses: Record<string, number> = {};
  let oneStored = 0, silentlyDropped = 0;
  for (let t = 0; t < TRIES; t++) {
    const id = `same-id-${t}`;
    const variants = Array.from({ length: SAME_ID_SENDERS }, (_, k) => ({ ...base, id, at: `${base.at.slice(0, 16)}:${String(10 + k).padStart(2, '0')}.0` }));
    const answers = await Promise.all(variants.map(async (f) => {
      const r = await post(s, rallyId, f);
      return { status: r.status, body: (await r.json().catch(() => ({}))) as { duplicate?: boolean } };
    }));
    for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
    const ok = answers.filter((a) => a.status < 300);
    if (ok.length === 1 && answers.filter((a) => a.status === 409).length === SAME_ID_SENDERS - 1) oneStored += 1;
    // A second 2xx for different content means that content was acknowledged and lost.
    if (ok.length > 1) silentlyDropped += ok.length - 1;
  }
  return { tries: TRIES, oneStored, silentlyDropped, statuses };
}

async function storeDrills(kind: 'sqlite' | 'postgres'): Promise<void> {
  let pgDb: TestDatabase | null = null;
  let dir: string | null = null;
  let db: string;
  if (kind === 'postgres') {
    const skip = await pgSkipReason();
    if (skip) { console.log(`postgres: skipped (${skip})`); return; }
    pgDb = await createTestDatabase('rallyhq_drill');
    db = pgDb.url;
  } else {
    dir = mkdtempSync(join(tmpdir(), 'rallyhq-drill-'));
    db = `sqlite:${join(dir, 'rally.db')}`;
  }
  let server = await startServer(db);
  try {
    const acked = new Map<string, Set<string>>();
    const rounds: KillRound[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const { result, next } = await killRound(db, server, round, acked);
      server = next;
      rounds.push(result);
      console.log(`${kind} kill -9 round ${round}: killed after ${result.killAfterMs} ms; ${result.acked} acknowledged, ${result.lost} lost; ${result.noAnswer} without answer (${result.storedUnacked} of them stored); ${result.fiveXx} × 5xx`);
    }
    // Every round's acknowledged facts, once more after all the kills.
    let lostAtEnd = 0;
    for (const [rallyId, ids] of acked) {
      const stored = await exportFacts(server, rallyId);
      lostAtEnd += [...ids].filter((id) => !stored.has(id)).length;
    }
    const sum = (k: keyof KillRound) => rounds.reduce((n, r) => n + r[k], 0);
    console.log(`${kind} kill -9: ${ROUNDS} rounds × ${CLIENTS} clients: ${sum('acked')} acknowledged, ${sum('lost')} lost (after all rounds: ${lostAtEnd} lost); ${sum('noAnswer')} without answer, ${sum('storedUnacked')} of them stored; ${sum('fiveXx')} × 5xx`);
    const same = await sameIdDrill(server);
    console.log(`${kind} same id, ${SAME_ID_SENDERS} different contents at once: ${same.oneStored} of ${same.tries} tries stored one and answered 409 to the others; ${same.silentlyDropped} contents acknowledged and dropped; answers ${JSON.stringify(same.statuses)}`);
  } finally {
    await server.stop('SIGKILL');
    await pgDb?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

for (const kind of opts.stores.split(',') as ('sqlite' | 'postgres')[]) await storeDrills(kind);

if (!opts['skip-tests']) {
  // Generated bad inputs over every route, and the role matrix: their counts are printed by the tests.
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', 'src/server/generated-input.int.test.ts', 'src/server/role-matrix.int.test.ts'], { cwd: repoRoot, encoding: 'utf8', env: process.env });
  const out = `${r.stdout}\n${r.stderr}`;
  for (const line of out.split('\n').filter((l) => /# (generated-input|role matrix) \(/.test(l))) console.log(line.replace(/^[#\s\\]+/, ''));
  const summary = out.split('\n').filter((l) => /^# (pass|fail) /.test(l)).join(', ');
  console.log(`generated-input and role-matrix tests: ${summary}${r.status === 0 ? '' : ' — FAILED'}`);
}
console.log(`load average (1/5/15 min) ${load()} at the end`);
