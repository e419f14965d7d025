// Golden: the Power Stage points of the 2018 WRC drivers' championship at
// Monte-Carlo and Sweden, derived from the rallies' facts alone (imported,
// scored, the stage of type power found and placed by the scoring core) under
// the 2017–2023 scheme (Power Stage 5-4-3-2-1, final classification needed:
// FMU26 Art 50.3; rally-rules §6.1). Expected: the official points breakdown
// in the data (`25+1` = final classification + Power Stage), never rallyhq's output.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { importWrc, type WrcRallyFile } from '../import/wrc.ts';
import { resolveRules } from '../rules/resolve.ts';
import { score } from '../scoring/index.ts';
import { roundFromScoredRally } from './from-classification.ts';
import { awardRound } from './round-points.ts';
import { fiaWrc2017 } from './schemes.ts';
import type { Championship, Registration } from './season.ts';

const WRC_DRIVERS = 'FIA World Rally Championship for Drivers';
interface Official { championships?: { championship: string; points: number; pointsBreakdown: string; status: string }[] }
type RealFile = WrcRallyFile & { crews: (WrcRallyFile['crews'][number] & { official: Official })[] };

const drivers: Championship = { id: 'drivers', name: 'WRC Drivers', kind: 'drivers', scheme: 'fia-wrc-2017', eligibility: 'wrc-drivers' };

for (const file of ['wrc-2018-monte-carlo.json', 'wrc-2018-sweden.json']) {
  describe(`golden: ${file} Power Stage points from the facts (rally-rules §6.1, FMU26 Art 50.3)`, () => {
    const data = JSON.parse(readFileSync(new URL(`../../../fixtures/real/${file}`, import.meta.url), 'utf8')) as RealFile;
    const { definition, facts } = importWrc(data);
    const { rules, errors } = resolveRules(definition.rules);
    assert.deepEqual(errors, []);
    const round = roundFromScoredRally(score(definition, rules, facts), { round: file, status: 'final', source: file });
    // Crews registered for the drivers' championship, as the official results list them.
    const official = new Map<string, { ps: number; total: number }>();
    const registrations: Registration[] = [];
    for (const c of data.crews) {
      const e = c.official.championships?.find((x) => x.championship === WRC_DRIVERS && x.status !== 'DidNotEnter');
      if (!e) continue;
      const parts = e.pointsBreakdown.split('+').map(Number);
      official.set(c.driver, { ps: parts.length === 2 ? parts[1]! : 0, total: e.points });
      registrations.push({ championship: 'drivers', driver: c.driver });
    }
    const awards = awardRound(drivers, fiaWrc2017, round, registrations);
    const psOf = (driver: string) => awards.find((a) => a.competitor === driver)?.lines.filter((l) => l.source === 'powerStage').reduce((a, l) => a + l.points, 0) ?? 0;

    test('the power stage is found in the facts (stage type power)', () => {
      const ps = data.stages.find((s) => /power/i.test(s.type))!.code;
      assert.match(round.basis?.powerStage ?? '', new RegExp(`\\b${ps}\\b`));
    });

    test('every registered driver\'s Power Stage points equal the official breakdown; 15 points in all (5+4+3+2+1)', () => {
      assert.ok(official.size >= 10);
      let sum = 0;
      for (const [driver, o] of official) {
        assert.equal(psOf(driver), o.ps, driver);
        sum += o.ps;
      }
      assert.equal(sum, 15);
    });

    test('final-classification plus Power Stage points equal every driver\'s official points', () => {
      for (const [driver, o] of official) assert.equal(awards.find((a) => a.competitor === driver)?.total ?? 0, o.total, driver);
    });
  });
}
