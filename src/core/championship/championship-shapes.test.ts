// Championship shapes of real series (rally-rules §6): regional divisions with
// their own rounds, eligibility and best-N (ARA, §6.2), leg bonus points (ERC,
// §6.1), manufacturers' tables that count the best cars of a make, and class
// co-drivers' tables. Expected values are worked out by hand from the rules and
// from the published Sno*Drift 2026 results; unconfirmed choices are named.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { Fact } from '../facts.ts';
import type { RallyDefinition } from '../model.ts';
import type { RuleSet } from '../rules/types.ts';
import { getPreset } from '../rules/presets/index.ts';
import { resolveRules } from '../rules/resolve.ts';
import { parseRallyFile } from '../rallyfile/index.ts';
import { score } from '../scoring/index.ts';
import { legPositions } from './day-classifications.ts';
import { roundFromScoredRally } from './from-classification.ts';
import { awardRound, lineText } from './round-points.ts';
import { POINTS_SCHEMES, araNational2026, araRegional2026, customScheme, fiaErc2020 } from './schemes.ts';
import { computeStandings } from './standings.ts';
import { titleMaths } from './title-maths.ts';
import { findChampionshipRound, roundsOf, seasonProblems, type Championship, type RoundCrewResult, type RoundResult, type Season } from './season.ts';

const SCHEMES = new Set(Object.keys(POINTS_SCHEMES));
const seed = JSON.parse(readFileSync(new URL('../../../seeds/ara-2026-season.json', import.meta.url), 'utf8')) as Season;
const champ = (id: string): Championship => seed.championships.find((c) => c.id === id)!;

/** Sno*Drift 2026 as published (fixtures/ara-2026-sno-drift.rally.json), scored, as the seed's round. */
function snoDrift(): RoundResult {
  const parsed = parseRallyFile(JSON.parse(readFileSync(new URL('../../../fixtures/ara-2026-sno-drift.rally.json', import.meta.url), 'utf8')));
  assert.ok(parsed.ok);
  const { rally, facts } = parsed.file;
  return roundFromScoredRally(score(rally, resolveRules(rally.rules).rules, facts), { round: 'snodrift', status: 'final', source: 'fixture' });
}

const crew = (driver: string, position: number | null, o: Partial<RoundCrewResult> = {}): RoundCrewResult => ({
  driver, make: 'M', class: 'O4WD', status: position === null ? 'retired' : 'finished', position, ...o,
});

