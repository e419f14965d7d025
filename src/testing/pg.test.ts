// PostgreSQL missing: outside CI the suites skip, loudly; under CI they fail.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isCi, pgSkipReason } from './pg.ts';

// Port 1 on the loopback address: nothing listens there, the connection is refused at once.
const NOWHERE = 'postgres://postgres:secret@127.0.0.1:1/postgres';

describe('PostgreSQL test gate', () => {
  test('unreachable outside CI: a skip reason, printed with !!!, the password masked', async () => {
    const printed: string[] = [];
    const reason = await pgSkipReason({ url: NOWHERE, env: {}, warn: (t) => printed.push(t) });
    assert.match(reason ?? '', /PostgreSQL not reachable at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/postgres — PostgreSQL tests SKIPPED/);
    assert.equal(printed.length, 1);
    assert.match(printed[0]!, /!!! PostgreSQL not reachable/);
    assert.doesNotMatch(printed[0]!, /secret/);
  });

  test('unreachable under CI=true: rejects, so the suite fails instead of skipping', async () => {
    await assert.rejects(pgSkipReason({ url: NOWHERE, env: { CI: 'true' }, warn: () => assert.fail('no skip notice under CI') }), /CI requires PostgreSQL/);
  });

  test('CI is on for true, 1 or any other value; off when unset, empty, 0 or false', () => {
    assert.deepEqual(['true', '1', 'yes', 'TRUE'].map((v) => isCi({ CI: v })), [true, true, true, true]);
    assert.deepEqual([undefined, '', '0', 'false', 'False'].map((v) => isCi(v === undefined ? {} : { CI: v })), [false, false, false, false, false]);
  });
});
