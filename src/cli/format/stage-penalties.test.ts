// The stage view's penalties come from the scoring's workings, not from raw
// facts: what is charged (amount, reason, the rule the preset cites) and what a
// device recorded that no official decided (no amount). The hand rally
// (commands/hand-rally.test-data.ts) under the ARA preset, with jump starts added.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRallyFile } from '../../core/rallyfile/parse.ts';
import { resolveRules } from '../../core/rules/resolve.ts';
import { score, stageResults } from '../../core/scoring/index.ts';
import type { Fact } from '../../core/facts.ts';
import { handRally } from '../commands/hand-rally.test-data.ts';
import { stagePenalties, stageTable } from './stage.ts';

function scored(extra: Fact[]) {
  const json = handRally() as { facts: unknown[] };
  json.facts.push(...extra);
  const parsed = parseRallyFile(json);
  assert.ok(parsed.ok, parsed.ok ? '' : JSON.stringify(parsed.errors));
  const rules = resolveRules(parsed.file.rally.rules).rules;
  const facts = parsed.file.facts;
  return { definition: parsed.file.rally, rules, facts, state: score(parsed.file.rally, rules, facts) };
}

const jumps: Fact[] = [
  // Car 1 on SS1: the photocell saw it move, nobody has decided.
  { id: 'js-1-pc', type: 'jumpStart', car: 1, stage: 'SS1', jumpedMs: 400, source: 'photocell' },
  // Car 3 on SS2: the photocell record, then the Clerk's decision that supersedes it.
  { id: 'js-3-pc', type: 'jumpStart', car: 3, stage: 'SS2', jumpedMs: 300, source: 'photocell' },
  { id: 'js-3', type: 'jumpStart', car: 3, stage: 'SS2', jumpedMs: 300, source: 'official', supersedes: 'js-3-pc', reason: 'confirmed by the start marshal' },
  // Car 2's 20 s speeding penalty on SS2 is first typed as 30 s, then corrected.
  { id: 'pen-2-typo', type: 'penalty', car: 2, seconds: 30, reason: 'speeding in the service park', rule: 'SR 9.1', stage: 'SS1' },
  { id: 'pen-2-typo-x', type: 'retraction', supersedes: 'pen-2-typo', reason: 'typed against SS1 by mistake; pen-2 is the penalty' },
];

test('SS2: charged penalties are what the scoring charged: 0:20 (SR 9.1) and the decided jump start at 0:10 under the ARA preset (rally-rules §3.2, FIA values assumed, unconfirmed)', () => {
  const r = scored(jumps);
  const sc = stageResults(r.state, 'SS2');
  const p = stagePenalties(r.state, sc, r.facts);
  assert.deepEqual(p.charged.map((x) => [x.car, x.ms, x.rule, x.confirmed]), [
    [2, 20_000, 'SR 9.1', true],
    [3, 10_000, r.rules.jumpStartPenaltiesMs.rule, false],
  ]);
  assert.equal(p.charged[0]!.reason, 'speeding in the service park');
  assert.match(p.charged[1]!.reason, /^jump start, 1st offence: 10 s/);
  assert.deepEqual(p.pending, [], 'the photocell record is settled by the decision');
});

test('SS1: a photocell jump start nobody decided is recorded, not decided, with no amount; the withdrawn penalty is not listed', () => {
  const r = scored(jumps);
  const sc = stageResults(r.state, 'SS1');
  const p = stagePenalties(r.state, sc, r.facts);
  assert.deepEqual(p.charged, []);
  assert.deepEqual(p.pending.map((x) => [x.car, x.facts]), [[1, ['js-1-pc']]]);
  assert.match(p.pending[0]!.what, /photocell.*not decided/);
  const text = stageTable(sc, { definition: r.definition, rules: r.rules }, p, 80);
  assert.ok(!text.includes('Penalties on SS1'), text);
  assert.match(text, /Recorded, not decided \(no penalty charged\)\n\s+1 {2}jump start recorded by photocell \(moved 0\.4 s early\)/);
  assert.ok(!/0:30|0:10/.test(text), `no amount for car 1 nor the withdrawn 30 s:\n${text}`);
});
