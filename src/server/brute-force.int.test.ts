// Guessing is throttled: enrollment codes per address and per code, token
// authentication failures per address — each answered 429 with Retry-After
// once over the limit, while other addresses and good tokens carry on.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_TOKEN, smallRallyFile, startTestServer, type TestServer } from './testing/harness.ts';
import { AUTH_FAILURE_LIMIT, ENROLL_PER_ADDRESS_LIMIT, ENROLL_PER_CODE_LIMIT } from './throttle.ts';

const RALLY = 'lakeshore-2026';

describe('brute force is throttled', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer('sqlite');
    assert.equal((await s.call('POST', '/api/rallies/import', smallRallyFile(), ADMIN_TOKEN)).statusCode, 201);
  });
  after(async () => { await s.close(); });

  const enroll = (code: string, from: string) =>
    s.app.inject({ method: 'POST', url: '/api/enroll', payload: { code, device: 'phone' }, remoteAddress: from });

  test(`enrollment: ${ENROLL_PER_ADDRESS_LIMIT.max} guesses a minute from one address, then 429 with Retry-After; another address still tries; the code is not consumed by refused guesses`, async () => {
    const made = await s.call('POST', `/api/rallies/${RALLY}/enrollments`, { label: 'SS1 finish', controls: ['SS1F'] }, ADMIN_TOKEN);
    const { code } = made.json() as { code: string };
    const statuses: number[] = [];
    for (let i = 0; i < ENROLL_PER_ADDRESS_LIMIT.max + 5; i++) statuses.push((await enroll(`AAAA-AAAA-AAA${'ACDEFGHJKM'[i % 10]}`, '192.0.2.10')).statusCode);
    assert.ok(statuses.slice(0, ENROLL_PER_ADDRESS_LIMIT.max).every((st) => st === 400), statuses.join(','));
    const over = await enroll(code, '192.0.2.10');
    assert.equal(over.statusCode, 429, over.body);
    assert.equal(over.json().code, 'too-many-attempts');
    assert.match(String(over.headers['retry-after']), /^\d+$/);
    const elsewhere = await enroll(code, '192.0.2.11');
    assert.equal(elsewhere.statusCode, 201, 'the real code, from another address, still enrolls');
  });

  test(`enrollment: one code tried from many addresses → at most ${ENROLL_PER_CODE_LIMIT.max} tries, then 429`, async () => {
    const code = 'CDEF-GHJK-MNPQ';
    const statuses: number[] = [];
    for (let i = 0; i < ENROLL_PER_CODE_LIMIT.max + 3; i++) statuses.push((await enroll(code, `198.51.100.${i + 1}`)).statusCode);
    assert.ok(statuses.slice(0, ENROLL_PER_CODE_LIMIT.max).every((st) => st === 400), statuses.join(','));
    assert.deepEqual(statuses.slice(ENROLL_PER_CODE_LIMIT.max), [429, 429, 429]);
  });

  test(`tokens: ${AUTH_FAILURE_LIMIT.max} failed authentications a minute from one address, then 429; a good token from there and a bad one from elsewhere are answered as before`, async () => {
    const guess = (token: string, from: string) =>
      s.app.inject({ method: 'GET', url: '/api/tokens', headers: { authorization: `Bearer ${token}` }, remoteAddress: from });
    const statuses: number[] = [];
    for (let i = 0; i < AUTH_FAILURE_LIMIT.max + 3; i++) statuses.push((await guess(`rhq_guess${i}`, '203.0.113.7')).statusCode);
    assert.ok(statuses.slice(0, AUTH_FAILURE_LIMIT.max).every((st) => st === 401), statuses.join(','));
    assert.deepEqual(statuses.slice(AUTH_FAILURE_LIMIT.max), [429, 429, 429]);
    const limited = await guess('rhq_another', '203.0.113.7');
    assert.match(String(limited.headers['retry-after']), /^\d+$/);
    assert.equal((await guess(ADMIN_TOKEN, '203.0.113.7')).statusCode, 200, 'a good token is not locked out');
    assert.equal((await guess('rhq_other', '203.0.113.8')).statusCode, 401);
  });
});
