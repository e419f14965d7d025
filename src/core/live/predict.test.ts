// In-stage predictions: each expected figure worked out by hand in the comment beside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { predictedPosition, predictStageTime, stageAccuracy } from './predict.ts';

test('by split: car 3 at 1:42.0 where car 1 (5:00.0) had 1:40.0 and car 2 (5:10.0) had 1:45.0 → estimates 5:06.0 and 5:01.1, predicted 5:03.6 in 5:01.1–5:06.0', () => {
  // 300000 × 102/100 = 306000; 310000 × 102/105 = 301142.9; median 303571.4 → 303600 to the tenth.
  const p = predictStageTime({
    car: 3,
    finished: new Map([[1, 300_000], [2, 310_000]]),
    splits: new Map([[1, { S1: 100_000 }], [2, { S1: 105_000 }], [3, { S1: 102_000 }]]),
    splitIds: ['S1'],
    earlier: [],
  });
  assert.deepEqual(p, { timeMs: 303_600, lowMs: 301_100, highMs: 306_000, basis: 'split', n: 2 });
});

test('by pace, no split passed: car 3 was 2 % and 4 % slower than car 1 on earlier stages; car 1 did 5:00.0 → 5:09.0', () => {
  const p = predictStageTime({
    car: 3,
    finished: new Map([[1, 300_000]]),
    splits: new Map(),
    splitIds: ['S1'],
    earlier: [new Map([[1, 100_000], [3, 102_000]]), new Map([[1, 200_000], [3, 208_000]])],
  });
  assert.deepEqual(p, { timeMs: 309_000, lowMs: 309_000, highMs: 309_000, basis: 'pace', n: 1 });
});

test('nothing to lean on (nobody through, or no stage in common) → no prediction', () => {
  assert.equal(predictStageTime({ car: 3, finished: new Map(), splits: new Map(), splitIds: [], earlier: [] }), null);
  assert.equal(predictStageTime({ car: 3, finished: new Map([[1, 300_000]]), splits: new Map(), splitIds: [], earlier: [new Map([[1, 1000]])] }), null);
});

test('the range always holds the prediction, and a crew as fast as everyone else everywhere is predicted their time (property)', () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 200_000, max: 400_000 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 900, max: 1100 }), (times, perMille) => {
    const finished = new Map(times.map((t, i) => [i + 1, t]));
    const earlier = [new Map([...times.map((t, i) => [i + 1, t] as const), [99, 0]])];
    earlier[0]!.set(99, Math.round(times[0]! * perMille / 1000));
    const p = predictStageTime({ car: 99, finished, splits: new Map(), splitIds: [], earlier });
    assert.ok(p && p.lowMs <= p.timeMs && p.timeMs <= p.highMs);
  }), { numRuns: 200 });
});

test('predicted position: a total of 1:00:05.0 among known 1:00:00.0, 1:00:10.0 → 2nd', () => {
  assert.equal(predictedPosition(3_605_000, [3_600_000, 3_610_000]), 2);
  assert.equal(predictedPosition(3_500_000, [3_600_000]), 1);
});

test('accuracy at the start: cars 1 minute apart on a 50 s stage; car 2 predicted from car 1, car 3 from cars 1 and 2; errors 0 and 1.0 s → mean 0.5 s, half inside the range', () => {
  const times = new Map([[1, 50_000], [2, 51_000], [3, 53_000]]);
  const starts = new Map([[1, 0], [2, 60_000], [3, 120_000]]);
  const earlier = [new Map([[1, 100_000], [2, 102_000], [3, 104_000]])];
  // Car 1: nobody through when it started → no prediction. Car 2: 50000 × 1.02 = 51000 (error 0).
  // Car 3: 50000 × 1.04 = 52000 and 51000 × 104/102 = 52000 → 52000, drove 53000 (error 1000, outside 52000–52000).
  assert.deepEqual(stageAccuracy('SS1', times, starts, earlier), { stage: 'SS1', meanErrorMs: 500, inRange: 0.5, n: 2 });
});
