// The rally page's pure helpers: the head-to-head gaps of the compare chart,
// distances and speeds in the rally's own unit, ordinals, the stamp.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareSeries } from './compare.ts';
import { crewShort, distanceText, ordinal, speedText } from './format.ts';
import { stampFor } from './stamp.ts';
import type { CrewAnswer } from '../lib/types.ts';

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
  assert.equal(distanceText('mi', 173_809.152), '108.00 mi');
  assert.equal(distanceText('km', 12_340), '12.34 km');
});

test('crew in a narrow column: "Travis Pastrana" / "Rhianon Gelsomino" → "Pastrana / Gelsomino"', () => {
  assert.equal(crewShort({ driver: 'Travis Pastrana', codriver: 'Rhianon Gelsomino' }), 'Pastrana / Gelsomino');
});

test('average speed: 9,978 m in 5:00.0 → 119.7 km/h; 5 miles (8,046.72 m) in 4:00.0 → 75.0 mph', () => {
  assert.equal(speedText('km', 9_978, 300_000), '119.7 km/h');
  assert.equal(speedText('mi', 8_046.72, 240_000), '75.0 mph');
  assert.equal(speedText('mi', 8_046.72, 0), '');
});

test('ordinals: 1st 2nd 3rd 4th 11th 12th 13th 21st 22nd 101st 111th', () => {
  assert.deepEqual([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal), ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st', '111th']);
});

test('stamp: official #3 only while the page holds exactly what #3 holds; newer times → "live since official #3", never official', () => {
  const pub = { number: 3, kind: 'official' as const, publishedAt: '2026-02-07T18:00:00Z', uptoSeq: 900 };
  assert.equal(stampFor(900, pub).kind, 'official');
  assert.equal(stampFor(900, pub).text, 'official #3');
  assert.deepEqual([stampFor(901, pub).kind, stampFor(901, pub).text], ['live', 'live since official #3']);
  assert.equal(stampFor(899, pub).kind, 'live', 'behind the publication is not what it holds either');
  assert.equal(stampFor(900, { ...pub, uptoSeq: undefined }).kind, 'live', 'a publication that does not say what it holds never stamps');
  assert.equal(stampFor(5, null).text, 'live');
});
