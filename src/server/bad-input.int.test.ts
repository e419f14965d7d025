// Bad input never gets in: malformed JSON, wrong types, unknown car or
// control, a time outside the rally, an oversized body, a correction without
// a reason — each a 4xx naming the field, with the log and the results
// exactly as before. Then fast-check generates bad requests of every kind.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ADMIN_TOKEN, smallRallyFile, startTestServer, type StoreKind, type TestServer } from './testing/harness.ts';

const RALLY = 'lakeshore-2026';
const R = `/api/rallies/${RALLY}`;
const KIND = (process.env.RALLYHQ_TEST_STORE as StoreKind | undefined) ?? 'sqlite';
const good = { id: 'g-1', type: 'controlTime', car: 2, control: 'TC1', at: '2026-03-13T18:26', source: 'timecard' };

describe(`bad input to the fact endpoints (${KIND})`, () => {
  let s: TestServer;
  let officer: string;
  let baseline: { seq: number; results: string };
  const snapshot = async () => ({ seq: await s.store.latestSeq(RALLY), results: (await s.call('GET', `${R}/results`)).body });

  before(async () => {
    s = await startTestServer(KIND, { bodyLimit: 64 * 1024 });
    assert.equal((await s.call('POST', '/api/rallies/import', smallRallyFile(), ADMIN_TOKEN)).statusCode, 201);
    officer = await s.token('officer', RALLY);
    baseline = await snapshot();
  });
  after(async () => { await s.close(); });

  const cases: [string, string, unknown, number, string][] = [
    ['malformed JSON', 'facts', '{"id": "x", "type": ', 400, 'body'],
    ['car as text', 'facts', { ...good, car: 'two' }, 400, '$.car'],
    ['unknown car 99', 'facts', { ...good, car: 99 }, 400, '$.car'],
    ['unknown control TC77', 'facts', { ...good, control: 'TC77' }, 400, '$.control'],
    ['a time a year after the rally', 'facts', { ...good, at: '2027-03-13T18:26' }, 400, '$.at'],
    ['a date that does not exist (30 Feb)', 'facts', { ...good, at: '2026-02-30T18:26' }, 400, '$.at'],
    ['unknown fact type', 'facts', { ...good, type: 'lapTime' }, 400, '$.type'],
    ['an unknown field', 'facts', { ...good, colour: 'red' }, 400, '$.colour'],
    ['no id', 'facts', { type: 'controlTime', car: 2, control: 'TC1', at: '2026-03-13T18:26' }, 400, '$.id'],
    ['an empty batch', 'facts', { facts: [] }, 400, '$.facts'],
    ['a correction without a reason', 'facts', { ...good, id: 'c-1', supersedes: 'TC1-2' }, 400, '$.reason'],
    ['a correction of a fact that does not exist', 'facts', { ...good, id: 'c-2', supersedes: 'nope', reason: 'typo' }, 400, '$.supersedes'],
    ['corrections route without a reason', 'corrections', { supersedes: 'TC1-2' }, 400, '$.reason'],
    ['corrections route without supersedes', 'corrections', { reason: 'typo' }, 400, '$.supersedes'],
    ['a penalty without a reason', 'penalties', { car: 2, seconds: 10 }, 400, '$.reason'],
    ['a penalty with seconds as text', 'penalties', { id: 'pen-ten', car: 2, seconds: 'ten', reason: 'x' }, 400, '$.seconds'],
    // A penalty is never negative: a wrong one is retracted, not offset.
    ['a penalty of -5 s', 'penalties', { id: 'pen-neg', car: 2, seconds: -5, reason: 'time credit' }, 400, '$.seconds'],
    ['a penalty fact of -5 s', 'facts', { id: 'neg-1', type: 'penalty', car: 2, seconds: -5, reason: 'time credit' }, 400, '$.seconds'],
    ['notional times for an unknown stage', 'notional-times', { id: 'nt-ss9', stage: 'SS9', reason: 'road blocked', notionalTimes: [] }, 400, '$.stage'],
    ['a body over the 64 KiB limit', 'facts', { facts: Array.from({ length: 2000 }, (_, i) => ({ ...good, id: `big-${i}` })) }, 413, 'body'],
  ];
  for (const [what, route, body, status, field] of cases) {
    test(`${what} → ${status} naming ${field}; log and results unchanged`, async () => {
      const r = await s.call('POST', `${R}/${route}`, body, officer);
      assert.equal(r.statusCode, status, r.body);
      const p = r.json();
      assert.equal(p.field, field, r.body);
      assert.ok(typeof p.fix === 'string' && p.fix.length > 0);
      assert.deepEqual(await snapshot(), baseline);
    });
  }

  test('property: generated bad fact requests are all 4xx and leave the log and the results unchanged', async () => {
    const mutate = fc.oneof(
      fc.record({ car: fc.oneof(fc.integer({ min: 7, max: 10_000 }), fc.string(), fc.constant(null), fc.double({ min: 1.1, max: 5.9, noInteger: true }), fc.integer({ min: -1000, max: -1 })) }),
      fc.record({ control: fc.oneof(fc.string().filter((c) => !['TC0', 'TC1', 'SS1S', 'SS1F', 'TC2', 'SS2S', 'SS2F', 'TC2A', 'TC2B', 'TC3', 'SS3S', 'SS3F', 'TC3A', 'TC3B', 'TC4', 'SS4S', 'SS4F', 'TC4A'].includes(c)), fc.integer()) }),
      fc.record({ at: fc.oneof(fc.string(), fc.date({ min: new Date('1990-01-01'), max: new Date('2026-03-10'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 16)), fc.constant('2026-03-13T25:00'), fc.integer()) }),
      fc.record({ type: fc.string().filter((t) => !['controlTime', 'stageTime', 'penalty', 'jumpStart', 'retirement', 'restart', 'exclusion', 'stageInterrupted', 'stageCancelled', 'retraction'].includes(t)) }),
      fc.record({ id: fc.oneof(fc.constant(''), fc.integer(), fc.constant(null)) }),
      fc.record({ supersedes: fc.string({ minLength: 1 }).map((x) => `missing-${x}`), reason: fc.string({ minLength: 1 }).filter((x) => x.trim() !== '') }),
      fc.record({ supersedes: fc.constant('TC1-2') }),
      fc.dictionary(fc.string({ minLength: 1 }).filter((k) => !(k in good) && !['seq', 'supersedes', 'reason', 'by', 'device', 'recordedAt', 'raw', '__proto__'].includes(k)), fc.jsonValue(), { minKeys: 1, maxKeys: 2 }),
    );
    const request = fc.oneof(
      // A fact with one field made wrong, alone or hidden in a batch of good ones.
      fc.tuple(mutate, fc.boolean(), fc.nat(1000)).map(([m, batch, n]) => {
        const bad = { ...good, id: `p-${n}`, ...m };
        return { route: 'facts', body: batch ? { facts: [{ ...good, id: `ok-${n}` }, bad] } : bad };
      }),
      // Not JSON at all, or JSON of the wrong shape.
      fc.string().filter((t) => { try { JSON.parse(t); return false; } catch { return true; } }).map((t) => ({ route: 'facts', body: t })),
      fc.oneof(fc.integer(), fc.array(fc.jsonValue(), { maxLength: 3 }), fc.constant(null), fc.boolean()).map((v) => ({ route: 'facts', body: JSON.stringify(v) })),
      // Decisions without their reason.
      fc.constantFrom('penalties', 'retirements', 'exclusions', 'stage-cancellations').map((route) => ({ route, body: { car: 2, seconds: 5, where: 'SS1', stage: 'SS1' } })),
    );
    await fc.assert(fc.asyncProperty(request, async ({ route, body }) => {
      const r = await s.call('POST', `${R}/${route}`, body, officer);
      assert.ok(r.statusCode >= 400 && r.statusCode < 500, `${r.statusCode} for ${JSON.stringify(body)}: ${r.body}`);
      const p = r.json();
      assert.ok(typeof p.field === 'string' && p.field.length > 0, `names the field: ${r.body}`);
      assert.equal(await s.store.latestSeq(RALLY), baseline.seq);
    }), { numRuns: 150 });
    assert.deepEqual(await snapshot(), baseline, 'results unchanged after every generated request');
  });
});
