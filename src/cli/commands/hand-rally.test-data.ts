// A rally small enough to score by hand, for the command-line tests. Two
// 5-mile stages, stage times given directly, one correction, one penalty, one
// retirement and one exclusion. The expected results, worked out by hand:
//
//            SS1      SS2      penalty  total    after SS1  after SS2
//   car 1    5:00.0   4:00.0            9:00.0   2nd        1st  ▲1
//   car 3    5:10.0   3:58.0            9:08.0   4th        2nd  ▲2   +8.0
//   car 2    4:55.0   4:10.0   0:20     9:25.0   1st        3rd  ▼2   +25.0 (+17.0 to car 3)
//   car 4    5:05.0   retired on SS2 (gearbox)
//   car 5    excluded (headlights not as the rules require)
//
// Car 1's SS1 time was first recorded as 5:01.0 and corrected to 5:00.0.
// Stage winners: SS1 car 2 (4:55.0), SS2 car 3 (3:58.0).
import { METRES_PER_MILE } from '../../core/model.ts';

const FIVE_MILES_M = Math.round(5 * METRES_PER_MILE);

const person = (name: string, nationality = 'USA') => ({ name, nationality });
const entry = (car: number, driver: string, codriver: string, cls: string, make: string, model: string, extra: Record<string, unknown> = {}) =>
  ({ car, driver: person(driver), codriver: person(codriver), make, model, class: cls, ...extra });

export function handRally(): Record<string, unknown> {
  return {
    format: 'rallyhq.rally',
    version: 1,
    rally: {
      id: 'hand-2026',
      name: 'Hand Rally 2026',
      timeZone: 'America/Detroit',
      distanceUnit: 'mi',
      startDate: '2026-02-06',
      endDate: '2026-02-06',
      rules: { preset: 'ara', version: '2026.1' },
      legs: [{
        id: 'L1', name: 'Leg 1', date: '2026-02-06',
        sections: [{ id: 'S1', controls: [
          { id: 'SS1S', kind: 'SS_START', stage: 'SS1' },
          { id: 'SS1F', kind: 'SS_FINISH', stage: 'SS1' },
          { id: 'SS2S', kind: 'SS_START', stage: 'SS2' },
          { id: 'SS2F', kind: 'SS_FINISH', stage: 'SS2' },
        ] }],
      }],
      stages: [
        { code: 'SS1', name: 'Lake Ridge', distanceM: FIVE_MILES_M, type: 'special', leg: 'L1' },
        { code: 'SS2', name: 'Avery Lake', distanceM: FIVE_MILES_M, type: 'special', leg: 'L1' },
      ],
      classes: [{ code: 'L4WD', name: 'Limited 4WD' }, { code: 'O2WD', name: 'Open 2WD' }],
      entries: [
        entry(1, 'Ann Able', 'Bo Bell', 'L4WD', 'Subaru', 'WRX', { entrant: 'Able Racing, Inc.', support: 'privateer' }),
        entry(2, 'Cy Cole', 'Di Dow', 'L4WD', 'Ford', 'Fiesta Rally3', { support: 'factory' }),
        entry(3, 'Ed Eyre', 'Flo Fay', 'O2WD', 'Mini', 'JCW Hardtop 2-door'),
        entry(4, 'Gus Grey', 'Hal Hart', 'O2WD', 'Honda', 'Fit'),
        entry(5, 'Ivy Ince', 'Jo Jay', 'L4WD', 'Mini', 'JCW Countryman ALL4'),
      ],
    },
    facts: [
      { id: 'st-1-1', type: 'stageTime', car: 1, stage: 'SS1', time: '5:01.0', by: 'finish marshal', recordedAt: '2026-02-06T18:05:01-05:00' },
      { id: 'st-1-1c', type: 'stageTime', car: 1, stage: 'SS1', time: '5:00.0', supersedes: 'st-1-1', reason: 'time card checked: 5:00.0', by: 'results officer' },
      { id: 'st-2-1', type: 'stageTime', car: 2, stage: 'SS1', time: '4:55.0' },
      { id: 'st-3-1', type: 'stageTime', car: 3, stage: 'SS1', time: '5:10.0' },
      { id: 'st-4-1', type: 'stageTime', car: 4, stage: 'SS1', time: '5:05.0' },
      { id: 'st-5-1', type: 'stageTime', car: 5, stage: 'SS1', time: '5:20.0' },
      { id: 'ex-5', type: 'exclusion', car: 5, reason: 'headlights not as the rules require', rule: 'SR 12.3' },
      { id: 'st-1-2', type: 'stageTime', car: 1, stage: 'SS2', time: '4:00.0' },
      { id: 'st-2-2', type: 'stageTime', car: 2, stage: 'SS2', time: '4:10.0' },
      { id: 'st-3-2', type: 'stageTime', car: 3, stage: 'SS2', time: '3:58.0' },
      { id: 'ret-4', type: 'retirement', car: 4, where: 'SS2', reason: 'gearbox', permanent: true },
      { id: 'pen-2', type: 'penalty', car: 2, seconds: 20, reason: 'speeding in the service park', rule: 'SR 9.1', stage: 'SS2' },
    ],
  };
}
