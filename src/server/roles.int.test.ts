// Who may write what (docs/operations.md "Roles"): the 401/403 matrix, token
// revocation, and one-time enrollment of a marshal's phone. On SQLite.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_TOKEN, smallRallyFile, startTestServer, type StoreKind, type TestServer } from './testing/harness.ts';

const R = '/api/rallies/lakeshore-2026';
const KIND = (process.env.RALLYHQ_TEST_STORE as StoreKind | undefined) ?? 'sqlite';
const time = (id: string, control = 'SS1F', car = 2) => ({ id, type: 'controlTime', car, control, at: '2026-03-13T18:35:10.0' });

describe(`roles and tokens (${KIND})`, () => {
  let s: TestServer;
  let officer: string;
  let otherOfficer: string;
  let finishTk: string;
  before(async () => {
    s = await startTestServer(KIND);
    assert.equal((await s.call('POST', '/api/rallies/import', smallRallyFile(), ADMIN_TOKEN)).statusCode, 201);
    const other = { ...smallRallyFile().rally, id: 'other-2026' };
    assert.equal((await s.call('POST', '/api/rallies', other, ADMIN_TOKEN)).statusCode, 201);
    officer = await s.token('officer', 'lakeshore-2026');
    otherOfficer = await s.token('officer', 'other-2026');
    finishTk = await s.token('timekeeper', 'lakeshore-2026', ['SS1F']);
  });
  after(async () => { await s.close(); });

  const cases: [string, () => string | undefined, unknown, string, number, string][] = [
    ['no token', () => undefined, time('a1'), 'facts', 401, 'token-missing'],
    ['an unknown token', () => 'not-a-real-token-at-all', time('a2'), 'facts', 401, 'token-unknown'],
    ['the officer of another rally', () => otherOfficer, time('a3'), 'facts', 403, 'token-wrong-rally'],
    ['a timekeeper at a control not theirs (SS2F)', () => finishTk, time('a4', 'SS2F'), 'facts', 403, 'token-wrong-control'],
    ['a timekeeper submitting a penalty', () => finishTk, { id: 'a5', type: 'penalty', car: 2, seconds: 10, reason: 'x' }, 'facts', 403, 'token-wrong-role'],
    ['a timekeeper on the penalties route', () => finishTk, { car: 2, seconds: 10, reason: 'x' }, 'penalties', 403, 'token-wrong-role'],
    ['a timekeeper publishing', () => finishTk, { kind: 'provisional', reason: 'end of leg 1' }, 'publications', 403, 'token-wrong-role'],
    ['the officer of another rally publishing', () => otherOfficer, { kind: 'provisional', reason: 'end of leg 1' }, 'publications', 403, 'token-wrong-rally'],
  ];
  for (const [who, token, body, route, status, code] of cases) {
    test(`${who} → ${status} ${code}, nothing stored`, async () => {
      const seq = await s.store.latestSeq('lakeshore-2026');
      const r = await s.call('POST', `${R}/${route}`, body, token());
      assert.equal(r.statusCode, status, r.body);
      const p = r.json();
      assert.equal(p.code, code);
      assert.match(String(r.headers['content-type']), /application\/problem\+json/);
      assert.ok(p.field && p.detail && p.fix, 'names the field, says what is wrong and the fix');
      assert.equal(await s.store.latestSeq('lakeshore-2026'), seq);
    });
  }

  test('a timekeeper at its own control (SS1F) → 201; at its stage (stageTime SS1) → 201', async () => {
    assert.equal((await s.call('POST', `${R}/facts`, time('own-1'), finishTk)).statusCode, 201);
    const st = await s.call('POST', `${R}/facts`, { id: 'own-2', type: 'stageTime', car: 3, stage: 'SS1', time: '5:20.1' }, finishTk);
    assert.equal(st.statusCode, 201, st.body);
    const log = (await s.call('GET', `${R}/facts?after=110`)).json().facts;
    assert.equal(log.find((f: { fact: { id: string } }) => f.fact.id === 'own-1').principal, 'timekeeper lakeshore-2026 SS1F', 'the write records who');
  });

  test('reads are public: results, stages and the log need no token', async () => {
    for (const url of [`${R}/results`, `${R}/stages/SS1`, `${R}/facts`, '/api/rallies']) assert.equal((await s.call('GET', url)).statusCode, 200, url);
  });

  test('an officer cannot issue an officer token, nor tokens for another rally', async () => {
    const r1 = await s.call('POST', '/api/tokens', { role: 'officer', rallyId: 'lakeshore-2026', label: 'x' }, officer, { 'idempotency-key': 'roles-issue-1' });
    assert.equal(r1.statusCode, 403);
    const r2 = await s.call('POST', '/api/tokens', { role: 'timekeeper', rallyId: 'other-2026', controls: ['TC1'], label: 'x' }, officer, { 'idempotency-key': 'roles-issue-2' });
    assert.equal(r2.statusCode, 403);
    assert.equal(r2.json().code, 'token-wrong-rally');
    const r3 = await s.call('POST', '/api/tokens', { role: 'timekeeper', rallyId: 'lakeshore-2026', controls: ['TC77'], label: 'x' }, officer, { 'idempotency-key': 'roles-issue-3' });
    assert.equal(r3.statusCode, 400);
    assert.equal(r3.json().field, '$.controls[0]');
  });

  test('a revoked token → 401 token-revoked', async () => {
    const issued = await s.call('POST', '/api/tokens', { role: 'timekeeper', rallyId: 'lakeshore-2026', controls: ['TC1'], label: 'TC1 spare' }, officer, { 'idempotency-key': 'roles-issue-4' });
    const { token, id } = issued.json();
    assert.equal((await s.call('POST', `${R}/facts`, time('rv-1', 'TC1'), token)).statusCode, 201);
    assert.equal((await s.call('DELETE', `/api/tokens/${id}`, undefined, officer)).statusCode, 200);
    const r = await s.call('POST', `${R}/facts`, time('rv-2', 'TC1'), token);
    assert.equal(r.statusCode, 401);
    assert.equal(r.json().code, 'token-revoked');
  });

  test('enrollment: the code works once, gives a device token for its controls only', async () => {
    const e = await s.call('POST', `${R}/enrollments`, { controls: ['SS2F'], label: 'SS2 finish' }, officer);
    assert.equal(e.statusCode, 201, e.body);
    const { code, url } = e.json();
    assert.match(code, /^[ACDEFGHJKMNPQRTUVWXY34679]{4}-[ACDEFGHJKMNPQRTUVWXY34679]{4}-[ACDEFGHJKMNPQRTUVWXY34679]{4}$/);
    assert.equal(url, `/enroll?code=${code}`);
    const first = await s.call('POST', '/api/enroll', { code: code.toLowerCase().replace('-', ' '), device: 'phone 7' });
    assert.equal(first.statusCode, 201, first.body);
    const device = first.json();
    assert.equal(device.role, 'timekeeper');
    assert.deepEqual(device.controls, ['SS2F']);
    assert.equal((await s.call('POST', `${R}/facts`, time('enr-1', 'SS2F'), device.token)).statusCode, 201);
    assert.equal((await s.call('POST', `${R}/facts`, time('enr-2', 'SS1F'), device.token)).statusCode, 403);
    const log = (await s.call('GET', `${R}/facts?after=110`)).json().facts;
    assert.equal(log.find((f: { fact: { id: string } }) => f.fact.id === 'enr-1').device, 'phone 7', 'the write records the device');
    const second = await s.call('POST', '/api/enroll', { code, device: 'phone 8' });
    assert.equal(second.statusCode, 400);
    assert.equal(second.json().code, 'bad-enrollment-code');
  });

  test('whoami tells a device what it may do', async () => {
    const w = (await s.call('GET', '/api/whoami', undefined, finishTk)).json();
    assert.deepEqual([w.role, w.rallyId, w.controls], ['timekeeper', 'lakeshore-2026', ['SS1F']]);
    assert.equal((await s.call('GET', '/api/whoami')).json().role, 'public');
  });
});
