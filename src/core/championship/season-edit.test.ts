// Season edits keep the calendar in date order and refuse what the season checks refuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addRound, newSeason, putChampionship, updateRound } from './season-edit.ts';
import { POINTS_SCHEMES } from './schemes.ts';

const schemes = new Set(Object.keys(POINTS_SCHEMES));
const base = () => {
  const s = newSeason({ id: 'michigan-2026', name: 'Michigan Rally Series 2026', year: 2026, series: { id: 'mrs', name: 'Michigan Rally Series', body: 'ARA' } }, schemes);
  assert.ok(s.ok);
  return s.season;
};
const round = (id: string, startDate: string | null) => ({ id, name: id, startDate, endDate: startDate, confirmed: true, source: 'series calendar' });

test('rounds are numbered in date order whatever order they are added in; undated rounds go last', () => {
  let s = base();
  for (const [id, d] of [['lspr', '2026-10-16'], ['tbd', null], ['snodrift', '2026-02-06'], ['100aw', '2026-03-13']] as const) {
    const r = addRound(s, round(id, d), schemes);
    assert.ok(r.ok, JSON.stringify(r));
    s = r.season;
  }
  assert.deepEqual(s.rounds.map((r) => [r.round, r.id]), [[1, 'snodrift'], [2, '100aw'], [3, 'lspr'], [4, 'tbd']]);
  const moved = updateRound(s, 'tbd', { startDate: '2026-05-01', endDate: '2026-05-02' }, schemes);
  assert.ok(moved.ok);
  assert.deepEqual(moved.season.rounds.map((r) => r.id), ['snodrift', '100aw', 'tbd', 'lspr']);
});

test('a round linked to a rally and unlinked again; a repeated id, a bad date or no source is refused', () => {
  const s = addRound(base(), round('snodrift', '2026-02-06'), schemes);
  assert.ok(s.ok);
  const linked = updateRound(s.season, 'snodrift', { rally: 'snodrift-2026' }, schemes);
  assert.ok(linked.ok && linked.season.rounds[0]!.rally === 'snodrift-2026');
  assert.match(linked.line, /rally null → "snodrift-2026"/);
  const unlinked = updateRound(linked.season, 'snodrift', { rally: null }, schemes);
  assert.ok(unlinked.ok && unlinked.season.rounds[0]!.rally === undefined);
  const again = addRound(s.season, round('snodrift', '2026-02-07'), schemes);
  assert.ok(!again.ok && /already a round/.test(again.problems[0]!));
  const badDate = addRound(s.season, round('x', '2026-02-30'), schemes);
  assert.ok(!badDate.ok && /not a calendar date/.test(badDate.problems[0]!));
  const backwards = addRound(s.season, { ...round('y', '2026-05-02'), endDate: '2026-05-01' }, schemes);
  assert.ok(!backwards.ok && /before the start/.test(backwards.problems[0]!));
  const noSource = addRound(s.season, { ...round('z', '2026-06-01'), source: ' ' }, schemes);
  assert.ok(!noSource.ok && /source/.test(noSource.problems[0]!));
});

test('a championship with an unknown scheme or class is refused naming the choices (rally-rules §6)', () => {
  const bad = putChampionship(base(), { id: 'drivers', name: 'Drivers', kind: 'drivers', scheme: 'nope' }, schemes);
  assert.ok(!bad.ok && /unknown scheme 'nope'; use one of/.test(bad.problems[0]!));
  const cls = putChampionship(base(), { id: 'l4wd', name: 'L4WD', kind: 'drivers', scheme: 'ara-class', class: 'L4WD' }, schemes);
  assert.ok(!cls.ok && /unknown class 'L4WD'/.test(cls.problems[0]!));
  const ok = putChampionship(base(), { id: 'drivers', name: 'Drivers', kind: 'drivers', scheme: 'ara-national', countBest: { value: 3, rule: 'series regulations 4.1', confirmed: true } }, schemes);
  assert.ok(ok.ok && /best 3/.test(ok.line));
});
