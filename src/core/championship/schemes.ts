// Points schemes as cited data. Tags follow docs/championships.md: a value read
// in the rulebook or its transcription is confirmed; press reports, inferences
// and rallyhq's own assumptions are not, and say so. SEE: rally-rules §6.
import { confirmed, unconfirmed, deepFreeze } from '../rules/presets/cite.ts';
import type { PointsScheme, ShortenedRule, SourceTable } from './points-scheme.ts';
import type { Cited } from '../rules/types.ts';

const mustFinish = (rule: string): Cited<boolean> => confirmed(true, rule);
const fiaPowerStageFinish = confirmed(true, 'FMU26 Art 50.3 (FIA-regional, transcribed): Power Stage points need the final classification');

/** FIA-regional shortened rally. SEE: FMU26 Art 3.1 [T]. */
const fiaShortened: ShortenedRule = {
  steps: confirmed([{ atLeast: 0.75, factor: 1 }, { atLeast: 0.5, factor: 0.5 }, { atLeast: 0.25, factor: 1 / 3 }],
    'FMU26 Art 3.1 (FIA-regional, transcribed): ≥75 % full, ≥50 % half, ≥25 % one third, else none'),
};

const countBack = confirmed('countBack' as const, 'FMU26 Art 8.1 [T]; WRC06 [V]: most first places, then most second places, …');

/** ARA national overall. SEE: rally-rules §6.2 (SNO23, ARA-PS22, ARA22, RA16). */
export const araNational2026: PointsScheme = {
  id: 'ara-national',
  name: 'ARA national championship (overall)',
  sources: {
    final: {
      points: unconfirmed([22, 17, 14, 12, 10, 8, 6, 5, 4, 3],
        'SNO23 + ARA22 [P] for 1st–5th (22-17-14-12-10, derived from published standings); 6th–10th NOT verified',
        '6th–10th assume the Rally America scale 6-4-3-2-1 plus start and finish points (8-6-5-4-3, RA16). The series should override them.'),
      requiresFinish: confirmed(true, 'ARA22 [P]: a retirement scored zero (SOFR 2022)', 'DNF ⇒ 0, confirmed for 2022 only'),
    },
    powerStage: {
      points: unconfirmed([5, 4, 3, 2, 1], 'ARA-PS22 [P]: national Power Stage top five 5-4-3-2-1', 'Press report of the 2022 rule; reproduces the SNO23 standings.'),
      requiresFinish: unconfirmed(true, 'ARA: [NF]; FIA-regional FMU26 Art 50.3 assumed', 'Assumed as FIA: Power Stage points need the final classification.'),
    },
  },
  tieBreak: unconfirmed('countBack', 'ARA championship tie-break: [NF]', 'Assumed the FIA count-back (FMU26 Art 8.1).'),
  references: { SNO23: 'bellyupsports.com, Sno*Drift 2023 standings after round 1', ARA22: 'bellyupsports.com / DirtFish 2022', 'ARA-PS22': 'DirtFish "Is ARA\'s powerstage making a difference?" (2022)', RA16: 'Wikipedia "2016 Rally America season"' },
};

/** ARA class championships: same scale, own ledger, no Power Stage points known. SEE: rally-rules §6.2. */
export const araClass2026: PointsScheme = {
  id: 'ara-class',
  name: 'ARA class championships',
  sources: {
    final: {
      points: unconfirmed([22, 17, 14, 12, 10, 8, 6, 5, 4, 3],
        'SNO23 [P]: LN4 class standings 22-17-14-12 after Sno*Drift 2023; 5th–10th NOT verified',
        'Class points are a ledger of their own (Dickinson: 10 overall and 22 in LN4 at the same rally). 5th+ assumed as the national scale.'),
      requiresFinish: confirmed(true, 'ARA22 [P]: a retirement scored zero'),
    },
  },
  tieBreak: unconfirmed('countBack', 'ARA championship tie-break: [NF]', 'Assumed the FIA count-back (FMU26 Art 8.1).'),
  references: { SNO23: 'bellyupsports.com, Sno*Drift 2023 standings after round 1' },
};

