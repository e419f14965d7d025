// The classification renderers on hand-built results (see sample.test-data.ts):
// every expected string is worked out by hand from the ms in the sample.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { classificationCsv, classificationJson, classificationTable, CLASSIFICATION_CSV_HEADER } from './classification.ts';
import { getPreset } from '../../core/rules/presets/index.ts';
import { classification, definition } from './sample.test-data.ts';
import { displayWidth } from './table.ts';

const rules = getPreset('ara')!;
const ctx = { definition, rules };

function assertClean(text: string): void {
  assert.ok(!/NaN|undefined|\bnull\b/.test(text), `no NaN/undefined/null in:\n${text}`);
}

describe('results table', () => {
  const out = classificationTable(classification, ctx, 80);
  const lines = out.split('\n');
  const rowOf = (car: number) => lines.find((l) => new RegExp(`^\\s*\\d+\\s+${car}\\s`).test(l)) ?? '';

  test('fits 80 columns and never prints NaN, undefined or null', () => {
    for (const l of lines) assert.ok(displayWidth(l) <= 80, `too wide (${displayWidth(l)}): ${l}`);
    assertClean(out);
  });
  test('title names the rally and the stage it is after: 2 of 3 stages', () => assert.equal(lines.slice(0, 2).join('\n'), 'Sample Rally 2026\nOverall, after SS2 (2 of 3 stages)'));
  test('leader: 3 723 400 ms → 1:02:03.4, 40 s of penalties → 0:40, gained 2 places → ▲2', () => {
    const r = rowOf(23);
    assert.match(r, /^\s*1\s+23\s+Perocarpi \/ Wells/, "family names when initials do not fit 80 columns");
    for (const s of ['1:02:03.4', '0:40', '▲2']) assert.ok(r.includes(s), `${s} in ${r}`);
  });
  test('second: 12 300 ms behind the leader and the car ahead → +12.3 twice, lost a place → ▼1', () => {
    const r = rowOf(7);
    assert.equal(r.match(/\+12\.3/g)?.length, 2);
    assert.ok(r.includes('▼1'));
  });
  test('third: 76 600 ms → +1:16.6 to the leader, 64 300 ms → +1:04.3 to the car ahead', () => {
    const r = rowOf(12);
    assert.ok(r.includes('+1:16.6') && r.includes('+1:04.3'), r);
  });
  test('retired and excluded crews are listed with where and why, not in the table', () => {
    assert.equal(rowOf(41), '');
    assert.match(out, /Retired\n\s+41 {2}A\. Snow \/ B\. Bank, at SS2: hit a snowbank\n/);
    assert.match(out, /Excluded\n\s+5 {2}C\. Lamp \/ D\. Beam: headlights not as the rules require \(SR 12\.3\)\n/);
  });
  test('stage winners with the length in miles (an ARA rally): SS1 4.21 mi 3:45.2', () => {
    assert.match(out, /SS1\s+Lake Ridge\s+4\.21 mi\s+3:45\.2\s+23 L\. Perocarpi/);
  });
  test('--class O2WD keeps only that class in the retired and excluded lists', () => {
    const l4 = classificationTable({ ...classification, class: 'L4WD', rows: classification.rows.slice(0, 3) }, ctx, 80);
    assert.ok(!l4.includes('Retired') && !l4.includes('Excluded'));
    assert.match(l4, /Class L4WD/);
  });
});

describe('results csv', () => {
  const csv = classificationCsv(classification, ctx);
  const lines = csv.split('\r\n');
  test('header row first, one record per crew, CRLF line ends', () => {
    assert.equal(lines[0], CLASSIFICATION_CSV_HEADER.join(','));
    assert.equal(lines.length, 1 + classification.rows.length + 1);
    assert.equal(lines.at(-1), '');
  });
  test('a driver name with a comma is quoted: "Lia Block, Jr."', () => assert.ok(lines.find((l) => l.includes(',12,'))!.includes(',"Lia Block, Jr.",')));
  test('the leader row carries ms and text: 3723400 and 1:02:03.4, penalty 40000 and 0:40', () => {
    const leader = lines[1]!;
    assert.ok(leader.startsWith('1,1,23,Luis Perocarpi,USA,Mark Wells,USA,L4WD,Mini,JCW Countryman ALL4,running,'));
    assert.ok(leader.includes(',40000,0:40,3723400,1:02:03.4,'));
  });
  test('no NaN, undefined or null text', () => assertClean(csv));
});

describe('results json', () => {
  const json = classificationJson(classification, ctx) as {
    rows: { car: number; totalMs: number; total: string; gapToLeader: string | null; gapToLeaderMs: number | null; penalty: string }[];
    retired: { car: number; where: string }[]; stagesCounted: string[]; stageWinners: { distance: number; time: string }[];
  };
  test('totals in ms and as text: 3723400 → 1:02:03.4', () => {
    assert.equal(json.rows[0]!.totalMs, 3_723_400);
    assert.equal(json.rows[0]!.total, '1:02:03.4');
    assert.equal(json.rows[0]!.penalty, '0:40');
  });
  test('gaps: leader null, second 12300 → +12.3', () => {
    assert.equal(json.rows[0]!.gapToLeaderMs, null);
    assert.equal(json.rows[1]!.gapToLeader, '+12.3');
  });
  test('stages counted after SS2 are SS1 and SS2; winners carry miles', () => {
    assert.deepEqual(json.stagesCounted, ['SS1', 'SS2']);
    assert.equal(json.stageWinners[0]!.distance, 4.21);
    assert.equal(json.stageWinners[0]!.time, '3:45.2');
  });
  test('retired crews listed with where', () => assert.deepEqual(json.retired.map((r) => [r.car, r.where]), [[41, 'SS2']]));
});

