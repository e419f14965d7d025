// Two real server processes on one PostgreSQL database: a fact posted to A
// reaches a live subscriber of B (LISTEN/NOTIFY) within a second; a change of
// the entry list or itinerary made on A reaches B's endpoints and streams
// (reset with the new picture), and so does a publication; after every
// connection of the database is cut (what a PostgreSQL restart does to its
// clients), facts post again and NOTIFY resumes.
// NOTE: the machine may be loaded; only the median ack → receipt latency is held
// to the one-second requirement, and every wait has a generous deadline.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { Entry, RallyDefinition } from '../core/model.ts';
import { assertFixture, fixturePath } from '../testing/fixtures.ts';
import { createTestDatabase, pgSkipReason } from '../testing/pg.ts';
import type { TestDatabase } from '../testing/pg.ts';
import { call, eventually, importRally, median, postFact, SseReader, startServer } from './live/test-process.ts';
import type { RallyFileJson, ServerProcess } from './live/test-process.ts';

const FIXTURE = fixturePath('fixtures/snodrift-2026.rally.json');
// Only a missing PostgreSQL skips (loudly; under CI it fails); a missing fixture fails in before().
const skip = (await pgSkipReason()) ?? false;

/** Deadline for anything to show up on the other process; the latency requirement is checked separately. */
const DEADLINE_MS = 10_000;
const REQUIRED_MS = 1000;

