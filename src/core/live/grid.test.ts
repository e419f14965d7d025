// The stage-by-stage grid: one column per complete stage, every crew's overall
// position and total there, crews not ranked shown by their status, rebase
// as a plain difference of totals after the same stage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { rebased, stageGrid } from './grid.ts';
import type { Classification, ClassificationRow } from '../results.ts';

function row(car: number, position: number | null, totalMs: number, status: ClassificationRow['status'] = 'running'): ClassificationRow {
  return {
    car, position, classPosition: position, status, entry: { car } as ClassificationRow['entry'],
    stagesMs: totalMs, roadPenaltyMs: 0, otherPenaltyMs: 0, penaltyMs: 0, totalMs,
    gapToLeaderMs: null, gapToPrevMs: null, positionChange: null, stagesCounted: 1,
  };
}
const cls = (after: string, rows: ClassificationRow[]): Classification => ({ after, rows, stageWinners: [], retired: [], excluded: [] });

test('two stages: car 7 leads after SS1 (4:00.0 vs 4:02.5), car 2 after SS2 (8:05.0 vs 8:10.0); rows in the last column\'s order', () => {
  const g = stageGrid([
    { stage: 'SS1', classification: cls('SS1', [row(7, 1, 240_000), row(2, 2, 242_500)]) },
    { stage: 'SS2', classification: cls('SS2', [row(2, 1, 485_000), row(7, 2, 490_000)]) },
  ]);
  assert.deepEqual(g.stages, ['SS1', 'SS2']);
  assert.deepEqual(g.rows, [
    { car: 2, cells: [[2, 242_500], [1, 485_000]] },
    { car: 7, cells: [[1, 240_000], [2, 490_000]] },
  ]);
});

test('a crew retired on SS2 keeps its SS1 cell and shows its status after SS2, never a position', () => {
  const g = stageGrid([
    { stage: 'SS1', classification: cls('SS1', [row(7, 1, 240_000), row(9, 2, 250_000)]) },
    { stage: 'SS2', classification: cls('SS2', [row(7, 1, 480_000), row(9, null, 250_000, 'retired')]) },
  ]);
  assert.deepEqual(g.rows.find((r) => r.car === 9)?.cells, [[2, 250_000], [null, null, 'retired']]);
});

test('rebase: car 2 at 8:10.0 against car 7 at 8:05.0 → +5.0 s; against itself 0; not ranked → no number', () => {
  assert.equal(rebased([2, 490_000], [1, 485_000]), 5_000);
  assert.equal(rebased([1, 485_000], [2, 490_000]), -5_000);
  assert.equal(rebased([1, 485_000], [1, 485_000]), 0);
  assert.equal(rebased([null, null, 'retired'], [1, 485_000]), null);
  assert.equal(rebased([1, 485_000], undefined), null);
});

test('property: every crew of every column has a row, and each row has one cell per column', () => {
  fc.assert(fc.property(
    fc.array(fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 5 }),
    (cols) => {
      const g = stageGrid(cols.map((cars, i) => ({ stage: `SS${i + 1}`, classification: cls(`SS${i + 1}`, cars.map((c, k) => row(c, k + 1, 1000 * (k + 1)))) })));
      const all = new Set(cols.flat());
      assert.deepEqual(new Set(g.rows.map((r) => r.car)), all);
      for (const r of g.rows) assert.equal(r.cells.length, cols.length);
    },
  ));
});