describe('restarted, retired and excluded crews', () => {
  // Car 41 retired on SS2 and restarted at S1 under Super Rally; car 12 retired for good on SS3.
  const withRestart = {
    ...classification,
    retired: [
      { car: 41, where: 'SS2', reason: 'hit a snowbank', permanent: false, restartedAt: 'S1', factId: 'f-ret-41' },
      { car: 12, where: 'SS3', reason: 'engine', permanent: true, factId: 'f-ret-12' },
    ],
  };
  const out = classificationTable(withRestart, ctx, 80);
  test('a restarted crew is listed under "Restarted under Super Rally", not under "Retired" (rally-rules §4.2)', () => {
    assert.match(out, /Restarted under Super Rally\n\s+41 {2}A\. Snow \/ B\. Bank, retired at SS2: hit a snowbank; restarted at S1\n/);
    const retiredPart = out.slice(out.indexOf('\nRetired\n'));
    assert.ok(!retiredPart.includes('  41  '), retiredPart);
  });
  test('a crew retired for good is listed under "Retired" with where and why', () => {
    assert.match(out, /\nRetired\n\s+12 {2}L\. Block, Jr\. \/ A\. Driver, at SS3: engine \(permanent\)\n/);
  });
  test('json keeps the two apart: retired [12], restarted [41 at S1]', () => {
    const j = classificationJson(withRestart, ctx) as { retired: { car: number }[]; restarted: { car: number; restartedAt: string }[] };
    assert.deepEqual(j.retired.map((r) => r.car), [12]);
    assert.deepEqual(j.restarted.map((r) => [r.car, r.restartedAt]), [[41, 'S1']]);
  });
});

describe('an excluded crew has no total', () => {
  // Car 5 is excluded in the sample (900 000 ms of stage times): its total must not be printed.
  test('csv: total_ms and total empty; status excluded with the reason and rule', () => {
    const lines = classificationCsv(classification, ctx).split('\r\n');
    const header = lines[0]!.split(',');
    const row = lines.find((l) => /^,,5,/.test(l))!;
    const cells = row.split(',');
    assert.equal(cells[header.indexOf('total_ms')], '');
    assert.equal(cells[header.indexOf('total')], '');
    assert.equal(cells[header.indexOf('status')], 'excluded');
    assert.ok(row.endsWith(',excluded: headlights not as the rules require (SR 12.3)'), row);
  });
  test('json: totalMs and total null; status excluded, with a label and the reason', () => {
    const j = classificationJson(classification, ctx) as { rows: { car: number; totalMs: number | null; total: string | null; status: string; statusLabel: string; statusReason: string | null }[] };
    const x = j.rows.find((r) => r.car === 5)!;
    assert.deepEqual([x.totalMs, x.total, x.status, x.statusLabel, x.statusReason], [null, null, 'excluded', 'excluded', 'excluded: headlights not as the rules require (SR 12.3)']);
    const leader = j.rows.find((r) => r.car === 23)!;
    assert.deepEqual([leader.totalMs, leader.statusReason], [3_723_400, null], 'a crew in the rally keeps its total');
    assert.equal(j.rows.find((r) => r.car === 41)!.statusReason, 'retired at SS2: hit a snowbank');
  });
});

describe('a retired crew has no total either', () => {
  // Car 41 retired on SS2 (1 000 000 ms accumulated before): a total beside it would read as a classified time.
  test('csv: total_ms and total empty; stages_ms still gives what it drove', () => {
    const lines = classificationCsv(classification, ctx).split('\r\n');
    const header = lines[0]!.split(',');
    const cells = lines.find((l) => /^,,41,/.test(l))!.split(',');
    assert.deepEqual([cells[header.indexOf('status')], cells[header.indexOf('total_ms')], cells[header.indexOf('total')], cells[header.indexOf('stages_ms')]],
      ['retired', '', '', '1000000']);
  });
  test('json: totalMs and total null for the retired crew; a crew restarted under Super Rally is running and keeps its total', () => {
    const j = classificationJson(classification, ctx) as { rows: { car: number; totalMs: number | null; total: string | null; status: string; stagesMs: number }[] };
    const x = j.rows.find((r) => r.car === 41)!;
    assert.deepEqual([x.status, x.totalMs, x.total, x.stagesMs], ['retired', null, null, 1_000_000]);
    const restarted = { ...classification, rows: classification.rows.map((r) => (r.car === 41 ? { ...r, status: 'running' as const } : r)) };
    const back = (classificationJson(restarted, ctx) as typeof j).rows.find((r) => r.car === 41)!;
    assert.deepEqual([back.totalMs, back.total], [1_000_000, '16:40.0']);
  });
});
