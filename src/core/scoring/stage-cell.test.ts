// chargeQuick must charge exactly what timing/stage-time.ts charges (it only skips the workings text).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Stage } from '../model.ts';
import type { RuleSet } from '../rules/types.ts';
import { getPreset } from '../rules/presets/index.ts';
import { chargeStageTime } from '../timing/stage-time.ts';
import { chargeQuick } from './stage-cell.ts';

test('chargeQuick equals chargeStageTime for any raw time, precision, rounding, stage maximum and bogey (fia, ara, msuk presets)', () => {
  const presets = ['fia', 'ara', 'msuk'].map((id) => getPreset(id)).filter((p): p is RuleSet => p !== null);
  fc.assert(fc.property(
    fc.constantFrom(...presets), fc.integer({ min: 0, max: 4 * 3_600_000 }), fc.constantFrom(undefined, 1, 10, 100, 1000),
    fc.constantFrom('truncate', 'round', 'ceil') as fc.Arbitrary<'truncate' | 'round' | 'ceil'>,
    fc.constantFrom({ kind: 'none' as const }, { kind: 'fixed' as const, ms: 600_000 }, { kind: 'perKm' as const, msPerKm: 60_000 }),
    fc.constantFrom({ kind: 'none' as const }, { kind: 'fixed' as const, ms: 300_000 }, { kind: 'perKm' as const, msPerKm: 30_000 }),
    (preset, raw, precisionMs, rounding, max, bogey) => {
      const rules: RuleSet = { ...preset, stageRounding: { ...preset.stageRounding, value: rounding }, stageMaxTime: { ...preset.stageMaxTime, value: max }, stageBogeyTime: { ...preset.stageBogeyTime, value: bogey } };
      const stage: Stage = { code: 'SS1', name: 'S', distanceM: 12_345, type: 'special', leg: 'L1', ...(precisionMs ? { precisionMs } : {}) };
      const full = chargeStageTime(raw, stage, rules);
      assert.deepEqual(chargeQuick(raw, stage, rules), { ms: full.ms, stageMs: full.stageMs, maxApplied: full.maxApplied, bogeyApplied: full.bogeyApplied });
    }), { numRuns: 300 });
});
