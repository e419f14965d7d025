// What-if preview: the proposal is scored with the same core as the live
// results, nothing of the caller's log changes, and the diff names exactly the
// crews that move. A small rally whose totals are worked out by hand.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fact } from '../facts.ts';
import type { RallyDefinition } from '../model.ts';
import type { RuleSet } from '../rules/types.ts';
import { getPreset } from '../rules/presets/index.ts';
import { classify, score } from './index.ts';
import { previewFacts } from './preview.ts';

const FIA = getPreset('fia') as RuleSet;

const def: RallyDefinition = {
  id: 't', name: 'Preview rally', timeZone: 'Europe/London', distanceUnit: 'km', startDate: '2026-02-06', endDate: '2026-02-06',
  rules: { preset: 'fia', version: FIA.version },
  legs: [{ id: 'L1', name: 'Leg 1', date: '2026-02-06', sections: [1, 2].map((n) => ({ id: `S${n}`, controls: [{ id: `SS${n}S`, kind: 'SS_START' as const, stage: `SS${n}` }, { id: `SS${n}F`, kind: 'SS_FINISH' as const, stage: `SS${n}` }] })) }],
  stages: [1, 2].map((n) => ({ code: `SS${n}`, name: `Stage ${n}`, distanceM: 10_000, type: 'special' as const, leg: 'L1' })),
  classes: [{ code: 'A', name: 'A' }, { code: 'B', name: 'B' }],
  entries: [1, 2, 3].map((car) => ({ car, driver: { name: `D${car}` }, codriver: { name: `C${car}` }, make: 'M', model: 'X', class: car === 3 ? 'B' : 'A' })),
};

const st = (car: number, stage: string, time: string): Fact => ({ type: 'stageTime', id: `st-${car}-${stage}`, car, stage, time });
// Totals: car 1 10:00.0, car 2 10:20.0, car 3 10:40.0.
const log: Fact[] = [st(1, 'SS1', '5:00.0'), st(1, 'SS2', '5:00.0'), st(2, 'SS1', '5:10.0'), st(2, 'SS2', '5:10.0'), st(3, 'SS1', '5:20.0'), st(3, 'SS2', '5:20.0')];

describe('previewFacts (what-if before saving)', () => {
  test('a 30 s penalty on the leader (FIA ISC 12.3: a time penalty adds to the total) swaps cars 1 and 2 overall and in class A; class B is untouched', () => {
    const pen: Fact = { type: 'penalty', id: 'p1', car: 1, seconds: 30, reason: 'early at TC2', rule: 'FIA 44.2.10a' };
    const p = previewFacts(def, FIA, log, [pen]);
    assert.deepEqual(p.overall.map((r) => [r.car, r.before?.position, r.after?.position, r.after?.totalMs]), [[2, 2, 1, 620_000], [1, 1, 2, 630_000]]);
    assert.deepEqual(p.classes.map((c) => [c.class, c.rows.map((r) => [r.car, r.before?.classPosition, r.after?.classPosition])]), [['A', [[2, 2, 1], [1, 1, 2]]]]);
    // The workings of the new total of the crew the decision is about, with the penalty and its rule.
    assert.equal(p.workings.length, 1);
    assert.equal(p.workings[0]?.car, 1);
    assert.equal(p.workings[0]?.beforeMs, 600_000);
    assert.equal(p.workings[0]?.workings.resultMs, 630_000);
    assert.ok(p.workings[0]?.workings.steps.some((s) => s.kind === 'penalty' && s.ms === 30_000));
  });

  test('the preview is what storing the fact gives: the same classification as scoring the longer log', () => {
    const pen: Fact = { type: 'penalty', id: 'p2', car: 3, seconds: 5, reason: 'late' };
    const p = previewFacts(def, FIA, log, [pen]);
    const stored = classify(score(def, FIA, [...log, pen]));
    for (const r of p.overall) assert.equal(r.after?.totalMs, stored.rows.find((x) => x.car === r.car)?.totalMs);
    assert.deepEqual(p.overall.map((r) => r.car), [3]);
  });

  test('withdrawing a time is about the car of the withdrawn fact; a crew whose time goes missing drops out of the order', () => {
    const p = previewFacts(def, FIA, log, [{ type: 'retraction', id: 'w1', supersedes: 'st-1-SS2', reason: 'wrong car' }]);
    assert.equal(p.workings[0]?.car, 1);
    const one = p.overall.find((r) => r.car === 1);
    assert.equal(one?.before?.position, 1);
    assert.notEqual(one?.after?.position, 1);
  });

  test('a proposal that adds a data-quality finding lists it as new; nothing is found twice', () => {
    // A second, different time for car 2 on SS1 is a conflict.
    const p = previewFacts(def, FIA, log, [{ ...st(2, 'SS1', '5:11.0'), id: 'dup' }]);
    assert.ok(p.newIssues.some((i) => i.facts.includes('dup')), JSON.stringify(p.newIssues));
    assert.deepEqual(p.clearedIssues, []);
  });
});
