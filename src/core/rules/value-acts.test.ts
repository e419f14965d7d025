// Every preset value acts: for a rule key, a scenario scored under each preset
// (every version) with the preset's own value and with another value must give
// a different result. A setting that changes nothing is a defect (it is either
// implemented or removed). One scenario per key, in SCENARIOS; the test walks
// every key of every preset and lists the keys that have no scenario yet.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fact } from '../facts.ts';
import type { RallyDefinition } from '../model.ts';
import { listPresets } from './presets/index.ts';
import { resolveRules, RULE_KEYS } from './resolve.ts';
import type { RuleKey } from './types.ts';
import { classify, explain, score, type ScoringState } from '../scoring/index.ts';
import { categoryFacts, categoryRally } from '../fixtures/category-rally.ts';

export interface ValueScenario {
  /** What the scenario shows, for the test's name. */
  what: string;
  /** The rally (its rules choice is replaced by the preset under test) and its facts. */
  rally: () => { definition: RallyDefinition; facts: Fact[] };
  /** Another value than `current`, for the comparison. */
  other: (current: unknown) => unknown;
  /** The result the value must change. */
  observe: (state: ScoringState) => unknown;
}

/** Car 4 of the two-category rally: retired on SS2, restarted at S4 (SS2 and SS3 charged). */
const restartCharges = (s: ScoringState): unknown => [explain(s, 4, 'SS2').resultMs, explain(s, 4, 'SS3').resultMs, classify(s, { category: 'National' }).rows.map((r) => [r.car, r.totalMs])];
// Restarts allowed and times kept to the tenth whatever the preset says (MSUK has no restarts and whole seconds), so the restart values can act.
const twoCategories = () => ({
  definition: categoryRally({
    restartAllowed: { value: true, rule: 'scenario' }, restartMaxPerLeg: { value: 1, rule: 'scenario' }, stagePrecisionMs: { value: 100, rule: 'scenario' },
  }),
  facts: categoryFacts,
});

export const SCENARIOS: Partial<Record<RuleKey, ValueScenario>> = {
  restartPlusLaterMs: {
    what: 'a further missed stage is charged the later amount, not the first one',
    rally: twoCategories, other: (v) => (v === null ? 420_000 : null), observe: restartCharges,
  },
  restartBasePrecisionMs: {
    what: 'the base 5:00.7 is cut to the whole second or kept',
    rally: twoCategories, other: (v) => (v === 1000 ? 1 : 1000), observe: restartCharges,
  },
  restartBaseScope: {
    what: 'the base among the crew\'s category (5:00.7) or across the event (a Regional 4:50.4)',
    rally: twoCategories, other: (v) => (v === 'category' ? 'event' : 'category'), observe: restartCharges,
  },
};

describe('every preset value acts: changing it changes a result', () => {
  for (const p of listPresets()) {
    for (const key of RULE_KEYS) {
      const scenario = SCENARIOS[key];
      if (!scenario) {
        test.todo(`${p.id} ${p.version}: ${key} has no scenario yet`);
        continue;
      }
      test(`${p.id} ${p.version}: ${key} — ${scenario.what}`, () => {
        const { definition, facts } = scenario.rally();
        const choice = { preset: p.id, version: p.version };
        const base = resolveRules(choice);
        assert.deepEqual(base.errors, []);
        const current = base.rules[key].value;
        const withValue = (value: unknown): unknown => {
          const rules = { ...choice, overrides: { ...definition.rules.overrides, [key]: { value, rule: 'value-acts test' } } };
          const r = resolveRules(rules);
          assert.deepEqual(r.errors, []);
          return scenario.observe(score({ ...definition, rules }, r.rules, facts));
        };
        assert.notDeepEqual(withValue(current), withValue(scenario.other(current)), `${key}: ${JSON.stringify(current)} and ${JSON.stringify(scenario.other(current))} give the same result`);
      });
    }
  }
});
