// Given a car's check-in times / when road penalties are worked out / then
// the penalties the rulebooks set. Times are rally-local (2026-02-06T10:00 = a Friday).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { roadPenalties, dueTimes } from './road-penalties.ts';
import type { CarControlTime } from './road-penalties.ts';
import { getPreset } from '../rules/presets/index.ts';
import { resolveRules } from '../rules/resolve.ts';
import { parseLocalDateTime } from '../time/local-time.ts';
import type { Control, RallyDefinition } from '../model.ts';
import type { RuleSet } from '../rules/types.ts';

const fia = getPreset('fia')!;
const msuk = getPreset('msuk')!;
const ara = getPreset('ara', '2026.1')!; // the 2026.1 values (WMWR17 lateness assumptions) these tests were written against
const MIN = 60_000;

const at = (text: string): number => {
  const ms = parseLocalDateTime(text.includes('T') ? text : `2026-02-06T${text}`);
  if (ms === null) throw new Error(`bad time ${text}`);
  return ms;
};

/** A rally of legs, each a list of controls; stage controls name their stage. */
function rally(...legs: Control[][]): RallyDefinition {
  return {
    id: 't', name: 'Test', timeZone: 'UTC', distanceUnit: 'km', startDate: '2026-02-06', endDate: '2026-02-07',
    rules: { preset: 'fia', version: '2026.1' },
    legs: legs.map((controls, i) => ({ id: `L${i + 1}`, name: `Leg ${i + 1}`, date: '2026-02-06', sections: [{ id: `L${i + 1}S1`, controls }] })),
    stages: [], classes: [], entries: [],
  };
}
const tc = (id: string, targetMin?: number): Control => (targetMin === undefined ? { id, kind: 'TC' } : { id, kind: 'TC', targetMs: targetMin * MIN });
const times = (pairs: Record<string, string>): Map<string, CarControlTime> =>
  new Map(Object.entries(pairs).map(([control, t]) => [control, { control, atMs: at(t), factId: `f-${control}` }]));

const chain = rally([tc('TC1'), tc('TC2', 30), tc('TC3', 30), tc('TC4', 30)]);
const run = (pairs: Record<string, string>, rules: RuleSet = fia, def = chain) => roadPenalties(def, rules, times(pairs), 7);

test('2 min late at TC3, 10 s/min (FMU26 Art 44.2.10a) → 20 s', () => {
  const r = run({ TC1: '10:00:20', TC2: '10:30:10', TC3: '11:02:40' });
  assert.deepEqual(r.penalties.map((p) => [p.control, p.kind, p.minutes, p.ms]), [['TC3', 'late', 2, 20_000]]);
  assert.equal(r.totalMs, 20_000);
  assert.equal(r.penalties[0]!.dueMs, at('11:00'));
  assert.equal(r.penalties[0]!.factId, 'f-TC3');
  assert.match(r.penalties[0]!.rule, /44\.2\.10a/);
});

test('1 min early at TC2, 60 s/min (FMU26 Art 44.2.10b) → 60 s; the next section counts from the early time', () => {
  const r = run({ TC1: '10:00:00', TC2: '10:29:59', TC3: '10:59:30' });
  assert.deepEqual(r.penalties.map((p) => [p.control, p.kind, p.minutes, p.ms]), [['TC2', 'early', 1, 60_000]]);
  assert.equal(r.totalMs, 60_000);
});

// SEE: MSUK26 App 13 Art 3.5 worked example; Art 3.7: stage finish 11:04:40 + target 9 min → due 11:13.
const afterStage = rally([{ id: 'SS1S', kind: 'SS_START', stage: 'SS1' }, { id: 'SS1F', kind: 'SS_FINISH', stage: 'SS1' }, tc('TC2', 9)]);

test('on time during the whole due minute: finish 11:04:40, target 9 min, hand-over at 11:13:59 with due 11:13 → 0 (MSUK App 13 Art 3.5)', () => {
  const r = roadPenalties(afterStage, msuk, times({ SS1S: '10:55:00', SS1F: '11:04:40', TC2: '11:13:59' }), 7);
  assert.deepEqual(r.penalties, []);
  assert.equal(dueTimes(afterStage, msuk, times({ SS1S: '10:55:00', SS1F: '11:04:40', TC2: '11:13:59' }), 1).get('TC2')?.dueMs, at('11:13'));
  assert.equal(roadPenalties(afterStage, msuk, times({ SS1F: '11:04:40', TC2: '11:13:00' }), 7).totalMs, 0);
});

