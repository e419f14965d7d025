// The rally page's pure helpers: the head-to-head gaps of the compare chart
// and distances in the rally's own unit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareSeries, crewShort, distanceText } from './rally-views.ts';
import type { CrewAnswer, RallyDefinition } from './types.ts';

function crew(car: number, totals: (number | null)[]): CrewAnswer {
  return {
    rallyId: 'r', seq: 1,
    entry: { car, driver: { name: `Driver ${car}` }, codriver: { name: `Codriver ${car}` }, make: 'Subaru', model: 'WRX', class: 'L4WD' },
    current: null, stages: [], penalties: [],
    progression: totals.map((t, i) => ({ after: `SS${i + 1}`, position: t === null ? null : 1, classPosition: null, totalMs: t, gapToClassLeaderMs: null })),
    workings: { car, status: 'finished', steps: [], resultMs: null, factsUsed: [], factsSuperseded: [], rules: [] },
  };
}

test('compare: car 2 at 4:00.0 then 8:10.0, car 7 at 4:02.5 then 8:05.0 → 2 leads by 2.5 s, then 7 by 5.0 s', () => {
  const [a, b] = compareSeries([crew(2, [240_000, 490_000]), crew(7, [242_500, 485_000])]);
  assert.deepEqual(a?.points.map((p) => p.y), [0, 5_000]);
  assert.deepEqual(b?.points.map((p) => p.y), [2_500, 0]);
  assert.match(a?.label ?? '', /^#2 Driver 2$/);
});

test('compare: a crew not classified after SS2 (retired) has no point there; the other is then on zero', () => {
  const [a, b] = compareSeries([crew(2, [240_000, null]), crew(7, [242_500, 485_000])]);
  assert.deepEqual(a?.points.map((p) => p.y), [0, null]);
  assert.deepEqual(b?.points.map((p) => p.y), [2_500, 0]);
});

test('distances in the rally unit: 108 miles = 173,809.152 m → "108.00 mi"; 12.34 km → "12.34 km"', () => {
  const mi = { distanceUnit: 'mi' } as RallyDefinition;
  const km = { distanceUnit: 'km' } as RallyDefinition;
  assert.equal(distanceText(mi, 173_809.152), '108.00 mi');
  assert.equal(distanceText(km, 12_340), '12.34 km');
});

test('crew in a narrow column: "Travis Pastrana" / "Rhianon Gelsomino" → "Pastrana / Gelsomino"', () => {
  const e = crew(2, []).entry;
  assert.equal(crewShort({ ...e, driver: { name: 'Travis Pastrana' }, codriver: { name: 'Rhianon Gelsomino' } }), 'Pastrana / Gelsomino');
});
