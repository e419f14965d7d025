// Given facts / when scored / then results. A small FIA rally: three stages in
// two legs, each behind a time control with a 30-minute target from the stage
// finish before it. Expected values are worked out by hand from the rules.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fact } from '../facts.ts';
import type { RallyDefinition } from '../model.ts';
import type { RuleSet } from '../rules/types.ts';
import { getPreset } from '../rules/presets/index.ts';
import { resolveRules } from '../rules/resolve.ts';
import { applyFact, classify, createState, dataIssues, explain, formatWorkings, score, stageResults } from './index.ts';

const FIA = getPreset('fia') as RuleSet;

function rally(o: { superSpecialFirst?: boolean } = {}): RallyDefinition {
  const stage = (n: number, leg: string) => ({ code: `SS${n}`, name: `Stage ${n}`, distanceM: 10_000, type: (n === 1 && o.superSpecialFirst ? 'superSpecial' : 'special') as 'special', leg });
  const section = (n: number, first: boolean) => ({
    id: `S${n}`,
    controls: [
      { id: `TC${n}`, kind: 'TC' as const, ...(first ? {} : { targetMs: 30 * 60_000 }) },
      { id: `SS${n}S`, kind: 'SS_START' as const, stage: `SS${n}` },
      { id: `SS${n}SP1`, kind: 'SPLIT' as const, stage: `SS${n}`, splitDistanceM: 5_000 },
      { id: `SS${n}F`, kind: 'SS_FINISH' as const, stage: `SS${n}` },
    ],
  });
  return {
    id: 't', name: 'Test rally', timeZone: 'Europe/London', distanceUnit: 'km', startDate: '2026-02-06', endDate: '2026-02-07',
    rules: { preset: 'fia', version: FIA.version },
    legs: [
      { id: 'L1', name: 'Leg 1', date: '2026-02-06', sections: [section(1, true), section(2, false)] },
      { id: 'L2', name: 'Leg 2', date: '2026-02-07', sections: [section(3, true)] },
    ],
    stages: [stage(1, 'L1'), stage(2, 'L1'), stage(3, 'L2')],
    classes: [{ code: 'A', name: 'A' }, { code: 'B', name: 'B' }],
    entries: [1, 2, 3, 4].map((car) => ({ car, driver: { name: `D${car}` }, codriver: { name: `C${car}` }, make: 'M', model: 'X', class: car <= 2 ? 'A' : 'B' })),
  };
}

let n = 0;
const st = (car: number, stage: string, time: string, more: Partial<Fact> = {}): Fact => ({ type: 'stageTime', id: `st${++n}`, car, stage, time, ...more } as Fact);
const pen = (car: number, seconds: number, where: { stage?: string; control?: string } = {}, id = `p${++n}`): Fact => ({ type: 'penalty', id, car, seconds, reason: 'stewards', ...where });
/** Every car gets a time on every stage: car c drives each stage in 5:00.0 + c seconds. */
const base = (cars = [1, 2, 3, 4], stages = ['SS1', 'SS2', 'SS3']): Fact[] => cars.flatMap((c) => stages.map((s) => st(c, s, `5:0${c}.0`, { id: `b${c}${s}` })));
const posOf = (facts: Fact[], opts: Parameters<typeof classify>[1] = {}, def = rally(), rules = FIA) => new Map(classify(score(def, rules, facts), opts).rows.map((r) => [r.car, r]));

