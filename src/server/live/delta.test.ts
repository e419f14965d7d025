import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { computeDelta, diffRows, diffStageWinners, diffStatuses, isEmptyDelta, StageTimesMemory } from './delta.ts';
import { classification, row, stageClassification, stageRow } from './test-helpers.ts';

describe('live deltas carry only what changed', () => {
  test('car 7 sets a total 2.0 s better than leader car 3: both rows change, retired car 9 (no position, no gap) does not', () => {
    const before = classification([
      row(3, 1, 600_000, 0), row(7, 2, 605_000, 5_000), row(9, null, 0, null, { status: 'retired' }),
    ]);
    // By hand: car 7 now 598.0 s, car 3 600.0 s → car 7 leads, car 3 is 2.0 s behind.
    const after = classification([
      row(7, 1, 598_000, 0), row(3, 2, 600_000, 2_000), row(9, null, 0, null, { status: 'retired' }),
    ]);
    const { rows, removed } = diffRows(before, after);
    assert.deepEqual(rows.map((r) => [r.car, r.position, r.totalMs, r.gapToLeaderMs]), [[7, 1, 598_000, 0], [3, 2, 600_000, 2_000]]);
    assert.deepEqual(removed, []);
  });

  test('a car that leaves the table is listed as removed', () => {
    const before = classification([row(3, 1, 600_000, 0), row(7, 2, 605_000, 5_000)]);
    const after = classification([row(3, 1, 600_000, 0)]);
    assert.deepEqual(diffRows(before, after), { rows: [], removed: [7] });
  });

  test('stage winner of SS2 is new, SS1 unchanged → only SS2; a tie on SS1 is a change', () => {
    const before = classification([], { stageWinners: [{ stage: 'SS1', cars: [3], timeMs: 300_000 }] });
    const after = classification([], { stageWinners: [{ stage: 'SS1', cars: [3], timeMs: 300_000 }, { stage: 'SS2', cars: [7], timeMs: 410_300 }] });
    assert.deepEqual(diffStageWinners(before, after), [{ stage: 'SS2', cars: [7], timeMs: 410_300 }]);
    const tied = classification([], { stageWinners: [{ stage: 'SS1', cars: [3, 9], timeMs: 300_000 }] });
    assert.deepEqual(diffStageWinners(before, tied), [{ stage: 'SS1', cars: [3, 9], timeMs: 300_000 }]);
  });

  test('car 9 retires at SS2, car 3 restarts (leaves the retired list), car 7 is excluded', () => {
    const before = classification([], { retired: [{ car: 3, where: 'SS1', reason: 'off in a snowbank', permanent: false, factId: 'f1' }] });
    const after = classification([], {
      retired: [{ car: 9, where: 'SS2', reason: 'engine', permanent: true, factId: 'f2' }],
      excluded: [{ car: 7, reason: 'technical non-compliance', rule: 'ARA 8.2', factId: 'f3' }],
    });
    assert.deepEqual(diffStatuses(before, after), {
      retired: [{ car: 9, where: 'SS2', reason: 'engine', permanent: true }],
      unretired: [3],
      excluded: [{ car: 7, reason: 'technical non-compliance', rule: 'ARA 8.2' }],
      unexcluded: [],
    });
  });

  test('stage times: first look reports timed rows and crews on the stage (the page shows them there), not crews yet to start; a faster car 7 then reports car 7 and the cars it pushed down', () => {
    const mem = new StageTimesMemory();
    const first = mem.diff(stageClassification('SS1', [stageRow(3, 1, 300_000, 0), stageRow(9, 2, 305_500, 5_500), stageRow(7, null, null, null, 'running'), stageRow(11, null, null, null, 'notRun')]));
    assert.deepEqual(first.map((s) => [s.car, s.status]), [[3, 'ok'], [9, 'ok'], [7, 'running']]);
    // By hand: car 7 in 299.9 s wins; car 3 is 2nd at +0.1, car 9 3rd at +5.6.
    const second = mem.diff(stageClassification('SS1', [stageRow(7, 1, 299_900, 0), stageRow(3, 2, 300_000, 100), stageRow(9, 3, 305_500, 5_600)]));
    assert.deepEqual(second.map((s) => [s.car, s.position, s.timeMs, s.gapToWinnerMs]), [[7, 1, 299_900, 0], [3, 2, 300_000, 100], [9, 3, 305_500, 5_600]]);
    assert.deepEqual(mem.diff(stageClassification('SS1', [stageRow(7, 1, 299_900, 0), stageRow(3, 2, 300_000, 100), stageRow(9, 3, 305_500, 5_600)])), []);
  });

  test('a fact that changes no result gives an empty delta that still advances the seq (4 → 5)', () => {
    const c = classification([row(3, 1, 600_000, 0)]);
    const d = computeDelta({ rallyId: 'r', fromSeq: 4, toSeq: 5, before: c, after: c, facts: [{ id: 'x', seq: 5, type: 'controlTime', car: 3 }], touchedStages: [], stageMemory: new StageTimesMemory() });
    assert.equal(isEmptyDelta(d), true);
    assert.equal(d.seq, 5);
    assert.equal(d.fromSeq, 4);
    assert.equal('after' in d, false);
  });

  test('classification moving from after SS1 to after SS2 says so', () => {
    const d = computeDelta({ rallyId: 'r', fromSeq: 1, toSeq: 2, before: classification([]), after: classification([], { after: 'SS2' }), facts: [], touchedStages: [], stageMemory: new StageTimesMemory() });
    assert.equal(d.after, 'SS2');
    assert.equal(isEmptyDelta(d), false);
  });
});
