// Two real server processes on one PostgreSQL database: a fact posted to A
// reaches a live subscriber of B (LISTEN/NOTIFY) within a second; and after
// every connection of the database is cut (what a PostgreSQL restart does to
// its clients), facts post again and NOTIFY resumes.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase, pgSkipReason } from '../testing/pg.ts';
import type { TestDatabase } from '../testing/pg.ts';
import { importRally, postFact, repoRoot, SseReader, startServer } from './live/test-process.ts';
import type { RallyFileJson, ServerProcess } from './live/test-process.ts';

const FIXTURE = ['fixtures/snodrift-2026.rally.json', 'fixtures/example-small.rally.json'].map((p) => join(repoRoot, p)).find((p) => existsSync(p));
const skip = (await pgSkipReason()) ?? (FIXTURE ? false : 'no rally fixture yet');

describe('reliability: two processes on one PostgreSQL database', { skip }, () => {
  let db: TestDatabase;
  let a: ServerProcess, b: ServerProcess;
  let file: RallyFileJson;
  let next = 0;
  const streams: SseReader[] = [];

  before(async () => {
    db = await createTestDatabase('rallyhq_live');
    file = JSON.parse(readFileSync(FIXTURE!, 'utf8')) as RallyFileJson;
    // One admin token for both: it is stored once in the shared database.
    a = await startServer(db.url);
    b = await startServer(db.url, { token: a.token });
    await importRally(a, file);
  });
  after(async () => {
    for (const s of streams) s.close();
    await a?.stop();
    await b?.stop();
    await db?.drop();
  });

  async function postNext(to: ServerProcess): Promise<string> {
    const fact = file.facts[next++]!;
    const r = await postFact(to, file.rally.id, fact);
    assert.ok(r.ok, `fact ${fact.id} refused by ${to.url}: ${r.status} ${await r.text()}`);
    return fact.id;
  }

  test('a fact posted to process A reaches an SSE subscriber of process B within 1 s', async () => {
    const s = await SseReader.open(`${b.url}/api/rallies/${file.rally.id}/live`);
    streams.push(s);
    assert.equal(s.status, 200);
    await s.waitFor((r) => r.events.some((e) => e.event === 'init'), 5000, 'init from B');
    for (let i = 0; i < 3; i++) {
      const posted = performance.now();
      const id = await postNext(a);
      await s.waitFor((r) => r.deltaFactIds().includes(id), 1000, `fact ${id} on B's stream`);
      assert.ok(performance.now() - posted < 1000);
    }
  });

  test('after pg_terminate_backend of every connection, facts post again and NOTIFY resumes', async () => {
    const s = await SseReader.open(`${b.url}/api/rallies/${file.rally.id}/live`);
    streams.push(s);
    await s.waitFor((r) => r.events.some((e) => e.event === 'init'), 5000, 'init from B');
    const admin = new pg.Client({ connectionString: db.url.replace(/\/[^/]+$/, '/postgres') });
    await admin.connect();
    try {
      const name = new URL(db.url).pathname.slice(1);
      const cut = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      assert.ok((cut.rowCount ?? 0) >= 2, 'both processes had connections to cut');
    } finally {
      await admin.end();
    }
    // A client retries what was not acknowledged; within a few seconds the pools have reconnected.
    let id: string | null = null;
    const fact = file.facts[next++]!;
    for (let attempt = 0; attempt < 40 && id === null; attempt++) {
      try {
        const r = await postFact(a, file.rally.id, fact);
        if (r.ok) id = fact.id;
        else await r.arrayBuffer();
      } catch { /* connection refused while reconnecting: retry */ }
      if (id === null) await new Promise((r) => setTimeout(r, 250));
    }
    const died = a.proc.exitCode !== null ? `; process A exited with ${a.proc.exitCode}:\n${a.output().split('\n').filter((l) => !/^\s/.test(l)).slice(-8).join('\n')}` : '';
    assert.ok(id, `process A took no facts after its connections were cut${died}`);
    await s.waitFor((r) => r.deltaFactIds().includes(fact.id), 10_000, `fact ${fact.id} on B after reconnection`);
    // And once reconnected, the usual speed again.
    const posted = performance.now();
    const again = await postNext(a);
    await s.waitFor((r) => r.deltaFactIds().includes(again), 1000, `fact ${again} on B`);
    assert.ok(performance.now() - posted < 1000);
  });
});