/**
 * ARA regional championships (East, Central, West). Regional points are not in any source found
 * (rally-rules §6.2: "Regional points scale / coefficients [NF]"); the national scale is used, without
 * Power Stage points (the Power Stage is national only, ARA-PS22, ARA23).
 */
export const araRegional2026: PointsScheme = {
  id: 'ara-regional',
  name: 'ARA regional championships (regional classification)',
  sources: {
    final: {
      points: unconfirmed([22, 17, 14, 12, 10, 8, 6, 5, 4, 3],
        'ARA regional points scale: [NF] (rally-rules §6.2)',
        'Unconfirmed preset value, chosen: the national scale 22-17-14-12-10 (SNO23 [P]) with 6th–10th as the national assumption; no Power Stage points (national only).'),
      requiresFinish: unconfirmed(true, 'ARA regional: [NF]', 'Chosen as national: a retirement scores zero (ARA22 [P]).'),
    },
  },
  tieBreak: unconfirmed('countBack', 'ARA championship tie-break: [NF]', 'Assumed the FIA count-back (FMU26 Art 8.1).'),
  references: { SNO23: 'bellyupsports.com, Sno*Drift 2023 standings after round 1', ARA23: 'americanrallyassociation.org 2023 national schedule: regional championships East, Central, West' },
};

const wrc25Final = [25, 17, 15, 12, 10, 8, 6, 4, 2, 1];
const fivePs: SourceTable = {
  points: unconfirmed([5, 4, 3, 2, 1], 'WRC25 [P]: Power Stage 5-4-3-2-1', 'Press reports of the FIA statement.'),
  requiresFinish: unconfirmed(false, 'WRC25 [P]: a crew that retired before Sunday can still take up to 10 (Sunday + Power Stage)',
    'Read as: Sunday and Power Stage points do not need the final classification in 2025.'),
};

/** FIA WRC 2025: final + Super Sunday + Power Stage, max 35. SEE: rally-rules §6.1 (WRC25). */
export const fiaWrc2025: PointsScheme = {
  id: 'fia-wrc-2025',
  name: 'FIA World Rally Championship 2025 (drivers, co-drivers, manufacturers)',
  sources: {
    final: {
      points: unconfirmed(wrc25Final, 'WRC25 [P]: 25-17-15-12-10-8-6-4-2-1 on the final classification', 'Press reports of the FIA statement.'),
      requiresFinish: mustFinish('WRC25 [P]: final-classification points'),
    },
    sunday: {
      points: unconfirmed([5, 4, 3, 2, 1], 'WRC25 [P]: Super Sunday 5-4-3-2-1 on a classification of Sunday only, penalties of that segment included', 'Press reports.'),
      requiresFinish: unconfirmed(false, 'WRC25 [P]', 'A restarted crew can score Sunday points.'),
    },
    powerStage: fivePs,
  },
  shortened: fiaShortened,
  tieBreak: countBack,
  references: { WRC25: 'DirtFish "WRC points system revamped for 2025"; wrcfanatix.com; speedcafe.com (13 Dec 2024)', FMU26: 'FIA-regional sporting regulations as transcribed by FMU (Uganda) 2026' },
};

