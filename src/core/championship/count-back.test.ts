// Count-back when some rounds are dropped (best N of M). The count-back itself is
// FMU26 Art 8.1 [T] (most wins, then most seconds, …; rally-rules §6.1). Whether
// the places of dropped rounds count in it was not found: [NF] unconfirmed.
// rallyhq counts every round's places and must say so in the standings' workings.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { computeStandings } from './standings.ts';
import { customScheme } from './schemes.ts';
import type { Championship, RoundCrewResult, RoundResult, Season } from './season.ts';

const simple = customScheme({ id: 'simple', name: '10-6-4', points: [10, 6, 4], rule: 'test table' });
const best2: Championship = { id: 'd', name: 'Drivers', kind: 'drivers', scheme: 'simple', countBest: { value: 2, rule: 'SR 3: best 2 of 3', confirmed: true } };

function season(championship: Championship): Season {
  return {
    id: 's', series: { id: 'x', name: 'X', body: 'test' }, year: 2026, name: 'S', classes: [{ code: 'O4WD', name: 'Open 4WD' }],
    rounds: [1, 2, 3].map((n) => ({ id: `r${n}`, round: n, name: `Round ${n}`, startDate: null, endDate: null, confirmed: true, source: 'test' })),
    championships: [championship], sources: {},
  };
}

function finishing(round: string, order: string[]): RoundResult {
  const crews: RoundCrewResult[] = order.map((driver, i) => ({ driver, make: 'M', class: 'O4WD', status: 'finished', position: i + 1 }));
  return { round, status: 'final', crews, source: 'test' };
}

// A: 1st, 2nd, 3rd → 10 + 6 (+4 dropped) = 16; B: 2nd, 1st, not entered → 6 + 10 (+0 dropped) = 16.
// On the counted rounds alone they are equal (1 win, 1 second each); A's 3rd place is in a dropped round.
const results = [finishing('r1', ['A', 'B']), finishing('r2', ['B', 'A']), finishing('r3', ['C', 'X', 'A'])];

describe('count-back over dropped rounds ([NF] unconfirmed: FMU26 Art 8.1 does not say whether dropped rounds count)', () => {
  test('A and B equal on 16 counted points; A\'s 3rd place in the dropped round r3 puts A ahead', () => {
    const s = computeStandings(season(best2), best2, simple, results);
    const a = s.rows.find((r) => r.competitor === 'A')!, b = s.rows.find((r) => r.competitor === 'B')!;
    assert.deepEqual([a.total, b.total], [16, 16]);
    assert.deepEqual(a.dropped, ['r3']);
    assert.ok(a.rank < b.rank, `A ${a.rank}, B ${b.rank}`);
    assert.match(a.tieBreak ?? '', /1 × 3rd place against 0/);
  });

  test('the standings list the dropped-round count-back as unconfirmed, with [NF]', () => {
    const s = computeStandings(season(best2), best2, simple, results);
    const line = s.unconfirmed.find((u) => /count-back/i.test(u) && /dropped/i.test(u));
    assert.ok(line, `unconfirmed: ${JSON.stringify(s.unconfirmed)}`);
    assert.match(line, /\[NF\]/);
  });

  test('with every round counted the same tie is decided by the cited count-back alone, and nothing about dropped rounds is flagged', () => {
    const { countBest: _drop, ...all } = best2;
    const s = computeStandings(season(all), all, simple, results);
    const a = s.rows.find((r) => r.competitor === 'A')!, b = s.rows.find((r) => r.competitor === 'B')!;
    assert.deepEqual([a.total, b.total], [20, 16]);
    assert.deepEqual(s.unconfirmed.filter((u) => /dropped/i.test(u)), []);
  });

  test('a series that counts only the counted rounds\' places (countBackRounds: counted, its regulation cited): A and B share the rank, nothing unconfirmed about it', () => {
    const counted: Championship = { ...best2, countBackRounds: { value: 'counted', rule: 'SR 3.2: count-back over the results retained', confirmed: true } };
    const s = computeStandings(season(counted), counted, simple, results);
    const a = s.rows.find((r) => r.competitor === 'A')!, b = s.rows.find((r) => r.competitor === 'B')!;
    assert.equal(a.rank, b.rank, 'one win and one second each in the counted rounds');
    assert.deepEqual(s.unconfirmed.filter((u) => /dropped/i.test(u)), []);
  });
});