describe('stage times', () => {
  test('from start and finish times of day across midnight: 23:58:30.0 → 00:03:15.27 is 4:45.27, truncated to 4:45.2 (FIA Art 47.1, truncation)', () => {
    const facts: Fact[] = [
      { type: 'controlTime', id: 'a', car: 1, control: 'SS1S', at: '2026-02-06T23:58:30.0' },
      { type: 'controlTime', id: 'b', car: 1, control: 'SS1SP1', at: '2026-02-07T00:01:00.5' },
      { type: 'controlTime', id: 'c', car: 1, control: 'SS1F', at: '2026-02-07T00:03:15.27' },
    ];
    const row = stageResults(score(rally(), FIA, facts), 'SS1').rows[0];
    assert.equal(row?.timeMs, 4 * 60_000 + 45_200);
    assert.deepEqual(row?.splitsMs, { SS1SP1: 150_500 });
  });

  test('a finish before its start is an error issue naming both times as rally people write them, and leaves the crew on stage', () => {
    const facts: Fact[] = [
      { type: 'controlTime', id: 'a', car: 1, control: 'SS1S', at: '2026-02-06T10:29:00' },
      { type: 'controlTime', id: 'b', car: 1, control: 'SS1F', at: '2026-02-06T10:20:00.5' },
    ];
    const state = score(rally(), FIA, facts);
    const issue = dataIssues(state).find((i) => i.code === 'finish-before-start');
    assert.ok(issue, 'a finish-before-start issue');
    assert.equal(issue.severity, 'error');
    assert.deepEqual(issue.facts, ['a', 'b']);
    assert.equal(issue.detail, 'finish 10:20:00.5 is before start 10:29:00.0');
    assert.equal(stageResults(state, 'SS1').rows.find((r) => r.car === 1)?.status, 'running');
  });

  test('a stage-time fact is used before start/finish times of day for the same stage', () => {
    const facts: Fact[] = [
      { type: 'controlTime', id: 'a', car: 1, control: 'SS1S', at: '2026-02-06T10:00:00' },
      { type: 'controlTime', id: 'b', car: 1, control: 'SS1F', at: '2026-02-06T10:05:00' },
      st(1, 'SS1', '4:59.9', { source: 'rallysafe' }),
    ];
    assert.equal(stageResults(score(rally(), FIA, facts), 'SS1').rows[0]?.timeMs, 299_900);
  });

  test('two different stage times for car 1 on SS1 (seq 5 says 5:01.0, seq 9 says 5:09.0): seq 5 is used in either arrival order, and the conflict is an issue', () => {
    const a = st(1, 'SS1', '5:01.0', { id: 'x', seq: 9 }), b = st(1, 'SS1', '5:09.0', { id: 'y', seq: 5 });
    for (const facts of [[a, b], [b, a]]) {
      const s = score(rally(), FIA, facts);
      assert.equal(stageResults(s, 'SS1').rows[0]?.timeMs, 309_000);
      const issue = dataIssues(s).find((i) => i.code === 'two-times-one-control');
      assert.deepEqual(issue?.facts, ['y', 'x']);
      assert.equal(issue?.severity, 'error');
    }
  });

  test('a correction that arrives before the time it supersedes wins; a retraction withdraws a time', () => {
    const original = st(1, 'SS1', '5:30.0', { id: 'orig' });
    const fix = st(1, 'SS1', '5:03.0', { id: 'fix', supersedes: 'orig', reason: 'beam misread', by: 'results' });
    const s = score(rally(), FIA, [fix, original]);
    assert.equal(stageResults(s, 'SS1').rows[0]?.timeMs, 303_000);
    const w = explain(s, 1, 'SS1');
    assert.deepEqual(w.factsSuperseded.map((f) => [f.id, f.by]), [['orig', 'results']]);
    assert.match(w.factsSuperseded[0]?.reason ?? '', /beam misread/);
    const retracted = score(rally(), FIA, [original, { type: 'retraction', id: 'r', supersedes: 'orig', reason: 'wrong car' }]);
    assert.deepEqual(stageResults(retracted, 'SS1').rows, []);
  });

  test('WRC power stage timed to 0.001 s: 10:14.882 ranks as 10:14.882 and counts 10:14.8 in the total', () => {
    const def = rally();
    def.stages[2] = { ...def.stages[2]!, type: 'power', precisionMs: 1 };
    const s = score(def, FIA, [...base([1], ['SS1', 'SS2']), st(1, 'SS3', '10:14.882')]);
    assert.equal(stageResults(s, 'SS3').rows[0]?.timeMs, 614_882);
    assert.equal(classify(s).rows[0]?.stagesMs, 2 * 301_000 + 614_800);
  });

  test('equal stage times share the stage position and both win: 5:01.0, 5:01.0, 5:02.0 → 1, 1, 3', () => {
    const s = score(rally(), FIA, [st(1, 'SS1', '5:01.0'), st(2, 'SS1', '5:01.0'), st(3, 'SS1', '5:02.0')]);
    const r = stageResults(s, 'SS1');
    assert.deepEqual(r.rows.map((x) => [x.car, x.position, x.gapToWinnerMs]), [[1, 1, null], [2, 1, 0], [3, 3, 1000]]);
    assert.deepEqual(r.winners.map((w) => w.car), [1, 2]);
  });
});

