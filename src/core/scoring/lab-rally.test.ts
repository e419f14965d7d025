// The lab rally is clean under every preset: every crew on time, no penalty,
// no data-quality finding, all classified — so each rule test starts from zero.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classify, dataIssues, score } from './index.ts';
import { labRally, labRules, onTime } from './lab-rally.test-data.ts';

for (const preset of ['fia', 'msuk', 'ara']) {
  test(`${preset}: the lab rally on time has no penalty, every crew finished`, () => {
    const state = score(labRally(preset), labRules(preset), [1, 2, 3, 4].flatMap((c) => onTime(c)));
    const c = classify(state);
    assert.deepEqual(c.rows.map((r) => [r.car, r.status, r.penaltyMs]), [[1, 'finished', 0], [2, 'finished', 0], [3, 'finished', 0], [4, 'finished', 0]]);
    assert.deepEqual(dataIssues(state).map((i) => `${i.code} ${i.detail}`), []);
  });
}