describe('reliability: two processes on one PostgreSQL database', { skip }, () => {
  let db: TestDatabase;
  let a: ServerProcess, b: ServerProcess;
  let file: RallyFileJson;
  let rallyId: string;
  let next = 0;
  const streams: SseReader[] = [];

  before(async () => {
    db = await createTestDatabase('rallyhq_live');
    assertFixture(FIXTURE);
    file = JSON.parse(readFileSync(FIXTURE, 'utf8')) as RallyFileJson;
    rallyId = file.rally.id;
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

  async function openStream(on: ServerProcess): Promise<SseReader> {
    const s = await SseReader.open(`${on.url}/api/rallies/${rallyId}/live`);
    streams.push(s);
    assert.equal(s.status, 200);
    await s.waitFor((r) => r.events.some((e) => e.event === 'init'), DEADLINE_MS, `init from ${on.url}`);
    return s;
  }

  /** Posts the next fact of the file; resolves at the acknowledgment. */
  async function postNext(to: ServerProcess): Promise<{ id: string; ackAt: number }> {
    const fact = file.facts[next++]!;
    const r = await postFact(to, rallyId, fact);
    const ackAt = performance.now();
    assert.ok(r.ok, `fact ${fact.id} refused by ${to.url}: ${r.status} ${await r.text()}`);
    await r.arrayBuffer().catch(() => {});
    return { id: fact.id, ackAt };
  }

  /** When the first event matching `pred` arrived on `s` (waiting up to the deadline). */
  async function receivedAt(s: SseReader, pred: (e: SseReader['events'][number]) => boolean, what: string): Promise<number> {
    await s.waitFor((r) => r.events.some(pred), DEADLINE_MS, what);
    return s.events.find(pred)!.at;
  }

  test('a fact posted to process A reaches an SSE subscriber of process B within a second (median of 5, ack → receipt)', async (t) => {
    const s = await openStream(b);
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { id, ackAt } = await postNext(a);
      const at = await receivedAt(s, (e) => e.event === 'delta' && (JSON.parse(e.data) as { facts: { id: string }[] }).facts.some((f) => f.id === id), `fact ${id} on B's stream`);
      // NOTE: B may send the delta before A's answer reaches us: that counts as 0.
      latencies.push(Math.max(0, at - ackAt));
    }
    t.diagnostic(`fact ack → receipt on B, ms: ${latencies.map((l) => l.toFixed(1)).join(', ')}`);
    assert.ok(median(latencies) < REQUIRED_MS, `ack → receipt on B, ms: ${latencies.map((l) => l.toFixed(0)).join(', ')}`);
  });

  test('entries and itinerary changed on A: B\'s entries, itinerary, results and stream follow (reset with the new picture)', async (t) => {
    const s = await openStream(b);
    const own = await openStream(a);
    const get = async <T>(on: ServerProcess, path: string): Promise<T> => {
      const r = await call(on, 'GET', `/api/rallies/${rallyId}${path}`);
      assert.equal(r.status, 200, `${on.url} GET ${path}`);
      return (await r.json()) as T;
    };
    // Read B first, so B holds the rally's state scored with the old definition.
    const before = await get<{ version: number; entries: Entry[]; classes: RallyDefinition['classes'] }>(b, '/entries');
    const newcomer: Entry = { ...before.entries[0]!, car: 901, driver: { name: 'Nina Newcomer', nationality: 'USA' } };
    const itinerary = await get<{ legs: RallyDefinition['legs']; stages: RallyDefinition['stages'] }>(b, '/itinerary');
    const renamed = itinerary.stages.map((st, i) => (i === 0 ? { ...st, name: `${st.name} (renamed)` } : st));

    const changes: { what: string; put: () => Promise<Response>; seen: (init: { entries: { car: number }[]; stages: { name: string }[] }) => boolean }[] = [
      { what: 'car 901 entered', put: () => call(a, 'PUT', `/api/rallies/${rallyId}/entries`, { version: before.version, entries: [...before.entries, newcomer], reason: 'late entry' }), seen: (d) => d.entries.some((e) => e.car === 901) },
      { what: 'SS1 renamed', put: () => call(a, 'PUT', `/api/rallies/${rallyId}/itinerary`, { version: before.version + 1, legs: itinerary.legs, stages: renamed, reason: 'SS1 renamed in the route book' }), seen: (d) => d.stages[0]!.name.endsWith('(renamed)') },
      { what: 'car 901 withdrawn', put: () => call(a, 'PUT', `/api/rallies/${rallyId}/entries`, { version: before.version + 2, entries: before.entries, reason: 'withdrawn' }), seen: (d) => !d.entries.some((e) => e.car === 901) },
    ];
    const latencies: number[] = [];
    for (const [i, c] of changes.entries()) {
      const resetsBefore = s.events.filter((e) => e.event === 'reset').length;
      const r = await c.put();
      const ackAt = performance.now();
      assert.equal(r.status, 200, `${c.what} on A: ${await r.text()}`);
      const at = await receivedAt(s, (e) => e.event === 'reset' && s.events.filter((x) => x.event === 'reset').indexOf(e) >= resetsBefore, `reset on B after "${c.what}"`);
      const reset = s.events.filter((e) => e.event === 'reset')[resetsBefore]!;
      assert.ok(c.seen(JSON.parse(reset.data) as never), `B's reset after "${c.what}" shows it`);
      latencies.push(Math.max(0, at - ackAt));
      // B's endpoints answer from the reloaded definition.
      const version = before.version + i + 1;
      await eventually(async () => ((await get<{ version: number }>(b, '/entries')).version === version ? true : undefined), DEADLINE_MS, `B's entries at version ${version}`);
    }
    // The process that made the changes tells its own subscribers too.
    await own.waitFor((r) => r.events.filter((e) => e.event === 'reset').length === changes.length, DEADLINE_MS, 'a reset per change on A');
    const entries = await get<{ entries: Entry[] }>(b, '/entries');
    assert.deepEqual(entries.entries.map((e) => e.car), before.entries.map((e) => e.car));
    assert.ok((await get<{ stages: { name: string }[] }>(b, '/itinerary')).stages[0]!.name.endsWith('(renamed)'));
    t.diagnostic(`definition change ack → reset on B, ms: ${latencies.map((l) => l.toFixed(1)).join(', ')}`);
    assert.ok(median(latencies) < REQUIRED_MS, `definition change ack → reset on B, ms: ${latencies.map((l) => l.toFixed(0)).join(', ')}`);
  });

  test('while car 901 is entered on A, B\'s results list it; facts after the change still reach B as deltas', async () => {
    const s = await openStream(b);
    const cur = (await (await call(a, 'GET', `/api/rallies/${rallyId}/entries`)).json()) as { version: number; entries: Entry[] };
    const newcomer: Entry = { ...cur.entries[0]!, car: 902, driver: { name: 'Otto Other', nationality: 'USA' } };
    const put = await call(a, 'PUT', `/api/rallies/${rallyId}/entries`, { version: cur.version, entries: [...cur.entries, newcomer], reason: 'late entry' });
    assert.equal(put.status, 200, await put.text());
    await eventually(async () => {
      const r = (await (await call(b, 'GET', `/api/rallies/${rallyId}/results`)).json()) as { classification: { rows: { car: number }[] } };
      return r.classification.rows.some((row) => row.car === 902) ? true : undefined;
    }, DEADLINE_MS, 'car 902 in B\'s results');
    const { id } = await postNext(a);
    await s.waitFor((r) => r.deltaFactIds().includes(id), DEADLINE_MS, `fact ${id} on B after the definition change`);
  });

  test('a publication on A reaches B\'s stream as a publication event', async () => {
    const s = await openStream(b);
    const r = await call(a, 'POST', `/api/rallies/${rallyId}/publications`, { kind: 'provisional', reason: 'after the first facts' }, { 'idempotency-key': 'publish-after-first-facts' });
    const text = await r.text();
    assert.equal(r.status, 201, text);
    const published = JSON.parse(text) as { number: number };
    await s.waitFor((x) => x.events.some((e) => e.event === 'publication'), DEADLINE_MS, 'publication on B');
    const data = JSON.parse(s.events.find((e) => e.event === 'publication')!.data) as { number: number; kind: string; reason: string };
    assert.deepEqual([data.number, data.kind, data.reason], [published.number, 'provisional', 'after the first facts']);
  });

  test('after pg_terminate_backend of every connection, facts post again and NOTIFY resumes', async () => {
    const s = await openStream(b);
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
        const r = await postFact(a, rallyId, fact);
        if (r.ok) id = fact.id;
        else await r.arrayBuffer();
      } catch { /* connection refused while reconnecting: retry */ }
      if (id === null) await new Promise((r) => setTimeout(r, 250));
    }
    const died = a.proc.exitCode !== null ? `; process A exited with ${a.proc.exitCode}:\n${a.output().split('\n').filter((l) => !/^\s/.test(l)).slice(-8).join('\n')}` : '';
    assert.ok(id, `process A took no facts after its connections were cut${died}`);
    await s.waitFor((r) => r.deltaFactIds().includes(fact.id), DEADLINE_MS, `fact ${fact.id} on B after reconnection`);
    // And once reconnected, facts keep flowing (the latency itself is held to a second in the first test).
    const again = await postNext(a);
    await s.waitFor((r) => r.deltaFactIds().includes(again.id), DEADLINE_MS, `fact ${again.id} on B`);
  });
});
