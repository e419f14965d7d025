// Saturday, Sunday and Power Stage places derived from a small hand-built rally
// (Friday, Saturday and Sunday legs), then the WRC 2024 and 2025 points they
// give. Expected places and points are worked out by hand from rally-rules §6.1.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Fact } from '../facts.ts';
import type { RallyDefinition } from '../model.ts';
import type { RuleSet } from '../rules/types.ts';
import { getPreset } from '../rules/presets/index.ts';
import { resolveRules } from '../rules/resolve.ts';
import { parseRallyFile } from '../rallyfile/index.ts';
import { score } from '../scoring/index.ts';
import { saturdayPositions, sundayPositions, powerStageResults } from './day-classifications.ts';
import { derivedPlaces, roundFromScoredRally } from './from-classification.ts';
import { stageDates, weekday } from './rally-days.ts';
import { awardRound } from './round-points.ts';
import { fiaWrc2024, fiaWrc2025 } from './schemes.ts';
import { computeStandings } from './standings.ts';
import { seasonProblems, type Championship, type Season } from './season.ts';

const FIA = getPreset('fia') as RuleSet;

// Friday 24, Saturday 25, Sunday 26 January 2025.
const FRI = '2025-01-24', SAT = '2025-01-25', SUN = '2025-01-26';

function section(n: number, first: boolean, due?: string) {
  return {
    id: `S${n}`,
    controls: [
      { id: `TC${n}`, kind: 'TC' as const, ...(first ? {} : { targetMs: 60 * 60_000 }), ...(due ? { firstCarDue: due } : {}) },
      { id: `SS${n}S`, kind: 'SS_START' as const, stage: `SS${n}` },
      { id: `SS${n}F`, kind: 'SS_FINISH' as const, stage: `SS${n}` },
    ],
  };
}

/** Six stages, two a day; SS6 is the Power Stage. With `oneLeg`, the whole rally is one leg and the days come from scheduled times. */
function rally(o: { oneLeg?: boolean } = {}): RallyDefinition {
  const days = [FRI, FRI, SAT, SAT, SUN, SUN];
  const stages = days.map((_, i) => ({
    code: `SS${i + 1}`, name: `Stage ${i + 1}`, distanceM: 10_000, type: (i === 5 ? 'power' : 'special') as 'special' | 'power',
    leg: o.oneLeg ? 'L1' : `L${Math.floor(i / 2) + 1}`,
  }));
  const legs = o.oneLeg
    ? [{ id: 'L1', name: 'Rally', date: FRI, sections: days.map((d, i) => section(i + 1, i === 0, `${d}T${String(8 + i).padStart(2, '0')}:00`)) }]
    : [FRI, SAT, SUN].map((date, l) => ({ id: `L${l + 1}`, name: `Leg ${l + 1}`, date, sections: [section(2 * l + 1, true), section(2 * l + 2, false)] }));
  return {
    id: 'wknd', name: 'Weekend rally', timeZone: 'Europe/Monaco', distanceUnit: 'km', startDate: FRI, endDate: SUN,
    rules: { preset: 'fia', version: FIA.version }, legs, stages,
    classes: [{ code: 'RC1', name: 'Rally1' }],
    entries: [1, 2, 3, 4, 5].map((car) => ({ car, driver: { name: `D${car}` }, codriver: { name: `C${car}` }, make: `M${car}`, model: 'X', class: 'RC1' })),
  };
}

let n = 0;
const st = (car: number, stage: number, extraS: number): Fact => ({ type: 'stageTime', id: `t${++n}`, car, stage: `SS${stage}`, time: `5:${String(extraS).padStart(2, '0')}.0` });

/**
 * Seconds over 5:00 per stage SS1…SS6 (null = no time).
 *   car 1: quickest Friday and Saturday, slow on Sunday.
 *   car 2: steady.
 *   car 3: 10 s penalty at TC5, the first control of Sunday's leg.
 *   car 4: retires on SS2 (Friday), restarts for Sunday's leg, quickest on Sunday.
 *   car 5: second on Saturday, retires on SS6 (Sunday).
 */