test('hand-over at 11:12:59 with due 11:13 → one minute early = 60 s (MSUK App 13 Art 3.5, App 8 (g))', () => {
  const r = roadPenalties(afterStage, msuk, times({ SS1F: '11:04:40', TC2: '11:12:59' }), 7);
  assert.deepEqual(r.penalties.map((p) => [p.kind, p.minutes, p.ms]), [['early', 1, 60_000]]);
});

test('due time across midnight: departure 23:50:30, target 25 min → due 00:15 next day; 00:15:45 on time, 00:17:05 → 2 min late', () => {
  const def = rally([tc('TC1'), tc('TC2', 25)]);
  const onTime = roadPenalties(def, fia, times({ TC1: '2026-02-06T23:50:30', TC2: '2026-02-07T00:15:45' }), 7);
  assert.equal(onTime.totalMs, 0);
  const late = roadPenalties(def, fia, times({ TC1: '2026-02-06T23:50:30', TC2: '2026-02-07T00:17:05' }), 7);
  assert.deepEqual(late.penalties.map((p) => [p.minutes, p.ms, p.dueMs]), [[2, 20_000, at('2026-02-07T00:15')]]);
});

test('FIA 15 min late at one TC is still allowed; 16 min late → max lateness exceeded, retire (FMU26 Arts 45.1–45.3)', () => {
  const fifteen = run({ TC1: '10:00', TC2: '10:45:30' });
  assert.equal(fifteen.maxLatenessExceeded, null);
  assert.equal(fifteen.totalMs, 150_000);
  const sixteen = run({ TC1: '10:00', TC2: '10:46:00' });
  assert.deepEqual(
    sixteen.maxLatenessExceeded && [sixteen.maxLatenessExceeded.control, sixteen.maxLatenessExceeded.minutesLate, sixteen.maxLatenessExceeded.action],
    ['TC2', 16, 'retire'],
  );
});

test('FIA accumulated 11 + 11 + 11 = 33 min > 30 → exceeded at TC4, though each target is under 15', () => {
  const r = run({ TC1: '10:00', TC2: '10:41', TC3: '11:22', TC4: '12:03' });
  assert.equal(r.maxLatenessExceeded?.control, 'TC4');
  assert.equal(r.maxLatenessExceeded?.cumulativeMinutes, 33);
  assert.equal(r.maxLatenessExceeded?.minutesLate, 11);
});

test('FIA lateness penalty cap 300 s: 14 + 14 + 5 min late = 330 s → 300 s charged, cap applied', () => {
  const r = run({ TC1: '10:00', TC2: '10:44', TC3: '11:28', TC4: '12:03' });
  assert.deepEqual(r.penalties.map((p) => p.ms), [140_000, 140_000, 20_000]);
  assert.equal(r.totalMs, 300_000);
  assert.equal(r.capApplied, true);
  // Early penalties are not capped: the cap is on lateness only.
  const withEarly = run({ TC1: '10:00', TC2: '10:44', TC3: '11:28', TC4: '11:55' });
  assert.equal(withEarly.totalMs, 280_000 + 3 * 60_000);
  assert.equal(withEarly.capApplied, false);
});

test('FIA accumulated lateness resets at the overnight regroup: 14 min on leg 1 + 14 + 5 on leg 2 → 19 ≤ 30, not exceeded; ARA (whole event, WMWR17 assumption) → 33, exceeded', () => {
  const def = rally([tc('TC1'), tc('TC2', 30)], [tc('TC3'), tc('TC4', 30), tc('TC5', 30)]);
  const t = { TC1: '10:00', TC2: '10:44', TC3: '2026-02-07T08:00', TC4: '2026-02-07T08:44', TC5: '2026-02-07T09:19' };
  assert.equal(roadPenalties(def, fia, times(t), 7).maxLatenessExceeded, null);
  assert.equal(roadPenalties(def, fia, times(t), 7).capApplied, false);
  const a = roadPenalties(def, ara, times(t), 7);
  assert.equal(a.maxLatenessExceeded?.action, 'exclude');
  assert.equal(a.maxLatenessExceeded?.confirmed, false);
});

test('a missing time at TC2 ends the chain: no due time at TC3 (no penalty invented); TC4 is judged from TC3', () => {
  const r = run({ TC1: '10:00', TC3: '12:00', TC4: '12:32' });
  assert.deepEqual(r.penalties.map((p) => [p.control, p.minutes]), [['TC4', 2]]);
  assert.ok(r.steps.some((s) => /no time at TC2/.test(s.label)));
});

