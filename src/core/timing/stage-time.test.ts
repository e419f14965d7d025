import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { chargeStageTime, roundTo } from './stage-time.ts';
import { getPreset } from '../rules/presets/index.ts';
import { resolveRules } from '../rules/resolve.ts';
import type { Stage } from '../model.ts';

const fia = getPreset('fia')!;
const msuk = getPreset('msuk')!;
const ss = (over: Partial<Stage> = {}): Stage => ({ code: 'SS3', name: 'Test', distanceM: 12_000, type: 'special', leg: 'L1', ...over });

test('FIA 0.1 s truncated (FMU26 Art 47.1; rally-rules §3.1): 225.67 s → 225.6 s', () => {
  const r = chargeStageTime(225_670, ss(), fia);
  assert.equal(r.ms, 225_600);
  assert.equal(r.maxApplied, false);
  assert.ok(r.steps.some((s) => s.ms === 225_600 && /47\.1/.test(s.rule ?? '')));
});

test('MSUK whole seconds truncated (App 13 Art 8.4): 225.99 s → 225 s', () => {
  assert.equal(chargeStageTime(225_990, ss(), msuk).ms, 225_000);
});

test('WRC power stage timed to 0.001 s: 5:12.349 → stage 5:12.349, counts 5:12.3 in the total', () => {
  const r = chargeStageTime(312_349, ss({ type: 'power', precisionMs: 1 }), fia);
  assert.equal(r.stageMs, 312_349);
  assert.equal(r.ms, 312_300);
});

test('named roundings on 225.65 s to 0.1 s: truncate 225.6, round 225.7, ceil 225.7; 225.649 rounds to 225.6', () => {
  assert.equal(roundTo(225_650, 100, 'truncate'), 225_600);
  assert.equal(roundTo(225_650, 100, 'round'), 225_700);
  assert.equal(roundTo(225_649, 100, 'round'), 225_600);
  assert.equal(roundTo(225_601, 100, 'ceil'), 225_700);
  assert.equal(roundTo(225_600, 100, 'ceil'), 225_600);
});

test('SR stage maximum 15:00 (MSUK App 13 Art 11.1): 16:20.4 driven → 15:00 charged, with the rule in the steps', () => {
  const { rules } = resolveRules({ preset: 'msuk', version: '2026.1', overrides: { stageMaxTime: { value: { kind: 'fixed', ms: 900_000 }, rule: 'SR 14' } } });
  const r = chargeStageTime(980_400, ss(), rules);
  assert.equal(r.ms, 900_000);
  assert.equal(r.maxApplied, true);
  assert.equal(r.steps.at(-1)?.rule, 'SR 14');
  assert.equal(chargeStageTime(899_999, ss(), rules).maxApplied, false);
});

test('stage maximum per km: 1:30 per km on a 12 km stage → 18:00', () => {
  const { rules } = resolveRules({ preset: 'ara', version: '2026.1', overrides: { stageMaxTime: { value: { kind: 'perKm', msPerKm: 90_000 }, rule: 'SR 7' } } });
  assert.equal(chargeStageTime(1_200_000, ss(), rules).ms, 1_080_000);
});

test('a negative or fractional raw time is a caller bug and throws', () => {
  assert.throws(() => chargeStageTime(-1, ss(), fia), RangeError);
  assert.throws(() => chargeStageTime(1.5, ss(), fia), RangeError);
});

test('property: truncation never increases a time, stays within one precision step, and is monotone', () => {
  fc.assert(fc.property(fc.nat(10 * 3_600_000), fc.nat(10 * 3_600_000), fc.constantFrom(1, 10, 100, 1000), (a, b, p) => {
    const ta = roundTo(a, p, 'truncate');
    assert.ok(ta <= a && a - ta < p && ta % p === 0);
    if (a <= b) assert.ok(ta <= roundTo(b, p, 'truncate'));
  }));
});

test('property: the charged time never exceeds the time driven under truncation, nor the stage maximum', () => {
  const { rules } = resolveRules({ preset: 'fia', version: '2026.1', overrides: { stageMaxTime: { value: { kind: 'fixed', ms: 600_000 }, rule: 'SR' } } });
  fc.assert(fc.property(fc.nat(3_600_000), (raw) => {
    const r = chargeStageTime(raw, ss(), rules);
    assert.ok(r.ms <= raw && r.ms <= 600_000);
  }));
});
