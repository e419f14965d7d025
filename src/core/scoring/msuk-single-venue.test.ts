// A complete Motorsport UK single-venue stage rally under target timing, with
// bogey times and stage maximums set by the event's documents.
// SEE: rally-rules §3.3 — MSUK26 App 13 Arts 9.1, 11.1: charged time = bogey if
// faster, the time driven between, the stage maximum if slower or if the stage
// was not performed correctly (App 8 (c), App 14 (d)); §3.1 whole seconds,
// truncated (App 13 Art 8.4); §3.3 single-venue: a crew that does not complete
// a stage is charged (the event's SRs set dnfStageCharge maxTime).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fact } from '../facts.ts';
import type { RallyDefinition } from '../model.ts';
import { resolveRules } from '../rules/resolve.ts';
import { classify, dataIssues, explain, formatWorkings, score, stageResults } from './index.ts';

// Four laps of a 5 km airfield stage: bogey 3:00 (100 km/h), maximum 4:30.
function event(): RallyDefinition {
  const stage = (n: number) => ({ code: `SS${n}`, name: `Lap ${n}`, distanceM: 5_000, type: 'special' as const, leg: 'L1', bogeyMs: 180_000, maximumMs: 270_000 });
  return {
    id: 'airfield', name: 'Airfield Stages', timeZone: 'Europe/London', distanceUnit: 'mi', startDate: '2026-04-11', endDate: '2026-04-11',
    rules: {
      preset: 'msuk', version: '2026.1',
      overrides: { dnfStageCharge: { value: 'maxTime', rule: 'SR 21: single-venue, a stage not completed is charged the stage maximum (App 8 (a)(ii))' } },
    },
    legs: [{ id: 'L1', name: 'Saturday', date: '2026-04-11', sections: [{ id: 'A', controls: [] }] }],
    stages: [1, 2, 3, 4].map(stage),
    classes: [{ code: 'B', name: 'Class B' }],
    entries: [11, 12, 13, 14].map((car) => ({ car, driver: { name: `Driver ${car}` }, codriver: { name: `Nav ${car}` }, make: 'Ford', model: 'Escort Mk2', class: 'B' })),
  };
}
const { rules, errors } = resolveRules(event().rules);
const t = (car: number, stage: string, time: string): Fact => ({ type: 'stageTime', id: `${car}-${stage}`, car, stage, time });
const facts: Fact[] = [
  // Car 11: faster than bogey on every lap (2:55.8 …) ⇒ 3:00 each.
  ...['SS1', 'SS2', 'SS3', 'SS4'].map((s) => t(11, s, '2:55.8')),
  // Car 12: between bogey and max: 3:10.9 ⇒ 3:10 (whole seconds, truncated).
  ...['SS1', 'SS2', 'SS3', 'SS4'].map((s) => t(12, s, '3:10.9')),
  // Car 13: 3:05 on three laps, 5:12 on SS2 (slower than the maximum) ⇒ 4:30.
  t(13, 'SS1', '3:05'), t(13, 'SS2', '5:12'), t(13, 'SS3', '3:05'), t(13, 'SS4', '3:05'),
  // Car 14: 2:59 on SS1 but missed a chicane (not performed correctly) ⇒ 4:30; stopped on SS3 (did not complete) ⇒ 4:30, runs on.
  t(14, 'SS1', '2:59'), t(14, 'SS2', '3:01'), t(14, 'SS4', '3:02'),
  { type: 'stageMaximumCharged', id: 'max14', car: 14, stage: 'SS1', reason: 'missed the chicane at the hangar', rule: 'MSUK26 App 8 (c)' },
  { type: 'retirement', id: 'dnf14', car: 14, where: 'SS3', reason: 'spun and stalled, did not complete the lap' },
];

describe('MSUK single-venue event with bogey times (MSUK26 App 13 Arts 9.1, 11.1; App 8 (c))', () => {
  const state = score(event(), rules, facts);
  test('the overrides resolve', () => assert.deepEqual(errors, []));

  test('charged times per stage: bogey if faster, actual between, maximum if slower', () => {
    const ss2 = new Map(stageResults(state, 'SS2').rows.map((r) => [r.car, r.timeMs]));
    assert.equal(ss2.get(11), 180_000);
    assert.equal(ss2.get(12), 190_000);
    assert.equal(ss2.get(13), 270_000);
    assert.equal(ss2.get(14), 181_000);
  });

  test('a stage not performed correctly is charged the maximum, with the official\'s reason in the workings', () => {
    assert.equal(stageResults(state, 'SS1').rows.find((r) => r.car === 14)!.timeMs, 270_000);
    const text = formatWorkings(explain(state, 14, 'SS1'));
    assert.match(text, /missed the chicane at the hangar/);
    assert.match(text, /stage maximum 4:30\.0 charged/);
  });

  test('a crew that did not complete a stage is charged the maximum and stays in the rally (dnfStageCharge maxTime from the SRs)', () => {
    const row = classify(state).rows.find((r) => r.car === 14)!;
    assert.equal(row.status, 'finished');
    assert.equal(row.totalMs, 270_000 + 181_000 + 270_000 + 182_000);
    assert.match(formatWorkings(explain(state, 14, 'SS3')), /did not complete SS3: spun and stalled/);
  });

  test('final classification: totals and order', () => {
    const c = classify(state);
    assert.deepEqual(c.rows.map((r) => [r.car, r.status, r.position, r.totalMs]), [
      [11, 'finished', 1, 4 * 180_000],
      [12, 'finished', 2, 4 * 190_000],
      [13, 'finished', 3, 3 * 185_000 + 270_000],
      [14, 'finished', 4, 903_000],
    ]);
  });

  test('the bogey workings say why a faster time was not counted', () => {
    assert.match(formatWorkings(explain(state, 11, 'SS3')), /faster than the bogey time: bogey 3:00 charged instead/);
  });

  test('without a stage maximum, charging the maximum is refused with a finding naming the fix', () => {
    const def = event();
    def.stages = def.stages.map(({ maximumMs: _m, ...s }) => s);
    const s2 = score(def, rules, facts);
    const issue = dataIssues(s2).find((i) => i.code === 'no-stage-maximum' && i.stage === 'SS1');
    assert.ok(issue);
    assert.match(issue.fix, /maximumMs/);
  });

  test('the same retirement under the multi-venue default (dnfStageCharge retire) retires the crew (App 8 (a)(i))', () => {
    const { rules: multi } = resolveRules({ preset: 'msuk', version: '2026.1' });
    assert.equal(classify(score(event(), multi, facts)).rows.find((r) => r.car === 14)!.status, 'retired');
  });
});
