// A complete rally whose Power Stage (its last stage) is cancelled, and a
// shortened rally, scored from facts to championship points.
// SEE: rally-rules §3.4 (a cancelled stage is dropped for everyone), §5
// (classification), §6.1 (Power Stage points need the stage run — FMU26
// Art 50.3; shortened rally: ≥75 % full, ≥50 % half, ≥25 % a third — FMU26 Art 3.1).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fact } from '../facts.ts';
import type { RallyDefinition } from '../model.ts';
import type { RuleSet } from '../rules/types.ts';
import { getPreset } from '../rules/presets/index.ts';
import { classify, score } from '../scoring/index.ts';
import { awardRound } from './round-points.ts';
import { roundFromScoredRally } from './from-classification.ts';
import { fiaWrc2017 } from './schemes.ts';
import type { Championship } from './season.ts';

const FIA = getPreset('fia') as RuleSet;
const drivers: Championship = { id: 'd', name: 'Drivers', kind: 'drivers', scheme: 'fia-wrc-2017' };

/** Four stages of 10 km in two legs; SS4 is the Power Stage; a final TC after it. */
function rally(): RallyDefinition {
  const stage = (n: number, leg: string, type: 'special' | 'power' = 'special') => ({ code: `SS${n}`, name: `Stage ${n}`, distanceM: 10_000, type, leg });
  const ss = (n: number) => [
    { id: `SS${n}S`, kind: 'SS_START' as const, stage: `SS${n}` },
    { id: `SS${n}F`, kind: 'SS_FINISH' as const, stage: `SS${n}` },
  ];
  return {
    id: 'cps', name: 'Cancelled Power Stage rally', timeZone: 'Europe/London', distanceUnit: 'km', startDate: '2026-03-07', endDate: '2026-03-08',
    rules: { preset: 'fia', version: FIA.version },
    legs: [
      { id: 'L1', name: 'Saturday', date: '2026-03-07', sections: [{ id: 'A', controls: [...ss(1), ...ss(2)] }] },
      { id: 'L2', name: 'Sunday', date: '2026-03-08', sections: [{ id: 'B', controls: [...ss(3), ...ss(4), { id: 'TCF', kind: 'TC' as const }] }] },
    ],
    stages: [stage(1, 'L1'), stage(2, 'L1'), stage(3, 'L2'), stage(4, 'L2', 'power')],
    classes: [{ code: 'RC1', name: 'Rally1' }, { code: 'RC2', name: 'Rally2' }],
    entries: [1, 2, 3, 4, 5].map((car) => ({ car, driver: { name: `D${car}` }, codriver: { name: `C${car}` }, make: 'M', model: 'X', class: car <= 3 ? 'RC1' : 'RC2' })),
  };
}

/** Car c drives every stage in 5:00.0 + c seconds, except where `skip` says. */
function times(stages: string[], skip: Record<number, string[]> = {}): Fact[] {
  return [1, 2, 3, 4, 5].flatMap((c) => stages.filter((s) => !(skip[c] ?? []).includes(s))
    .map((s): Fact => ({ type: 'stageTime', id: `${c}-${s}`, car: c, stage: s, time: `5:0${c}.0` })));
}

const cancel = (stage: string): Fact => ({ type: 'stageCancelled', id: `x-${stage}`, stage, reason: 'spectators on the road' });

