// The store contract on a real PostgreSQL database, plus what only PostgreSQL
// shows: two store instances (two pools, as two server processes would have)
// on one database, NOTIFY between them, seqs under concurrent writers, the
// LISTEN connection surviving a drop, and a clear error when unreachable.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { createTestDatabase, pgSkipReason, type TestDatabase } from '../../testing/pg.ts';
import { StoreError, type RallyNotice } from '../contract.ts';
import { controlTime, input, LEGACY_DESK_EXPECTED, LEGACY_DESK_LINES, sampleRally, storeContractSuite, uniqueRallyId, waitFor } from '../contract.suite.ts';
import { LOG_COMPONENT, logMigrations } from '../migrations/log.ts';
import { migratePostgres } from '../migrations/runner.ts';
import { PostgresStore } from './postgres-store.ts';

const skip = await pgSkipReason();

if (skip) {
  test('PostgreSQL store', { skip }, () => {});
} else {
  storeContractSuite('postgres', async () => {
    const db = await createTestDatabase();
    const store = await PostgresStore.open(db.url);
    return { store, cleanup: async () => { await store.close(); await db.drop(); } };
  });

  describe('postgres store: several processes on one database', () => {
    let db: TestDatabase;
    let a: PostgresStore;
    let b: PostgresStore;
    before(async () => {
      db = await createTestDatabase();
      [a, b] = await Promise.all([PostgresStore.open(db.url), PostgresStore.open(db.url)]);
    });
    after(async () => { await a.close(); await b.close(); await db.drop(); });

    // NOTE: deadlines here are generous (a loaded machine); the one-second delivery is checked in src/server/reliability-postgres.int.test.ts.
    test('20 notices posted on store A and 20 on store B at the same moment → numbers 1..40, each once, gap-free positions', async () => {
      const id = uniqueRallyId();
      await a.createRally(sampleRally(id), '2026-01-10T12:00:00.000Z');
      const post = (s: PostgresStore, name: string, i: number) => s.addDeskRecord({ rallyId: id, kind: 'notice', key: `notice:${name}-${i}`, at: '2026-02-07T21:00:00.000Z', principal: name, detail: { i } });
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => [post(a, 'a', i), post(b, 'b', i)]).flat());
      assert.deepEqual(results.map((r) => Number(r.record.number)).sort((x, y) => x - y), Array.from({ length: 40 }, (_, i) => i + 1));
      assert.deepEqual((await b.listDeskRecords(id)).map((r) => r.seq), Array.from({ length: 40 }, (_, i) => i + 1));
    });

    test('an append on store A fires onAppended on store B', async () => {
      const id = uniqueRallyId();
      await a.createRally(sampleRally(id), '2026-01-10T12:00:00.000Z');
      const heard: number[] = [];
      const off = b.onAppended((rallyId, lastSeq) => { if (rallyId === id) heard.push(lastSeq); });
      await a.appendFacts(id, [input(controlTime('a', 1)), input(controlTime('b', 2))]);
      await waitFor(() => heard.includes(2), 5000);
      off();
      assert.equal((await b.readFacts(id)).length, 2);
    });

    test('definition changes and publications on store A reach store B as notices (in order); A hears none of its own', async () => {
      const id = uniqueRallyId();
      const heardA: RallyNotice[] = [];
      const heardB: RallyNotice[] = [];
      const offA = a.onRallyChanged((n) => { if (n.rallyId === id) heardA.push(n); });
      const offB = b.onRallyChanged((n) => { if (n.rallyId === id) heardB.push(n); });
      await a.createRally(sampleRally(id), '2026-01-10T12:00:00.000Z');
      await a.updateRally(id, { ...sampleRally(id), name: 'Renamed' }, 1, '2026-01-10T12:01:00.000Z');
      await a.addPublication({ rallyId: id, kind: 'provisional', publishedAt: '2026-01-10T12:02:00.000Z', principal: 'o', uptoSeq: 0, snapshot: {} });
      // A refused change (stale version) changes nothing and tells nobody.
      await a.updateRally(id, sampleRally(id), 1, '2026-01-10T12:03:00.000Z').catch(() => {});
      await waitFor(() => heardB.length >= 3, 5000);
      assert.deepEqual(heardB, [
        { rallyId: id, kind: 'definition', version: 1 },
        { rallyId: id, kind: 'definition', version: 2 },
        { rallyId: id, kind: 'publication', number: 1 },
      ]);
      // B's own change comes back to A.
      await b.updateRally(id, sampleRally(id), 2, '2026-01-10T12:04:00.000Z');
      await waitFor(() => heardA.length >= 1, 5000);
      assert.deepEqual(heardA, [{ rallyId: id, kind: 'definition', version: 3 }]);
      assert.equal(heardB.length, 3);
      offA();
      offB();
    });

    test('A and B each append 100 single facts concurrently (20 callers each) → seqs 1..200, no gap, no repeat', async () => {
      const id = uniqueRallyId();
      await a.createRally(sampleRally(id), '2026-01-10T12:00:00.000Z');
      const writers = [a, b].flatMap((s, si) => Array.from({ length: 20 }, async (_, w) => {
        for (let k = 0; k < 5; k++) await s.appendFacts(id, [input(controlTime(`s${si}-w${w}-${k}`, k))]);
      }));
      await Promise.all(writers);
      const log = await b.readFacts(id);
      assert.deepEqual(log.map((s) => s.seq), Array.from({ length: 200 }, (_, i) => i + 1));
      assert.equal(new Set(log.map((s) => s.fact.id)).size, 200);
    });

    test('the same fact id sent to A and B at once → stored once; both acks carry the same seq', async () => {
      const id = uniqueRallyId();
      await a.createRally(sampleRally(id), '2026-01-10T12:00:00.000Z');
      for (let i = 0; i < 20; i++) {
        const [ra, rb] = await Promise.all([a.appendFacts(id, [input(controlTime(`dup${i}`, i))]), b.appendFacts(id, [input(controlTime(`dup${i}`, i))])]);
        assert.equal(ra[0]?.stored.seq, rb[0]?.stored.seq);
        assert.deepEqual([ra[0]?.duplicate, rb[0]?.duplicate].sort(), [false, true]);
      }
      assert.equal(await a.latestSeq(id), 20);
    });

    test('the LISTEN connection cut by the server → reconnects, announces every rally, then hears new facts again', async () => {
      const id = uniqueRallyId();
      await a.createRally(sampleRally(id), '2026-01-10T12:00:00.000Z');
      await a.appendFacts(id, [input(controlTime('before', 1))]);
      const heard: number[] = [];
      const off = b.onAppended((rallyId, lastSeq) => { if (rallyId === id) heard.push(lastSeq); });
      const notices: RallyNotice[] = [];
      const offNotices = b.onRallyChanged((n) => { if (n.rallyId === id) notices.push(n); });
      await new Promise((r) => setTimeout(r, 200)); // let the creation's own notice pass first
      notices.length = 0;
      const pid = b.listenerPid;
      assert.ok(pid);
      const admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      // Every pooled connection of A dies too, as in a PostgreSQL restart.
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'rallyhq' AND pid <> pg_backend_pid()");
      await admin.end();
      await waitFor(() => heard.includes(1), 5000); // the catch-up announcement after reconnecting
      // Definition notices missed while away are made up too: B announces every rally's current version.
      await waitFor(() => notices.some((n) => n.kind === 'definition' && n.version === 1), 5000);
      assert.notEqual(b.listenerPid, pid);
      let appended = false;
      for (let i = 0; i < 20 && !appended; i++) {
        // A pooled client killed while idle fails once; the pool then replaces it.
        appended = await a.appendFacts(id, [input(controlTime('after', 2))]).then(() => true, (e: unknown) => {
          assert.ok(e instanceof StoreError && e.code === 'unavailable', String(e));
          return false;
        });
      }
      assert.ok(appended);
      await waitFor(() => heard.includes(2), 5000);
      off();
      offNotices();
    });

    test('a token revoked on store A is heard on store B (once), not on A; a revocation missed while B\'s LISTEN connection was cut is made up after it reconnects', async () => {
      const rally = uniqueRallyId();
      const token = (n: string) => ({ id: `tok-${n}-${rally}`, hash: `h-${n}-${rally}`, role: 'officer' as const, rallyId: rally, label: `desk ${n}`, createdAt: '2026-02-06T10:00:00.000Z', createdBy: 'admin' });
      const [one, two, three] = [token('1'), token('2'), token('3')];
      for (const t of [one, two, three]) await a.createToken(t);
      const heardA: string[] = [];
      const heardB: string[] = [];
      const offA = a.onTokenRevoked((id) => heardA.push(id));
      const offB = b.onTokenRevoked((id) => heardB.push(id));
      await a.revokeToken(one.id, '2026-02-06T11:00:00.000Z');
      await a.revokeToken(one.id, '2026-02-06T11:01:00.000Z'); // already revoked: changes nothing, tells nobody
      await a.revokeToken(three.id, '2026-02-06T11:01:00.000Z');
      await waitFor(() => heardB.includes(three.id), 5000);
      assert.deepEqual(heardB, [one.id, three.id]);
      // Revoked without a NOTIFY (as if sent while B was away), then B's LISTEN connection is cut.
      const admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
      try {
        await admin.query("UPDATE tokens SET revoked_at = '2026-02-06T11:02:00.000Z' WHERE id = $1", [two.id]);
        const pid = b.listenerPid;
        assert.ok(pid);
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      } finally {
        await admin.end();
      }
      await waitFor(() => heardB.includes(two.id), 5000);
      assert.deepEqual(heardA, []);
      offA();
      offB();
    });

    test('schema: facts, publications and desk records refuse UPDATE and DELETE; migrations 1 to 4 recorded once', async () => {
      const id = uniqueRallyId();
      await a.createRally(sampleRally(id), '2026-01-10T12:00:00.000Z');
      await a.appendFacts(id, [input(controlTime('a', 1))]);
      await a.addPublication({ rallyId: id, kind: 'provisional', publishedAt: '2026-02-07T01:00:00.000Z', principal: 'o', uptoSeq: 1, snapshot: {} });
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      try {
        await assert.rejects(c.query("UPDATE facts SET body = '{}'"), /append-only/);
        await assert.rejects(c.query('DELETE FROM publications'), /append-only/);
        await a.addDeskRecord({ rallyId: id, kind: 'notice', key: 'notice:x', at: '2026-02-07T01:00:00.000Z', principal: 'o', detail: {} });
        await assert.rejects(c.query('UPDATE desk_records SET number = 9'), /append-only/);
        await assert.rejects(c.query('DELETE FROM desk_records'), /append-only/);
        const { rows } = await c.query("SELECT version FROM rallyhq_migrations WHERE component = 'log'");
        assert.deepEqual(rows.map((r) => r.version).sort(), [1, 2, 3, 4]);
      } finally {
        await c.end();
      }
    });
  });

  test('upgrading a database whose desk records are audit lines: each copied once, notices numbered in writing order', async () => {
    const db = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: db.url });
    try {
      await migratePostgres(pool, LOG_COMPONENT, logMigrations.slice(0, 2));
      await pool.query("INSERT INTO rallies (id, definition, version, created_at, updated_at) VALUES ('old', $1, 1, 'x', 'x')", [JSON.stringify(sampleRally('old'))]);
      for (const [action, detail] of LEGACY_DESK_LINES) {
        await pool.query("INSERT INTO audit (at, principal, action, rally_id, detail) VALUES ('2026-02-07T21:00:00.000Z', 'clerk', $1, 'old', $2)", [action, JSON.stringify(detail)]);
      }
      const store = await PostgresStore.open(db.url);
      assert.deepEqual((await store.listDeskRecords('old')).map((r) => [r.seq, r.kind, r.key, r.number ?? null]), LEGACY_DESK_EXPECTED);
      const next = await store.addDeskRecord({ rallyId: 'old', kind: 'notice', key: 'notice:n3', at: '2026-02-07T22:00:00.000Z', principal: 'clerk', detail: {} });
      assert.deepEqual([next.record.seq, next.record.number], [7, 3]);
      await store.close();
    } finally {
      await pool.end();
      await db.drop();
    }
  });

  test('unreachable PostgreSQL → StoreError unavailable naming host and db, password masked', async () => {
    const err = await PostgresStore.open('postgres://rally:s3cret@127.0.0.1:1/rallyhq').then(() => null, (e: unknown) => e);
    assert.ok(err instanceof StoreError);
    assert.equal(err.code, 'unavailable');
    assert.match(err.message, /^cannot reach PostgreSQL at postgres:\/\/127\.0\.0\.1:1\/rallyhq: .+ — is it running\? set --db or RALLYHQ_DB$/);
    assert.doesNotMatch(err.message, /s3cret/);
  });
}
