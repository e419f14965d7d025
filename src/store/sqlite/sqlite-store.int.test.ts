// The store contract on a real SQLite file, plus what only SQLite shows:
// group commit, migrations on reopen, and durability across a SIGKILL.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { controlTime, input, LEGACY_DESK_EXPECTED, LEGACY_DESK_LINES, sampleRally, storeContractSuite } from '../contract.suite.ts';
import { LOG_COMPONENT, logMigrations } from '../migrations/log.ts';
import { migrateSqlite } from '../migrations/runner.ts';
import { SqliteStore } from './sqlite-store.ts';

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rallyhq-sqlite-'));
  dirs.push(dir);
  return join(dir, 'rallyhq.db');
}
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

// Appends written by the writer thread (what a server does once it has started), and on the calling thread.
storeContractSuite('sqlite, writer thread', async () => {
  const store = new SqliteStore(tempDb(), { writer: 'thread' });
  return { store, cleanup: () => store.close() };
});
storeContractSuite('sqlite, inline writer', async () => {
  const store = new SqliteStore(tempDb(), { writer: 'inline' });
  return { store, cleanup: () => store.close() };
});

describe('sqlite store', () => {
  test('two processes posting 40 notices each to one file at once → numbers 1..80, each once', async () => {
    const path = tempDb();
    const setup = new SqliteStore(path, { writer: 'inline' });
    await setup.createRally(sampleRally('desk'), '2026-01-10T12:00:00.000Z');
    await setup.close();
    const run = (name: string) => new Promise<number[]>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./desk-child.ts', import.meta.url)), path, 'desk', name, '40'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(out.trim().split('\n').map((l) => Number(l.split(' ')[1]))) : reject(new Error(`desk-child ${name} exited ${code}`))));
    });
    const [a, b] = await Promise.all([run('a'), run('b')]);
    assert.deepEqual([...a, ...b].sort((x, y) => x - y), Array.from({ length: 80 }, (_, i) => i + 1));
    const store = new SqliteStore(path, { writer: 'inline' });
    assert.deepEqual((await store.listDeskRecords('desk')).map((r) => r.seq), Array.from({ length: 80 }, (_, i) => i + 1));
    await store.close();
  });

  test('50 single-fact appends issued together share one commit (group commit)', async () => {
    const store = new SqliteStore(tempDb(), { writer: 'thread' });
    await store.createRally(sampleRally('gc'), '2026-01-10T12:00:00.000Z');
    const before = store.groupCommits;
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.appendFacts('gc', [input(controlTime(`f${i}`, i))])));
    assert.ok(store.groupCommits - before <= 2, `50 appends took ${store.groupCommits - before} commits`);
    assert.equal(await store.latestSeq('gc'), 50);
    await store.close();
  });

  test('pragmas: WAL and synchronous=FULL (2); facts and publications refuse UPDATE and DELETE', async () => {
    const path = tempDb();
    const store = new SqliteStore(path);
    await store.createRally(sampleRally('ao'), '2026-01-10T12:00:00.000Z');
    await store.appendFacts('ao', [input(controlTime('a', 1))]);
    await store.addPublication({ rallyId: 'ao', kind: 'provisional', publishedAt: '2026-02-07T01:00:00.000Z', principal: 'o', uptoSeq: 1, snapshot: {} });
    await store.close();
    const db = new Database(path);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.throws(() => db.prepare("UPDATE facts SET body = '{}'").run(), /append-only/);
    assert.throws(() => db.prepare('DELETE FROM facts').run(), /append-only/);
    assert.throws(() => db.prepare("UPDATE publications SET snapshot = '1'").run(), /immutable/);
    db.close();
    const again = new SqliteStore(path);
    assert.equal(await again.latestSeq('ao'), 1);
    await again.close();
  });

  test('upgrading a database whose desk records are audit lines: each copied once, notices numbered in writing order', async () => {
    const path = tempDb();
    const db = new Database(path);
    migrateSqlite(db, LOG_COMPONENT, logMigrations.slice(0, 2));
    db.prepare("INSERT INTO rallies (id, definition, version, created_at, updated_at) VALUES ('old', ?, 1, 'x', 'x')").run(JSON.stringify(sampleRally('old')));
    const line = db.prepare("INSERT INTO audit (at, principal, action, rally_id, detail) VALUES (?, ?, ?, 'old', ?)");
    for (const [action, detail] of LEGACY_DESK_LINES) line.run('2026-02-07T21:00:00.000Z', 'clerk', action, JSON.stringify(detail));
    db.close();
    const store = new SqliteStore(path, { writer: 'inline' });
    assert.deepEqual((await store.listDeskRecords('old')).map((r) => [r.seq, r.kind, r.key, r.number ?? null]), LEGACY_DESK_EXPECTED);
    const next = await store.addDeskRecord({ rallyId: 'old', kind: 'notice', key: 'notice:n3', at: '2026-02-07T22:00:00.000Z', principal: 'clerk', detail: {} });
    assert.deepEqual([next.record.seq, next.record.number], [7, 3]);
    await store.close();
  });

  test('reopening runs no migration twice and keeps every fact', async () => {
    const path = tempDb();
    const a = new SqliteStore(path);
    await a.createRally(sampleRally('re'), '2026-01-10T12:00:00.000Z');
    await a.appendFacts('re', [input(controlTime('a', 1)), input(controlTime('b', 2))]);
    await a.close();
    const b = new SqliteStore(path);
    assert.deepEqual((await b.readFacts('re')).map((s) => s.fact.id), ['a', 'b']);
    await b.close();
    const db = new Database(path);
    assert.deepEqual(db.prepare("SELECT version FROM rallyhq_migrations WHERE component = 'log' ORDER BY version").all(), [{ version: 1 }, { version: 2 }, { version: 3 }, { version: 4 }]);
    db.close();
  });

  test('two callers appending the same new fact in one group: one write, both answered with it, the second as a duplicate', async () => {
    const store = new SqliteStore(tempDb(), { writer: 'thread' });
    await store.createRally(sampleRally('same'), '2026-01-10T12:00:00.000Z');
    const before = store.groupCommits;
    const [a, b] = await Promise.all([
      store.appendFacts('same', [input(controlTime('x', 1), 'tk-a')]),
      store.appendFacts('same', [input(controlTime('x', 1), 'tk-b')]),
    ]);
    assert.equal(store.groupCommits - before, 1, 'both were written in one group');
    assert.deepEqual([a?.[0]?.duplicate, b?.[0]?.duplicate], [false, true]);
    assert.deepEqual(b?.[0]?.stored, a?.[0]?.stored);
    assert.equal(b?.[0]?.stored.principal, 'tk-a');
    assert.equal(await store.latestSeq('same'), 1);
    await store.close();
  });

  test('auto writer: appends before and after the writer thread takes over stay gap-free and in order', async () => {
    const path = tempDb();
    const store = new SqliteStore(path);
    await store.createRally(sampleRally('auto'), '2026-01-10T12:00:00.000Z');
    const seqs: number[] = [];
    // NOTE: the first appends are written before the thread can have started; the loop runs until well after it has.
    for (let i = 0; i < 40; i++) {
      const acks = await Promise.all(Array.from({ length: 5 }, (_, k) => store.appendFacts('auto', [input(controlTime(`a${i}-${k}`, k))])));
      seqs.push(...acks.map((a) => a[0]?.stored.seq ?? -1));
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.deepEqual(seqs.sort((x, y) => x - y), Array.from({ length: 200 }, (_, i) => i + 1));
    assert.deepEqual((await store.readFacts('auto')).map((s) => s.seq), seqs);
    await store.close();
  });

  for (const writer of ['thread', 'inline'] as const) test(`${writer} writer killed with SIGKILL after acknowledging: every acknowledged fact is there on reopen`, async () => {
    const path = tempDb();
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./durability-child.ts', import.meta.url)), path, 'kill', writer], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acked = new Map<string, number>();
    let buffer = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited early: ${code ?? signal}`))));
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          const [word, id, seq] = line.split(' ');
          if (word === 'ack' && id) acked.set(id, Number(seq));
        }
        if (acked.size >= 500 && !child.killed) child.kill('SIGKILL');
      });
    });
    assert.ok(acked.size >= 500);
    const store = new SqliteStore(path);
    const log = await store.readFacts('kill');
    const bySeq = new Map(log.map((s) => [s.fact.id, s.seq]));
    const missing = [...acked.keys()].filter((id) => !bySeq.has(id));
    assert.deepEqual(missing, [], 'acknowledged facts lost');
    for (const [id, seq] of acked) assert.equal(bySeq.get(id), seq, `fact ${id} moved`);
    assert.deepEqual(log.map((s) => s.seq), log.map((_, i) => i + 1), 'log has gaps');
    await store.close();
  });
});