const TIMES: Record<number, (number | null)[]> = {
  1: [0, 0, 0, 0, 10, 10],
  2: [5, 5, 5, 5, 2, 3],
  3: [10, 10, 10, 10, 1, 1],
  4: [7, null, null, null, 0, 0],
  5: [3, 3, 3, 3, 3, null],
};

function facts(o: { oneLeg?: boolean; penaltyAt?: string } = {}): Fact[] {
  const out: Fact[] = [];
  for (const [car, times] of Object.entries(TIMES)) times.forEach((t, i) => { if (t !== null) out.push(st(Number(car), i + 1, t)); });
  out.push({ type: 'penalty', id: 'pen3', car: 3, seconds: 10, reason: '1 min late', control: o.penaltyAt ?? 'TC5' });
  out.push({ type: 'retirement', id: 'ret4', car: 4, where: 'SS2', reason: 'suspension' });
  out.push({ type: 'restart', id: 'rs4', car: 4, section: o.oneLeg ? 'S5' : 'L3', reason: 'restart for Sunday' });
  out.push({ type: 'retirement', id: 'ret5', car: 5, where: 'SS6', reason: 'engine', permanent: true });
  return out;
}

const asObject = (m: ReadonlyMap<number, number> | undefined) => Object.fromEntries([...(m ?? new Map<number, number>())].sort((a, b) => a[0] - b[0]));

describe('rally days: a stage is on the calendar day of its scheduled start', () => {
  test('weekday of known dates (2000-01-01 Saturday, 2024-02-29 Thursday, 2026-02-08 Sunday)', () => {
    assert.equal(weekday('2000-01-01'), 6);
    assert.equal(weekday('2024-02-29'), 4);
    assert.equal(weekday('2026-02-08'), 0);
    assert.equal(weekday(SAT), 6);
    assert.equal(weekday(SUN), 0);
  });

  test('scheduled times win over the leg date; a leg running past midnight puts its later stages on the next day', () => {
    const def = rally();
    // Leg 2 starts Saturday evening; SS4's time control is due after midnight.
    def.legs[1]!.sections[0]!.controls[0] = { id: 'TC3', kind: 'TC', firstCarDue: `${SAT}T22:30` };
    def.legs[1]!.sections[1]!.controls[0] = { id: 'TC4', kind: 'TC', targetMs: 60 * 60_000, firstCarDue: `${SUN}T00:40` };
    const d = stageDates(def);
    assert.equal(d.get('SS2'), FRI);
    assert.equal(d.get('SS3'), SAT);
    assert.equal(d.get('SS4'), SUN);
    assert.equal(d.get('SS5'), SUN);
  });
});