describe('penalties', () => {
  test('a 40 s penalty at TC2 (after SS1, before SS2) counts after SS1; one with no place counts only at the end', () => {
    const facts = [...base(), pen(1, 40, { control: 'TC2' }), pen(2, 7)];
    const after1 = posOf(facts, { after: 'SS1' });
    assert.equal(after1.get(1)?.penaltyMs, 40_000);
    assert.equal(after1.get(2)?.penaltyMs, 0);
    const final = posOf(facts);
    assert.equal(final.get(2)?.penaltyMs, 7_000);
    assert.equal(final.get(1)?.totalMs, 3 * 301_000 + 40_000);
  });

  test('jump starts decided by officials: 1st offence 10 s, 2nd 1 min across the rally (FIA Art 48.6); a photocell record alone charges nothing and is flagged', () => {
    const facts: Fact[] = [...base(),
      { type: 'jumpStart', id: 'j1', car: 3, stage: 'SS1', source: 'official' },
      { type: 'jumpStart', id: 'j2', car: 3, stage: 'SS3' },
      { type: 'jumpStart', id: 'j3', car: 4, stage: 'SS2', source: 'photocell' }];
    const s = score(rally(), FIA, facts);
    const rows = new Map(classify(s).rows.map((r) => [r.car, r]));
    assert.equal(rows.get(3)?.otherPenaltyMs, 70_000);
    assert.equal(rows.get(4)?.otherPenaltyMs, 0);
    assert.ok(dataIssues(s).some((i) => i.code === 'jump-start-not-penalised' && i.car === 4));
    assert.equal(stageResults(s, 'SS3').rows.find((r) => r.car === 3)?.penaltyMs, 60_000);
  });

  test('road penalty from times of day (target counted from the stage start): SS1 start 10:00:00 + 30 min → due at TC2 10:30, checked in 10:32:10 → 2 min late × 10 s = 20 s (FIA Art 44.2.10a)', () => {
    const { rules } = resolveRules({ preset: 'fia', version: FIA.version, overrides: { targetFrom: { value: 'stageStart', rule: 'SR 5.1' } } });
    const facts: Fact[] = [...base([1]),
      { type: 'controlTime', id: 's1', car: 1, control: 'SS1S', at: '2026-02-06T10:00:00' },
      { type: 'controlTime', id: 'f1', car: 1, control: 'SS1F', at: '2026-02-06T10:05:40' },
      { type: 'controlTime', id: 't2', car: 1, control: 'TC2', at: '2026-02-06T10:32:10' }];
    const s = score(rally(), rules, facts);
    assert.equal(classify(s).rows[0]?.roadPenaltyMs, 20_000);
    assert.match(formatWorkings(explain(s, 1)), /road penalty at TC2: due 10:30, checked in 10:32, 2 min late/);
  });
});

