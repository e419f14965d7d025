// The standings after each round: a season worked by hand (a leader change,
// a crew scoring from round 3 only, a dropped round), and properties over
// random seasons — the last column is the standings themselves, and without
// drops no total ever goes down.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { computeStandings } from './standings.ts';
import { standingsHistory } from './standings-history.ts';
import { customScheme } from './schemes.ts';
import type { Championship, RoundCrewResult, RoundResult, Season } from './season.ts';

function season(rounds: number): Season {
  return {
    id: 's', series: { id: 'x', name: 'X', body: 'test' }, year: 2026, name: 'S', classes: [{ code: 'O4WD', name: 'Open 4WD' }],
    rounds: Array.from({ length: rounds }, (_, i) => ({ id: `r${i + 1}`, round: i + 1, name: `Round ${i + 1}`, startDate: null, endDate: null, confirmed: true, source: 'test' })),
    championships: [], sources: {},
  };
}

function finishing(round: string, order: string[], retired: string[] = []): RoundResult {
  const crews: RoundCrewResult[] = order.map((driver, i) => ({ driver, make: 'M', class: 'O4WD', status: 'finished', position: i + 1 }));
  for (const driver of retired) crews.push({ driver, make: 'M', class: 'O4WD', status: 'retired', position: null });
  return { round, status: 'final', crews, source: 'test' };
}

const simple = customScheme({ id: 'simple', name: '10-6-4', points: [10, 6, 4], rule: 'test table' });
const champ: Championship = { id: 'd', name: 'Drivers', kind: 'drivers', scheme: 'simple' };

describe('standings after each round (rally-rules §6: points by place per round, totals summed)', () => {
  test('10-6-4 over three rounds: A leads after r1, B after r2 and r3; D scores from r3 only', () => {
    const results = [finishing('r1', ['A', 'B', 'C']), finishing('r2', ['B', 'C', 'A']), finishing('r3', ['C', 'B', 'D'], ['A'])];
    const h = standingsHistory(season(4), champ, simple, results);
    assert.deepEqual(h.rounds, [{ round: 'r1', number: 1 }, { round: 'r2', number: 2 }, { round: 'r3', number: 3 }]);
    // After r1: A 10, B 6, C 4. After r2: B 16, A 14, C 10. After r3: B 22, C 20, A 14, D 4.
    assert.deepEqual(h.rows.map((r) => [r.competitor, r.ranks, r.totals]), [
      ['B', [2, 1, 1], [6, 16, 22]],
      ['C', [3, 3, 2], [4, 10, 20]],
      ['A', [1, 2, 3], [10, 14, 14]],
      ['D', [null, null, 4], [null, null, 4]],
    ]);
  });

  test('`after` stops the history at that round; a round with no result yet is no column', () => {
    const results = [finishing('r1', ['A', 'B']), finishing('r3', ['B', 'A'])];
    assert.deepEqual(standingsHistory(season(3), champ, simple, results, 'r1').rounds.map((r) => r.round), ['r1']);
    assert.deepEqual(standingsHistory(season(3), champ, simple, results).rounds.map((r) => r.round), ['r1', 'r3']);
  });

  test('best 2 of 3: a total can stand still when a low round is dropped, never counting the dropped points', () => {
    const c: Championship = { ...champ, countBest: { value: 2, rule: 'test: best 2 of 3', confirmed: true } };
    const results = [finishing('r1', ['A', 'B']), finishing('r2', ['A', 'B']), finishing('r3', ['B', 'X', 'A'])];
    const h = standingsHistory(season(3), c, simple, results);
    const a = h.rows.find((r) => r.competitor === 'A')!;
    assert.deepEqual(a.totals, [10, 20, 20], 'A 10 + 10, the 4 of r3 dropped');
    const b = h.rows.find((r) => r.competitor === 'B')!;
    assert.deepEqual(b.totals, [6, 12, 16], 'B 6 + 6, then 10 + 6 with one 6 dropped');
  });

  const drivers = ['A', 'B', 'C', 'D', 'E', 'F'];
  const roundArb = fc.tuple(fc.shuffledSubarray(drivers, { minLength: 1 }), fc.shuffledSubarray(drivers, { minLength: 0, maxLength: 2 }));
  const seasonArb = fc.tuple(fc.array(fc.option(roundArb, { nil: null }), { minLength: 1, maxLength: 6 }), fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }));

  function build(rounds: ([string[], string[]] | null)[]): RoundResult[] {
    return rounds.flatMap((r, i) => (r ? [finishing(`r${i + 1}`, r[0], r[1].filter((d) => !r[0].includes(d)))] : []));
  }

  test('property: the last column is the standings (position and total of every competitor), in their order', () => {
    fc.assert(fc.property(seasonArb, ([rounds, best]) => {
      const c: Championship = best === undefined ? champ : { ...champ, countBest: { value: best, rule: 'test', confirmed: true } };
      const results = build(rounds);
      const s = computeStandings(season(rounds.length), c, simple, results);
      const h = standingsHistory(season(rounds.length), c, simple, results);
      assert.deepEqual(h.rounds.map((r) => r.round), s.roundsRun);
      assert.deepEqual(h.rows.map((r) => [r.competitor, r.ranks.at(-1), r.totals.at(-1)]), s.rows.map((r) => [r.competitor, r.rank, r.total]));
    }));
  });

  test('property: every round counting, no total goes down from one round to the next and positions run 1…n with ties shared', () => {
    fc.assert(fc.property(seasonArb, ([rounds]) => {
      const h = standingsHistory(season(rounds.length), champ, simple, build(rounds));
      for (const row of h.rows) {
        const seen = row.totals.filter((t): t is number => t !== null);
        for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! >= seen[i - 1]!, `${row.competitor}: ${row.totals.join(',')}`);
        // Once a competitor has a result it stays in the standings.
        assert.equal(row.totals.findIndex((t) => t !== null) === -1 ? -1 : row.totals.slice(row.totals.findIndex((t) => t !== null)).indexOf(null), -1);
      }
      h.rounds.forEach((_, k) => {
        const ranks = h.rows.map((r) => r.ranks[k]).filter((x): x is number => x !== null).sort((a, b) => a - b);
        ranks.forEach((rank, i) => assert.ok(rank === i + 1 || rank === ranks[i - 1], `ranks after round ${k + 1}: ${ranks.join(',')}`));
      });
    }));
  });
});
