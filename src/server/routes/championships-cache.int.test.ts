// Standings are cached by the versions of their rounds: a repeat request is a
// lookup (nothing scored, nothing computed: counted through `onCompute`), and a
// fact or a definition change on a round's rally gives new standings at once.
// The ARA 2026 seed's round 1 is the rally `snodrift-2026`, here in the log store.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Fact } from '../../core/facts.ts';
import type { RallyDefinition } from '../../core/model.ts';
import { MemoryStore } from '../../store/memory/memory-store.ts';
import { openHistoryStore } from '../../store/history/open-history.ts';
import type { HistoryStore } from '../../store/history/types.ts';
import { RallyStates } from '../rally-states.ts';
import { ADMIN_TOKEN, startTestServer } from '../testing/harness.ts';
import { registerChampionshipRoutes } from './championships.ts';
import { installProblemHandlers } from '../problem.ts';

const file = JSON.parse(readFileSync(new URL('../../../fixtures/snodrift-2026.rally.json', import.meta.url), 'utf8')) as { rally: RallyDefinition; facts: Fact[] };
const RALLY = file.rally.id;
const URL_AFTER_1 = '/api/championships/ara-2026/standings?after=1';

interface Body { standings: { rows: { competitor: string; total: number }[] }; notes: string[] }

describe('championship standings cache', () => {
  let app: FastifyInstance;
  let store: MemoryStore;
  let states: RallyStates;
  let history: HistoryStore;
  const computed: string[] = [];
  let seq = 0;

  before(async () => {
    store = new MemoryStore();
    await store.createRally(file.rally, '2026-02-01T00:00:00.000Z');
    await store.appendFacts(RALLY, file.facts.map(({ seq: _s, ...fact }) => ({ fact: fact as Fact, principal: 'import', receivedAt: '2026-02-08T00:00:00.000Z' })));
    states = new RallyStates(store);
    history = await openHistoryStore('sqlite::memory:');
    app = Fastify();
    await registerChampionshipRoutes(app, { history, states, onCompute: (w) => computed.push(w.kind === 'round' ? `round ${w.round}` : 'standings') });
    seq = await store.latestSeq(RALLY);
  });
  after(async () => {
    await app.close();
    states.close();
    await history.close();
    await store.close();
  });

  const get = (headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: URL_AFTER_1, headers });

  test('first request scores the rally of round 1 from the log store (national points 22-17-14-12-10, SNO23 [P]); a repeat scores nothing and 304s on its ETag', async () => {
    const first = await get();
    assert.equal(first.statusCode, 200);
    const body = first.json() as Body;
    assert.deepEqual(body.standings.rows.slice(0, 5).map((r) => r.total), [22, 17, 14, 12, 10]);
    assert.deepEqual(computed, ['round snodrift', 'standings']);
    const etag = first.headers.etag as string;
    assert.match(etag, /^W\/"/);

    computed.length = 0;
    const again = await get();
    assert.equal(again.body, first.body);
    assert.equal(again.headers.etag, etag);
    assert.equal((await get({ 'if-none-match': etag })).statusCode, 304);
    assert.deepEqual(computed, [], 'a repeat request scores nothing and computes nothing');
  });

  test('a fact posted to the round (the leader excluded: rally-rules §4.1 and §6.2, an excluded crew scores no points) changes the standings at once', async () => {
    const before = (await get()).json() as Body;
    const etag = (await get()).headers.etag as string;
    const leader = before.standings.rows[0]!;
    const car = file.rally.entries.find((e) => e.driver.name === leader.competitor)!.car;
    computed.length = 0;
    await store.appendFacts(RALLY, [{ fact: { id: 'test-exclusion', type: 'exclusion', car, reason: 'technical non-conformity' } as Fact, principal: 'clerk', receivedAt: '2026-02-08T01:00:00.000Z' }]);
    await states.catchUp(RALLY, seq + 1);

    const after = await get({ 'if-none-match': etag });
    assert.equal(after.statusCode, 200, 'the old ETag no longer matches');
    const body = after.json() as Body;
    assert.notEqual(body.standings.rows[0]!.competitor, leader.competitor);
    assert.equal(body.standings.rows.find((r) => r.competitor === leader.competitor)?.total ?? 0, 0);
    assert.deepEqual(computed, ['round snodrift', 'standings'], 'only the changed round is scored again');
  });

  test('a definition change of the round\'s rally (a new version) also gives new standings', async () => {
    const etag = (await get()).headers.etag as string;
    const record = (await store.getRally(RALLY))!;
    // The national registration taken off the round's winner-to-be: no national points for that crew.
    const top = ((await get()).json() as Body).standings.rows[0]!;
    const entries = record.definition.entries.map((e) => (e.driver.name === top.competitor ? { ...e, eligibility: [] } : e));
    await store.updateRally(RALLY, { ...record.definition, entries }, record.version, '2026-02-08T02:00:00.000Z');
    states.invalidate(RALLY);
    computed.length = 0;
    const after = await get({ 'if-none-match': etag });
    assert.equal(after.statusCode, 200);
    assert.ok(!(after.json() as Body).standings.rows.some((r) => r.competitor === top.competitor && r.total > 0));
    assert.deepEqual(computed, ['round snodrift', 'standings']);
  });

  test('through the whole app: a fact posted with POST …/facts to round 1\'s rally changes GET …/standings (no stale cache)', async () => {
    const s = await startTestServer('memory');
    try {
      assert.equal((await s.call('POST', '/api/rallies/import', { format: 'rallyhq.rally', version: 1, rally: file.rally, facts: file.facts }, ADMIN_TOKEN)).statusCode, 201);
      const first = await s.call('GET', URL_AFTER_1);
      const body = first.json() as Body & { standings: { rows: { competitor: string }[] } };
      const leader = body.standings.rows[0]!.competitor;
      assert.equal((await s.call('GET', URL_AFTER_1, undefined, undefined, { 'if-none-match': first.headers.etag as string })).statusCode, 304);
      const car = file.rally.entries.find((e) => e.driver.name === leader)!.car;
      const posted = await s.call('POST', `/api/rallies/${RALLY}/facts`, { id: 'app-exclusion', type: 'exclusion', car, reason: 'technical non-conformity' }, ADMIN_TOKEN);
      assert.ok(posted.statusCode < 300, posted.body);
      const after = await s.call('GET', URL_AFTER_1, undefined, undefined, { 'if-none-match': first.headers.etag as string });
      assert.equal(after.statusCode, 200);
      assert.notEqual((after.json() as Body).standings.rows[0]!.competitor, leader);
    } finally {
      await s.close();
    }
  });

  test('once the results are declared official, the round counts that publication: a later fact changes nothing until a new official publication', async () => {
    const s = await startTestServer('memory');
    try {
      assert.equal((await s.call('POST', '/api/rallies/import', { format: 'rallyhq.rally', version: 1, rally: file.rally, facts: file.facts }, ADMIN_TOKEN)).statusCode, 201);
      const provisional = (await s.call('GET', URL_AFTER_1)).json() as { standings: { provisional: string[] } };
      assert.deepEqual(provisional.standings.provisional, ['snodrift'], 'live results count as provisional');
      const published = await s.call('POST', `/api/rallies/${RALLY}/publications`, { kind: 'official', reason: 'results declared final by the Clerk of the Course', override: { reason: 'no provisional classification in this test' } }, ADMIN_TOKEN, { 'idempotency-key': 'publish-final' });
      assert.ok(published.statusCode < 300, published.body);
      const official = await s.call('GET', URL_AFTER_1);
      const leader = (official.json() as Body).standings.rows[0]!.competitor;
      assert.deepEqual((official.json() as { standings: { provisional: string[] } }).standings.provisional, [], 'the official publication makes the round final');
      const car = file.rally.entries.find((e) => e.driver.name === leader)!.car;
      const posted = await s.call('POST', `/api/rallies/${RALLY}/facts`, { id: 'late-exclusion', type: 'exclusion', car, reason: 'technical non-conformity' }, ADMIN_TOKEN);
      assert.ok(posted.statusCode < 300, posted.body);
      const unchanged = await s.call('GET', URL_AFTER_1, undefined, undefined, { 'if-none-match': official.headers.etag as string });
      assert.equal(unchanged.statusCode, 304, 'a fact after the official publication does not change the round');
      // Nor does a change of the entry list: the publication carries the definition it declared.
      const rally = (await s.call('GET', `/api/rallies/${RALLY}`)).json() as { version: number; definition: RallyDefinition };
      const entries = rally.definition.entries.map((e) => (e.car === car ? { ...e, eligibility: [] } : e));
      const put = await s.call('PUT', `/api/rallies/${RALLY}/entries`, { version: rally.version, entries, reason: 'driver name corrected' }, ADMIN_TOKEN);
      assert.ok(put.statusCode < 300, put.body);
      const stillOfficial = await s.call('GET', URL_AFTER_1);
      assert.equal((stillOfficial.json() as Body).standings.rows[0]!.competitor, leader, 'a definition change after the official publication waits for the next one');
      assert.equal((await s.call('POST', `/api/rallies/${RALLY}/publications`, { kind: 'official', reason: 'exclusion upheld on appeal', override: { reason: 'appeal decided after the inquiry window' } }, ADMIN_TOKEN, { 'idempotency-key': 'publish-appeal' })).statusCode < 300, true);
      const republished = await s.call('GET', URL_AFTER_1);
      assert.notEqual((republished.json() as Body).standings.rows[0]!.competitor, leader);
    } finally {
      await s.close();
    }
  });
});