describe('regional divisions (rally-rules §6.2: ARA23 regions East/Central/West; ARA18 best 3 per division)', () => {
  test('the ARA 2026 seed is a valid season with Central and West regional championships beside the national ones', () => {
    assert.deepEqual(seasonProblems(seed, SCHEMES), []);
    for (const id of ['central-drivers', 'central-codrivers', 'west-drivers', 'west-codrivers']) assert.equal(champ(id).category, 'Regional', id);
  });

  test('a regional championship counts its region\'s rounds (regional events and national rounds there); the national one never counts a regional event', () => {
    assert.deepEqual(roundsOf(seed, champ('central-drivers')).map((r) => r.id), ['nemadji', 'snodrift', '100aw', 'ojibwe', 'lspr']);
    assert.deepEqual(roundsOf(seed, champ('west-drivers')).map((r) => r.id), ['ridge', 'olympus', 'oregon-trail']);
    assert.deepEqual(roundsOf(seed, champ('drivers')).map((r) => r.id), ['snodrift', '100aw', 'olympus', 'oregon-trail', 'sofr', 'ojibwe', 'overmountain', 'lspr']);
    // Round numbers are the championship's own: national round 1 is Sno*Drift, Central round 1 is Nemadji Trail.
    assert.equal(findChampionshipRound(seed, champ('drivers'), '1')?.id, 'snodrift');
    assert.equal(findChampionshipRound(seed, champ('central-drivers'), '1')?.id, 'nemadji');
    assert.equal(findChampionshipRound(seed, champ('central-drivers'), '9'), undefined);
  });

  test('Sno*Drift 2026: the Central regional table scores the Regional category only, by its own classification (published Regional order Pelizzari, Jacques, Michel, Sheridan, Nonack)', () => {
    const round = snoDrift();
    const s = computeStandings(seed, champ('central-drivers'), araRegional2026, [round]);
    // Unconfirmed preset value, chosen: the national scale 22-17-14-12-10 for regional points (no source found).
    assert.deepEqual(s.rows.slice(0, 5).map((r) => [r.competitor, r.total]), [
      ['Jimmy Pelizzari', 22], ['Sam Jacques', 17], ['Tim Michel', 14], ['Camden Sheridan', 12], ['Chris Nonack', 10],
    ]);
    assert.ok(!s.rows.some((r) => r.competitor === 'Mark Piatkowski'), 'the national winner scores nothing regionally');
    assert.deepEqual(s.roundsRemaining, ['100aw', 'ojibwe', 'lspr']);
    assert.ok(s.unconfirmed.some((u) => /^region Central: ARA23/.test(u)), 'the region rule is listed as unconfirmed');
    // And the national table does not see the Regional crews.
    const n = computeStandings(seed, champ('drivers'), araNational2026, [round]);
    assert.ok(!n.rows.some((r) => r.competitor === 'Jimmy Pelizzari'));
    // West has run nothing yet: Sno*Drift is not in its region.
    assert.deepEqual(computeStandings(seed, champ('west-drivers'), araRegional2026, [round]).rows, []);
  });

  test('own best-N: West counts the best 2 of 3 (unconfirmed preset value, chosen: one drop, as ARA18); a crew without a category (a regional event) is eligible', () => {
    const west = champ('west-drivers');
    assert.equal(west.countBest?.value, 2);
    const results: RoundResult[] = [
      { round: 'ridge', status: 'final', source: 't', crews: [crew('A', 1), crew('B', 2)] },
      { round: 'olympus', status: 'final', source: 't', crews: [crew('A', 3, { category: 'Regional' }), crew('B', 1, { category: 'Regional' }), crew('N', 1, { category: 'National' })] },
      { round: 'oregon-trail', status: 'final', source: 't', crews: [crew('A', 1, { category: 'Regional' }), crew('B', 2, { category: 'Regional' })] },
    ];
    const s = computeStandings(seed, west, araRegional2026, results);
    // A: 22, 14, 22 → best two 44, Olympus dropped; B: 17, 22, 17 → 39, one 17 dropped (the later one: the earlier round counts on equal points).
    assert.deepEqual(s.rows.map((r) => [r.competitor, r.total, r.dropped]), [['A', 44, ['olympus']], ['B', 39, ['oregon-trail']]]);
    assert.ok(!s.rows.some((r) => r.competitor === 'N'), 'a National crew is not in a regional table');
  });

  test('a championship without a category over a two-category round says its places come from two classifications', () => {
    const round: RoundResult = { round: 'snodrift', status: 'final', source: 't', crews: [crew('N', 1, { category: 'National', eligibility: ['ara-national'] }), crew('R', 1, { category: 'Regional', eligibility: ['ara-national'] })] };
    const open: Championship = { id: 'all', name: 'All', kind: 'drivers', scheme: 'ara-national' };
    for (const a of awardRound(open, araNational2026, round)) assert.ok(a.notes.some((n) => /categories National and Regional share this championship/.test(n)));
    const national = awardRound(champ('drivers'), araNational2026, round);
    assert.deepEqual(national.map((a) => [a.competitor, a.total, a.notes]), [['N', 22, []]]);
  });

  test('bad seasons: a regional event without a region, a regional championship whose region has no round', () => {
    const noRegion = ({ region: _, ...r }: Season['rounds'][number]): Season['rounds'][number] => r;
    const bad: Season = { ...seed, rounds: seed.rounds.map((r) => (r.id === 'ridge' ? noRegion(r) : r)),
      championships: [...seed.championships, { id: 'east', name: 'East', kind: 'drivers', scheme: 'ara-regional', region: { value: 'North', rule: 't', confirmed: false } }] };
    const problems = seasonProblems(bad, SCHEMES);
    assert.ok(problems.some((p) => /^rounds\[0\]\.region: a regional event counts only for its region's championships/.test(p)), problems.join('\n'));
    assert.ok(problems.some((p) => /region\.value: no round is in region 'North'/.test(p)), problems.join('\n'));
  });

  test('property: dropping rounds never increases a total, and a best-N total is the sum of the N best rounds', () => {
    fc.assert(fc.property(
      fc.array(fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
      fc.integer({ min: 1, max: 4 }),
      (places, best) => {
        // places[crew][round]: 0 = did not finish, else a place.
        const rounds = ['ridge', 'olympus', 'oregon-trail'];
        const results: RoundResult[] = rounds.map((round, k) => ({ round, status: 'final', source: 'p',
          crews: places.map((p, i) => crew(`C${i}`, p[k]! === 0 ? null : p[k]!)) }));
        const all: Championship = { ...champ('west-drivers') };
        delete all.countBest;
        const some: Championship = { ...all, countBest: { value: best, rule: 'p', confirmed: true } };
        const full = computeStandings(seed, all, araRegional2026, results);
        const dropped = computeStandings(seed, some, araRegional2026, results);
        for (const row of dropped.rows) {
          const whole = full.rows.find((r) => r.competitor === row.competitor)!;
          assert.ok(row.total <= whole.total);
          const sorted = row.rounds.map((c) => c.points).sort((a, b) => b - a);
          assert.equal(row.total, sorted.slice(0, best).reduce((a, b) => a + b, 0));
          assert.ok(row.counted.length <= best);
        }
      },
    ), { numRuns: 150 });
  });
});

describe('leg bonus points (rally-rules §6.1: ERC20 [P], 5-4-3-2-1 to the top five of each leg)', () => {
  const FIA = getPreset('fia') as RuleSet;
  // Three legs of two stages each (Friday, Saturday, Sunday).
  const days = ['2025-01-24', '2025-01-25', '2025-01-26'];
  const section = (n: number, first: boolean) => ({ id: `S${n}`, controls: [
    { id: `TC${n}`, kind: 'TC' as const, ...(first ? {} : { targetMs: 60 * 60_000 }) },
    { id: `SS${n}S`, kind: 'SS_START' as const, stage: `SS${n}` }, { id: `SS${n}F`, kind: 'SS_FINISH' as const, stage: `SS${n}` }] });
  const def: RallyDefinition = {
    id: 'erc', name: 'ERC-style rally', timeZone: 'Europe/Warsaw', distanceUnit: 'km', startDate: days[0]!, endDate: days[2]!,
    rules: { preset: 'fia', version: FIA.version },
    legs: days.map((date, l) => ({ id: `L${l + 1}`, name: `Leg ${l + 1}`, date, sections: [section(2 * l + 1, true), section(2 * l + 2, false)] })),
    stages: [1, 2, 3, 4, 5, 6].map((i) => ({ code: `SS${i}`, name: `Stage ${i}`, distanceM: 10_000, type: 'special' as const, leg: `L${Math.ceil(i / 2)}` })),
    classes: [{ code: 'RC2', name: 'Rally2' }],
    entries: [1, 2, 3, 4, 5].map((car) => ({ car, driver: { name: `D${car}` }, codriver: { name: `C${car}` }, make: `M${car}`, model: 'X', class: 'RC2' })),
  };
  // Seconds over 5:00 on SS1…SS6 (null: no time). Car 3: 10 s penalty at TC5 (leg 3). Car 4 retires on SS2 and
  // restarts for leg 3. Car 5 retires for good on SS6.
  const TIMES: Record<number, (number | null)[]> = {
    1: [0, 0, 0, 0, 10, 10], 2: [5, 5, 5, 5, 2, 3], 3: [10, 10, 10, 10, 1, 1], 4: [7, null, null, null, 0, 0], 5: [3, 3, 3, 3, 3, null],
  };
  let n = 0;
  const facts: Fact[] = [];
  for (const [car, times] of Object.entries(TIMES)) times.forEach((t, i) => { if (t !== null) facts.push({ type: 'stageTime', id: `t${++n}`, car: Number(car), stage: `SS${i + 1}`, time: `5:${String(t).padStart(2, '0')}.0` }); });
  facts.push({ type: 'penalty', id: 'p3', car: 3, seconds: 10, reason: '1 min late', control: 'TC5' },
    { type: 'retirement', id: 'r4', car: 4, where: 'SS2', reason: 'suspension' }, { type: 'restart', id: 's4', car: 4, section: 'L3', reason: 'restart' },
    { type: 'retirement', id: 'r5', car: 5, where: 'SS6', reason: 'engine', permanent: true });
  const state = score(def, FIA, facts);
  const asObject = (m: ReadonlyMap<number, number>) => Object.fromEntries([...m].sort((a, b) => a[0] - b[0]));

  test('each leg\'s own classification: its stages and its penalties only', () => {
    const legs = legPositions(state);
    assert.deepEqual(legs.map((l) => [l.id, l.label]), [['L1', 'leg 1'], ['L2', 'leg 2'], ['L3', 'leg 3']]);
    // Leg 1 over 10:00: car 1 0, car 5 6, car 2 10, car 3 20; car 4 retired in it.
    assert.deepEqual(asObject(legs[0]!.positions), { 1: 1, 2: 3, 3: 4, 5: 2 });
    // Leg 3: car 4 0 (restarted), car 2 5, car 3 2 + 10 = 12, car 1 20; car 5 has no SS6 time.
    assert.deepEqual(asObject(legs[2]!.positions), { 1: 4, 2: 2, 3: 3, 4: 1 });
  });

  test('ERC 2020: final 30-24-21-19 + leg bonus per leg; a retired crew keeps its leg bonus (unconfirmed, chosen: a leg\'s bonus belongs to the leg, ERC20 "encourage drivers who fail to finish a leg to restart")', () => {
    const round = roundFromScoredRally(state, { round: 'erc', status: 'final', source: 'test' });
    const drivers: Championship = { id: 'd', name: 'Drivers', kind: 'drivers', scheme: 'fia-erc-2020' };
    const a = awardRound(drivers, fiaErc2020, round);
    const totals = Object.fromEntries(a.map((x) => [x.competitor, x.total]));
    // car 1: 30 + 5 + 5 + 2; car 2: 24 + 3 + 3 + 4; car 3: 21 + 2 + 2 + 3; car 4: 19 + 5 (leg 3); car 5: 4 + 4 (legs 1 and 2), not classified.
    assert.deepEqual(totals, { D1: 42, D2: 34, D3: 28, D4: 24, D5: 8 });
    const d2 = a.find((x) => x.competitor === 'D2')!;
    assert.deepEqual(d2.lines.map(lineText), ['+24 final classification, 2nd', '+3 leg 1 bonus, 3rd', '+3 leg 2 bonus, 3rd', '+4 leg 3 bonus, 2nd']);
  });

  test('a leg bonus that needs the final classification passes down: car 5 loses legs 1 and 2, car 2 moves up (the setting acts)', () => {
    const strict = customScheme({ id: 's', name: 's', points: [30, 24, 21, 19], leg: [5, 4, 3, 2, 1], rule: 'test' });
    strict.sources.leg!.requiresFinish = { value: true, rule: 'test', confirmed: true };
    const round = roundFromScoredRally(state, { round: 'erc', status: 'final', source: 'test' });
    const totals = Object.fromEntries(awardRound({ id: 'd', name: 'D', kind: 'drivers', scheme: 's' }, strict, round).map((x) => [x.competitor, x.total]));
    // Legs 1 and 2 without car 5: car 1 5, car 2 4, car 3 3.
    assert.deepEqual(totals, { D1: 30 + 5 + 5 + 2, D2: 24 + 4 + 4 + 4, D3: 21 + 3 + 3 + 3, D4: 19 + 5, D5: 0 });
  });

  test('title maths counts a leg bonus once per leg: as many legs as the longest round run (3 here: 30 + 3 × 5), else two (30 + 2 × 5)', () => {
    const round = roundFromScoredRally(state, { round: 'r1', status: 'final', source: 'test' });
    const drivers: Championship = { id: 'd', name: 'Drivers', kind: 'drivers', scheme: 'fia-erc-2020' };
    const season: Season = { id: 'erc', series: { id: 'erc', name: 'ERC', body: 'FIA' }, year: 2020, name: 'ERC', classes: [], championships: [drivers], sources: {},
      rounds: ['r1', 'r2'].map((id, i) => ({ id, round: i + 1, name: id, startDate: null, endDate: null, confirmed: true, source: 't' })) };
    assert.equal(titleMaths(computeStandings(season, drivers, fiaErc2020, [round]), fiaErc2020).maxPerRound, 45);
    assert.equal(titleMaths(computeStandings(season, drivers, fiaErc2020, []), fiaErc2020).maxPerRound, 40);
  });
});

describe('manufacturers and class co-drivers, ARA 2026 (rally-rules §6.1 WRCM08; §6.2 SNO23)', () => {
  test('manufacturers: every national car scores for its make, best two per make (unconfirmed, chosen: WRCM08\'s two cars, no nomination in ARA)', () => {
    const m = champ('manufacturers');
    assert.deepEqual([m.kind, m.carsPerMake, m.makeCars?.value, m.makeCars?.confirmed], ['manufacturers', 2, 'every-car', false]);
    const s = computeStandings(seed, m, araNational2026, [snoDrift()]);
    // Published national order: 1 Piatkowski (Subaru), 2 Donnelly (Renault), 3 Scully (Hyundai), 4 Castro (Audi), 5 Nykanen (BMW),
    // 6 Woodman (Subaru), 7 Pastrana (Subaru) … 10 McGrath (Lexus); Power Stage Donnelly, Pastrana, Piatkowski, Castro, Scully.
    // Subaru: Piatkowski 22 + 3 and Pastrana 6 + 4 count; Woodman's 8 does not (third Subaru).
    assert.deepEqual(s.rows.slice(0, 6).map((r) => [r.competitor, r.total]), [['Subaru', 35], ['Renault', 22], ['Hyundai', 15], ['Audi', 14], ['BMW', 10], ['Lexus', 3]]);
    const subaru = s.rows[0]!.rounds[0]!.detail!;
    assert.ok(subaru.notes.some((x) => /only the best 2 cars of a make score/.test(x) && /Nick Woodman/.test(x)));
    assert.ok(s.unconfirmed.some((u) => /^cars scoring for their make \(every-car, best 2 per round\)/.test(u)));
  });

  test('"nominated" makes only nominated cars score (the setting acts): nobody nominated, no points', () => {
    const m: Championship = { ...champ('manufacturers'), makeCars: { value: 'nominated', rule: 'WRCM08', confirmed: true } };
    assert.deepEqual(computeStandings(seed, m, araNational2026, [snoDrift()]).rows, []);
  });

  test('property: a make\'s round total is the sum of its counted cars, at most two cars, each car\'s points its own', () => {
    const makes = ['A', 'B', 'C'];
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.boolean()), { minLength: 1, maxLength: 14 }), (cars) => {
      const crews = cars.map(([mk, fin], i) => crew(`D${i}`, fin ? i + 1 : null, { make: makes[mk]!, car: i + 1, eligibility: ['ara-national'], powerStagePosition: i + 1 }));
      // Places among classified crews; Power Stage needs the final classification (passes down).
      let place = 0;
      for (const c of crews) if (c.position !== null) c.position = ++place;
      const round: RoundResult = { round: 'snodrift', status: 'final', source: 'p', crews };
      const perCar = new Map(awardRound(champ('drivers'), araNational2026, round).map((a) => [a.competitor, a.total]));
      for (const a of awardRound(champ('manufacturers'), araNational2026, round)) {
        const counted = [...new Set(a.lines.map((l) => l.crew))];
        assert.ok(counted.length <= 2);
        const sumOfCars = counted.reduce((t, label) => t + perCar.get(label.replace(/^#\d+ /, ''))!, 0);
        assert.equal(a.total, sumOfCars);
        // The counted cars are the make's best.
        const mine = crews.filter((c) => c.make === a.competitor).map((c) => perCar.get(c.driver) ?? 0).sort((x, y) => y - x);
        assert.equal(a.total, mine.slice(0, 2).reduce((x, y) => x + y, 0));
      }
    }), { numRuns: 150 });
  });

  test('class co-drivers: Sno*Drift 2026 national L4WD (published class order Donnelly/Pfeil, Woodman/Scott, Pastrana/R. Gelsomino, L. Perocarpi/Wells) on the class scale 22-17-14-12 (SNO23 [P])', () => {
    const s = computeStandings(seed, champ('l4wd-codrivers'), POINTS_SCHEMES['ara-class']!, [snoDrift()]);
    assert.deepEqual(s.rows.slice(0, 4).map((r) => [r.competitor, r.total]), [['Zach Pfeil', 22], ['Ryan Scott', 17], ['Rhianon Gelsomino', 14], ['Mark Wells', 12]]);
    for (const c of ['O4WD', 'L4WD', 'NA4WD', 'O2WD', 'L2WD']) {
      assert.deepEqual([champ(`${c.toLowerCase()}-codrivers`).kind, champ(`${c.toLowerCase()}-codrivers`).class], ['codrivers', c]);
    }
  });
});
