// Standings, dropped rounds, count-back and title maths on small seasons built
// by hand; and the official WRC 2018 points of fixtures/real as a golden check.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { computeStandings, compareCountBack, chooseCounted } from './standings.ts';
import { titleMaths } from './title-maths.ts';
import { awardRound } from './round-points.ts';
import { araNational2026, fiaWrc2017, customScheme } from './schemes.ts';
import { parseDuration } from '../time/index.ts';
import type { Championship, RoundResult, Season, RoundCrewResult } from './season.ts';

function season(rounds: number, championships: Championship[]): Season {
  return {
    id: 's', series: { id: 'x', name: 'X', body: 'test' }, year: 2026, name: 'S', classes: [{ code: 'O4WD', name: 'Open 4WD' }],
    rounds: Array.from({ length: rounds }, (_, i) => ({ id: `r${i + 1}`, round: i + 1, name: `Round ${i + 1}`, startDate: null, endDate: null, confirmed: true, source: 'test' })),
    championships, sources: {},
  };
}

/** A round where the listed drivers finish in that order. */
function finishing(round: string, order: string[], retired: string[] = []): RoundResult {
  const crews: RoundCrewResult[] = order.map((driver, i) => ({ driver, make: 'M', class: 'O4WD', status: 'finished', position: i + 1 }));
  for (const driver of retired) crews.push({ driver, make: 'M', class: 'O4WD', status: 'retired', position: null });
  return { round, status: 'final', crews, source: 'test' };
}

const simple = customScheme({ id: 'simple', name: '10-6-4', points: [10, 6, 4], rule: 'test table' });
const champ: Championship = { id: 'd', name: 'Drivers', kind: 'drivers', scheme: 'simple' };

describe('standings', () => {
  test('two rounds 10-6-4: A 1st+2nd = 16, B 2nd+1st = 16, C 3rd+3rd = 8', () => {
    const s = computeStandings(season(3, [champ]), champ, simple, [finishing('r1', ['A', 'B', 'C']), finishing('r2', ['B', 'A', 'C'])]);
    assert.deepEqual(s.rows.map((r) => [r.competitor, r.total]), [['A', 16], ['B', 16], ['C', 8]]);
    assert.deepEqual(s.roundsRemaining, ['r3']);
  });

  test('count-back: equal 16 points, A has two wins against B\'s one → A ahead (FMU26 Art 8.1)', () => {
    const s = computeStandings(season(3, [champ]), champ, simple, [
      finishing('r1', ['A', 'B']), finishing('r2', ['B', 'C']), finishing('r3', ['C', 'A', 'B']),
    ]);
    // A 10+0+6 = 16 (1 win, 1 second), B 6+10+4 = 20, C 0+6+10 = 16 (1 win, 1 second) — A and C equal on count-back too.
    assert.equal(s.rows[0]!.competitor, 'B');
    const a = s.rows.find((r) => r.competitor === 'A')!;
    const c = s.rows.find((r) => r.competitor === 'C')!;
    assert.equal(a.total, 16);
    assert.equal(c.total, 16);
    assert.equal(a.rank, c.rank, 'equal points and equal count-back share the rank');
  });

  test('count-back decided on seconds: A 1 win + 2 seconds vs B 1 win + 1 second + 1 third (6+10+6+0 vs 10+6+4+...)', () => {
    const table = customScheme({ id: 't', name: 't', points: [10, 6, 4, 2], rule: 'test' });
    // A: 10 + 6 + 6 = 22 ; B: 6 + 10 + 4 + 2 = 22
    const s = computeStandings(season(4, [champ]), champ, table, [
      finishing('r1', ['A', 'B']), finishing('r2', ['B', 'A']), finishing('r3', ['X', 'A', 'B']), finishing('r4', ['X', 'Y', 'Z', 'B']),
    ]);
    const a = s.rows.find((r) => r.competitor === 'A')!;
    const b = s.rows.find((r) => r.competitor === 'B')!;
    assert.equal(a.total, 22);
    assert.equal(b.total, 22);
    assert.ok(a.rank < b.rank);
    assert.match(a.tieBreak ?? '', /2 × 2nd place against 1/);
  });

  test('best 2 of 3 rounds: A 10, 0 (DNF), 6 → 16 counted, r2 dropped', () => {
    const c: Championship = { ...champ, countBest: { value: 2, rule: 'test: best 2 of 3', confirmed: true } };
    const s = computeStandings(season(3, [c]), c, simple, [finishing('r1', ['A', 'B']), finishing('r2', ['B'], ['A']), finishing('r3', ['B', 'A'])]);
    const a = s.rows.find((r) => r.competitor === 'A')!;
    assert.equal(a.total, 16);
    assert.deepEqual(a.dropped, ['r2']);
    const b = s.rows.find((r) => r.competitor === 'B')!;
    assert.equal(b.total, 20, 'B: 6, 10, 10 → best two 20');
    assert.deepEqual(b.dropped, ['r1']);
  });

  test('after r1 only r1 counts, even when r2 has a result', () => {
    const s = computeStandings(season(2, [champ]), champ, simple, [finishing('r1', ['A', 'B']), finishing('r2', ['B', 'A'])], 'r1');
    assert.deepEqual(s.rows.map((r) => [r.competitor, r.total]), [['A', 10], ['B', 6]]);
    assert.deepEqual(s.roundsRemaining, ['r2']);
  });

  test('workings: each total splits into final-classification and Power Stage points', () => {
    const ara: Championship = { id: 'n', name: 'National', kind: 'drivers', scheme: 'ara-national' };
    const r1: RoundResult = { round: 'r1', status: 'provisional', source: 't', crews: [
      { driver: 'A', make: 'M', class: 'O4WD', status: 'finished', position: 1, powerStagePosition: 2 },
      { driver: 'B', make: 'M', class: 'O4WD', status: 'finished', position: 2, powerStagePosition: 1 },
    ] };
    const s = computeStandings(season(8, [ara]), ara, araNational2026, [r1]);
    assert.deepEqual(s.rows[0]!.bySource, { final: 22, saturday: 0, sunday: 0, powerStage: 4, leg: 0 });
    assert.deepEqual(s.provisional, ['r1']);
    assert.ok(s.unconfirmed.some((u) => /NOT verified/.test(u)));
  });

  test('compareCountBack and chooseCounted on plain lists', () => {
    assert.ok(compareCountBack([2, 0], [1, 5]) < 0);
    assert.equal(compareCountBack([1, 1], [1, 1, 0]), 0);
    assert.deepEqual(chooseCounted([5, 10, 5], 2), [true, true, false]);
  });
});