describe('status', () => {
  test('20 min late at TC2 (more than the 15 min allowed per target, FIA Arts 45.1–45.3): retired at TC2, flagged, and back in after a restart at leg 2', () => {
    const { rules } = resolveRules({ preset: 'fia', version: FIA.version, overrides: { targetFrom: { value: 'stageStart', rule: 'SR 5.1' } } });
    const facts: Fact[] = [...base([1, 2, 3]), st(4, 'SS1', '5:04.0'), st(4, 'SS3', '5:04.0'),
      { type: 'controlTime', id: 's1', car: 4, control: 'SS1S', at: '2026-02-06T10:00:00' },
      { type: 'controlTime', id: 't2', car: 4, control: 'TC2', at: '2026-02-06T10:50:30' }];
    const s = score(rally(), rules, facts);
    const c = classify(s, { after: 'SS2' });
    assert.equal(c.rows.find((r) => r.car === 4)?.status, 'retired');
    assert.match(c.retired.find((r) => r.car === 4)?.reason ?? '', /maximum lateness/);
    assert.ok(dataIssues(s).some((i) => i.code === 'max-lateness-exceeded' && i.car === 4));
    const restarted = applyFact(s, { type: 'restart', id: 'rs4', car: 4, section: 'S3' });
    const row = classify(restarted).rows.find((r) => r.car === 4);
    assert.notEqual(row?.position, null);
    // SS2 missed: fastest in class B on SS2 (car 3, 5:03.0) + 10 min; due 10:30, checked in 10:50 → 20 min × 10 s = 200 s.
    assert.equal(row?.stagesMs, 304_000 + 303_000 + 600_000 + 304_000);
    assert.equal(row?.roadPenaltyMs, 200_000);
  });

  test('a permanent retirement after the last stage: all three times, not classified', () => {
    const facts = [...base(), { type: 'retirement', id: 'r', car: 2, where: 'SS3F', reason: 'engine', permanent: true } as Fact];
    const c = classify(score(rally(), FIA, facts));
    assert.equal(c.rows.find((r) => r.car === 2)?.position, null);
    assert.deepEqual(c.retired.map((r) => [r.car, r.where, r.permanent]), [[2, 'SS3F', true]]);
    assert.deepEqual(c.rows.filter((r) => r.position !== null).map((r) => r.car), [1, 3, 4]);
  });

  test('started SS2 and retired on it: the workings say retired on SS2 with the reason, not that the crew is still on the stage', () => {
    const facts: Fact[] = [st(1, 'SS1', '5:01.0'), st(2, 'SS1', '5:02.0'), st(2, 'SS2', '5:02.0'), { type: 'controlTime', id: 's2', car: 1, control: 'SS2S', at: '2026-02-06T10:40:00' },
      { type: 'retirement', id: 'r', car: 1, where: 'SS2', reason: 'gearbox', permanent: true } as Fact];
    const state = score(rally(), FIA, facts);
    const stage = explain(state, 1, 'SS2');
    assert.ok(stage.steps.some((s) => s.label === 'started at 10:40:00.0, retired on SS2: gearbox' && s.facts?.[0]?.id === 'r'), JSON.stringify(stage.steps));
    // The code stays `running` (no finish recorded); everything a person reads says retired.
    assert.deepEqual([stage.status, stage.retiredHere], ['running', true]);
    assert.equal(formatWorkings(stage).split('\n')[0], 'car 1, SS2: no result (retired)');
    const total = explain(state, 1).steps;
    assert.ok(total.some((s) => s.label === 'SS2 no time (retired)'), JSON.stringify(total));
    // What it drove before retiring is no classified total (5:01.0 on SS1).
    assert.ok(total.some((s) => s.label.startsWith('accumulated before retiring 5:01.0 = stages 5:01.0')), JSON.stringify(total));
    assert.ok(!total.some((s) => s.label.startsWith('total ')), JSON.stringify(total));
  });

  test('retired at the finish control of the stage it started (SS2F): the stage workings say retired, not on stage', () => {
    const facts: Fact[] = [st(1, 'SS1', '5:01.0'), st(2, 'SS1', '5:02.0'), st(2, 'SS2', '5:02.0'), { type: 'controlTime', id: 's2', car: 1, control: 'SS2S', at: '2026-02-06T10:40:00' },
      { type: 'retirement', id: 'r', car: 1, where: 'SS2F', reason: 'gearbox', permanent: true } as Fact];
    const stage = explain(score(rally(), FIA, facts), 1, 'SS2');
    assert.equal(stage.retiredHere, true);
    assert.match(formatWorkings(stage), /^car 1, SS2: no result \(retired\)\n/);
    const driving = explain(score(rally(), FIA, facts.filter((f) => f.id !== 'r')), 1, 'SS2');
    assert.equal(formatWorkings(driving).split('\n')[0], 'car 1, SS2: no result (on stage)', 'without the retirement the crew is on the stage');
  });

  test('retired on SS2, restarted at leg 2 (section S3) under Super Rally: SS2 charged fastest in class A (car 1, 5:01.0) + 10 min (FIA Art 54)', () => {
    const facts: Fact[] = [...base([1, 3, 4]), st(2, 'SS1', '5:02.0'), st(2, 'SS3', '5:02.0'),
      { type: 'retirement', id: 'r', car: 2, where: 'SS2', reason: 'off', permanent: false },
      { type: 'restart', id: 'rs', car: 2, section: 'S3' }];
    const s = score(rally(), FIA, facts);
    const row = classify(s).rows.find((r) => r.car === 2);
    assert.equal(row?.stagesMs, 302_000 + (301_000 + 600_000) + 302_000);
    assert.equal(explain(s, 2, 'SS2').status, 'restartCharged');
    // Before the restart is recorded the crew is retired after SS2 (and classified after SS1, before it retired).
    const noRestart = score(rally(), FIA, facts.filter((f) => f.type !== 'restart'));
    assert.equal(classify(noRestart, { after: 'SS2' }).rows.find((r) => r.car === 2)?.status, 'retired');
    assert.equal(classify(noRestart, { after: 'SS1' }).rows.find((r) => r.car === 2)?.position, 2); // 5:02.0 behind car 1's 5:01.0
  });

  test('an assessed stage time given by the officials replaces the Super Rally charge', () => {
    const facts: Fact[] = [...base([1, 3, 4]), st(2, 'SS1', '5:02.0'), st(2, 'SS2', '7:00.0', { assessed: true }), st(2, 'SS3', '5:02.0'),
      { type: 'retirement', id: 'r', car: 2, where: 'SS2', reason: 'off' }, { type: 'restart', id: 'rs', car: 2, section: 'S3' }];
    assert.equal(posOf(facts).get(2)?.stagesMs, 302_000 + 420_000 + 302_000);
  });

  test('a restart after a permanent retirement is refused and reported', () => {
    const facts: Fact[] = [...base(), { type: 'retirement', id: 'r', car: 2, where: 'SS1', reason: 'fire', permanent: true }, { type: 'restart', id: 'rs', car: 2, section: 'S3' }];
    const s = score(rally(), FIA, facts);
    assert.equal(classify(s).rows.find((r) => r.car === 2)?.position, null);
    assert.ok(dataIssues(s).some((i) => i.code === 'restart-not-allowed' && i.car === 2));
  });

  test('an excluded crew is not classified and is listed with its reason', () => {
    const c = classify(score(rally(), FIA, [...base(), { type: 'exclusion', id: 'x', car: 1, reason: 'headlights not as the rules require', rule: 'SR 9.1' }]));
    assert.equal(c.rows.find((r) => r.car === 1)?.status, 'excluded');
    assert.deepEqual(c.excluded, [{ car: 1, reason: 'headlights not as the rules require', rule: 'SR 9.1', factId: 'x' }]);
    assert.equal(c.rows[0]?.car, 2);
  });

  test('SS2 interrupted: notional 5:00.0 for car 4 (which had no time) enters totals like a real time', () => {
    const facts: Fact[] = [...base([1, 2, 3]), st(4, 'SS1', '5:04.0'), st(4, 'SS3', '5:04.0'),
      { type: 'stageInterrupted', id: 'i', stage: 'SS2', reason: 'road blocked', notionalTimes: [{ car: 4, time: '5:00.0' }] }];
    const s = score(rally(), FIA, facts);
    assert.equal(classify(s).rows.find((r) => r.car === 4)?.totalMs, 304_000 + 300_000 + 304_000);
    assert.equal(stageResults(s, 'SS2').rows[0]?.status, 'notional');
    assert.equal(stageResults(s, 'SS2').interrupted, true);
  });

  test('SS2 cancelled: dropped from every total; cars without an SS2 time are still classified', () => {
    const facts: Fact[] = [...base([1, 2], ['SS1', 'SS3']), st(1, 'SS2', '5:00.0'), { type: 'stageCancelled', id: 'c', stage: 'SS2', reason: 'snow' }];
    const rows = posOf(facts);
    assert.equal(rows.get(1)?.stagesMs, 2 * 301_000);
    assert.equal(rows.get(2)?.position, 2);
  });

  test('a crew still running is classified after SS1 once it has SS1, but not after SS2 without SS2', () => {
    const facts = [...base([1, 2, 3]), st(4, 'SS1', '5:04.0')];
    assert.equal(posOf(facts, { after: 'SS1' }).get(4)?.position, 4);
    assert.equal(posOf(facts, { after: 'SS2' }).get(4)?.position, null);
    assert.equal(posOf(facts, { after: 'SS2' }).get(4)?.status, 'running');
  });
});

