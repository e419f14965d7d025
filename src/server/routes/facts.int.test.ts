// POST facts against an SQLite store whose appends go through the writer
// thread: concurrent requests share commits, yet every acknowledgment names
// a gap-free seq, a repeated id gets the original acknowledgment, and the
// results read right after an acknowledgment include the fact.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { MemoryStore } from '../../store/memory/memory-store.ts';
import { StoreError, type AppendInput, type AppendResult } from '../../store/contract.ts';
import { buildApp } from '../app.ts';
import { ensureAdminToken } from '../bootstrap.ts';
import { ADMIN_TOKEN, smallRallyFile } from '../testing/harness.ts';

const RALLY = 'lakeshore-2026';
const R = `/api/rallies/${RALLY}`;
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
/** A control time at TC0 (the fixture's first control), minute `m` after 18:00. */
const tc0 = (id: string, car: number, m: number) => ({ id, type: 'controlTime', car, control: 'TC0', at: `2026-03-13T18:${String(m).padStart(2, '0')}`, source: 'manual' });

describe('POST facts through the SQLite writer thread', () => {
  let dir: string;
  let store: SqliteStore;
  let app: FastifyInstance;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rallyhq-facts-'));
    store = new SqliteStore(join(dir, 'test.db'), { writer: 'thread' });
    await ensureAdminToken(store, ADMIN_TOKEN, new Date());
    app = await buildApp({ store, now: () => new Date('2026-03-13T19:00:00Z') });
    await app.ready();
    const r = await app.inject({ method: 'POST', url: '/api/rallies/import', headers: auth, payload: smallRallyFile() });
    assert.equal(r.statusCode, 201, r.body);
  });
  after(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('40 concurrent single facts → seqs 111..150, each once; the log and the results hold them all', async () => {
    const before = store.groupCommits;
    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => app.inject({ method: 'POST', url: `${R}/facts`, headers: auth, payload: tc0(`c:${i}`, 1 + (i % 6), i) })));
    assert.deepEqual(replies.map((r) => r.statusCode), replies.map(() => 201));
    const seqs = replies.map((r) => (r.json() as { seq: number }).seq).sort((a, b) => a - b);
    assert.deepEqual(seqs, Array.from({ length: 40 }, (_, i) => 111 + i));
    assert.ok(store.groupCommits - before < 40, `${store.groupCommits - before} commits for 40 requests`);
    const log = await app.inject({ method: 'GET', url: `${R}/facts?after=110` });
    assert.deepEqual((log.json() as { facts: { seq: number }[] }).facts.map((f) => f.seq), Array.from({ length: 40 }, (_, i) => 111 + i));
    const results = await app.inject({ method: 'GET', url: `${R}/results` });
    assert.equal((results.json() as { seq: number }).seq, 150, 'results read after the acknowledgments include every fact');
  });

  test('the same new fact posted twice at once → one write; both answered with its seq, the second as a duplicate', async () => {
    const fact = tc0('twice:1', 2, 59);
    const [a, b] = await Promise.all([0, 1].map(() => app.inject({ method: 'POST', url: `${R}/facts`, headers: auth, payload: fact })));
    const acks = [a!, b!].map((r) => ({ status: r.statusCode, ...(r.json() as { seq: number; duplicate: boolean }) }));
    assert.deepEqual(acks.map((x) => [x.status, x.duplicate]).sort(), [[200, true], [201, false]]);
    assert.equal(acks[0]!.seq, acks[1]!.seq);
    assert.equal(await store.latestSeq(RALLY), 151);
    const later = await app.inject({ method: 'POST', url: `${R}/facts`, headers: auth, payload: { ...fact, at: '2026-03-13T18:58' } });
    assert.equal(later.statusCode, 409, 'the same id with other content, once stored, is refused');
    assert.equal((later.json() as { code: string }).code, 'fact-id-reused');
  });

  test('one id with two different contents posted at once, 20 times → each time one 201 and one 409 fact-id-reused, never a duplicate ack', async () => {
    const start = await store.latestSeq(RALLY);
    for (let round = 0; round < 20; round++) {
      const replies = await Promise.all([10, 11].map((m) => app.inject({ method: 'POST', url: `${R}/facts`, headers: auth, payload: tc0(`race:${round}`, 4, m) })));
      assert.deepEqual(replies.map((r) => r.statusCode).sort(), [201, 409], `round ${round}: ${replies.map((r) => r.body).join(' | ')}`);
      const refused = replies.find((r) => r.statusCode === 409)!;
      assert.equal((refused.json() as { code: string }).code, 'fact-id-reused');
    }
    assert.equal(await store.latestSeq(RALLY), start + 20);
  });
});

/** A store whose next append is committed but answered with a fault, and which never tells of appends (as when the writer thread stops after its commit). */
class LostAnswerStore extends MemoryStore {
  loseNext = false;
  override onAppended(): () => void {
    return () => {};
  }
  override async appendFacts(rallyId: string, inputs: AppendInput[]): Promise<AppendResult[]> {
    const results = await super.appendFacts(rallyId, inputs);
    if (this.loseNext) {
      this.loseNext = false;
      throw new StoreError('unavailable', 'the writer stopped before answering');
    }
    return results;
  }
}

describe('a fact stored by a write whose answer was lost', () => {
  test('the 503 says to resend the same id; the resend is acknowledged as a duplicate and the results then include the fact', async () => {
    const store = new LostAnswerStore();
    await ensureAdminToken(store, ADMIN_TOKEN, new Date());
    const app = await buildApp({ store, now: () => new Date('2026-03-13T19:00:00Z') });
    try {
      assert.equal((await app.inject({ method: 'POST', url: '/api/rallies/import', headers: auth, payload: smallRallyFile() })).statusCode, 201);
      const before = (await app.inject({ method: 'GET', url: `${R}/results` })).json() as { seq: number };
      store.loseNext = true;
      const lost = await app.inject({ method: 'POST', url: `${R}/facts`, headers: auth, payload: tc0('lost:1', 3, 7) });
      assert.equal(lost.statusCode, 503);
      assert.match((lost.json() as { fix: string }).fix, /same fact ids/);
      const again = await app.inject({ method: 'POST', url: `${R}/facts`, headers: auth, payload: tc0('lost:1', 3, 7) });
      assert.equal(again.statusCode, 200, again.body);
      assert.equal((again.json() as { duplicate: boolean; seq: number }).seq, before.seq + 1);
      const after = (await app.inject({ method: 'GET', url: `${R}/results` })).json() as { seq: number };
      assert.equal(after.seq, before.seq + 1, 'the results include the fact whose first answer was lost');
    } finally {
      await app.close();
      await store.close();
    }
  });
});
