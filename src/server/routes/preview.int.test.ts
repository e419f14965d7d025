// POST …/preview: a proposal is checked as POST …/facts would check it and
// scored by the same core; the answer equals what storing it gives, and the
// log is untouched.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_TOKEN, smallRallyFile, startTestServer, type TestServer } from '../testing/harness.ts';

const RALLY = 'lakeshore-2026';
const R = `/api/rallies/${RALLY}`;

describe('POST /api/rallies/:id/preview', () => {
  let s: TestServer;
  let officer: string;
  before(async () => {
    s = await startTestServer('memory');
    assert.equal((await s.call('POST', '/api/rallies/import', smallRallyFile(), ADMIN_TOKEN)).statusCode, 201);
    officer = await s.token('officer', RALLY);
  });
  after(async () => { await s.close(); });

  test('a 5-minute penalty on the leader: the preview names the crews that move, and storing it gives exactly the previewed totals', async () => {
    const results = (await s.call('GET', `${R}/results`)).json() as { seq: number; classification: { rows: { car: number; position: number; totalMs: number }[] } };
    const leader = results.classification.rows[0]!;
    const pen = { id: 'pv-1', type: 'penalty', car: leader.car, seconds: 300, reason: 'late at TC2', rule: 'FIA 44.2.10a' };
    const r = await s.call('POST', `${R}/preview`, pen, officer);
    assert.equal(r.statusCode, 200, r.body);
    const p = r.json() as { seq: number; overall: { car: number; before: { position: number; totalMs: number }; after: { position: number; totalMs: number } }[]; workings: { car: number; text: string }[] };
    assert.equal(p.seq, results.seq);
    const row = p.overall.find((x) => x.car === leader.car)!;
    assert.equal(row.after.totalMs, leader.totalMs + 300_000);
    assert.equal(row.before.position, 1);
    assert.match(p.workings[0]!.text, /late at TC2/);
    // Nothing stored.
    assert.equal(((await s.call('GET', `${R}/facts?after=0&limit=1`)).json() as { lastSeq: number }).lastSeq, results.seq);

    assert.equal((await s.call('POST', `${R}/facts`, pen, officer)).statusCode, 201);
    const now = (await s.call('GET', `${R}/results`)).json() as { classification: { rows: { car: number; position: number; totalMs: number }[] } };
    for (const x of p.overall) {
      const y = now.classification.rows.find((q) => q.car === x.car)!;
      assert.deepEqual([y.position, y.totalMs], [x.after.position, x.after.totalMs], `car ${x.car}`);
    }
  });

  test('a decision without a reason is refused as POST …/facts would refuse it, in words', async () => {
    const r = await s.call('POST', `${R}/preview`, { id: 'pv-2', type: 'penalty', car: 2, seconds: 10 }, officer);
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /reason/);
  });

  test('needs an officer token of the rally', async () => {
    assert.equal((await s.call('POST', `${R}/preview`, { id: 'pv-3', type: 'penalty', car: 2, seconds: 10, reason: 'x' })).statusCode, 401);
  });

  test('is documented in the OpenAPI document', async () => {
    const doc = (await s.call('GET', '/openapi.json')).json() as { paths: Record<string, { post?: { summary?: string } }> };
    assert.match(doc.paths['/api/rallies/{id}/preview']?.post?.summary ?? '', /What-if/);
  });
});