/** FIA WRC 2024: Saturday + Sunday + Power Stage, max 30. SEE: rally-rules §6.1 (WRC24). */
export const fiaWrc2024: PointsScheme = {
  id: 'fia-wrc-2024',
  name: 'FIA World Rally Championship 2024 (Rally1 drivers and co-drivers)',
  sources: {
    saturday: {
      points: unconfirmed([18, 15, 13, 10, 8, 6, 4, 3, 2, 1], 'WRC24 [P]: general classification after the last Saturday stage', 'Press reports.'),
      requiresFinish: unconfirmed(true, 'WRC24 [P]: kept only if the crew finishes the rally', 'Press reports.'),
      passDown: unconfirmed(true, 'WRC24 [P]: otherwise the allocation passes down to the next eligible crew', 'Press reports.'),
    },
    final: {
      // NOTE: in 2024 the final classification carried no points of its own; Sunday did.
      points: unconfirmed([0], 'WRC24 [P]: no points on the final classification in 2024', 'Position points come from Saturday and Sunday.'),
      requiresFinish: mustFinish('WRC24 [P]'),
    },
    sunday: {
      points: unconfirmed([7, 6, 5, 4, 3, 2, 1], 'WRC24 [P]: Sunday classification 7-6-5-4-3-2-1', 'Press reports.'),
      requiresFinish: unconfirmed(false, 'WRC24 [P]', 'Assumed, as 2025: Sunday points do not need the final classification.'),
    },
    powerStage: { points: unconfirmed([5, 4, 3, 2, 1], 'WRC24 [P]: Power Stage 5-4-3-2-1', 'Press reports.'), requiresFinish: fiaPowerStageFinish },
  },
  shortened: fiaShortened,
  tieBreak: countBack,
  references: { WRC24: 'rallysweden.com "New points calculation in WRC"; DirtFish; sport.err.ee (Dec 2023)' },
};

/**
 * FIA WRC 2017–2023: 25-18-15-12-10-8-6-4-2-1 + Power Stage 5-4-3-2-1. The
 * official 2018 Monte-Carlo and Sweden points (fixtures/real) reproduce it
 * exactly, so the values are marked confirmed by official results.
 */
export const fiaWrc2017: PointsScheme = {
  id: 'fia-wrc-2017',
  name: 'FIA World Rally Championship 2017–2023 (drivers and co-drivers)',
  sources: {
    final: {
      points: confirmed([25, 18, 15, 12, 10, 8, 6, 4, 2, 1], 'WRC24 (ERR), DirtFish [P]; reproduced by the official 2018 WRC points in fixtures/real'),
      requiresFinish: mustFinish('final-classification points'),
    },
    powerStage: {
      points: confirmed([5, 4, 3, 2, 1], 'WRC24 [P]; reproduced by the official 2018 WRC points (e.g. Meeke 12+5, Monte-Carlo 2018)'),
      requiresFinish: confirmed(true, 'FMU26 Art 50.3 [T]: Power Stage points need the final classification'),
    },
  },
  shortened: fiaShortened,
  tieBreak: countBack,
  references: { WRC24: 'sport.err.ee (Dec 2023) and DirtFish: the 2010–2023 system', WRC2018: 'fixtures/real: official WRC live-timing data, Monte-Carlo and Sweden 2018' },
};

/** FIA WRC 2010–2016 final-classification points. Power Stage points of those years are not in the reference. */
export const fiaWrc2010: PointsScheme = {
  id: 'fia-wrc-2010',
  name: 'FIA World Rally Championship 2010–2016 (final classification only)',
  sources: {
    final: {
      points: unconfirmed([25, 18, 15, 12, 10, 8, 6, 4, 2, 1], 'WRC24 (ERR), DirtFish [P]: 25-18-15-12-10-8-6-4-2-1 since 2010',
        'Power Stage points of 2011–2016 are not in the reference; add them as a custom scheme when needed.'),
      requiresFinish: mustFinish('final-classification points'),
    },
  },
  shortened: fiaShortened,
  tieBreak: countBack,
  references: { WRC24: 'sport.err.ee (Dec 2023) and DirtFish' },
};

/**
 * FIA WRC manufacturers, 2006/2008 style: two nominated cars per make score
 * 10-8-6-5-4-3-2-1 by relative position among nominated cars. SEE: WRCM08 [V].
 */
