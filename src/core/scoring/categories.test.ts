// Two classifications in one event and the ARA restart charge, on a rally small
// enough to work every total by hand. ARA runs its National and Regional rallies
// on the same roads: each crew is in one category, each category is classified
// over the stages it runs, with its own class bests (ara-evidence "Two
// classifications per event"; fixtures/real/README.md). Restart charges under
// ARA 2026.2 (values shown by ARA's published results, ara-evidence "Restart
// charges"): base = fastest in the crew's class and category, tenths dropped;
// + 10:00 for the first stage missed after a retirement, + 7:00 for each further one.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fact } from '../facts.ts';
import type { RallyDefinition } from '../model.ts';
import { resolveRules } from '../rules/resolve.ts';
import { parseRallyFile } from '../rallyfile/index.ts';
import { classify, explain, formatWorkings, score } from './index.ts';
import { categoryFacts, categoryRally } from '../fixtures/category-rally.ts';

function run(def: RallyDefinition, facts = categoryFacts) {
  const { rules, errors } = resolveRules(def.rules);
  assert.deepEqual(errors, []);
  return score(def, rules, facts);
}

describe('two classifications in one event (ARA National and Regional)', () => {
  const s = run(categoryRally());

  test('each category is ranked apart over its own stages: the national-only power stage counts for National crews only', () => {
    const national = classify(s, { category: 'National' });
    const regional = classify(s, { category: 'Regional' });
    assert.deepEqual(national.rows.map((r) => [r.car, r.position, r.stagesCounted]), [[1, 1, 5], [2, 2, 5], [4, 3, 5]]);
    assert.deepEqual(regional.rows.map((r) => [r.car, r.position, r.stagesCounted, r.status]), [[3, 1, 4, 'finished']]);
    assert.equal(regional.rows[0]!.totalMs, 4 * 290_400);
    assert.equal(national.category, 'National');
  });

  test('the default classification of a rally with categories is its first category', () => {
    assert.deepEqual(classify(s).rows.map((r) => r.car), classify(s, { category: 'National' }).rows.map((r) => r.car));
  });

  test('an unknown category is refused with the ones there are', () => {
    assert.throws(() => classify(s, { category: 'Club' }), /unknown category "Club"; categories are National, Regional/);
  });

  test('the first missed stage: class-and-category best (car 1, 5:00.7) cut to 5:00 + 10:00; the next: 5:00 + 7:00', () => {
    const ss2 = explain(s, 4, 'SS2');
    const ss3 = explain(s, 4, 'SS3');
    assert.equal(ss2.status, 'restartCharged');
    assert.equal(ss2.resultMs, 300_000 + 600_000);
    assert.equal(ss3.resultMs, 300_000 + 420_000);
    const text = formatWorkings(ss2);
    assert.match(text, /fastest in class L4WD and category National: car 1 5:00\.7/);
    assert.match(text, /base cut to the whole second: 5:00\.0/);
    assert.match(text, /\[shown by published results\]/);
    assert.match(text, /shown by: ARA 2025 national rounds/);
    // Car 4's total: 5:05 + 15:00 + 12:00 + 5:05 + 5:05.
    assert.equal(classify(s, { category: 'National' }).rows.find((r) => r.car === 4)!.totalMs, 3 * 305_000 + 900_000 + 720_000);
  });

  test('restartBaseScope "event" takes the base across both categories (Oregon Trail 2025): the Regional car 3 (4:50.4, cut to 4:50) sets it', () => {
    const e = run(categoryRally({ restartBaseScope: { value: 'event', rule: 'SR 1' } }));
    assert.equal(explain(e, 4, 'SS2').resultMs, 290_000 + 600_000);
  });

  test('a cancelled stage counts for nobody and is not charged to a restarted crew; the next missed one is then the first', () => {
    const e = run(categoryRally(), [...categoryFacts, { type: 'stageCancelled', id: 'c2', stage: 'SS2', reason: 'snow' }]);
    assert.equal(explain(e, 4, 'SS2').status, 'cancelled');
    assert.equal(explain(e, 4, 'SS3').resultMs, 300_000 + 600_000);
    assert.equal(classify(e, { category: 'Regional' }).rows[0]!.stagesCounted, 3);
  });

  test('an assessed restart charge given by officials is never another crew\'s base, and makes the next missed stage a later one', () => {
    const given: Fact = { type: 'stageTime', id: 'a1', car: 1, stage: 'SS3', time: '3:00.0', assessed: true, restartCharge: true, reason: 'given' };
    const own: Fact = { type: 'stageTime', id: 'a4', car: 4, stage: 'SS2', time: '20:00.0', assessed: true, restartCharge: true, reason: 'whole-minute base given by the officials' };
    const facts = [...categoryFacts.filter((f) => !(f.type === 'stageTime' && f.car === 1 && f.stage === 'SS3')), given, own];
    const e = run(categoryRally(), facts);
    // SS3: car 1's 3:00.0 is a charge, so the base is car 2's 5:10.0; and it is a further missed stage: + 7:00.
    assert.equal(explain(e, 4, 'SS3').resultMs, 310_000 + 420_000);
  });

  test('a rally file with a crew in an undeclared category, or a stage run by one, is refused naming the field and the choices', () => {
    const def = categoryRally();
    const bad = { ...def, entries: def.entries.map((x) => x.car === 2 ? { ...x, category: 'Club' } : x), stages: def.stages.map((x) => x.code === 'SS1' ? { ...x, runBy: ['Clubb'] } : x) };
    const r = parseRallyFile({ format: 'rallyhq.rally', version: 1, rally: bad, facts: [] });
    assert.equal(r.ok, false);
    const text = JSON.stringify(r.ok ? [] : r.errors);
    assert.match(text, /car 2 is in unknown category \\"Club\\"; declare it under rally.categories or use one of National, Regional/);
    assert.match(text, /stage SS1 is run by unknown category \\"Clubb\\"/);
  });
});
