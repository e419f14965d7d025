// Each stage's state from the facts alone. SEE: rally-rules §3.4 — a stage
// stopped by the Clerk is interrupted (notional times follow); a cancelled
// stage counts for no one; docs/live.md "The honest table" — a stage is
// complete when every crew still in the rally has a time on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fact } from '../facts.ts';
import type { RallyDefinition } from '../model.ts';
import { resolveRules } from '../rules/resolve.ts';
import { stageStates } from './stage-states.ts';

const def: RallyDefinition = {
  id: 'states', name: 'States', timeZone: 'Europe/London', distanceUnit: 'km', startDate: '2026-03-13', endDate: '2026-03-13',
  rules: { preset: 'fia', version: '2026.1' },
  legs: [{ id: 'L1', name: 'Day', date: '2026-03-13', sections: [{ id: 'L1A', controls: [
    { id: 'TC0', kind: 'TC', firstCarDue: '2026-03-13T09:00' },
    ...['SS1', 'SS2', 'SS3', 'SS4'].flatMap((s) => [{ id: `${s}S`, kind: 'SS_START' as const, stage: s }, { id: `${s}F`, kind: 'SS_FINISH' as const, stage: s }]),
  ] }] }],
  stages: ['SS1', 'SS2', 'SS3', 'SS4'].map((code) => ({ code, name: code, distanceM: 8000, type: 'special' as const, leg: 'L1' })),
  classes: [{ code: 'RC2', name: 'Rally2' }],
  entries: [1, 2, 3].map((car) => ({ car, driver: { name: `D${car}` }, codriver: { name: `C${car}` }, make: 'Škoda', model: 'Fabia', class: 'RC2' })),
  startIntervalMs: 60_000,
};
const rules = resolveRules(def.rules).rules;
const at = (car: number, control: string, time: string): Fact => ({ id: `${control}-${car}`, type: 'controlTime', car, control, at: `2026-03-13T${time}` });
const states = (facts: Fact[]) => stageStates(def, rules, facts).map((s) => s.state);

test('nothing recorded: every stage not started', () => {
  assert.deepEqual(states([]), ['notStarted', 'notStarted', 'notStarted', 'notStarted']);
});

test('a stage every crew has finished is finished; one a crew has started is running', () => {
  const ss1 = [1, 2, 3].flatMap((car) => [at(car, 'SS1S', `09:0${car}`), at(car, 'SS1F', `09:1${car}:30.0`)]);
  assert.deepEqual(states([...ss1, at(1, 'SS2S', '09:30')]), ['finished', 'running', 'notStarted', 'notStarted']);
  // Two crews through, the third still on it: running.
  assert.deepEqual(states([...ss1, ...[1, 2].flatMap((car) => [at(car, 'SS2S', `09:3${car}`), at(car, 'SS2F', `09:4${car}`)]), at(3, 'SS2S', '09:33')]), ['finished', 'running', 'notStarted', 'notStarted']);
});

test('a crew that retired holds no stage open', () => {
  const ss1 = [1, 2].flatMap((car) => [at(car, 'SS1S', `09:0${car}`), at(car, 'SS1F', `09:1${car}`)]);
  const out: Fact = { id: 'ret-3', type: 'retirement', car: 3, where: 'TC0', reason: 'gearbox' };
  assert.deepEqual(states([...ss1, out]), ['finished', 'notStarted', 'notStarted', 'notStarted']);
});

test('interrupted and cancelled come from the Clerk\'s facts, whatever was run', () => {
  const facts: Fact[] = [
    at(1, 'SS2S', '09:30'),
    { id: 'stop', type: 'stageInterrupted', stage: 'SS2', reason: 'red flag', notionalTimes: [] },
    { id: 'cancel', type: 'stageCancelled', stage: 'SS4', reason: 'road blocked' },
  ];
  assert.deepEqual(states(facts), ['notStarted', 'interrupted', 'notStarted', 'cancelled']);
  // A withdrawn cancellation: the stage is back to not started.
  assert.deepEqual(states([...facts, { id: 'undo', type: 'retraction', supersedes: 'cancel', reason: 'road cleared' }]), ['notStarted', 'interrupted', 'notStarted', 'notStarted']);
});

// Two classifications on the same roads (ARA National and Regional; docs/scoring.md
// "Two classifications in one event"): car 3 is Regional, and SS4 is run by the
// National category only (ARA's National-only power stage).
const twoCategories: RallyDefinition = {
  ...def,
  categories: [{ code: 'National', name: 'National' }, { code: 'Regional', name: 'Regional' }],
  stages: def.stages.map((s) => (s.code === 'SS4' ? { ...s, runBy: ['National'] } : s)),
  entries: def.entries.map((e) => ({ ...e, category: e.car === 3 ? 'Regional' : 'National' })),
};
const statesOf2 = (facts: Fact[]) => stageStates(twoCategories, rules, facts).map((s) => s.state);

test('two categories: a stage is running while a crew of the second category is still on it; a stage the category does not run waits for none of its crews', () => {
  const ss1 = [1, 2].flatMap((car) => [at(car, 'SS1S', `09:0${car}`), at(car, 'SS1F', `09:1${car}`)]);
  // The Regional car 3 started SS1 and has no finish: SS1 is not finished.
  assert.deepEqual(statesOf2([...ss1, at(3, 'SS1S', '09:03')]).slice(0, 1), ['running']);
  assert.deepEqual(statesOf2([...ss1, at(3, 'SS1S', '09:03'), at(3, 'SS1F', '09:13')]).slice(0, 1), ['finished']);
  // SS4: both National cars through; the Regional car 3 does not run it.
  const ss4 = [1, 2].flatMap((car) => [at(car, 'SS4S', `10:0${car}`), at(car, 'SS4F', `10:1${car}`)]);
  assert.deepEqual(statesOf2(ss4).slice(3), ['finished']);
});

test('two categories: a Regional crew retired on a stage holds it open no more than a National one', () => {
  const ss1 = [1, 2].flatMap((car) => [at(car, 'SS1S', `09:0${car}`), at(car, 'SS1F', `09:1${car}`)]);
  const out: Fact = { id: 'ret-3', type: 'retirement', car: 3, where: 'SS1', reason: 'off', permanent: true };
  assert.deepEqual(statesOf2([...ss1, at(3, 'SS1S', '09:03'), out]).slice(0, 1), ['finished']);
});
