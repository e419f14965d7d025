// Given officials' times / when the data-quality checks run / then each
// problem is an Issue naming its facts — and clean data gives none.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { checkDataQuality, findOverdue } from './index.ts';
import type { QualityInput, QualityStageTime } from './index.ts';
import { getPreset } from '../rules/presets/index.ts';
import { parseLocalDateTime } from '../time/local-time.ts';
import type { Control, RallyDefinition } from '../model.ts';
import type { RuleSet } from '../rules/types.ts';

const fia = getPreset('fia')!;
const ara = getPreset('ara')!;
const at = (hms: string): number => parseLocalDateTime(`2026-02-06T${hms}`)!;

function rally(ss1Start: Partial<Control> = {}): RallyDefinition {
  const controls: Control[] = [
    { id: 'TC1', kind: 'TC' },
    { id: 'SS1S', kind: 'SS_START', stage: 'SS1', ...ss1Start },
    { id: 'SS1F', kind: 'SS_FINISH', stage: 'SS1' },
    { id: 'TC2', kind: 'TC', targetMs: 40 * 60_000 },
    { id: 'SS2S', kind: 'SS_START', stage: 'SS2' },
    { id: 'SS2F', kind: 'SS_FINISH', stage: 'SS2' },
    { id: 'TC3', kind: 'TC', targetMs: 40 * 60_000 },
  ];
  return {
    id: 't', name: 'Test', timeZone: 'UTC', distanceUnit: 'km', startDate: '2026-02-06', endDate: '2026-02-06',
    rules: { preset: 'fia', version: '2026.1' },
    legs: [{ id: 'L1', name: 'Leg 1', date: '2026-02-06', sections: [{ id: 'S1', controls }] }],
    stages: [
      { code: 'SS1', name: 'One', distanceM: 12_000, type: 'special', leg: 'L1' },
      { code: 'SS2', name: 'Two', distanceM: 15_000, type: 'special', leg: 'L1' },
    ],
    classes: [], entries: [],
  };
}

type Times = [car: number, control: string, hms: string, superseded?: boolean][];
function input(times: Times, more: Partial<QualityInput> = {}, rules: RuleSet = fia, def = rally()): QualityInput {
  return {
    def, rules,
    controlTimes: times.map(([car, control, hms, superseded], i) => ({ factId: `f${i}`, car, control, atMs: at(hms), superseded: superseded ?? false })),
    stageTimes: [], jumpStarts: [], retiredCars: [], finishedStages: {},
    ...more,
  };
}
const codes = (i: QualityInput) => checkDataQuality(i).map((x) => x.code);

// A clean run: TC1 10:00, start 10:03 (FIA: TC + 3 min, FMU26 Art 44.3.1), finish, TC2, SS2, TC3.
const clean: Times = [[5, 'TC1', '10:00:40'], [5, 'SS1S', '10:03:00'], [5, 'SS1F', '10:11:31.4'], [5, 'TC2', '10:51:00'], [5, 'SS2S', '10:54:00'], [5, 'SS2F', '11:05:12.0'], [5, 'TC3', '11:45:00']];

test('a clean run gives no issues', () => {
  assert.deepEqual(checkDataQuality(input(clean)), []);
});

describe('car-at-two-controls (threshold: the stages between, driven at maxAverageSpeedKph)', () => {
  test('car 5 at TC1 10:00 and at TC3 10:00:30, with 27 km of stage between (≥ 9:00 at 180 km/h) → error naming both facts', () => {
    const issues = checkDataQuality(input([[5, 'TC1', '10:00:00'], [5, 'TC3', '10:00:30']]));
    assert.deepEqual(issues.map((i) => [i.code, i.severity, i.facts]), [['car-at-two-controls', 'error', ['f0', 'f1']]]);
    assert.match(issues[0]!.detail, /27\.00 km/);
  });
  test('car 5 at TC1 10:00 and at TC3 10:40 → possible, no issue', () => {
    assert.deepEqual(codes(input([[5, 'TC1', '10:00:00'], [5, 'TC3', '10:40:00']])), []);
  });
  test('TC1 10:00 then SS1 start 10:03 (no stage between) → no issue', () => {
    assert.deepEqual(codes(input([[5, 'TC1', '10:00:00'], [5, 'SS1S', '10:03:00']])), []);
  });
});