describe('Saturday, Sunday and Power Stage places from the facts (rally-rules §6.1)', () => {
  const state = score(rally(), FIA, facts());

  test('WRC24 Saturday: general classification after SS4, the last Saturday stage — car 4 (retired) has no place', () => {
    const sat = saturdayPositions(state);
    // Totals over 20:00 after SS4: car 1 0, car 5 12, car 2 20, car 3 40.
    assert.deepEqual(asObject(sat?.positions), { 1: 1, 2: 3, 3: 4, 5: 2 });
    assert.match(sat!.basis, /SS4/);
  });

  test('WRC25 Super Sunday: Sunday stages plus penalties of that segment, over crews that ran all Sunday stages', () => {
    const sun = sundayPositions(state);
    // Sunday over 10:00: car 4 0, car 2 5, car 3 2 + 10 s penalty at TC5 = 12, car 1 20; car 5 did not run SS6.
    assert.deepEqual(asObject(sun?.positions), { 1: 4, 2: 2, 3: 3, 4: 1 });
    assert.match(sun!.basis, /leg L3/);
  });

  test('the same Sunday places when the whole rally is one leg and days come from the scheduled times (penalty at TC6, between Sunday stages)', () => {
    const one = score(rally({ oneLeg: true }), FIA, facts({ oneLeg: true, penaltyAt: 'TC6' }));
    assert.deepEqual(asObject(sundayPositions(one)?.positions), { 1: 4, 2: 2, 3: 3, 4: 1 });
  });

  test('a Sunday dead heat (car 2: 2 + 3 s; car 3: 1 + 1 s + 3 s penalty) shares 2nd place, the same whether Sunday is a whole leg or not (Sunday tie-break [NF])', () => {
    const withPenalty = (f: Fact[], control: string): Fact[] => [...f.filter((x) => x.id !== 'pen3'), { type: 'penalty', id: 'pen3b', car: 3, seconds: 3, reason: 'late', control }];
    const legs = score(rally(), FIA, withPenalty(facts(), 'TC5'));
    const one = score(rally({ oneLeg: true }), FIA, withPenalty(facts({ oneLeg: true }), 'TC6'));
    for (const s of [legs, one]) {
      const sun = sundayPositions(s);
      assert.deepEqual(asObject(sun?.positions), { 1: 4, 2: 2, 3: 2, 4: 1 });
      assert.match(sun!.basis, /equal Sunday times share a place \(\[NF\]\)/);
    }
  });

  test('Saturday ends with Saturday\'s leg: 20 s for car 1 at TC5 (Sunday\'s first control) leaves it 1st on Saturday and counts on Sunday', () => {
    const extra: Fact = { type: 'penalty', id: 'pen1', car: 1, seconds: 20, reason: '2 min late', control: 'TC5' };
    const s = score(rally(), FIA, [...facts(), extra]);
    // Counted on Saturday it would make car 1 20 s against car 5's 12 s.
    assert.deepEqual(asObject(saturdayPositions(s)?.positions), { 1: 1, 2: 3, 3: 4, 5: 2 });
    // Sunday: car 1 20 + 20 = 40, still 4th; the Sunday total itself is checked through the leg classification.
    assert.deepEqual(asObject(sundayPositions(s)?.positions), { 1: 4, 2: 2, 3: 3, 4: 1 });
  });

  test('Sunday penalty moves places: with car 3\'s 10 s at TC4 (Saturday) instead of TC5, car 3 is 2nd on Sunday (2 s against car 2\'s 5 s)', () => {
    const s = score(rally(), FIA, facts({ penaltyAt: 'TC4' }));
    assert.deepEqual(asObject(sundayPositions(s)?.positions), { 1: 4, 2: 3, 3: 2, 4: 1 });
  });

  test('Power Stage: the stage of type power, placed by its stage times', () => {
    const ps = powerStageResults(state)!;
    assert.equal(ps.stage.code, 'SS6');
    const places = Object.fromEntries(ps.rows.filter((r) => r.position !== null).map((r) => [r.car, r.position]));
    assert.deepEqual(places, { 1: 4, 2: 3, 3: 2, 4: 1 });
  });

  test('a rally with no Saturday or Sunday stage gives no Saturday or Sunday places (not zeros)', () => {
    const def = rally();
    for (const leg of def.legs) leg.date = FRI;
    const s = score(def, FIA, facts());
    assert.equal(saturdayPositions(s), undefined);
    assert.equal(sundayPositions(s), undefined);
    const round = roundFromScoredRally(s, { round: 'r', status: 'final', source: 'test' });
    assert.equal(round.crews[0]!.saturdayPosition, undefined);
  });
});

