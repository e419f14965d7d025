import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveRules, ruleOverridesSchema } from './resolve.ts';

test('fia 2026.1 with no overrides → the preset itself, no errors', () => {
  const { rules, errors } = resolveRules({ preset: 'fia', version: '2026.1' });
  assert.deepEqual(errors, []);
  assert.equal(rules.id, 'fia');
  assert.equal(rules.latePenaltyPerMinuteMs.value, 10_000);
});

test('MSUK SR "lateness is penalised" (App 8 1.2) → 10 s/min, confirmed, citing the SR article', () => {
  const { rules, errors } = resolveRules({
    preset: 'msuk', version: '2026.1',
    overrides: { latePenaltyPerMinuteMs: { value: 10_000, rule: 'SR 23.4' } },
  });
  assert.deepEqual(errors, []);
  assert.deepEqual([rules.latePenaltyPerMinuteMs.value, rules.latePenaltyPerMinuteMs.rule, rules.latePenaltyPerMinuteMs.confirmed], [10_000, 'SR 23.4', true]);
  assert.match(rules.latePenaltyPerMinuteMs.note ?? '', /preset had 0/);
});

test('an ARA rally whose SRs set max time 15 min per stage → fixed stage maximum, confirmed', () => {
  const { rules, errors } = resolveRules({
    preset: 'ara', version: '2026.1',
    overrides: { stageMaxTime: { value: { kind: 'fixed', ms: 900_000 }, rule: 'Sno*Drift SR 12.1' } },
  });
  assert.deepEqual(errors, []);
  assert.deepEqual(rules.stageMaxTime.value, { kind: 'fixed', ms: 900_000 });
  assert.equal(rules.stageMaxTime.confirmed, true);
  // The rest of the preset stays as it was, still unconfirmed.
  assert.equal(rules.latePenaltyPerMinuteMs.confirmed, false);
});

test('wrong type: latePenaltyPerMinuteMs "10 s" → error naming the path and an example', () => {
  const { errors } = resolveRules({
    preset: 'fia', version: '2026.1',
    overrides: { latePenaltyPerMinuteMs: { value: '10 s', rule: 'SR 1' } },
  });
  assert.deepEqual(errors, [{ path: 'rules.overrides.latePenaltyPerMinuteMs', message: 'expected a whole number of ms, e.g. 10000' }]);
});

test('fractional ms (10.5) is refused: every time is integer ms', () => {
  const { errors, rules } = resolveRules({ preset: 'fia', version: '2026.1', overrides: { latePenaltyPerMinuteMs: { value: 10.5, rule: 'SR 1' } } });
  assert.equal(errors.length, 1);
  assert.equal(rules.latePenaltyPerMinuteMs.value, 10_000, 'a bad override is not applied');
});

test('unknown preset "nascar" → rules.preset error listing the presets', () => {
  const { errors } = resolveRules({ preset: 'nascar', version: '2026.1' });
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.path, 'rules.preset');
  assert.match(errors[0]!.message, /fia.*ara.*msuk|ara|msuk/);
});

test('unknown version fia 2019.1 → rules.version error naming 2026.1', () => {
  const { errors } = resolveRules({ preset: 'fia', version: '2019.1' });
  assert.deepEqual(errors.map((e) => e.path), ['rules.version']);
  assert.match(errors[0]!.message, /2026\.1/);
});

test('unknown key "latePenaltyPerMinute" → error suggesting latePenaltyPerMinuteMs', () => {
  const { errors } = resolveRules({ preset: 'fia', version: '2026.1', overrides: { latePenaltyPerMinute: { value: 1, rule: 'SR 1' } } });
  assert.equal(errors[0]!.path, 'rules.overrides.latePenaltyPerMinute');
  assert.match(errors[0]!.message, /did you mean latePenaltyPerMinuteMs/);
});

test('override without its SR article → error on .rule; a bare value → error on the key', () => {
  const { errors } = resolveRules({
    preset: 'fia', version: '2026.1',
    overrides: { tieBreak: { value: 'firstStage', rule: ' ' }, restartPlusMs: 300_000 as unknown as { value: unknown; rule: string } },
  });
  assert.deepEqual(errors.map((e) => e.path), ['rules.overrides.tieBreak.rule', 'rules.overrides.restartPlusMs']);
});

test('every error is listed, not just the first', () => {
  const { errors } = resolveRules({
    preset: 'fia', version: '2026.1',
    overrides: { stagePrecisionMs: { value: 0, rule: 'SR' }, tieBreak: { value: 'coinToss', rule: 'SR' }, nope: { value: 1, rule: 'SR' } },
  });
  assert.equal(errors.length, 3);
});

test('ruleOverridesSchema accepts a valid overrides object and rejects an unknown key', () => {
  assert.equal(ruleOverridesSchema.safeParse({ maxLatenessPerTargetMin: { value: null, rule: 'SR 9' } }).success, true);
  assert.equal(ruleOverridesSchema.safeParse({ bogus: { value: 1, rule: 'SR 9' } }).success, false);
});
