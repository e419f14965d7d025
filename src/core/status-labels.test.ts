// Status codes never reach people: the workings text and every label come from one map.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CarStatus, StageStatus, Workings } from './results.ts';
import { CAR_STATUS_LABELS, CAR_STATUS_SHORT, STAGE_STATUS_LABELS, STAGE_STATUS_MEANINGS, carStatusWords, rallyIsOver, stageCellLabel, workingsStatusLabel } from './status-labels.ts';
import { formatWorkings } from './scoring/format-workings.ts';

const STAGE: StageStatus[] = ['ok', 'notional', 'assessed', 'restartCharged', 'maxTime', 'running', 'notRun', 'cancelled'];
const CAR: CarStatus[] = ['notStarted', 'running', 'finished', 'retired', 'excluded'];

test('every status has a label in plain words (no camelCase code) and every stage status a meaning', () => {
  for (const s of STAGE) {
    assert.ok(STAGE_STATUS_LABELS[s] && !/[a-z][A-Z]/.test(STAGE_STATUS_LABELS[s]), s);
    assert.ok(STAGE_STATUS_MEANINGS[s], s);
  }
  for (const s of CAR) assert.ok(CAR_STATUS_LABELS[s] && !/[a-z][A-Z]/.test(CAR_STATUS_LABELS[s]), s);
  assert.deepEqual(Object.keys(STAGE_STATUS_LABELS).sort(), [...STAGE].sort());
  assert.deepEqual(Object.keys(CAR_STATUS_LABELS).sort(), [...CAR].sort());
});

test('"running" reads "on stage" for a stage and "running" for a crew', () => {
  assert.equal(workingsStatusLabel('running', true), 'on stage');
  assert.equal(workingsStatusLabel('running', false), 'running');
  assert.equal(workingsStatusLabel('notStarted', false), 'not started');
});

test('formatWorkings prints the label, not the code: "(Super Rally charge)"', () => {
  const w: Workings = { car: 2, stage: 'SS2', status: 'restartCharged', steps: [], resultMs: 901_000, factsUsed: [], factsSuperseded: [], rules: [] };
  const text = formatWorkings(w);
  assert.match(text.split('\n')[0]!, /^car 2, SS2: 15:01\.0 \(Super Rally charge\)$/);
  assert.ok(!text.includes('restartCharged'));
  assert.match(formatWorkings({ ...w, stage: undefined, status: 'notStarted', resultMs: null }), /\(not started\)/);
});

test('short forms for a narrow position column: RET, EXC for a crew out of the classification, nothing for one in it or not yet started', () => {
  assert.deepEqual(Object.keys(CAR_STATUS_SHORT).sort(), [...CAR].sort());
  assert.deepEqual([CAR_STATUS_SHORT.notStarted, CAR_STATUS_SHORT.retired, CAR_STATUS_SHORT.excluded], ['', 'RET', 'EXC']);
  // A crew running or finished has a position (or none yet): the column shows that, not a status.
  assert.equal(CAR_STATUS_SHORT.running, '');
  assert.equal(CAR_STATUS_SHORT.finished, '');
});

test('a running cell with a retirement on that stage reads "retired"; without one, "on stage"; other statuses keep their label', () => {
  assert.equal(stageCellLabel('running', true), 'retired');
  assert.equal(stageCellLabel('running', false), 'on stage');
  assert.equal(stageCellLabel('maxTime', true), 'max time');
  assert.equal(workingsStatusLabel('running', true, true), 'retired');
  // About the total, `running` is the crew's status, never a stage's.
  assert.equal(workingsStatusLabel('running', false, true), 'running');
  const w: Workings = { car: 47, stage: 'SS5', status: 'running', retiredHere: true, steps: [], resultMs: null, factsUsed: [], factsSuperseded: [], rules: [] };
  assert.equal(formatWorkings(w).split('\n')[0], 'car 47, SS5: no result (retired)');
});

test('a crew with no time is "not yet started" while the rally runs and DNS only once it is over', () => {
  const before = [{ status: 'notStarted' as const }, { status: 'notStarted' as const }];
  const during = [{ status: 'running' as const }, { status: 'notStarted' as const }];
  const done = [{ status: 'finished' as const }, { status: 'retired' as const }, { status: 'notStarted' as const }];
  assert.equal(rallyIsOver(before), false, 'nobody started: before the start, not after it');
  assert.equal(rallyIsOver(during), false);
  assert.equal(rallyIsOver(done), true);
  assert.deepEqual(carStatusWords('notStarted', rallyIsOver(before)), { label: 'not yet started', short: '' });
  assert.deepEqual(carStatusWords('notStarted', rallyIsOver(done)), { label: 'did not start', short: 'DNS' });
  assert.deepEqual(carStatusWords('retired', false), { label: 'retired', short: 'RET' });
});
