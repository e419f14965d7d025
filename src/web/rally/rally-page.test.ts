// The rally page's pure helpers: the head-to-head gaps of the compare chart,
// distances and speeds in the rally's own unit, ordinals, the stamp.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chartData } from './chart-data.ts';
import { signedGap } from './charts.tsx';
import { crewShort, distanceText, ordinal, speedText } from './format.ts';
import { stampFor } from './stamp.ts';

test('charts: car 7 leads after SS1 (4:00.0), car 2 after SS2 (8:05.0) → gaps to the leader 0/+2.5 then +5.0/0, positions 1,2 / 2,1', () => {
  const rows = [
    { car: 2, cells: [[2, 242_500], [1, 485_000]] as [number, number][] },
    { car: 7, cells: [[1, 240_000], [2, 490_000]] as [number, number][] },
  ];
  const d = chartData(['SS1', 'SS2'], rows, [2, 7]);
  assert.deepEqual(d.gap, [[2_500, 0], [0, 5_000]]);
  assert.deepEqual(d.position, [[2, 1], [1, 2]]);
  // Rebased on car 7: car 2 is 2.5 s behind it after SS1, 5.0 s ahead after SS2.
  assert.deepEqual(chartData(['SS1', 'SS2'], rows, [2], 7).gap, [[2_500, -5_000]]);
});

test('charts: a crew retired after SS1 has no point after SS2, and nor has anyone rebased on it; an unknown car is left out', () => {
  const rows = [
    { car: 2, cells: [[1, 240_000], [null, null, 'retired']] as ([number, number] | [null, null, 'retired'])[] },
    { car: 7, cells: [[2, 242_500], [1, 485_000]] as [number, number][] },
  ];
  const d = chartData(['SS1', 'SS2'], rows, [2, 7, 99]);
  assert.deepEqual(d.cars, [2, 7]);
  assert.deepEqual(d.gap, [[0, null], [2_500, 0]]);
  assert.deepEqual(d.position, [[1, null], [2, 1]]);
  assert.deepEqual(chartData(['SS1', 'SS2'], rows, [7], 2).gap, [[2_500, null]]);
});

test('a signed gap: +1:02.3 behind, -4.5 ahead, 0 level', () => {
  assert.equal(signedGap(62_300), '+1:02.3');
  assert.equal(signedGap(-4_500), '-4.5');
  assert.equal(signedGap(0), '0');
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