describe('classification', () => {
  test('gaps, class positions and position change: car 4 takes SS3 by 20 s and rises from 4th to 1st', () => {
    const facts = [...base([1, 2, 3], ['SS1', 'SS2', 'SS3']), st(4, 'SS1', '5:04.0'), st(4, 'SS2', '5:04.0'), st(4, 'SS3', '4:41.0')];
    // Totals: car 4 5:04 + 5:04 + 4:41 = 14:49; car 1 3 × 5:01 = 15:03 (+14 s); car 2 15:06 (+17 s); car 3 15:09 (+20 s).
    const c = classify(score(rally(), FIA, facts));
    assert.deepEqual(c.rows.map((r) => [r.car, r.position, r.classPosition, r.gapToLeaderMs, r.gapToPrevMs, r.positionChange]), [
      [4, 1, 1, null, null, 3],
      [1, 2, 1, 14_000, 14_000, -1],
      [2, 3, 2, 17_000, 3_000, -1],
      [3, 4, 2, 20_000, 3_000, -1],
    ]);
    assert.deepEqual(c.stageWinners.map((w) => [w.stage, w.cars]), [['SS1', [1]], ['SS2', [1]], ['SS3', [4]]]);
  });

  test('class B only: positions are class positions', () => {
    const c = classify(score(rally(), FIA, base()), { class: 'B' });
    assert.deepEqual(c.rows.map((r) => [r.car, r.position]), [[3, 1], [4, 2]]);
  });

  test('leg 2 only: SS3 and the penalties incurred in leg 2', () => {
    const facts = [...base(), pen(1, 30, { control: 'TC2' }), pen(1, 10, { stage: 'SS3' })];
    const row = posOf(facts, { leg: 'L2' }).get(1);
    assert.equal(row?.stagesMs, 301_000);
    assert.equal(row?.penaltyMs, 10_000);
  });

  test('leg 2 is the last leg and SS3 ends the rally: crews that completed it are finished in the leg view as in the overall; after leg 1 they are still running', () => {
    const facts = base().filter((f) => !(f.type === 'stageTime' && f.car === 4 && f.stage === 'SS3'));
    const s = score(rally(), FIA, facts);
    // Car 4 has not driven SS3 yet: the leg and the rally are not over for it.
    assert.deepEqual(classify(s, { leg: 'L2' }).rows.map((r) => [r.car, r.status]), [[1, 'finished'], [2, 'finished'], [3, 'finished'], [4, 'running']]);
    assert.deepEqual(classify(s).rows.filter((r) => r.car !== 4).map((r) => r.status), ['finished', 'finished', 'finished']);
    assert.deepEqual(classify(s, { leg: 'L1' }).rows.map((r) => r.status), ['running', 'running', 'running', 'running']);
    // Its SS3 time arrives (the classification brought up to date, not rebuilt): finished too.
    const later = applyFact(s, st(4, 'SS3', '5:04.0'));
    assert.equal(classify(later, { leg: 'L2' }).rows.find((r) => r.car === 4)?.status, 'finished');
  });

  test('dead heat under FIA (first stage that is not a super special, Art 64.3): SS1 is a super special, SS2 decides', () => {
    // Car 1: 5:00 + 5:10 + 5:00; car 2: 5:10 + 5:00 + 5:00 — equal totals; car 2 is faster on SS2.
    const facts = [st(1, 'SS1', '5:00.0'), st(1, 'SS2', '5:10.0'), st(1, 'SS3', '5:00.0'), st(2, 'SS1', '5:10.0'), st(2, 'SS2', '5:00.0'), st(2, 'SS3', '5:00.0')];
    const s = score(rally({ superSpecialFirst: true }), FIA, facts);
    assert.deepEqual(classify(s).rows.slice(0, 2).map((r) => r.car), [2, 1]);
    const w = explain(s, 1);
    assert.ok(w.steps.some((x) => /dead heat with car 2: decided on SS2/.test(x.label)));
    // WRC practice (first stage) decides the other way.
    const { rules } = resolveRules({ preset: 'fia', version: FIA.version, overrides: { tieBreak: { value: 'firstStage', rule: 'SR' } } });
    assert.deepEqual(classify(score(rally({ superSpecialFirst: true }), rules, facts)).rows.slice(0, 2).map((r) => r.car), [1, 2]);
  });
});