export const fiaWrcManufacturers2008: PointsScheme = {
  id: 'fia-wrc-manufacturers-2008',
  name: 'FIA WRC manufacturers 2008 (relative positions of nominated cars)',
  sources: {
    final: {
      points: confirmed([10, 8, 6, 5, 4, 3, 2, 1], 'WRCM08 [V]: 10-8-6-5-4-3-2-1 by relative position among nominated manufacturer cars'),
      requiresFinish: mustFinish('WRCM08 [V]'),
    },
  },
  tieBreak: confirmed('countBack', 'WRC06 [V]: holder of the greatest number of higher places'),
  references: { WRCM08: 'motorsportforums.com thread quoting the 2008 FIA WRC manufacturers\' regulation', WRC06: 'subaru-msm.com 2006 attribution of points' },
};

/**
 * FIA ERC 2020: 15 places on the final classification plus a leg bonus, 5-4-3-2-1 to the top five of
 * each leg's own classification. SEE: rally-rules §6.1 (ERC20).
 */
export const fiaErc2020: PointsScheme = {
  id: 'fia-erc-2020',
  name: 'FIA European Rally Championship 2020 (final classification + leg bonus)',
  sources: {
    final: {
      points: unconfirmed([30, 24, 21, 19, 17, 15, 13, 11, 9, 7, 5, 4, 3, 2, 1], 'ERC20 [P]: 30-24-21-…-1 for 1st–15th', 'Press report.'),
      requiresFinish: mustFinish('ERC20 [P]'),
    },
    leg: {
      points: unconfirmed([5, 4, 3, 2, 1], 'ERC20 [P]: leg bonus 5-4-3-2-1 to the top five of each leg', 'Press report; a leg\'s classification is taken as its own stages and the penalties of that leg.'),
      requiresFinish: unconfirmed(false, 'ERC20 [P]: the bonus is "rewarded in part to encourage drivers who fail to finish a leg to restart on the subsequent leg"',
        'Read as: a leg\'s bonus belongs to that leg, kept whether or not the crew reaches the final classification; the regulation text was not found.'),
    },
  },
  shortened: fiaShortened,
  tieBreak: countBack,
  references: { ERC20: 'Eurosport (4 Jul 2020) "ERC refresher: how points will be scored in 2020"; fiaerc.com "How ERC drivers will score in 2020" (23 Feb 2020)' },
};

/** A series' own scheme: any table, optionally with Power Stage points and the FIA shortened-rally rule. */
export function customScheme(options: {
  id: string;
  name: string;
  points: number[];
  powerStage?: number[];
  sunday?: number[];
  /** Leg bonus per leg, on each leg's own classification (ERC20 style); kept whether or not the crew finishes. */
  leg?: number[];
  rule: string;
  shortened?: boolean;
}): PointsScheme {
  const finishRule = confirmed(true, options.rule);
  const table = (points: number[], requiresFinish: boolean): SourceTable => ({ points: confirmed(points, options.rule), requiresFinish: confirmed(requiresFinish, options.rule) });
  const sources: PointsScheme['sources'] = { final: { points: confirmed(options.points, options.rule), requiresFinish: finishRule } };
  if (options.powerStage) sources.powerStage = table(options.powerStage, true);
  if (options.sunday) sources.sunday = table(options.sunday, false);
  if (options.leg) sources.leg = table(options.leg, false);
  return {
    id: options.id,
    name: options.name,
    sources,
    ...(options.shortened ? { shortened: fiaShortened } : {}),
    tieBreak: countBack,
    references: { [options.id]: options.rule },
  };
}

export const POINTS_SCHEMES: Readonly<Record<string, PointsScheme>> = deepFreeze(Object.fromEntries(
  [araNational2026, araClass2026, araRegional2026, fiaWrc2025, fiaWrc2024, fiaWrc2017, fiaWrc2010, fiaWrcManufacturers2008, fiaErc2020].map((s) => [s.id, s]),
));
