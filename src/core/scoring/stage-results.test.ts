// Stage results of an excluded crew. rally-rules §4.1: exclusion (EXC) takes
// the crew out of the classification ("only classified finishers get
// positions"); the reference says nothing about its stage times ([NF]), so
// rallyhq keeps them as recorded: the crew is ranked on each stage it drove and
// may win one (docs/scoring.md, "Exclusion"). Officials who strike a time
// retract or supersede the time fact itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fact } from '../facts.ts';
import type { RallyDefinition } from '../model.ts';
import type { RuleSet } from '../rules/types.ts';
import { getPreset } from '../rules/presets/index.ts';
import { classify, score, stageResults } from './index.ts';

const FIA = getPreset('fia') as RuleSet;

const def: RallyDefinition = {
  id: 't', name: 'Exclusion rally', timeZone: 'Europe/London', distanceUnit: 'km', startDate: '2026-02-06', endDate: '2026-02-06',
  rules: { preset: 'fia', version: FIA.version },
  legs: [{ id: 'L1', name: 'Leg 1', date: '2026-02-06', sections: [{ id: 'S1', controls: [] }] }],
  stages: [1, 2].map((n) => ({ code: `SS${n}`, name: `Stage ${n}`, distanceM: 10_000, type: 'special' as const, leg: 'L1' })),
  classes: [{ code: 'A', name: 'A' }],
  entries: [1, 2, 3].map((car) => ({ car, driver: { name: `D${car}` }, codriver: { name: `C${car}` }, make: 'M', model: 'X', class: 'A' })),
};
const st = (car: number, stage: string, time: string): Fact => ({ type: 'stageTime', id: `st-${car}-${stage}`, car, stage, time });
// Car 3 is fastest on SS1 (4:50.0) and is then excluded; car 1 is fastest on SS2.
const facts: Fact[] = [
  st(1, 'SS1', '5:00.0'), st(2, 'SS1', '5:05.0'), st(3, 'SS1', '4:50.0'),
  st(1, 'SS2', '5:00.0'), st(2, 'SS2', '5:05.0'), st(3, 'SS2', '5:10.0'),
  { type: 'exclusion', id: 'x3', car: 3, reason: 'turbo restrictor not as homologated', rule: 'SR 12.1' },
];

test('an excluded crew keeps its stage times: ranked first on SS1 and its winner (rally-rules §4.1 covers the classification only; stage times [NF], kept)', () => {
  const s = score(def, FIA, facts);
  const ss1 = stageResults(s, 'SS1');
  assert.deepEqual(ss1.rows.map((r) => [r.car, r.position, r.timeMs]), [[3, 1, 290_000], [1, 2, 300_000], [2, 3, 305_000]]);
  assert.deepEqual(ss1.winners, [{ car: 3, timeMs: 290_000 }]);
  assert.deepEqual(classify(s).stageWinners.find((w) => w.stage === 'SS1'), { stage: 'SS1', cars: [3], timeMs: 290_000 });
});

test('…but it is out of the classification (rally-rules §4.1: only classified finishers get positions)', () => {
  const c = classify(score(def, FIA, facts));
  assert.deepEqual(c.rows.filter((r) => r.position !== null).map((r) => r.car), [1, 2]);
  assert.equal(c.rows.find((r) => r.car === 3)!.status, 'excluded');
  assert.deepEqual(c.excluded.map((x) => [x.car, x.reason]), [[3, 'turbo restrictor not as homologated']]);
});

test('a time the officials strike (retracted) is gone from the stage: the next crew wins', () => {
  const struck: Fact = { type: 'retraction', id: 'x3-ss1', supersedes: 'st-3-SS1', reason: 'stewards: SS1 time annulled with the exclusion' };
  const ss1 = stageResults(score(def, FIA, [...facts, struck]), 'SS1');
  assert.deepEqual(ss1.winners, [{ car: 1, timeMs: 300_000 }]);
  assert.ok(!ss1.rows.some((r) => r.car === 3 && r.timeMs !== null));
});