describe('controls-out-of-order', () => {
  test('SS1 finish 10:45:12.3 but TC2 (later in the itinerary) 10:30 → error', () => {
    const issues = checkDataQuality(input([[5, 'SS1F', '10:45:12.3'], [5, 'TC2', '10:30:00']]));
    assert.deepEqual(issues.map((i) => [i.code, i.control, i.facts]), [['controls-out-of-order', 'TC2', ['f0', 'f1']]]);
  });
  test('finish 10:20:31.4 and TC2 written as 10:20 (same minute, to-the-minute control) → no issue', () => {
    assert.deepEqual(codes(input([[5, 'SS1F', '10:20:31.4'], [5, 'TC2', '10:20:00']])), []);
  });
  test('a superseded wrong time is ignored', () => {
    assert.deepEqual(codes(input([[5, 'SS1F', '10:45:12.3'], [5, 'TC2', '10:30:00', true], [5, 'TC2', '10:50:00']])), []);
  });
});

describe('two-times-one-control', () => {
  test('car 5 at TC2 at 10:40 and 10:41 (two phones) → error listing both facts', () => {
    const issues = checkDataQuality(input([[5, 'TC2', '10:40:00'], [5, 'TC2', '10:41:00']]));
    assert.deepEqual(issues.map((i) => [i.code, i.facts]), [['two-times-one-control', ['f0', 'f1']]]);
  });
  test('10:40:05 and 10:40:50 at TC2 (same whole minute) → no conflict', () => {
    assert.deepEqual(codes(input([[5, 'TC2', '10:40:05'], [5, 'TC2', '10:40:50']])), []);
  });
  test('flying finish 10:20:31.4 vs 10:20:31.5 (to the tenth) → conflict', () => {
    assert.deepEqual(codes(input([[5, 'SS1F', '10:20:31.4'], [5, 'SS1F', '10:20:31.5']])), ['two-times-one-control']);
  });
  test('one of the two superseded → no conflict', () => {
    assert.deepEqual(codes(input([[5, 'TC2', '10:40:00', true], [5, 'TC2', '10:41:00']])), []);
  });
});

describe('start-not-due-time (start = TC check-in minute + gap)', () => {
  test('FIA: check-in 10:00:40, start 10:05:00 instead of 10:03:00 (FMU26 Art 44.3.1) → warning', () => {
    const issues = checkDataQuality(input([[5, 'TC1', '10:00:40'], [5, 'SS1S', '10:05:00']]));
    assert.deepEqual(issues.map((i) => [i.code, i.severity, i.stage]), [['start-not-due-time', 'warning', 'SS1']]);
    assert.match(issues[0]!.detail, /10:03:00/);
  });
  test('FIA: check-in 10:00:40, start 10:03:00 → no issue', () => {
    assert.deepEqual(codes(input([[5, 'TC1', '10:00:40'], [5, 'SS1S', '10:03:00']])), []);
  });
  test('ARA (gap not found in the rules) with no gap in the itinerary → not checked', () => {
    assert.deepEqual(codes(input([[5, 'TC1', '10:00:40'], [5, 'SS1S', '10:05:00']], {}, ara)), []);
  });
  test('ARA with the itinerary giving a 2-minute gap: start 10:03 after check-in 10:00 → warning; 10:02 → none', () => {
    const def = rally({ targetMs: 120_000 });
    assert.deepEqual(codes(input([[5, 'TC1', '10:00:10'], [5, 'SS1S', '10:03:00']], {}, ara, def)), ['start-not-due-time']);
    assert.deepEqual(codes(input([[5, 'TC1', '10:00:10'], [5, 'SS1S', '10:02:00']], {}, ara, def)), []);
  });
});

describe('stage-time-too-fast (average above maxAverageSpeedKph, 180 km/h by default)', () => {
  const st = (ms: number, status: QualityStageTime['status'] = 'ok'): QualityStageTime[] => [{ car: 5, stage: 'SS1', ms, factIds: ['s1', 's2'], status }];
  test('12 km in 3:59.9 (180.1 km/h) → error with the stage-time facts', () => {
    const issues = checkDataQuality(input([], { stageTimes: st(239_900) }));
    assert.deepEqual(issues.map((i) => [i.code, i.facts]), [['stage-time-too-fast', ['s1', 's2']]]);
    assert.match(issues[0]!.detail, /180\.1 km\/h/);
  });
  test('12 km in 4:00.0 (exactly 180 km/h) → no issue', () => {
    assert.deepEqual(codes(input([], { stageTimes: st(240_000) })), []);
  });
  test('a notional time is the Clerk\'s decision, not checked', () => {
    assert.deepEqual(codes(input([], { stageTimes: st(100_000, 'notional') })), []);
  });
});

