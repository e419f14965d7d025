// Points per round, checked against the rules they cite (rally-rules §6).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { awardRound } from './round-points.ts';
import { araNational2026, araClass2026, fiaWrc2025, fiaWrc2024, fiaWrcManufacturers2008, fiaWrc2017, customScheme } from './schemes.ts';
import type { Championship, RoundCrewResult, RoundResult } from './season.ts';

const drivers = (scheme: string, extra: Partial<Championship> = {}): Championship => ({ id: 'd', name: 'Drivers', kind: 'drivers', scheme, ...extra });

function crew(driver: string, position: number | null, extra: Partial<RoundCrewResult> = {}): RoundCrewResult {
  return { driver, codriver: `${driver} co`, make: 'Subaru', class: 'O4WD', status: position === null ? 'retired' : 'finished', position, eligibility: ['ara-national'], ...extra };
}

function round(crews: RoundCrewResult[], extra: Partial<RoundResult> = {}): RoundResult {
  return { round: 'r1', status: 'final', crews, source: 'test', ...extra };
}

const pointsOf = (awards: ReturnType<typeof awardRound>, who: string): number => awards.find((a) => a.competitor === who)?.total ?? 0;

describe('ARA national (rally-rules §6.2)', () => {
  test('ARA national 1st = 22, 2nd = 17, 3rd = 14, 4th = 12, 5th = 10 (SNO23, [P] unconfirmed)', () => {
    const a = awardRound(drivers('ara-national'), araNational2026, round(['A', 'B', 'C', 'D', 'E'].map((d, i) => crew(d, i + 1))));
    assert.deepEqual(['A', 'B', 'C', 'D', 'E'].map((d) => pointsOf(a, d)), [22, 17, 14, 12, 10]);
    assert.equal(a[0]!.lines[0]!.confirmed, false, 'the ARA scale is a press-derived value and must say so');
  });

  test('Sno*Drift 2023: Power Stage 5-4-3-2-1 reproduces 27, 21, 15, 12, 10 (SNO23 [P])', () => {
    // Published after round 1: Semenuk 27, Williams 21, Tilley 15, Gruszka 12 (no PS points), Dickinson 10.
    const crews = [
      crew('Semenuk', 1, { powerStagePosition: 1 }), crew('Williams', 2, { powerStagePosition: 2 }),
      crew('Tilley', 3, { powerStagePosition: 5 }), crew('Gruszka', 4, { powerStagePosition: 6 }), crew('Dickinson', 5, { powerStagePosition: 7 }),
      crew('Other3', 6, { powerStagePosition: 3 }), crew('Other4', 7, { powerStagePosition: 4 }),
    ];
    const a = awardRound(drivers('ara-national'), araNational2026, round(crews));
    assert.deepEqual(['Semenuk', 'Williams', 'Tilley', 'Gruszka', 'Dickinson'].map((d) => pointsOf(a, d)), [27, 21, 15, 12, 10]);
  });

  test('retired crew scores 0 and is not classified (ARA22 [P]: DNF ⇒ 0)', () => {
    const a = awardRound(drivers('ara-national'), araNational2026, round([crew('A', 1), crew('B', null, { powerStagePosition: 1 })]));
    assert.equal(pointsOf(a, 'B'), 0);
    assert.deepEqual(a.find((x) => x.competitor === 'B')!.places, []);
    assert.match(a.find((x) => x.competitor === 'B')!.notes.join(' '), /retired/);
  });

  test('Power Stage fastest but not classified: no PS points, the next classified crew takes 5 (FMU26 Art 50.3)', () => {
    const a = awardRound(drivers('ara-national'), araNational2026, round([crew('A', 1, { powerStagePosition: 2 }), crew('B', null, { powerStagePosition: 1 })]));
    assert.equal(pointsOf(a, 'A'), 22 + 5);
  });

  test('crews not registered for the national championship neither score nor take places (WRC2-23)', () => {
    const a = awardRound(drivers('ara-national', { eligibility: 'ara-national' }), araNational2026,
      round([crew('Regional', 1, { eligibility: ['ara-east'] }), crew('National', 2)]));
    assert.equal(pointsOf(a, 'National'), 22);
    assert.equal(a.some((x) => x.competitor === 'Regional'), false);
  });

  test('class championship: LN4 winner 5th overall takes 22 in class and 10 overall, independent ledgers (SNO23 [P])', () => {
    const crews = [crew('A', 1), crew('B', 2), crew('C', 3), crew('D', 4), crew('Dickinson', 5, { class: 'LN4' }), crew('Trudel', 6, { class: 'LN4' })];
    const overall = awardRound(drivers('ara-national'), araNational2026, round(crews));
    const cls = awardRound(drivers('ara-class', { class: 'LN4' }), araClass2026, round(crews));
    assert.equal(pointsOf(overall, 'Dickinson'), 10);
    assert.equal(pointsOf(cls, 'Dickinson'), 22);
    assert.equal(pointsOf(cls, 'Trudel'), 17);
    assert.equal(cls.length, 2);
  });

  test('co-drivers\' championship scores the co-driver of each crew', () => {
    const a = awardRound({ id: 'c', name: 'Co-drivers', kind: 'codrivers', scheme: 'ara-national' }, araNational2026, round([crew('A', 1)]));
    assert.equal(a[0]!.competitor, 'A co');
    assert.equal(a[0]!.total, 22);
  });

  test('ARA 6th place = 8 is marked unconfirmed (rally-rules §10.3)', () => {
    const a = awardRound(drivers('ara-national'), araNational2026, round([1, 2, 3, 4, 5, 6].map((p) => crew(`P${p}`, p))));
    assert.equal(pointsOf(a, 'P6'), 8);
    assert.match(araNational2026.sources.final!.points.rule, /NOT verified/);
  });
});