describe('WRC 2024 and 2025 points from a scored rally (rally-rules §6.1)', () => {
  const state = score(rally(), FIA, facts());
  const round = roundFromScoredRally(state, { round: 'wknd', status: 'final', source: 'test' });
  const drivers: Championship = { id: 'drivers', name: 'Drivers', kind: 'drivers', scheme: 'x' };
  const totals = (scheme: typeof fiaWrc2024) => Object.fromEntries(awardRound(drivers, scheme, round).map((a) => [a.competitor, a.total]));

  test('final classification: car 1, 2, 3, then car 4 (restarted); car 5 retired', () => {
    assert.deepEqual(round.crews.filter((c) => c.position !== null).sort((a, b) => a.position! - b.position!).map((c) => c.car), [1, 2, 3, 4]);
  });

  test('WRC25: final 25-17-15-12 + Super Sunday 5-4-3-2-1 + Power Stage 5-4-3-2-1 (restarted car 4 takes 10 from Sunday and the Power Stage)', () => {
    // car 1: 25 + Sunday 4th 2 + PS 4th 2 = 29; car 2: 17 + 4 + 3 = 24; car 3: 15 + 3 + 4 = 22; car 4: 12 + 5 + 5 = 22.
    assert.deepEqual(totals(fiaWrc2025), { D1: 29, D2: 24, D3: 22, D4: 22, D5: 0 });
  });

  test('WRC24: Saturday 18-15-13 kept only by finishers and passed down (car 5, 2nd on Saturday, retired) + Sunday 7-6-5-4 + Power Stage', () => {
    // Saturday: car 5 out ⇒ car 1 18, car 2 15, car 3 13. Sunday: car 4 7, car 2 6, car 3 5, car 1 4. PS: car 4 5, car 3 4, car 2 3, car 1 2.
    assert.deepEqual(totals(fiaWrc2024), { D1: 24, D2: 24, D3: 22, D4: 12, D5: 0 });
  });

  test('a place set by hand in the season round wins over the derived one (stewards take car 4 off the Power Stage)', () => {
    const season: Season = {
      id: 's', series: { id: 'wrc', name: 'WRC', body: 'FIA' }, year: 2025, name: 'WRC 2025', classes: [], championships: [drivers], sources: {},
      rounds: [{ id: 'wknd', round: 1, name: 'Weekend', startDate: FRI, endDate: SUN, confirmed: true, source: 'test',
        positionOverrides: [{ car: 4, powerStage: null, rule: 'stewards decision 7' }] }],
    };
    const s = computeStandings(season, drivers, fiaWrc2025, [round]);
    const total = (d: string) => s.rows.find((r) => r.competitor === d)!.total;
    // PS places pass down: car 3 5, car 2 4, car 1 3; car 4 loses its 5.
    assert.equal(total('D4'), 17);
    assert.equal(total('D3'), 23);
    assert.equal(total('D1'), 30);
  });
});

describe('Sno*Drift 2026 fixture (ARA, Friday night and Saturday)', () => {
  test('no stage is marked power, so no Power Stage places; no Sunday stage, so no Sunday places (rally-rules §6.2: ARA Power Stage points exist, the fixture has no Power Stage)', () => {
    const parsed = parseRallyFile(JSON.parse(readFileSync(new URL('../../../fixtures/snodrift-2026.rally.json', import.meta.url), 'utf8')));
    assert.ok(parsed.ok);
    const { rally: def, facts: f } = parsed.file;
    const { rules, errors } = resolveRules(def.rules);
    assert.deepEqual(errors, []);
    const s = score(def, rules, f);
    const places = derivedPlaces(s);
    assert.equal(places.powerStage, undefined);
    assert.equal(places.sunday, undefined);
    const round = roundFromScoredRally(s, { round: 'snodrift', status: 'provisional', source: 'fixture' });
    assert.ok(round.crews.every((c) => c.powerStagePosition === null && c.sundayPosition === undefined));
  });
});

describe('season: places set by hand are checked (names the field and the fix)', () => {
  test('a place must be a whole number ≥ 1 or null, the crew named, the rule given', () => {
    const season: Season = {
      id: 's', series: { id: 'wrc', name: 'WRC', body: 'FIA' }, year: 2025, name: 'WRC 2025', classes: [], championships: [], sources: {},
      rounds: [{ id: 'r1', round: 1, name: 'R1', startDate: null, endDate: null, confirmed: false, source: 'test',
        positionOverrides: [{ car: 4, sunday: 0, rule: 'x' }, { powerStage: 2, rule: '' }, { car: 5, saturday: null, rule: 'ok' }] }],
    };
    assert.deepEqual(seasonProblems(season, new Set()), [
      'rounds[0].positionOverrides[0].sunday: a place is a whole number ≥ 1 (or null for none), got 0',
      "rounds[0].positionOverrides[1]: give the crew's car or driver",
      'rounds[0].positionOverrides[1].rule: say who set the place and why',
    ]);
  });
});