describe('jump-start-not-penalised', () => {
  test('photocell jump start on SS1, not decided → warning', () => {
    const issues = checkDataQuality(input([], { jumpStarts: [{ factId: 'j1', car: 5, stage: 'SS1', source: 'photocell', decided: false }] }));
    assert.deepEqual(issues.map((i) => [i.code, i.severity, i.facts]), [['jump-start-not-penalised', 'warning', ['j1']]]);
  });
  test('decided by an official, or reported by a marshal → no issue', () => {
    assert.deepEqual(codes(input([], { jumpStarts: [
      { factId: 'j1', car: 5, stage: 'SS1', source: 'eztrak', decided: true },
      { factId: 'j2', car: 6, stage: 'SS1', source: 'manual', decided: false },
    ] })), []);
  });
});

describe('findOverdue', () => {
  const finishers: QualityStageTime[] = [600_000, 660_000, 750_000].map((ms, i) => ({ car: 10 + i, stage: 'SS1', ms, factIds: [], status: 'ok' }));
  const started: Times = [[41, 'TC1', '10:11:00'], [41, 'SS1S', '10:14:00']];

  test('field median 11:00 on SS1; car 41 started 10:14:00, now 10:34:00 (20:00 > 1.3 × 11:00) → expected by 10:25:00, 9:00 overdue', () => {
    const found = findOverdue(input(started, { stageTimes: finishers }), at('10:34:00'));
    assert.equal(found.length, 1);
    assert.deepEqual([found[0]!.car, found[0]!.stage, found[0]!.expectedByLocalMs, found[0]!.overdueMs, found[0]!.basis], [41, 'SS1', at('10:25:00'), 540_000, 'stage']);
    assert.equal(found[0]!.detail, 'car 41 started SS1 at 10:14:00, expected by 10:25:00 at field pace (3 finished), 9:00 overdue');
  });
  test('same, now 10:28:00 (14:00 < 1.3 × 11:00 = 14:18) → not yet overdue', () => {
    assert.deepEqual(findOverdue(input(started, { stageTimes: finishers }), at('10:28:00')), []);
  });
  test('finished, seen at a later control, or retired → never overdue', () => {
    const now = at('11:30:00');
    assert.deepEqual(findOverdue(input([...started, [41, 'SS1F', '10:26:00']], { stageTimes: finishers }), now), []);
    assert.deepEqual(findOverdue(input([...started, [41, 'TC2', '11:05:00']], { stageTimes: finishers }), now), []);
    assert.deepEqual(findOverdue(input(started, { stageTimes: finishers, retiredCars: [41] }), now), []);
    assert.deepEqual(findOverdue(input(started, { stageTimes: finishers, finishedStages: { SS1: [41] } }), now), []);
  });
  test('no finisher on SS2 yet: pace from SS1 speeds 72/90/108 km/h → median 90 km/h → 15 km expected in 10:00', () => {
    const stageTimes: QualityStageTime[] = [600_000, 480_000, 400_000].map((ms, i) => ({ car: 10 + i, stage: 'SS1', ms, factIds: [], status: 'ok' }));
    const found = findOverdue(input([[41, 'SS2S', '11:00:00']], { stageTimes }), at('11:20:00'));
    assert.deepEqual(found.map((f) => [f.expectedMs, f.basis, f.overdueMs]), [[600_000, 'earlierStages', 600_000]]);
  });
  test('no pace at all: the preset default 80 km/h → 12 km in 9:00; window max(1.3 × 9:00, 9:00 + 3:00) = 12:00', () => {
    assert.deepEqual(findOverdue(input(started), at('10:26:00')), []);
    const found = findOverdue(input(started), at('10:26:01'));
    assert.deepEqual(found.map((f) => [f.basis, f.expectedMs, f.overdueMs]), [['default', 540_000, 181_000]]);
  });
  test('two overdue crews → the most overdue first', () => {
    const found = findOverdue(input([[41, 'SS1S', '10:14:00'], [42, 'SS1S', '10:10:00']], { stageTimes: finishers }), at('10:40:00'));
    assert.deepEqual(found.map((f) => f.car), [42, 41]);
  });
});