describe('FIA WRC (rally-rules §6.1)', () => {
  test('WRC 2025: winner 25 + Super Sunday 5 + Power Stage 5 = 35 maximum (WRC25 [P])', () => {
    const a = awardRound(drivers('fia-wrc-2025'), fiaWrc2025, round([crew('A', 1, { sundayPosition: 1, powerStagePosition: 1 }), crew('B', 2, { sundayPosition: 2, powerStagePosition: 2 })]));
    assert.equal(pointsOf(a, 'A'), 35);
    assert.equal(pointsOf(a, 'B'), 17 + 4 + 4);
  });

  test('WRC 2025: retired before Sunday, restarted, best on Sunday and Power Stage → 10 (WRC25 [P])', () => {
    const a = awardRound(drivers('fia-wrc-2025'), fiaWrc2025, round([crew('A', 1, { sundayPosition: 2, powerStagePosition: 2 }), crew('R', null, { sundayPosition: 1, powerStagePosition: 1 })]));
    assert.equal(pointsOf(a, 'R'), 10);
  });

  test('WRC 2024: Saturday leader retires on Sunday → Saturday 18 passes to the next finisher (WRC24 [P])', () => {
    const a = awardRound(drivers('fia-wrc-2024'), fiaWrc2024, round([
      crew('Out', null, { saturdayPosition: 1 }),
      crew('A', 1, { saturdayPosition: 2, sundayPosition: 1, powerStagePosition: 1 }),
      crew('B', 2, { saturdayPosition: 3, sundayPosition: 2, powerStagePosition: 2 }),
    ]));
    assert.equal(pointsOf(a, 'Out'), 0);
    assert.equal(pointsOf(a, 'A'), 18 + 7 + 5);
    assert.equal(pointsOf(a, 'B'), 15 + 6 + 4);
  });

  test('WRC 2017–2023: 10th = 1 point, 11th = 0 (25-18-15-12-10-8-6-4-2-1)', () => {
    const a = awardRound(drivers('fia-wrc-2017'), fiaWrc2017, round(Array.from({ length: 11 }, (_, i) => crew(`P${i + 1}`, i + 1))));
    assert.equal(pointsOf(a, 'P10'), 1);
    assert.equal(pointsOf(a, 'P11'), 0);
  });

  test('shortened rally 60 % run → half points, 30 % → a third, 20 % → none (FMU26 Art 3.1)', () => {
    const at = (share: number): number => pointsOf(awardRound(drivers('fia-wrc-2017'), fiaWrc2017, round([crew('A', 1)], { runShare: share })), 'A');
    assert.equal(at(0.8), 25);
    assert.equal(at(0.6), 12.5);
    assert.equal(at(0.3), 8.33);
    assert.equal(at(0.2), 0);
  });

  test('Power Stage stopped (void) → no Power Stage points for anyone (ARA22: Ojibwe 2022)', () => {
    const a = awardRound(drivers('ara-national'), araNational2026, round([crew('A', 1, { powerStagePosition: 1 })], { powerStageVoid: true }));
    assert.equal(pointsOf(a, 'A'), 22);
  });
});

