// Retries are not stored twice, on SQLite and PostgreSQL: a decision needs an
// id or an Idempotency-Key (its id then), a publication needs a key, and any
// write route answers a retry with the same key with its first answer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pgSkipReason } from '../testing/pg.ts';
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