describe('history import through the API when the database fails mid-import', () => {
  test('503 history-import-failed naming the database error and saying that sending the same file again is safe; nothing of it stored', async () => {
    const history = await openHistoryStore('sqlite::memory:');
    // The database refuses the write (as a full disk would): an error with a driver's code.
    const refuse = async () => { throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }); };
    /** `target` with one method replaced, every other member its own (bound). */
    const replacing = <T extends object>(target: T, key: string, value: unknown): T => new Proxy(target, {
      get: (t, k) => { if (k === key) return value; const v = Reflect.get(t, k, t) as unknown; return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v; },
    });
    const failing = replacing(history, 'backend', () => replacing(history.backend(), 'write', refuse));
    const app = Fastify();
    installProblemHandlers(app);
    await registerChampionshipRoutes(app, { history: failing, auth: { requireRole: async () => ({ role: 'admin', label: 'admin', tokenId: 't' }) } as never });
    try {
      const csv = readFileSync(new URL('../../../seeds/history-monte-carlo-1964-1967.csv', import.meta.url), 'utf8');
      const r = await app.inject({ method: 'POST', url: '/api/history/import', payload: csv, headers: { 'content-type': 'text/csv' } });
      assert.equal(r.statusCode, 503, r.body);
      const body = r.json() as { code: string; detail: string; fix: string };
      assert.equal(body.code, 'history-import-failed');
      assert.match(body.detail, /database or disk is full/);
      assert.match(body.fix, /same file again/);
      assert.deepEqual(await history.counts(), { events: 0, results: 0, stageResults: 0 }, 'nothing of the failed import stored');
    } finally {
      await app.close();
      await history.close();
    }
  });
});
