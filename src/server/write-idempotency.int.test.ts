// A retry never does a change twice (issue 9, item 9), read from the route
// table so a write route added later is covered: every POST/PUT/PATCH/DELETE
// route declares how (src/server/write-idempotency.ts); every route that
// makes something new each time refuses a request without an id or
// Idempotency-Key (400 idempotency-key-required, nothing written), and the
// same request sent twice with one key is done once and answered alike.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_TOKEN, smallRallyFile, startTestServer, type TestServer } from './testing/harness.ts';
import { WRITE_POLICIES } from './write-idempotency.ts';

const RALLY = 'lakeshore-2026';
const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A body each key-needing route takes (the fixture's cars, stages and controls). */
const SAMPLES: Record<string, Record<string, unknown>> = {
  'POST /api/rallies/:id/publications': { kind: 'provisional', reason: 'after SS1' },
  'POST /api/tokens': { role: 'timekeeper', rallyId: RALLY, controls: ['SS1F'], label: 'SS1 finish spare' },
  'POST /api/rallies/:id/penalties': { car: 2, seconds: 10, reason: 'late at TC1' },
  'POST /api/rallies/:id/retirements': { car: 2, where: 'SS2', reason: 'off the road' },
  'POST /api/rallies/:id/restarts': { car: 2, section: 'L2A', reason: 'Super Rally' },
  'POST /api/rallies/:id/exclusions': { car: 3, reason: 'technical infringement' },
  'POST /api/rallies/:id/notional-times': { stage: 'SS1', notionalTimes: [{ car: 2, time: '4:00.0' }], reason: 'red flag' },
  'POST /api/rallies/:id/stage-maximums': { car: 2, stage: 'SS1', reason: 'missed a chicane' },
  'POST /api/rallies/:id/delayed-starts': { car: 2, stage: 'SS2', delayMs: 60_000, reason: 'late to the start line' },
  'POST /api/rallies/:id/stage-cancellations': { stage: 'SS4', reason: 'fog' },
  'POST /api/rallies/:id/corrections': { supersedes: 'TC1-2', reason: 'typed wrong' },
  'POST /api/rallies/:id/protests': { car: 2, lodgedBy: 'entrant of car 1', grounds: 'Car 2 cut a chicane on SS2' },
  'POST /api/rallies/:id/notices': { kind: 'bulletin', title: 'Bulletin 1' },
};

describe('every write route keeps a retry from doing its change twice', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer('memory');
    assert.equal((await s.call('POST', '/api/rallies/import', smallRallyFile(), ADMIN_TOKEN)).statusCode, 201);
  });
  after(async () => { await s.close(); });

  const writes = () => s.app.rallyhq.routes.filter((r) => WRITE.has(r.method)).map((r) => ({ name: `${r.method} ${r.url}`, ...r }));

  /** What a route of this kind could have written: facts, tokens, desk records, publications. */
  async function written(): Promise<unknown> {
    const rally = (await s.call('GET', `/api/rallies/${RALLY}`)).json() as { lastSeq: number };
    const protests = (await s.call('GET', `/api/rallies/${RALLY}/protests`)).json() as { protests: unknown[] };
    const notices = (await s.call('GET', `/api/rallies/${RALLY}/notices`)).json() as { notices: unknown[] };
    return { seq: rally.lastSeq, tokens: (await s.store.listTokens()).length, protests: protests.protests.length, notices: notices.notices.length, publications: (await s.store.listPublications(RALLY)).length };
  }

  test('each write route of the route table declares how a retry is kept from repeating it, and nothing else is declared', () => {
    const names = writes().map((r) => r.name);
    assert.ok(names.length >= 30, `found the write routes (${names.length})`);
    assert.deepEqual(names.filter((n) => !(n in WRITE_POLICIES)), [], 'write routes with no declared idempotency (add them to src/server/write-idempotency.ts)');
    assert.deepEqual(Object.keys(WRITE_POLICIES).filter((n) => !names.includes(n)), [], 'declared routes the app does not have');
    for (const r of writes()) {
      if (r.schema?.['x-idempotency'] === 'required') assert.equal(WRITE_POLICIES[r.name], 'key', `${r.name} says in its schema that it needs a key`);
    }
  });

  test('every route that makes something new refuses a request with neither id nor Idempotency-Key, writes nothing, and does a keyed request once', async () => {
    const needing = writes().filter((r) => WRITE_POLICIES[r.name] === 'key' || WRITE_POLICIES[r.name] === 'id-or-key');
    assert.ok(needing.length >= 13, `routes needing an id or key: ${needing.map((r) => r.name).join(', ')}`);
    for (const r of needing) {
      const body = SAMPLES[r.name];
      assert.ok(body, `no sample body for ${r.name}: add one to SAMPLES`);
      const url = r.url.replace(':id', RALLY);
      const was = await written();
      const bare = await s.call(r.method as 'POST', url, body, ADMIN_TOKEN);
      assert.equal(bare.statusCode, 400, `${r.name} without id or key: ${bare.body}`);
      assert.equal(bare.json().code, 'idempotency-key-required', r.name);
      assert.deepEqual(await written(), was, `${r.name} wrote something when it refused`);

      const key = { 'idempotency-key': `once-${r.url.split('/').at(-1)}` };
      const first = await s.call(r.method as 'POST', url, body, ADMIN_TOKEN, key);
      assert.equal(first.statusCode, 201, `${r.name} with a key: ${first.body}`);
      const afterFirst = await written();
      const again = await s.call(r.method as 'POST', url, body, ADMIN_TOKEN, key);
      assert.ok(again.statusCode === 200 || again.statusCode === 201, `${r.name} retried: ${again.body}`);
      assert.deepEqual(await written(), afterFirst, `${r.name} retried with the same key wrote again`);
      for (const field of ['id', 'seq', 'token', 'number']) {
        if (field in first.json()) assert.equal(again.json()[field], first.json()[field], `${r.name}: the retry answers the first ${field}`);
      }
    }
  });
});
