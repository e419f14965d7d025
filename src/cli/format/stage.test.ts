// The stage renderers on a hand-built interrupted stage (see sample.test-data.ts).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { stageCsv, stageJson, stagePenalties, stageTable } from './stage.ts';
import { getPreset } from '../../core/rules/presets/index.ts';
import { definition, stage2, stage2Facts } from './sample.test-data.ts';
import { displayWidth } from './table.ts';

const ctx = { definition, rules: getPreset('ara')! };

describe('stage table', () => {
  const out = stageTable(stage2, ctx, stage2Facts, 80);
  const lines = out.split('\n');
  const rowOf = (car: number) => lines.find((l) => new RegExp(`^\\s*\\d*\\s+${car}\\s+[A-Z]`).test(l)) ?? '';
  test('fits 80 columns, no NaN/undefined/null', () => {
    for (const l of lines) assert.ok(displayWidth(l) <= 80, l);
    assert.ok(!/NaN|undefined|\bnull\b/.test(out), out);
  });
  test('heading: code, name, 4.21 mi, marked interrupted', () => assert.equal(lines.slice(0, 2).join('\n'), 'Sample Rally 2026\nSS2 Avery Lake, 4.21 mi, Leg 1 (interrupted)'));
  test('winner 225 200 ms → 3:45.2 with its split 101 300 ms → 1:41.3', () => {
    const r = rowOf(7);
    assert.ok(r.includes('3:45.2') && r.includes('1:41.3'), r);
  });
  test('notional time for car 23: 3:57.5, +12.3, marked notional', () => {
    const r = rowOf(23);
    for (const s of ['3:57.5', '+12.3', 'notional']) assert.ok(r.includes(s), `${s} in ${r}`);
  });
  test('max time for car 12: 5:00.0, +1:14.8 to the winner, +1:02.5 to the car ahead, 0:10 jump-start penalty', () => {
    const r = rowOf(12);
    for (const s of ['5:00.0', '+1:14.8', '+1:02.5', '0:10', 'max time']) assert.ok(r.includes(s), `${s} in ${r}`);
  });
  test('fastest: 4.21 mi in 225.2 s = 67.3 mph', () => assert.match(out, /Fastest: car 7 T\. Pastrana \/ R\. Gelsomino in 3:45\.2, average 67\.3 mph/));
  test('markers explained; car 41 listed as without a time', () => {
    assert.match(out, /notional: given by the Clerk/);
    assert.match(out, /No time on SS2: cars 41/);
  });
  test('penalties on the stage: the corrected 5 s (0:05) replaces the 10 s; the jump start shows what was charged', () => {
    assert.match(out, /23\s+0:05\s+stopped in the finish zone \(reduced on review\)\s+SR 8\.1/);
    assert.ok(!out.includes('0:10  stopped'));
    assert.match(out, /12\s+0:10\s+jump start/);
  });
});

test('a superseded penalty fact is not listed (the correction is)', () => {
  assert.deepEqual(stagePenalties(stage2Facts, 'SS2').map((p) => p.fact), ['j1', 'p2']);
});

test('stage csv: split columns, ms beside text, empty fields for no time', () => {
  const lines = stageCsv(stage2, ctx).split('\r\n');
  assert.ok(lines[0]!.endsWith(',split_SS2SP1_ms,split_SS2SP1'));
  assert.ok(lines[1]!.startsWith('SS2,1,1,7,Travis Pastrana,Rhianon Gelsomino,L4WD,ok,225200,3:45.2,,,,,0,0:00,101300,1:41.3'), lines[1]);
  assert.ok(lines[4]!.startsWith('SS2,,,41,Ann Snow,Bo Bank,O2WD,notRun,,,'), lines[4]);
});

test('stage json: status and times as ms and text', () => {
  const j = stageJson(stage2, ctx, stage2Facts) as { stage: { interrupted: boolean; distance: number }; rows: { car: number; status: string; time: string | null; splits: { ms: number | null }[] }[] };
  assert.equal(j.stage.interrupted, true);
  assert.equal(j.stage.distance, 4.21);
  assert.deepEqual(j.rows.map((r) => [r.car, r.status, r.time]), [[7, 'ok', '3:45.2'], [23, 'notional', '3:57.5'], [12, 'maxTime', '5:00.0'], [41, 'notRun', null]]);
  assert.equal(j.rows[0]!.splits[0]!.ms, 101_300);
});