describe('title maths', () => {
  test('10-6-4, one round left: A 20, B 12 → B can reach 22 > 20 (still in it); C 4 → 14 < 20 out', () => {
    const s = computeStandings(season(3, [champ]), champ, simple, [finishing('r1', ['A', 'B', 'C']), finishing('r2', ['A', 'B'])]);
    const t = titleMaths(s, simple);
    assert.equal(t.maxPerRound, 10);
    assert.equal(t.clinched, false);
    assert.deepEqual(t.contenders.map((c) => [c.competitor, c.chance]), [['A', 'leader'], ['B', 'yes'], ['C', 'no']]);
    // Next round is the last: A clinches if A + a > B + b, i.e. when B scores nothing A needs 0 points? 20 > 12: yes.
    assert.deepEqual(t.toClinchNextRound, [{ rival: 'B', ifRivalScoresNothing: 0, outscoreBy: 0 }]);
  });

  test('A 20, B 6 (retired in r2), two rounds left at 10 max: B max 26 > 20, still in it', () => {
    const s = computeStandings(season(4, [champ]), champ, simple, [finishing('r1', ['A', 'B']), finishing('r2', ['A', 'X', 'Y'], ['B'])]);
    // A 20; B 6; after the next round with one left: A + a > B + b + 10 ⇔ a − b > −4 ... B = 6: 20 + a > 6 + b + 10 ⇔ a − b ≥ −3.
    const t = titleMaths(s, simple);
    const b = t.contenders.find((c) => c.competitor === 'B')!;
    assert.equal(b.maxPossible, 26);
    assert.equal(b.chance, 'yes');
    const need = t.toClinchNextRound.find((n) => n.rival === 'B')!;
    assert.equal(need.ifRivalScoresNothing, 0);
  });

  test('clinched: A 30, B 6, one round left at 10 max → nobody can reach 30', () => {
    const s = computeStandings(season(4, [champ]), champ, simple, [finishing('r1', ['A', 'B']), finishing('r2', ['A']), finishing('r3', ['A'])]);
    const t = titleMaths(s, simple);
    assert.equal(t.clinched, true);
    assert.match(t.note, /clinched/);
  });

  test('equal on maximum → only on count-back: A 20, B 10, one round left at 10', () => {
    const s = computeStandings(season(3, [champ]), champ, simple, [finishing('r1', ['A', 'X', 'B']), finishing('r2', ['A', 'B'])]);
    // A 20, B 4 + 6 = 10 → B max 20 = A's 20.
    const t = titleMaths(s, simple);
    assert.equal(t.contenders.find((c) => c.competitor === 'B')!.chance, 'only-on-count-back');
  });

  test('with drops (best 2 of 3) a rival\'s low round does not count against the maximum', () => {
    const c: Championship = { ...champ, countBest: { value: 2, rule: 'test', confirmed: true } };
    const s = computeStandings(season(3, [c]), c, simple, [finishing('r1', ['A', 'B']), finishing('r2', ['A', 'B'])]);
    // A 20 (10+10); B 12 (6+6); one round left: B best two of 6, 6, 10 = 16 < 20 → out.
    const t = titleMaths(s, simple);
    assert.equal(t.contenders.find((x) => x.competitor === 'B')!.maxPossible, 16);
    assert.equal(t.clinched, true);
  });
});

// Golden: the official points of the 2018 WRC drivers' championship at Monte-Carlo and Sweden.
interface RealCrew { car: number; driver: string; codriver: string; status: string; stageTimes: Record<string, string>; official: { position?: number | null; championships?: { championship: string; points: number; status: string }[] } }
interface RealRally { stages: { code: string; type: string }[]; crews: RealCrew[] }
const WRC_DRIVERS = 'FIA World Rally Championship for Drivers';

