// The words of the title maths on the public standings page: a title is never
// called won on provisional results, and a season that ended level says the
// count-back decided it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { titleLines, lineText, roundDates, type StandingsV1 } from './model.ts';

function standings(over: { provisional?: string[]; roundsRemaining: number; clinched: boolean; contenders: StandingsV1['title']['contenders']; toClinch?: StandingsV1['title']['toClinchNextRound'] }): StandingsV1 {
  return {
    championship: { id: 'drivers', name: 'Drivers', kind: 'drivers', scheme: 'ara-national', class: null }, scheme: { id: 'ara-national', name: 'ARA' },
    after: 'r1', roundsRun: ['r1'], roundsRemaining: Array.from({ length: over.roundsRemaining }, (_, i) => `r${i + 2}`), provisional: over.provisional ?? [],
    rows: [], history: null, unconfirmed: [], notes: [],
    title: { leader: over.contenders[0]?.competitor ?? null, clinched: over.clinched, roundsRemaining: over.roundsRemaining, note: '', maxPerRound: 27, contenders: over.contenders, toClinchNextRound: over.toClinch ?? [] },
  };
}

test('a title decided on provisional results is "wins … if the provisional results stand", on official ones "has won"', () => {
  const contenders = [{ competitor: 'Nora Lind', current: 22, maxPossible: 22, chance: 'leader' as const }, { competitor: 'Marco Vitale', current: 17, maxPossible: 17, chance: 'no' as const }];
  assert.equal(titleLines(standings({ provisional: ['r1'], roundsRemaining: 0, clinched: true, contenders })).leader, 'Nora Lind wins the title with 22 points if the provisional results stand: no one can reach them.');
  assert.equal(titleLines(standings({ roundsRemaining: 0, clinched: true, contenders })).leader, 'Nora Lind has won the title with 22 points: no one can reach them.');
});

test('rivals still in it, and what clinching at the next round takes: the most any one rival demands', () => {
  const t = titleLines(standings({ roundsRemaining: 2, clinched: false, contenders: [
    { competitor: 'A', current: 40, maxPossible: 94, chance: 'leader' }, { competitor: 'B', current: 30, maxPossible: 84, chance: 'yes' }, { competitor: 'C', current: 0, maxPossible: 54, chance: 'yes' },
  ], toClinch: [{ rival: 'B', ifRivalScoresNothing: 18, outscoreBy: 18 }, { rival: 'C', ifRivalScoresNothing: 0, outscoreBy: 0 }] }));
  assert.equal(t.leader, 'A leads with 40 points; 2 rounds left, at most 27 points each.');
  assert.deepEqual(t.rivals, ['B: 30 now, can reach 84', 'C: 0 now, can reach 54']);
  assert.deepEqual(t.clinch, ['A clinches the title at the next round with 18 points if no rival scores.']);
});

test('the season over with two level on points: the count-back decided it', () => {
  const t = titleLines(standings({ roundsRemaining: 0, clinched: false, contenders: [
    { competitor: 'A', current: 44, maxPossible: 44, chance: 'leader' }, { competitor: 'B', current: 44, maxPossible: 44, chance: 'only-on-count-back' },
  ] }));
  assert.equal(t.leader, 'A is ahead after the last round with 44 points, on count-back.');
  assert.deepEqual(t.rivals, ['B: level on 44 points, behind on count-back']);
});

test('workings and dates as people read them', () => {
  assert.equal(lineText({ source: 'powerStage', place: 3, points: 3, rule: 'ARA-PS22' }), 'Power Stage 3rd → 3');
  assert.equal(lineText({ source: 'leg', place: 1, points: 5, rule: 'r', leg: 'leg 2' }), 'leg bonus leg 2 1st → 5');
  assert.equal(roundDates({ startDate: '2026-02-06', endDate: '2026-02-07' }), '6–7 Feb 2026');
  assert.equal(roundDates({ startDate: '2026-04-30', endDate: '2026-05-02' }), '30 Apr – 2 May 2026');
  assert.equal(roundDates({ startDate: null, endDate: null }), 'date not announced');
});
