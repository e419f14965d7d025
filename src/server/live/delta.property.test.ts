// A client that starts from `init` and applies every `delta` holds exactly the
// server's current picture — whatever the classifications before and after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { computeDelta, liveExclusion, liveRetirement, liveRow, StageTimesMemory } from './delta.ts';
import type { LiveDelta, LiveExclusion, LiveRetirement, LiveRow } from './delta.ts';
import type { Classification } from '../../core/results.ts';
import { classification, row } from './test-helpers.ts';

const arbClassification: fc.Arbitrary<Classification> = fc.record({
  cars: fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { maxLength: 8 }),
  totals: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 8, maxLength: 8 }),
  retired: fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { maxLength: 3 }),
  excluded: fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { maxLength: 2 }),
  where: fc.constantFrom('SS1', 'SS2'),
  after: fc.constantFrom(null, 'SS1', 'SS2'),
}).map(({ cars, totals, retired, excluded, where, after }) => classification(
  cars.map((car, i) => row(car, i + 1, 300_000 + totals[i]! * 100, totals[i]! * 100)),
  {
    after,
    retired: retired.map((car) => ({ car, where, reason: 'off', permanent: false, factId: `r${car}` })),
    excluded: excluded.map((car) => ({ car, reason: 'lights', factId: `x${car}` })),
  },
));

interface Picture { after: string | null; rows: Map<number, LiveRow>; retired: Map<number, LiveRetirement>; excluded: Map<number, LiveExclusion> }

function picture(c: Classification): Picture {
  return {
    after: c.after,
    rows: new Map(c.rows.map((r) => [r.car, liveRow(r)])),
    retired: new Map(c.retired.map((r) => [r.car, liveRetirement(r)])),
    excluded: new Map(c.excluded.map((e) => [e.car, liveExclusion(e)])),
  };
}

/** What a page does with a delta (docs/live.md). */
function apply(p: Picture, d: LiveDelta): Picture {
  const rows = new Map(p.rows);
  for (const car of d.removed) rows.delete(car);
  for (const r of d.rows) rows.set(r.car, r);
  const retired = new Map(p.retired);
  for (const car of d.unretired) retired.delete(car);
  for (const r of d.retired) retired.set(r.car, r);
  const excluded = new Map(p.excluded);
  for (const car of d.unexcluded) excluded.delete(car);
  for (const e of d.excluded) excluded.set(e.car, e);
  return { after: d.after !== undefined ? d.after : p.after, rows, retired, excluded };
}

test('init + deltas = current picture, for any chain of 1–5 classifications (property)', () => {
  fc.assert(fc.property(fc.array(arbClassification, { minLength: 2, maxLength: 6 }), (chain) => {
    let held = picture(chain[0]!);
    for (let i = 1; i < chain.length; i++) {
      const d = computeDelta({ rallyId: 'r', fromSeq: i - 1, toSeq: i, before: chain[i - 1]!, after: chain[i]!, facts: [], touchedStages: [], stageMemory: new StageTimesMemory() });
      held = apply(held, d);
      assert.deepEqual(held, picture(chain[i]!));
    }
  }), { numRuns: 300 });
});

test('a delta never carries a row that did not change (property)', () => {
  fc.assert(fc.property(arbClassification, arbClassification, (a, b) => {
    const d = computeDelta({ rallyId: 'r', fromSeq: 0, toSeq: 1, before: a, after: b, facts: [], touchedStages: [], stageMemory: new StageTimesMemory() });
    const old = new Map(a.rows.map((r) => [r.car, JSON.stringify(liveRow(r))]));
    for (const r of d.rows) assert.notEqual(old.get(r.car), JSON.stringify(r));
  }), { numRuns: 300 });
});
