// A small hand-built rally and results for the renderer tests: three stages
// of a one-leg ARA-style rally, five crews. Every number is chosen so the text
// it must produce can be worked out by hand in the tests.
import type { Entry, RallyDefinition } from '../../core/model.ts';
import { METRES_PER_MILE } from '../../core/model.ts';
import type { Classification, StageClassification } from '../../core/results.ts';
import type { StagePenalties } from './stage.ts';

const e = (car: number, driver: string, codriver: string, cls: string, make: string, model: string): Entry => ({
  car, driver: { name: driver, nationality: 'USA' }, codriver: { name: codriver, nationality: 'USA' }, make, model, class: cls,
});

export const entries = {
  perocarpi: e(23, 'Luis Perocarpi', 'Mark Wells', 'L4WD', 'Mini', 'JCW Countryman ALL4'),
  pastrana: e(7, 'Travis Pastrana', 'Rhianon Gelsomino', 'L4WD', 'Subaru', 'WRX'),
  block: e(12, 'Lia Block, Jr.', 'Alex Driver', 'L4WD', 'Ford', 'Fiesta Rally3'),
  retired: e(41, 'Ann Snow', 'Bo Bank', 'O2WD', 'Honda', 'Fit'),
  excluded: e(5, 'Cy Lamp', 'Di Beam', 'O2WD', 'Mini', 'JCW Hardtop 2-door'),
};

export const definition: RallyDefinition = {
  id: 'sample-2026', name: 'Sample Rally 2026', timeZone: 'America/Detroit', distanceUnit: 'mi',
  startDate: '2026-02-06', endDate: '2026-02-06', rules: { preset: 'ara', version: '2026.1' },
  legs: [{ id: 'L1', name: 'Leg 1', date: '2026-02-06', sections: [{ id: 'S1', controls: [
    { id: 'SS2S', kind: 'SS_START', stage: 'SS2' },
    { id: 'SS2SP1', kind: 'SPLIT', stage: 'SS2', name: 'Split 1', splitDistanceM: 3000 },
    { id: 'SS2F', kind: 'SS_FINISH', stage: 'SS2' },
  ] }] }],
  stages: [
    { code: 'SS1', name: 'Lake Ridge', distanceM: 4.21 * METRES_PER_MILE, type: 'special', leg: 'L1' },
    { code: 'SS2', name: 'Avery Lake', distanceM: 4.21 * METRES_PER_MILE, type: 'special', leg: 'L1' },
    { code: 'SS3', name: 'Rattlesnake', distanceM: 10 * METRES_PER_MILE, type: 'special', leg: 'L1' },
  ],
  classes: [{ code: 'L4WD', name: 'Limited 4WD' }, { code: 'O2WD', name: 'Open 2WD' }],
  entries: Object.values(entries),
};

const row = (entry: Entry, position: number | null, totalMs: number, penaltyMs: number, gapToLeaderMs: number | null, gapToPrevMs: number | null, positionChange: number | null, status: Classification['rows'][number]['status'] = 'running') => ({
  position, classPosition: position, car: entry.car, entry, status, stagesMs: totalMs - penaltyMs, roadPenaltyMs: penaltyMs, otherPenaltyMs: 0,
  penaltyMs, totalMs, gapToLeaderMs, gapToPrevMs, positionChange, stagesCounted: 2,
});

/** After SS2: 23 leads on 1:02:03.4 including 0:40 of road penalties; 7 is 12.3 s back; 12 is 1:16.6 back. */
export const classification: Classification = {
  after: 'SS2',
  rows: [
    row(entries.perocarpi, 1, 3_723_400, 40_000, null, null, 2),
    row(entries.pastrana, 2, 3_735_700, 0, 12_300, 12_300, -1),
    row(entries.block, 3, 3_800_000, 0, 76_600, 64_300, 0),
    row(entries.retired, null, 1_000_000, 0, null, null, null, 'retired'),
    row(entries.excluded, null, 900_000, 0, null, null, null, 'excluded'),
  ],
  stageWinners: [{ stage: 'SS1', cars: [23], timeMs: 225_200 }, { stage: 'SS2', cars: [7], timeMs: 225_200 }],
  retired: [{ car: 41, where: 'SS2', reason: 'hit a snowbank', permanent: false, factId: 'f-ret-41' }],
  excluded: [{ car: 5, reason: 'headlights not as the rules require', rule: 'SR 12.3', factId: 'f-exc-5' }],
};

const stageRow = (entry: Entry, position: number | null, status: StageClassification['rows'][number]['status'], timeMs: number | null, gapToWinnerMs: number | null, gapToPrevMs: number | null, penaltyMs = 0, split?: number) => ({
  position, classPosition: position, car: entry.car, entry, status, timeMs, gapToWinnerMs, gapToPrevMs, penaltyMs,
  ...(split === undefined ? {} : { splitsMs: { SS2SP1: split } }),
});

/** SS2: 7 fastest in 3:45.2; 23 given a notional 3:57.5 (+12.3); 12 charged max time 5:00.0 with a jump start; 41 did not run. */
export const stage2: StageClassification = {
  stage: definition.stages[1]!,
  cancelled: false,
  interrupted: true,
  rows: [
    stageRow(entries.pastrana, 1, 'ok', 225_200, null, null, 0, 101_300),
    stageRow(entries.perocarpi, 2, 'notional', 237_500, 12_300, 12_300),
    stageRow(entries.block, 3, 'maxTime', 300_000, 74_800, 62_500, 10_000),
    stageRow(entries.retired, null, 'notRun', null, null, null),
  ],
  winners: [{ car: 7, timeMs: 225_200 }],
};

/**
 * SS2's penalties as the scoring gives them: car 23's 10 s corrected to 5 s
 * (only the correction is charged), car 12's first jump start decided by the
 * Clerk (10 s under the ARA preset), and a photocell jump start by car 7 that
 * no official has decided (no amount).
 */
export const stage2Penalties: StagePenalties = {
  charged: [
    { car: 12, ms: 10_000, reason: 'jump start, 1st offence: 10 s at SS2', rule: 'ARA jump-start penalty: not found (rally-rules §10.1)', confirmed: false, facts: ['j1'] },
    { car: 23, ms: 5_000, reason: 'stopped in the finish zone (reduced on review)', rule: 'SR 8.1', confirmed: true, facts: ['p2'] },
  ],
  pending: [{ car: 7, what: 'jump start recorded by photocell (moved 0.4 s early), not decided by an official: no penalty yet', facts: ['j2'] }],
};
