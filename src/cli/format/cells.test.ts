// Cells read the way rally people write times; expectations worked out by hand.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { crewShort, distanceText, gapText, numberRanges, penaltyText, positionChangeText, shortName, stageDecimals, timeText } from './cells.ts';
import { METRES_PER_MILE, type Entry } from '../../core/model.ts';

describe('times and gaps', () => {
  test('3 723 400 ms = 1 h 2 min 3.4 s → 1:02:03.4', () => assert.equal(timeText(3_723_400), '1:02:03.4'));
  test('225 200 ms = 3 min 45.2 s → 3:45.2', () => assert.equal(timeText(225_200), '3:45.2'));
  test('no time → empty cell, never "null"', () => assert.equal(timeText(null), ''));
  test('a power stage to the thousandth: 225 678 ms with 3 decimals → 3:45.678', () => assert.equal(timeText(225_678, 3), '3:45.678'));
  test('gap of 12 300 ms → +12.3', () => assert.equal(gapText(12_300), '+12.3'));
  test('gap of 72 300 ms = 1 min 12.3 s → +1:12.3', () => assert.equal(gapText(72_300), '+1:12.3'));
  test('the leader (gap 0 or unknown) shows no gap', () => {
    assert.equal(gapText(0), '');
    assert.equal(gapText(null), '');
  });
  test('stage precision: tenths preset → 1 decimal; a stage timed to 1 ms → 3', () => {
    assert.equal(stageDecimals(undefined, 100), 1);
    assert.equal(stageDecimals(1, 100), 3);
    assert.equal(stageDecimals(undefined, 1000), 0);
  });
});

describe('penalties as minutes and seconds', () => {
  test('40 s (4 min late at 10 s/min) → 0:40', () => assert.equal(penaltyText(40_000), '0:40'));
  test('5 s → 0:05', () => assert.equal(penaltyText(5_000), '0:05'));
  test('70 s → 1:10', () => assert.equal(penaltyText(70_000), '1:10'));
  test('10 min (restart) → 10:00', () => assert.equal(penaltyText(600_000), '10:00'));
  test('10.5 s keeps its tenth → 0:10.5', () => assert.equal(penaltyText(10_500), '0:10.5'));
  test('1 h 0 min 30 s → 1:00:30', () => assert.equal(penaltyText(3_630_000), '1:00:30'));
  test('no penalty → empty cell', () => assert.equal(penaltyText(0), ''));
});

describe('position change', () => {
  test('gained two places → ▲2', () => assert.equal(positionChangeText(2), '▲2'));
  test('lost one place → ▼1', () => assert.equal(positionChangeText(-1), '▼1'));
  test('unchanged or unknown → empty', () => {
    assert.equal(positionChangeText(0), '');
    assert.equal(positionChangeText(null), '');
  });
});

describe('crews, distances, car lists', () => {
  const entry = (driver: string, codriver: string): Entry => ({ car: 1, driver: { name: driver }, codriver: { name: codriver }, make: 'Mini', model: 'JCW', class: 'L4WD' });
  test('Luis Perocarpi / Mark Wells → L. Perocarpi / M. Wells', () => assert.equal(crewShort(entry('Luis Perocarpi', 'Mark Wells')), 'L. Perocarpi / M. Wells'));
  test('a crew with no named co-driver shows the driver only', () => assert.equal(crewShort(entry('Travis Pastrana', '')), 'T. Pastrana'));
  test('a one-word name stays whole; accents kept: Ott Tänak → O. Tänak', () => {
    assert.equal(shortName('Pastrana'), 'Pastrana');
    assert.equal(shortName('Ott Tänak'), 'O. Tänak');
  });
  test('4.21 miles stored in metres reads 4.21 mi; 12 400 m reads 12.40 km', () => {
    assert.equal(distanceText(4.21 * METRES_PER_MILE, 'mi'), '4.21 mi');
    assert.equal(distanceText(12_400, 'km'), '12.40 km');
  });
  test('cars 1,2,3,5,7,8,9,12,13 → 1–3, 5, 7–9, 12, 13', () => assert.equal(numberRanges([9, 1, 2, 3, 5, 7, 8, 12, 13]), '1–3, 5, 7–9, 12, 13'));
});
