// Retries are not stored twice, on SQLite and PostgreSQL: a decision needs an
// id or an Idempotency-Key (its id then), a publication needs a key, and any
// write route answers a retry with the same key with its first answer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pgSkipReason } from '../testing/pg.ts';
import { buildApp } from './app.ts';
import { ADMIN_TOKEN, smallRallyFile, startTestServer, type StoreKind, type TestServer } from './testing/harness.ts';

const RALLY = 'lakeshore-2026';
const R = `/api/rallies/${RALLY}`;

for (const kind of ['sqlite', 'postgres'] as StoreKind[]) {
  describe(`idempotent writes (${kind})`, async () => {
    const skip = kind === 'postgres' ? await pgSkipReason() : null;
    let s: TestServer;
    before(async () => {
      if (skip) return;
      s = await startTestServer(kind);
      assert.equal((await s.call('POST', '/api/rallies/import', smallRallyFile(), ADMIN_TOKEN)).statusCode, 201);
    });
    after(async () => { if (!skip) await s.close(); });

    test('every decision route without an id and without Idempotency-Key → 400 naming $.id; nothing stored', { skip: skip ?? false }, async () => {
      const seq = await s.store.latestSeq(RALLY);
      const bodies: [string, unknown][] = [
        ['penalties', { car: 2, seconds: 10, reason: 'late at TC1' }],
        ['retirements', { car: 2, where: 'SS1', reason: 'off the road' }],
        ['exclusions', { car: 2, reason: 'technical' }],
        ['stage-cancellations', { stage: 'SS4', reason: 'weather' }],
        ['corrections', { supersedes: 'TC1-2', reason: 'typo' }],
      ];
      for (const [route, body] of bodies) {
        const r = await s.call('POST', `${R}/${route}`, body, ADMIN_TOKEN);
        assert.equal(r.statusCode, 400, `${route}: ${r.body}`);
        assert.equal(r.json().field, '$.id', route);
        assert.equal(r.json().code, 'idempotency-key-required');
      }
      assert.equal(await s.store.latestSeq(RALLY), seq);
    });

    test('a penalty posted with an Idempotency-Key and retried three times (one at the same moment) is stored once', { skip: skip ?? false }, async () => {
      const seq = await s.store.latestSeq(RALLY);
      const send = () => s.call('POST', `${R}/penalties`, { car: 3, seconds: 30, reason: 'late at TC2' }, ADMIN_TOKEN, { 'idempotency-key': 'pen-3-tc2' });
      const first = await send();
      assert.equal(first.statusCode, 201, first.body);
      const again = await Promise.all([send(), send(), send()]);
      for (const r of again) assert.ok([200, 201].includes(r.statusCode) && r.json().seq === first.json().seq, r.body);
      assert.equal(await s.store.latestSeq(RALLY), seq + 1);
      assert.equal((await s.store.getFact(RALLY, 'pen-3-tc2'))?.fact.type, 'penalty', 'the key is the decision\'s id');
    });

    test('a publication needs a key; a retry with it answers the first publication again; the key with another body → 409', { skip: skip ?? false }, async () => {
      const none = await s.call('POST', `${R}/publications`, { kind: 'provisional', reason: 'after SS2' }, ADMIN_TOKEN);
      assert.equal(none.statusCode, 400, none.body);
      assert.equal(none.json().field, 'idempotency-key');
      const key = { 'idempotency-key': 'publish-after-ss2' };
      const first = await s.call('POST', `${R}/publications`, { kind: 'provisional', reason: 'after SS2' }, ADMIN_TOKEN, key);
      assert.equal(first.statusCode, 201, first.body);
      const retry = await s.call('POST', `${R}/publications`, { kind: 'provisional', reason: 'after SS2' }, ADMIN_TOKEN, key);
      assert.equal(retry.statusCode, 201);
      assert.equal(retry.headers['idempotent-replayed'], 'true');
      assert.deepEqual(retry.json(), first.json());
      assert.equal((await s.store.listPublications(RALLY)).length, 1);
      const other = await s.call('POST', `${R}/publications`, { kind: 'official', reason: 'final' }, ADMIN_TOKEN, key);
      assert.equal(other.statusCode, 409, other.body);
      assert.equal(other.json().code, 'idempotency-key-reused');
    });

    test('a marshal cannot supersede its own time once HQ has withdrawn or corrected it → 409 in words; nothing stored', { skip: skip ?? false }, async () => {
      const tk = await s.token('timekeeper', RALLY, ['SS1F']);
      const at = (id: string, t: string, extra: object = {}) => ({ id, type: 'controlTime', car: 4, control: 'SS1F', at: `2026-03-13T18:${t}`, ...extra });
      assert.equal((await s.call('POST', `${R}/facts`, at('tk-own-1', '40:10.0'), tk)).statusCode, 201);
      assert.equal((await s.call('POST', `${R}/facts`, at('tk-own-2', '41:10.0', { car: 5 }), tk)).statusCode, 201);
      // Before HQ acts, the marshal's own correction is allowed.
      const own = await s.call('POST', `${R}/facts`, at('tk-own-2b', '41:11.0', { car: 5, supersedes: 'tk-own-2', reason: 'misread the clock' }), tk);
      assert.equal(own.statusCode, 201, own.body);
      const hqWithdraw = await s.call('POST', `${R}/facts`, { id: 'hq-wd-1', type: 'retraction', supersedes: 'tk-own-1', reason: 'car 4 never reached SS1F' }, ADMIN_TOKEN);
      assert.equal(hqWithdraw.statusCode, 201, hqWithdraw.body);
      const hqCorrect = await s.call('POST', `${R}/facts`, at('hq-co-1', '41:12.0', { car: 5, supersedes: 'tk-own-2b', reason: 'backup watch' }), ADMIN_TOKEN);
      assert.equal(hqCorrect.statusCode, 201, hqCorrect.body);
      const seq = await s.store.latestSeq(RALLY);
      const undoWithdraw = await s.call('POST', `${R}/facts`, at('tk-own-1b', '40:11.0', { supersedes: 'tk-own-1', reason: 'it did arrive' }), tk);
      assert.equal(undoWithdraw.statusCode, 409, undoWithdraw.body);
      assert.equal(undoWithdraw.json().code, 'already-superseded');
      assert.match(undoWithdraw.json().detail, /HQ already withdrew this time: car 4 never reached SS1F; ask HQ/);
      const undoCorrect = await s.call('POST', `${R}/facts`, { id: 'tk-wd-2b', type: 'retraction', supersedes: 'tk-own-2b', reason: 'mistake' }, tk);
      assert.equal(undoCorrect.statusCode, 409, undoCorrect.body);
      assert.match(undoCorrect.json().detail, /HQ already corrected this time: backup watch; ask HQ/);
      assert.equal(await s.store.latestSeq(RALLY), seq, 'nothing stored');
    });

    test('a publication retried with its key on a restarted server (its answers kept in memory are gone), alone and at the same moment, publishes once', { skip: skip ?? false }, async () => {
      const before = (await s.store.listPublications(RALLY)).length;
      const body = { kind: 'provisional', reason: 'after SS3' };
      const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, 'idempotency-key': 'publish-after-ss3' };
      const first = await s.call('POST', `${R}/publications`, body, ADMIN_TOKEN, { 'idempotency-key': 'publish-after-ss3' });
      assert.equal(first.statusCode, 201, first.body);
      // The same store behind a fresh server: the in-memory record of the first answer is not there.
      const restarted = await buildApp({ store: s.store });
      await restarted.ready();
      try {
        const send = () => restarted.inject({ method: 'POST', url: `${R}/publications`, headers, payload: body });
        const retries = await Promise.all([send(), send()]);
        const answered = retries.filter((r) => r.statusCode === 201);
        assert.ok(answered.length >= 1, retries.map((r) => r.body).join('\n'));
        for (const r of retries) assert.ok(r.statusCode === 201 || r.json().code === 'idempotency-in-progress', r.body);
        for (const r of answered) assert.equal(r.json().number, first.json().number, 'the retry answers the first publication');
        assert.equal((await s.store.listPublications(RALLY)).length, before + 1, 'published once');
      } finally {
        await restarted.close();
      }
    });

    test('issuing a token with a key, retried: the same token, issued once', { skip: skip ?? false }, async () => {
      const body = { role: 'timekeeper', rallyId: RALLY, controls: ['SS1F'], label: 'SS1 finish spare' };
      const key = { 'idempotency-key': 'issue-ss1f-spare' };
      const a = await s.call('POST', '/api/tokens', body, ADMIN_TOKEN, key);
      const b = await s.call('POST', '/api/tokens', body, ADMIN_TOKEN, key);
      assert.deepEqual([a.statusCode, b.statusCode], [201, 201]);
      assert.equal(b.json().token, a.json().token);
      assert.equal((await s.store.listTokens(RALLY)).filter((t) => t.label === body.label).length, 1);
    });
  });
}