describe('manufacturers (WRCM08 [V])', () => {
  test('WRCM08 worked example: Citroën(M), Ford(M), privateer, Stobart not nominated, Stobart(M), Citroën(M) ⇒ Citroën 10+5, Ford 8, Stobart 6', () => {
    const m = (driver: string, make: string, position: number, nominated: boolean): RoundCrewResult => ({ driver, make, class: 'WRC', status: 'finished', position, nominated });
    const result = round([
      m('Loeb', 'Citroën', 1, true), m('Hirvonen', 'Ford', 2, true), m('Privateer', 'Subaru', 3, false),
      m('Galli', 'Stobart', 4, false), m('Wilson', 'Stobart', 5, true), m('Sordo', 'Citroën', 6, true),
    ]);
    const a = awardRound({ id: 'm', name: 'Manufacturers', kind: 'manufacturers', scheme: 'fia-wrc-manufacturers-2008', carsPerMake: 2 }, fiaWrcManufacturers2008, result);
    assert.equal(pointsOf(a, 'Citroën'), 15);
    assert.deepEqual(a.find((x) => x.competitor === 'Citroën')!.lines.map((l) => l.points), [10, 5]);
    assert.equal(pointsOf(a, 'Ford'), 8);
    assert.equal(pointsOf(a, 'Stobart'), 6);
    assert.equal(a.some((x) => x.competitor === 'Subaru'), false);
  });

  test('three nominated cars of one make, best two score; the third keeps its place (WRCM08)', () => {
    const m = (driver: string, make: string, position: number): RoundCrewResult => ({ driver, make, class: 'WRC', status: 'finished', position, nominated: true });
    const a = awardRound({ id: 'm', name: 'M', kind: 'manufacturers', scheme: 'x', carsPerMake: 2 }, fiaWrcManufacturers2008,
      round([m('a', 'X', 1), m('b', 'X', 2), m('c', 'X', 3), m('d', 'Y', 4)]));
    assert.equal(pointsOf(a, 'X'), 18);
    assert.equal(pointsOf(a, 'Y'), 5, 'Y is 4th among nominated cars: the third X car is not skipped');
  });
});

test('custom scheme 10-6-4-3-2-1 + PS 3-2-1: A 1st and 2nd-best PS of the two → 12, B 2nd and fastest PS → 9', () => {
  const s = customScheme({ id: 'club', name: 'Club', points: [10, 6, 4, 3, 2, 1], powerStage: [3, 2, 1], rule: 'Club SR Art 12' });
  const a = awardRound(drivers('club'), s, round([crew('A', 1, { powerStagePosition: 3 }), crew('B', 2, { powerStagePosition: 1 })]));
  assert.equal(pointsOf(a, 'A'), 12, 'PS places are among the eligible crews: stage position 3 is 2nd of these two');
  assert.equal(pointsOf(a, 'B'), 9);
});

test('property: points totals match the table — n classified crews share exactly the first n places of the scheme', async () => {
  const fc = (await import('fast-check')).default;
  fc.assert(fc.property(fc.integer({ min: 1, max: 25 }), fc.integer({ min: 0, max: 5 }), (classified, retired) => {
    const crews = [...Array(classified).keys()].map((i) => crew(`C${i}`, i + 1));
    for (let i = 0; i < retired; i++) crews.push(crew(`R${i}`, null));
    const awards = awardRound(drivers('ara-national'), araNational2026, round(crews));
    const total = awards.reduce((a, x) => a + x.total, 0);
    const expected = araNational2026.sources.final!.points.value.slice(0, classified).reduce((a, b) => a + b, 0);
    return total === expected;
  }), { numRuns: 200 });
});