describe('workings and state', () => {
  test('explain a stage lists raw time, truncation with its rule, and marks the unconfirmed rounding rule', () => {
    const s = score(rally(), FIA, [st(1, 'SS1', '5:01.27')]);
    const w = explain(s, 1, 'SS1');
    assert.equal(w.resultMs, 301_200);
    assert.ok(w.rules.some((r) => r.key === 'stageRounding' && r.confirmed === false));
    assert.match(formatWorkings(w), /truncate to 0\.1 s: 5:01\.2/);
  });

  test('penalties print as +0:40.0 in the workings text', () => {
    const text = formatWorkings(explain(score(rally(), FIA, [...base(), pen(1, 40, { control: 'TC2' })]), 1));
    assert.match(text, /\+0:40\.0/);
  });

  test('an older state stays valid after newer facts are folded', () => {
    const s1 = score(rally(), FIA, base());
    const before = classify(s1).rows.map((r) => r.totalMs);
    const s2 = applyFact(s1, pen(1, 100));
    assert.deepEqual(classify(s1).rows.map((r) => r.totalMs), before);
    assert.notDeepEqual(classify(s2).rows.map((r) => r.totalMs), before);
    const s3 = applyFact(s1, pen(2, 50));
    assert.equal(classify(s3).rows.find((r) => r.car === 1)?.penaltyMs, 0);
    assert.equal(s3.factCount, s1.factCount + 1);
  });

  test('a fact for a car not on the entry list is reported, never classified', () => {
    const s = applyFact(createState(rally(), FIA), st(99, 'SS1', '5:00.0'));
    assert.ok(dataIssues(s).some((i) => i.code === 'unknown-car' && i.car === 99));
    assert.equal(classify(s).rows.some((r) => r.car === 99), false);
  });

  test('an unparsable time is an issue, never a crash or NaN', () => {
    const s = score(rally(), FIA, [st(1, 'SS1', '5:xx'), { type: 'controlTime', id: 'c', car: 1, control: 'SS2S', at: 'yesterday' }]);
    assert.equal(dataIssues(s).filter((i) => i.code === 'unparsable-time').length, 2);
    assert.ok(classify(s).rows.every((r) => Number.isFinite(r.totalMs)));
  });
});