function realRound(file: string, round: string): { result: RoundResult; official: Map<string, number> } {
  const rally = JSON.parse(readFileSync(new URL(`../../../fixtures/real/${file}`, import.meta.url), 'utf8')) as RealRally;
  const ps = rally.stages.find((s) => s.type === 'PowerStage')!.code;
  // Power Stage places by stage time, over every crew with a time (the scheme then keeps the eligible, classified ones).
  const timed = rally.crews.filter((c) => c.stageTimes[ps]).map((c) => ({ car: c.car, ms: parseDuration(c.stageTimes[ps]!)! })).sort((a, b) => a.ms - b.ms);
  const psPlace = new Map(timed.map((t, i) => [t.car, i + 1]));
  const official = new Map<string, number>();
  const crews: RoundCrewResult[] = rally.crews.map((c) => {
    const entry = c.official.championships?.find((ch) => ch.championship === WRC_DRIVERS && ch.status !== 'DidNotEnter');
    if (entry) official.set(c.driver, entry.points);
    return {
      car: c.car, driver: c.driver, codriver: c.codriver, make: 'n/a', class: 'n/a',
      status: c.status === 'finished' ? 'finished' : 'retired', position: c.official.position ?? null,
      powerStagePosition: psPlace.get(c.car) ?? null, eligibility: entry ? ['wrc-drivers'] : [],
    };
  });
  return { result: { round, status: 'final', crews, source: file }, official };
}

describe('golden: official WRC 2018 drivers\' points (fixtures/real)', () => {
  const wrc: Championship = { id: 'drivers', name: 'WRC Drivers', kind: 'drivers', scheme: 'fia-wrc-2017', eligibility: 'wrc-drivers' };
  for (const [file, round] of [['wrc-2018-monte-carlo.json', 'mc'], ['wrc-2018-sweden.json', 'swe']] as const) {
    test(`${file}: 25-18-15-12-10-8-6-4-2-1 + Power Stage 5-4-3-2-1 gives every crew its official points`, () => {
      const { result, official } = realRound(file, round);
      const awards = awardRound(wrc, fiaWrc2017, result);
      const got = new Map(awards.map((a) => [a.competitor, a.total]));
      assert.ok(official.size >= 10);
      for (const [driver, points] of official) assert.equal(got.get(driver) ?? 0, points, `${driver}`);
    });
  }

  test('standings after Sweden 2018 = sum of the official points of both rounds', () => {
    const mc = realRound('wrc-2018-monte-carlo.json', 'mc');
    const swe = realRound('wrc-2018-sweden.json', 'swe');
    const s2018: Season = { ...season(2, [wrc]), rounds: [
      { id: 'mc', round: 1, name: 'Monte-Carlo', startDate: '2018-01-25', endDate: '2018-01-28', confirmed: true, source: 'fixtures/real' },
      { id: 'swe', round: 2, name: 'Sweden', startDate: '2018-02-15', endDate: '2018-02-18', confirmed: true, source: 'fixtures/real' },
    ] };
    const s = computeStandings(s2018, wrc, fiaWrc2017, [mc.result, swe.result]);
    const expected = new Map<string, number>();
    for (const m of [mc.official, swe.official]) for (const [d, p] of m) expected.set(d, (expected.get(d) ?? 0) + p);
    const leader = [...expected.entries()].sort((a, b) => b[1] - a[1])[0]!;
    assert.equal(s.rows[0]!.competitor, leader[0]);
    for (const row of s.rows) assert.equal(row.total, expected.get(row.competitor) ?? 0, row.competitor);
  });
});

describe('standings workings list only rounds a crew took part in (rally-rules §6.1: crews not registered for a rally neither score nor take points — WRC2-23)', () => {
  test('best 2 of 3: a round the crew did not enter is "not entered", never dropped; a round it did not start likewise', () => {
    const c: Championship = { ...champ, countBest: { value: 2, rule: 'test: best 2 of 3', confirmed: true } };
    const dns = (round: string, order: string[], notStarted: string[]): RoundResult => ({
      ...finishing(round, order), crews: [...finishing(round, order).crews, ...notStarted.map((driver) => ({ driver, make: 'M', class: 'O4WD', status: 'notStarted' as const, position: null }))],
    });
    const s = computeStandings(season(3, [c]), c, simple, [finishing('r1', ['A', 'B']), finishing('r2', ['B']), dns('r3', ['B'], ['A'])]);
    const a = s.rows.find((r) => r.competitor === 'A')!;
    assert.deepEqual(a.counted, ['r1']);
    assert.deepEqual(a.dropped, []);
    assert.deepEqual(a.notEntered, ['r2', 'r3']);
    assert.equal(a.total, 10);
    const b = s.rows.find((r) => r.competitor === 'B')!;
    assert.deepEqual(b.dropped, ['r1']);
    assert.deepEqual(b.notEntered, []);
  });
});
