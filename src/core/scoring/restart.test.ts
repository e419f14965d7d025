// Super Rally restarts and the limit per leg. FIA preset: restartMaxPerLeg = 1,
// "restart at most once per leg" — FIA-regional Art 54 (FMU26), rally-rules §4.2
// (confirmed by the transcription, tag [T]). A rally of four sections: S1–S3 in
// leg 1, S4 (the last section) in leg 2; one stage per section, every time given
// directly, so every total below is worked out by hand.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fact } from '../facts.ts';
import type { RallyDefinition } from '../model.ts';
import type { RuleSet } from '../rules/types.ts';
import { getPreset } from '../rules/presets/index.ts';
import { resolveRules } from '../rules/resolve.ts';
import { classify, dataIssues, explain, formatWorkings, score } from './index.ts';

const FIA = getPreset('fia') as RuleSet;

function rally(overrides?: RallyDefinition['rules']['overrides']): RallyDefinition {
  const section = (n: number) => ({
    id: `S${n}`,
    controls: [
      { id: `SS${n}S`, kind: 'SS_START' as const, stage: `SS${n}` },
      { id: `SS${n}F`, kind: 'SS_FINISH' as const, stage: `SS${n}` },
    ],
  });
  return {
    id: 't', name: 'Restart rally', timeZone: 'Europe/London', distanceUnit: 'km', startDate: '2026-02-06', endDate: '2026-02-07',
    rules: { preset: 'fia', version: FIA.version, ...(overrides ? { overrides } : {}) },
    legs: [
      { id: 'L1', name: 'Leg 1', date: '2026-02-06', sections: [section(1), section(2), section(3)] },
      { id: 'L2', name: 'Leg 2', date: '2026-02-07', sections: [section(4)] },
    ],
    stages: [1, 2, 3, 4].map((n) => ({ code: `SS${n}`, name: `Stage ${n}`, distanceM: 10_000, type: 'special' as const, leg: n <= 3 ? 'L1' : 'L2' })),
    classes: [{ code: 'A', name: 'A' }],
    entries: [1, 2].map((car) => ({ car, driver: { name: `D${car}` }, codriver: { name: `C${car}` }, make: 'M', model: 'X', class: 'A' })),
  };
}

const st = (car: number, stage: string, time: string): Fact => ({ type: 'stageTime', id: `st-${car}-${stage}`, car, stage, time });
// Car 1 drives every stage in 5:00.0; car 2 in 5:10.0 when it runs.
const car1 = ['SS1', 'SS2', 'SS3', 'SS4'].map((s) => st(1, s, '5:00.0'));
const retire = (id: string, where: string): Fact => ({ type: 'retirement', id, car: 2, where, reason: 'off the road', permanent: false });
const restart = (id: string, section: string): Fact => ({ type: 'restart', id, car: 2, section });

/** Car 2 retires on SS1, restarts at S2, retires on SS2, asks to restart at S3 — all in leg 1 — and drives SS3 and SS4. */
const twiceInLeg1: Fact[] = [
  ...car1, retire('r1', 'SS1'), restart('rs1', 'S2'), retire('r2', 'SS2'), restart('rs2', 'S3'), st(2, 'SS3', '5:10.0'), st(2, 'SS4', '5:10.0'),
];

describe('restartMaxPerLeg (FIA-regional Art 54, FMU26: at most once per leg; rally-rules §4.2)', () => {
  test('a second restart in the same leg is not honoured: the crew stays retired and is not classified', () => {
    const s = score(rally(), FIA, twiceInLeg1);
    const row = classify(s).rows.find((r) => r.car === 2)!;
    assert.equal(row.status, 'retired');
    assert.equal(row.position, null);
    // The first restart stands: SS1 is charged fastest in class (car 1, 5:00.0) + 10 min.
    assert.equal(explain(s, 2, 'SS1').status, 'restartCharged');
    assert.equal(explain(s, 2, 'SS1').resultMs, 300_000 + 600_000);
    // The second does not: SS2 is not charged, the crew is out from its retirement there.
    assert.notEqual(explain(s, 2, 'SS2').status, 'restartCharged');
    const c = classify(s);
    assert.deepEqual(c.retired.map((r) => [r.where, r.restartedAt ?? null]), [['SS1', 'S2'], ['SS2', null]]);
  });

  test('it is reported as a data-quality issue with a code, a severity and a fix that cites the rule', () => {
    const issues = dataIssues(score(rally(), FIA, twiceInLeg1)).filter((i) => i.code === 'restart-limit-exceeded');
    assert.equal(issues.length, 1);
    const i = issues[0]!;
    assert.equal(i.severity, 'error');
    assert.equal(i.car, 2);
    assert.deepEqual(i.facts, ['rs2', 'rs1']);
    assert.match(i.detail, /2nd time in leg L1/);
    assert.match(i.detail, /at most once per leg \(FIA-regional Art 54 \(FMU26\)\)/);
    assert.match(i.fix, /retract the restart/);
    assert.match(i.fix, /restartMaxPerLeg/);
  });

  test('one restart in each leg is allowed: car 2 is classified with both missed stages charged', () => {
    // Retires on SS1, restarts at S2 (leg 1); retires on SS3, restarts at S4 (leg 2, the first restart there).
    const facts: Fact[] = [...car1, retire('r1', 'SS1'), restart('rs1', 'S2'), st(2, 'SS2', '5:10.0'), retire('r2', 'SS3'), restart('rs2', 'S4'), st(2, 'SS4', '5:10.0')];
    const s = score(rally(), FIA, facts);
    const row = classify(s).rows.find((r) => r.car === 2)!;
    assert.equal(row.position, 2);
    assert.equal(row.stagesMs, 900_000 + 310_000 + 900_000 + 310_000);
    assert.ok(!dataIssues(s).some((i) => i.code === 'restart-limit-exceeded'));
    // The workings name the charge in words, not by its code.
    const text = formatWorkings(explain(s, 2));
    assert.match(text, /SS1 15:00\.0 \(Super Rally charge\)/);
    assert.ok(!/restartCharged|\(ok\)/.test(text), text);
  });

  test('supplementary regulations allowing two restarts per leg (override) honour the second one', () => {
    const def = rally({ restartMaxPerLeg: { value: 2, rule: 'SR 14.2' } });
    const resolved = resolveRules(def.rules);
    assert.deepEqual(resolved.errors, []);
    const s = score(def, resolved.rules, twiceInLeg1);
    const row = classify(s).rows.find((r) => r.car === 2)!;
    assert.equal(row.position, 2);
    assert.equal(row.stagesMs, 900_000 + 900_000 + 310_000 + 310_000);
    assert.ok(!dataIssues(s).some((i) => i.code === 'restart-limit-exceeded'));
  });
});