test('ARA counts the allowance from the stage start (NASA-MFIA): start 10:03, target 40 min → due 10:43; SRs counting from the finish (MSUK26 App 13 Art 3.7 style) 10:20 → due 11:00', () => {
  const fromFinish = resolveRules({ preset: 'fia', version: '2026.1', overrides: { targetFrom: { value: 'previousTimeControl', rule: 'SR 7.1' } } }).rules;
  const def = rally([tc('TC1'), { id: 'SS1S', kind: 'SS_START', stage: 'SS1' }, { id: 'SS1F', kind: 'SS_FINISH', stage: 'SS1' }, tc('TC2', 40)]);
  const t = times({ TC1: '10:00', SS1S: '10:03:00', SS1F: '10:20:31.4', TC2: '10:45:10' });
  assert.deepEqual(roadPenalties(def, ara, t, 7).penalties.map((p) => [p.kind, p.minutes, p.ms]), [['late', 2, 20_000]]);
  assert.equal(dueTimes(def, fromFinish, t, 1).get('TC2')?.dueMs, at('11:00'));
  assert.deepEqual(roadPenalties(def, fromFinish, t, 7).penalties.map((p) => [p.kind, p.minutes, p.ms]), [['early', 15, 900_000]]);
});

test('MSUK lateness is penalty-free by default (App 8 1.2): 5 min late → 0 s but counted; 31 min accumulated → OTL, retire', () => {
  const r = run({ TC1: '10:00', TC2: '10:35', TC3: '11:31', TC4: '12:01' }, msuk);
  assert.deepEqual(r.penalties.map((p) => [p.minutes, p.ms]), [[5, 0], [26, 0]]);
  assert.equal(r.totalMs, 0);
  assert.equal(r.maxLatenessExceeded?.control, 'TC3');
  assert.equal(r.maxLatenessExceeded?.cumulativeMinutes, 31);
  assert.equal(r.maxLatenessExceeded?.action, 'retire');
});

test('MSUK with SRs penalising lateness (override 10 s/min, SR 9.2): 5 min late → 50 s, citing SR 9.2', () => {
  const { rules } = resolveRules({ preset: 'msuk', version: '2026.1', overrides: { latePenaltyPerMinuteMs: { value: 10_000, rule: 'SR 9.2' } } });
  const r = run({ TC1: '10:00', TC2: '10:35' }, rules);
  assert.deepEqual(r.penalties.map((p) => [p.ms, p.rule, p.confirmed]), [[50_000, 'SR 9.2', true]]);
});

test('early check-in at the last control of a leg: penalised by default, free where the SRs authorise it (MSUK App 13 Art 3.9(c))', () => {
  const def = rally([tc('TC1'), tc('TC2', 30)]);
  const t = times({ TC1: '10:00', TC2: '10:25' });
  assert.equal(roadPenalties(def, msuk, t, 7).totalMs, 5 * 60_000);
  const { rules } = resolveRules({ preset: 'msuk', version: '2026.1', overrides: { earlyAllowedAtLegEnd: { value: true, rule: 'SR 30' } } });
  assert.equal(roadPenalties(def, rules, t, 7).totalMs, 0);
});

test('ARA penalties are flagged unconfirmed (rally-rules §2.2: ARA NF)', () => {
  const r = run({ TC1: '10:00', TC2: '10:32' }, ara);
  assert.equal(r.penalties[0]!.confirmed, false);
  assert.equal(r.steps[0]!.confirmed, false);
});

test('property: the late penalty never decreases as the check-in gets later (before the cap)', () => {
  const def = rally([tc('TC1'), tc('TC2', 30)]);
  const start = at('10:00');
  fc.assert(fc.property(fc.integer({ min: 0, max: 120 * MIN }), fc.integer({ min: 0, max: 120 * MIN }), (a, b) => {
    const [x, y] = a <= b ? [a, b] : [b, a];
    const pen = (d: number) => roadPenalties(def, fia, new Map([
      ['TC1', { control: 'TC1', atMs: start, factId: '1' }],
      ['TC2', { control: 'TC2', atMs: start + 30 * MIN + d, factId: '2' }],
    ]), 1).totalMs;
    assert.ok(pen(x) <= pen(y));
    assert.ok(pen(y) <= 300_000);
  }));
});

test('property: an earlier check-in never costs less (early side), and penalties are whole multiples of the per-minute rate', () => {
  const def = rally([tc('TC1'), tc('TC2', 30)]);
  const start = at('10:00');
  fc.assert(fc.property(fc.integer({ min: 0, max: 29 * MIN }), fc.integer({ min: 0, max: 29 * MIN }), (a, b) => {
    const [x, y] = a <= b ? [a, b] : [b, a];
    const pen = (early: number) => roadPenalties(def, fia, new Map([
      ['TC1', { control: 'TC1', atMs: start, factId: '1' }],
      ['TC2', { control: 'TC2', atMs: start + 30 * MIN - early, factId: '2' }],
    ]), 1).totalMs;
    assert.ok(pen(x) <= pen(y));
    assert.equal(pen(y) % 60_000, 0);
  }));
});
