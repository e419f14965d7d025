// The notional-proposals route: what the Clerk's desk reads after a red flag,
// then the Clerk confirms through the notional-times decision and the results
// use the confirmed time. SEE: rally-rules §3.4 (MSUK 4.36–4.38).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RALLY_FILE_FORMAT, RALLY_FILE_VERSION } from '../../core/rallyfile/schema.ts';
import { LAB_DAY1, labRally, onTime } from '../../core/scoring/lab-rally.test-data.ts';
import { ADMIN_TOKEN, startTestServer, type StoreKind, type TestServer } from '../testing/harness.ts';

const KIND = (process.env.RALLYHQ_TEST_STORE as StoreKind | undefined) ?? 'sqlite';
const R = '/api/rallies/lab';

describe(`GET …/stages/:stage/notional-proposals (${KIND})`, () => {
  let s: TestServer;
  let officer: string;
  before(async () => {
    s = await startTestServer(KIND);
    const facts = [...onTime(1), ...onTime(2), ...onTime(3, { skip: ['SS2'] }), ...onTime(4, { skip: ['SS2'] })];
    const file = { format: RALLY_FILE_FORMAT, version: RALLY_FILE_VERSION, rally: labRally('msuk'), facts };
    const res = await s.call('POST', '/api/rallies/import', file, ADMIN_TOKEN);
    assert.equal(res.statusCode, 201, res.body);
    officer = await s.token('officer', 'lab');
  });
  after(async () => { await s.close(); });

  test('after the red flag: candidates and proposals by MSUK 4.37; the responsible crew is proposed nothing', async () => {
    const red = await s.call('POST', `${R}/notional-times`, { id: 'red', stage: 'SS2', reason: 'car 4 off, red flag', notionalTimes: [], at: `${LAB_DAY1}T10:10:30`, responsible: [4] }, officer);
    assert.ok(red.statusCode === 201 || red.statusCode === 200, red.body);
    const res = await s.call('GET', `${R}/stages/SS2/notional-proposals`);
    assert.equal(res.statusCode, 200, res.body);
    const p = res.json().proposals;
    assert.equal(p.method.value, 'fastestAtInterruption');
    assert.deepEqual(p.candidates.map((c: { car: number }) => c.car), [1, 2]);
    const car3 = p.proposals.find((x: { car: number }) => x.car === 3);
    assert.equal(car3.proposedMs, 361_000);
    assert.equal(p.proposals.find((x: { car: number }) => x.car === 4).proposedMs, null);
    assert.deepEqual(p.facts, ['red']);
  });

  test('the Clerk confirms by superseding the interruption with the times; the stage results use it', async () => {
    const body = { id: 'red-times', type: 'stageInterrupted', supersedes: 'red', stage: 'SS2', reason: 'notional times as proposed', notionalTimes: [{ car: 3, time: '6:01' }], at: `${LAB_DAY1}T10:10:30`, responsible: [4] };
    const res = await s.call('POST', `${R}/corrections`, body, officer);
    assert.ok(res.statusCode === 201 || res.statusCode === 200, res.body);
    const stage = (await s.call('GET', `${R}/stages/SS2`)).json().stage;
    assert.equal(stage.rows.find((r: { car: number }) => r.car === 3).timeMs, 361_000);
    const p = (await s.call('GET', `${R}/stages/SS2/notional-proposals`)).json().proposals;
    assert.equal(p.proposals.find((x: { car: number }) => x.car === 3).givenMs, 361_000);
  });

  test('an unknown stage is a 404 naming the stages', async () => {
    const res = await s.call('GET', `${R}/stages/SS9/notional-proposals`);
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /stages are SS1, SS2, SS3, SS4/);
  });

  test('the delayed-start and stage-maximum decisions are stored and scored (FMU26 Art 48.4; MSUK26 App 8 (c))', async () => {
    const d = await s.call('POST', `${R}/delayed-starts`, { id: 'delay-1', car: 1, stage: 'SS3', reason: 'not at the line when called', delayMs: 70_000 }, officer);
    assert.ok(d.statusCode === 201 || d.statusCode === 200, d.body);
    const row = (await s.call('GET', `${R}/results`)).json().classification.rows.find((r: { car: number }) => r.car === 1);
    assert.equal(row.otherPenaltyMs, 120_000);
    const m = await s.call('POST', `${R}/stage-maximums`, { id: 'max-2', car: 2, stage: 'SS3', reason: 'missed a chicane' }, officer);
    assert.ok(m.statusCode === 201 || m.statusCode === 200, m.body);
    // No stage maximum for SS3 in this rally: the finding names the fix.
    const issues = (await s.call('GET', `${R}/anomalies`)).body;
    assert.match(issues, /no-stage-maximum/);
  });

  test('the route is in the OpenAPI document', async () => {
    const doc = (await s.call('GET', '/docs/json')).json();
    assert.ok(doc.paths['/api/rallies/{id}/stages/{stage}/notional-proposals']?.get);
  });
});