describe('a complete rally with a cancelled Power Stage (rally-rules §3.4, §5, §6.1)', () => {
  const facts = [...times(['SS1', 'SS2', 'SS3']), cancel('SS4'),
    { type: 'penalty', id: 'pen-end', car: 1, seconds: 5, reason: 'late at the final TC', control: 'TCF' } as Fact];
  const state = score(rally(), FIA, facts);

  test('every crew that ran every stage run is finished and classified, with class places', () => {
    const c = classify(state);
    assert.deepEqual(c.rows.map((r) => [r.car, r.status, r.position, r.classPosition]),
      [[2, 'finished', 1, 1], [1, 'finished', 2, 2], [3, 'finished', 3, 3], [4, 'finished', 4, 1], [5, 'finished', 5, 2]]);
    // Car 1's penalty at the final TC, after the cancelled Power Stage, counts in the final total.
    assert.equal(c.rows.find((r) => r.car === 1)!.totalMs, 3 * 301_000 + 5_000);
  });

  test('class classification is final too', () => {
    const c = classify(state, { class: 'RC2' });
    assert.deepEqual(c.rows.map((r) => [r.car, r.status, r.position]), [[4, 'finished', 1], [5, 'finished', 2]]);
  });

  test('championship points on the final classification, no Power Stage points, and the workings say why (FMU26 Art 50.3)', () => {
    const round = roundFromScoredRally(state, { round: 'r1', status: 'final', source: 'test' });
    assert.equal(round.powerStageVoid, true);
    assert.equal(round.runShare, 0.75);
    const a = awardRound(drivers, fiaWrc2017, round);
    const pts = new Map(a.map((x) => [x.competitor, x.total]));
    assert.deepEqual(['D2', 'D1', 'D3', 'D4', 'D5'].map((d) => pts.get(d)), [25, 18, 15, 12, 10]);
    assert.ok(a.every((x) => x.lines.every((l) => l.source !== 'powerStage')));
    assert.ok(a[0]!.notes.some((n) => /Power Stage void/.test(n)));
  });

  test('a crew retired on SS3 is not classified', () => {
    const s = score(rally(), FIA, [...times(['SS1', 'SS2', 'SS3'], { 5: ['SS3'] }), cancel('SS4'),
      { type: 'retirement', id: 'r5', car: 5, where: 'SS3', reason: 'engine' } as Fact]);
    const row = classify(s).rows.find((r) => r.car === 5)!;
    assert.equal(row.status, 'retired');
    assert.equal(row.position, null);
  });

  test('a crew that has not yet run SS3 is still running while the others have finished', () => {
    const s = score(rally(), FIA, [...times(['SS1', 'SS2', 'SS3'], { 5: ['SS3'] }), cancel('SS4')]);
    const c = classify(s);
    assert.equal(c.rows.find((r) => r.car === 5)!.status, 'running');
    assert.equal(c.rows.find((r) => r.car === 1)!.status, 'finished');
  });
});

describe('a shortened rally (rally-rules §6.1, FMU26 Art 3.1)', () => {
  test('two of four equal stages cancelled: 50 % run, half points, and the workings say why', () => {
    const state = score(rally(), FIA, [...times(['SS1', 'SS3']), cancel('SS2'), cancel('SS4')]);
    const round = roundFromScoredRally(state, { round: 'r1', status: 'final', source: 'test' });
    assert.equal(round.runShare, 0.5);
    assert.match(round.basis!.runShare!, /20\.00 km of 40\.00 km .*50\.0 %.*SS2, SS4 cancelled/);
    const a = awardRound(drivers, fiaWrc2017, round);
    const winner = a.find((x) => x.competitor === 'D1')!;
    assert.equal(winner.total, 12.5);
    assert.ok(winner.notes.some((n) => /shortened rally: 20\.00 km of 40\.00 km.*× 0\.5/.test(n)), winner.notes.join(' | '));
  });

  test('three of four cancelled: 25 % run, a third of the points', () => {
    const state = score(rally(), FIA, [...times(['SS1']), cancel('SS2'), cancel('SS3'), cancel('SS4')]);
    const a = awardRound(drivers, fiaWrc2017, roundFromScoredRally(state, { round: 'r1', status: 'final', source: 'test' }));
    assert.equal(a.find((x) => x.competitor === 'D1')!.total, 8.33);
  });

  test('only SS1 of five stages of unequal length run (under 25 %): no points, said why', () => {
    const def = rally();
    def.stages = def.stages.map((s) => (s.code === 'SS1' ? { ...s, distanceM: 5_000 } : s));
    const state = score(def, FIA, [...times(['SS1']), cancel('SS2'), cancel('SS3'), cancel('SS4')]);
    const a = awardRound(drivers, fiaWrc2017, roundFromScoredRally(state, { round: 'r1', status: 'final', source: 'test' }));
    const winner = a.find((x) => x.competitor === 'D1')!;
    assert.equal(winner.total, 0);
    assert.ok(winner.notes.some((n) => /14\.3 %.*no points/.test(n)), winner.notes.join(' | '));
  });

  test('no cancelled stage: no share recorded, full points', () => {
    const state = score(rally(), FIA, times(['SS1', 'SS2', 'SS3', 'SS4']));
    const round = roundFromScoredRally(state, { round: 'r1', status: 'final', source: 'test' });
    assert.equal(round.runShare, undefined);
    assert.equal(awardRound(drivers, fiaWrc2017, round).find((x) => x.competitor === 'D1')!.total, 30);
  });
});
