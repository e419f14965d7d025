// The stage renderers on a hand-built interrupted stage (see sample.test-data.ts).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { retiredOnStage, stageCsv, stageJson, stageTable } from './stage.ts';
import { getPreset } from '../../core/rules/presets/index.ts';
import { definition, stage2, stage2Penalties } from './sample.test-data.ts';
import { displayWidth } from './table.ts';

const ctx = { definition, rules: getPreset('ara')! };

describe('stage table', () => {
  const out = stageTable(stage2, ctx, stage2Penalties, 80);
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
  test('penalties charged: amount, reason and the rule the preset cites (unconfirmed values marked)', () => {
    assert.match(out, /Penalties on SS2\n/);
    assert.match(out, /\n\s+23 {2}0:05 {2}stopped in the finish zone \(reduced on review\); SR 8\.1\n/);
    assert.match(out, /\n\s+12 {2}0:10 {2}jump start, 1st offence: 10 s at SS2; ARA jump-start penalty: not\s+found \(rally-rules §10\.1\) \[unconfirmed\]/);
  });
  test('a device jump start no official decided is listed as recorded, not decided, with no amount', () => {
    const section = out.slice(out.indexOf('Recorded, not decided'));
    assert.ok(out.includes('Recorded, not decided (no penalty charged)'), out);
    assert.match(section, /\n\s+7 {2}jump start recorded by photocell \(moved 0\.4 s early\), not decided/);
    assert.ok(!/^\s+7\s+0:\d\d/m.test(out.slice(out.indexOf('Penalties on SS2'))), 'car 7 has no amount');
  });
});

test('stage csv: split columns, ms beside text, empty fields for no time', () => {
  const lines = stageCsv(stage2, ctx).split('\r\n');
  assert.ok(lines[0]!.endsWith(',split_SS2SP1_ms,split_SS2SP1'));
  assert.ok(lines[0]!.startsWith('stage,position,class_position,car,driver,codriver,class,status,status_label,out,time_ms,time,'), lines[0]);
  assert.ok(lines[1]!.startsWith('SS2,1,1,7,Travis Pastrana,Rhianon Gelsomino,L4WD,ok,driven,,225200,3:45.2,,,,,0,0:00,101300,1:41.3'), lines[1]);
  assert.ok(lines[4]!.startsWith('SS2,,,41,Ann Snow,Bo Bank,O2WD,notRun,not run,,,,'), lines[4]);
});

test('stage json: status and times as ms and text', () => {
  const j = stageJson(stage2, ctx, stage2Penalties) as { stage: { interrupted: boolean; distance: number }; rows: { car: number; status: string; statusLabel: string; time: string | null; splits: { ms: number | null }[] }[]; penalties: { car: number; ms: number; rule: string | null }[]; recordedNotDecided: { car: number }[] };
  assert.equal(j.stage.interrupted, true);
  assert.equal(j.stage.distance, 4.21);
  assert.deepEqual(j.rows.map((r) => [r.car, r.status, r.time]), [[7, 'ok', '3:45.2'], [23, 'notional', '3:57.5'], [12, 'maxTime', '5:00.0'], [41, 'notRun', null]]);
  assert.equal(j.rows[0]!.splits[0]!.ms, 101_300);
  assert.deepEqual(j.rows.map((r) => r.statusLabel), ['driven', 'notional', 'max time', 'not run']);
  assert.deepEqual(j.penalties.map((p) => [p.car, p.ms, p.rule]), [[12, 10_000, 'ARA jump-start penalty: not found (rally-rules §10.1)'], [23, 5_000, 'SR 8.1']]);
  assert.deepEqual(j.recordedNotDecided.map((p) => p.car), [7]);
});

test('an excluded crew keeps its place and its win on the stage, marked (docs/scoring.md, "Exclusion")', () => {
  const out = stageTable(stage2, ctx, stage2Penalties, 80, undefined, { excluded: new Set([7]) });
  assert.match(out, /\n\s+1\s+7 .*3:45\.2\s+excluded\n/);
  assert.match(out, /Fastest: car 7 T\. Pastrana \/ R\. Gelsomino \(excluded from the rally; its stage\s+time stands\) in 3:45\.2/);
  for (const l of out.split('\n')) assert.ok(displayWidth(l) <= 80, l);
  assert.match(out, /excluded: out of the rally's classification; its stage times stand as recorded/);
  const j = stageJson(stage2, ctx, stage2Penalties, { excluded: new Set([7]) }) as { rows: { car: number; excluded: boolean }[] };
  assert.deepEqual(j.rows.map((r) => [r.car, r.excluded]), [[7, true], [23, false], [12, false], [41, false]]);
});

test('a crew that retired on the stage (start, no finish) is noted retired, not "on stage"', () => {
  const running = { ...stage2.rows[3]!, status: 'running' as const };
  const sc = { ...stage2, rows: [...stage2.rows.slice(0, 3), running] };
  assert.deepEqual([...retiredOnStage(definition, 'SS2', [{ car: 41, where: 'SS2F' }, { car: 12, where: 'SS1' }])], [41]);
  const marked = stageTable(sc, ctx, stage2Penalties, 80, undefined, { retiredHere: new Set([41]) });
  assert.match(marked, /\n\s+41 Snow \/ Bank\s+O2WD\s+retired\n/);
  assert.ok(!marked.includes('on stage'), marked);
  assert.match(stageTable(sc, ctx, stage2Penalties, 80), /\n\s+41 Snow \/ Bank\s+O2WD\s+on stage\n/, 'without a retirement it is on the stage');
});

test('stage json and csv: a crew retired on the stage keeps the code running but is labelled and marked retired; an excluded crew is marked excluded', () => {
  const running = { ...stage2.rows[3]!, status: 'running' as const };
  const sc = { ...stage2, rows: [...stage2.rows.slice(0, 3), running] };
  const marks = { retiredHere: new Set([41]), excluded: new Set([7]) };
  const j = stageJson(sc, ctx, stage2Penalties, marks) as { rows: { car: number; status: string; statusLabel: string; retiredHere: boolean; excluded: boolean }[] };
  const r41 = j.rows.find((r) => r.car === 41)!;
  assert.deepEqual([r41.status, r41.statusLabel, r41.retiredHere], ['running', 'retired', true]);
  assert.equal((stageJson(sc, ctx, stage2Penalties) as typeof j).rows.find((r) => r.car === 41)!.statusLabel, 'on stage', 'without a retirement it is on the stage');
  const lines = stageCsv(sc, ctx, marks).split('\r\n');
  const header = lines[0]!.split(',');
  const cell = (car: number, col: string): string => lines.find((l) => l.split(',')[3] === String(car))!.split(',')[header.indexOf(col)]!;
  assert.deepEqual([cell(41, 'status'), cell(41, 'status_label'), cell(41, 'out')], ['running', 'retired', 'retired']);
  assert.deepEqual([cell(7, 'status'), cell(7, 'out')], ['ok', 'excluded']);
  assert.equal(cell(23, 'out'), '', 'a crew in the rally has nothing in the out column');
  assert.equal(stageCsv(sc, ctx).split('\r\n').find((l) => l.split(',')[3] === '41')!.split(',')[header.indexOf('status_label')], 'on stage');
});
