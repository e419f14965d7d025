// A penalty recorded with no control and no stage ("at the end"): it shows
// wherever a penalty shows — the current total, the penalty column, the
// workings the crew page lists, explain — from the moment it is recorded.
// SEE: rally-rules §4.3 (free-form penalties sum into totals), §5 (total =
// stage times + road penalties + all other penalties, FMU26 Art 64.1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fact } from '../facts.ts';
import type { RallyDefinition } from '../model.ts';
import type { RuleSet } from '../rules/types.ts';
import { getPreset } from '../rules/presets/index.ts';
import { classify, explain, formatWorkings, score } from './index.ts';

const FIA = getPreset('fia') as RuleSet;
const def: RallyDefinition = {
  id: 'end', name: 'End penalty', timeZone: 'Europe/London', distanceUnit: 'km', startDate: '2026-03-07', endDate: '2026-03-07',
  rules: { preset: 'fia', version: FIA.version },
  legs: [{ id: 'L1', name: 'Leg 1', date: '2026-03-07', sections: [{ id: 'A', controls: [] }] }],
  stages: [1, 2, 3].map((n) => ({ code: `SS${n}`, name: `S${n}`, distanceM: 10_000, type: 'special' as const, leg: 'L1' })),
  classes: [{ code: 'A', name: 'A' }],
  entries: [1, 2].map((car) => ({ car, driver: { name: `D${car}` }, codriver: { name: `C${car}` }, make: 'M', model: 'X', class: 'A' })),
};
const st = (car: number, stage: string, time: string): Fact => ({ type: 'stageTime', id: `${car}${stage}`, car, stage, time });
const atEnd: Fact = { type: 'penalty', id: 'pen', car: 1, seconds: 30, reason: 'time card irregularity', rule: 'WRCTC24' };

test('mid-rally: the current total and penalty column carry it, and explain names it "at the end"', () => {
  const state = score(def, FIA, [st(1, 'SS1', '5:00.0'), st(2, 'SS1', '5:10.0'), atEnd]);
  const row = classify(state).rows.find((r) => r.car === 1)!;
  assert.equal(row.otherPenaltyMs, 30_000);
  assert.equal(row.penaltyMs, 30_000);
  assert.equal(row.totalMs, 330_000);
  assert.deepEqual(classify(state).rows.map((r) => r.car), [2, 1]);
  const w = explain(state, 1);
  const step = w.steps.find((s) => s.kind === 'penalty');
  assert.ok(step, 'a penalty step, which the crew page lists');
  assert.equal(step.ms, 30_000);
  assert.match(step.label, /time card irregularity \(at the end: no control or stage named\)/);
  assert.match(formatWorkings(w), /time card irregularity/);
  assert.ok(w.factsUsed.some((f) => f.id === 'pen'));
});

test('a classification "after SS1" asked for explicitly does not include it until the rally ends', () => {
  const state = score(def, FIA, [st(1, 'SS1', '5:00.0'), atEnd]);
  assert.equal(classify(state, { after: 'SS1' }).rows.find((r) => r.car === 1)!.penaltyMs, 0);
});

test('the final classification includes it', () => {
  const facts = ['SS1', 'SS2', 'SS3'].flatMap((s) => [st(1, s, '5:00.0'), st(2, s, '5:05.0')]);
  const state = score(def, FIA, [...facts, atEnd]);
  const row = classify(state).rows.find((r) => r.car === 1)!;
  assert.equal(row.status, 'finished');
  assert.equal(row.totalMs, 930_000);
  assert.equal(classify(state, { after: 'SS3' }).rows.find((r) => r.car === 1)!.totalMs, 930_000);
});
