// American Rally Association. WARNING: the ARA rulebook text could not be
// retrieved (rally-rules §10.1); almost every value below is an assumption,
// marked unconfirmed with what was assumed. A rally's supplementary
// regulations should override them. SEE: docs/rules.md.
import type { RuleSet } from '../types.ts';
import { unconfirmed, RALLYHQ_DEFAULT } from './cite.ts';

const NF = (what: string): string => `ARA ${what}: not found (rally-rules §10.1)`;
const ASSUMED_FIA = 'Assumed the FIA-regional value; the SRs should say.';

export const ara2026: RuleSet = {
  id: 'ara',
  version: '2026.1',
  name: 'American Rally Association (values mostly unconfirmed)',
  body: 'ARA',
  sources: {
    'ARA-100AW24': 'ARA "100AW Wrap Up" (2024): times published to 0.1 s',
    'NASA-MFIA': 'NASA Rally Sport "The Modified FIA Timing System": allowance counted from the stage start',
    WMWR17: 'Waste Management Winter RallySprint 2017 Bulletin #3 (SCCA, USA): lateness limits',
    'NASA-INQ': 'NASA Rally Sport: 30-minute inquiry window after provisional results',
    'RA-STOP': 'Rally America stopped-stage practice (competitor description)',
    FMU26: 'FIA-regional values used where ARA gives none',
  },
  stagePrecisionMs: unconfirmed(100, `ARA-100AW24 (published to 0.1 s); ${NF('stage precision rule')}`,
    'Results are published to tenths; the rule itself was not found.'),
  stageRounding: unconfirmed('truncate', NF('stage rounding'), 'Assumed truncation, as MSUK26 App 13 Art 8.4.'),
  controlResolutionMs: unconfirmed(60_000, NF('control time resolution'), 'Assumed the whole minute, seconds dropped.'),
  targetFrom: unconfirmed('stageStart', `NASA-MFIA (US "modified FIA"); ${NF('target-time method')}`,
    'Assumed the US practice: a stage\'s allowance counts from the stage start.'),
  latePenaltyPerMinuteMs: unconfirmed(10_000, NF('TC late penalty'), `10 s per minute or part. ${ASSUMED_FIA}`),
  earlyPenaltyPerMinuteMs: unconfirmed(60_000, NF('TC early penalty'), `60 s per minute or part. ${ASSUMED_FIA}`),
  earlyAllowedAtLegEnd: unconfirmed(false, NF('early check-in at day end'), 'Assumed penalised unless the SRs authorise it.'),
  maxLatenessPerTargetMin: unconfirmed(15, `WMWR17 (SCCA RallySprint, US practice); ${NF('max lateness')}`, 'Assumed 15 minutes per target.'),
  maxLatenessCumulativeMin: unconfirmed(30, `WMWR17 (SCCA RallySprint, US practice); ${NF('max lateness')}`, 'Assumed 30 minutes for the whole event.'),
  cumulativeLatenessResetAt: unconfirmed('event', `WMWR17; ${NF('lateness reset')}`, 'Assumed accumulated over the whole event.'),
  onExceedMaxLateness: unconfirmed('exclude', `WMWR17 ("time barred"); ${NF('max lateness consequence')}`, 'Assumed exclusion, as the US example.'),
  latenessPenaltyCapMs: unconfirmed(300_000, NF('lateness penalty cap'), `30 × 10 s. ${ASSUMED_FIA}`),
  jumpStartPenaltiesMs: unconfirmed([10_000, 60_000, 180_000], NF('jump-start penalty'), ASSUMED_FIA),
  jumpStartAddsJumpedTime: unconfirmed(false, NF('jump-start penalty'), ASSUMED_FIA),
  stageMaxTime: unconfirmed({ kind: 'none' }, `US "max time" concept; ${NF('max time rule')}`,
    'No stage maximum until the SRs set one ({kind: "fixed", ms} or {kind: "perKm", msPerKm}).'),
  dnfStageCharge: unconfirmed('retire', NF('stage DNF charge'), 'Assumed retirement, then Super Rally restart.'),
  dnfStagePlusMs: unconfirmed(0, NF('stage DNF charge'), 'not used under this preset'),
  restartAllowed: unconfirmed(true, `Super Rally used in practice (DirtFish 2022); ${NF('Super Rally rule')}`, 'Assumed allowed.'),
  restartBase: unconfirmed('fastestInClass', NF('Super Rally penalty'), ASSUMED_FIA),
  restartPlusMs: unconfirmed(600_000, NF('Super Rally penalty'), `Fastest class time + 10 min. ${ASSUMED_FIA}`),
  restartPlusMsSuperSpecial: unconfirmed(300_000, NF('Super Rally penalty'), `Fastest class time + 5 min. ${ASSUMED_FIA}`),
  restartMaxPerLeg: unconfirmed(1, NF('Super Rally limits'), ASSUMED_FIA),
  restartAllowedInLastSection: unconfirmed(false, NF('Super Rally limits'), ASSUMED_FIA),
  notionalTimePolicy: unconfirmed('givenOnly', `RA-STOP (Rally America: worst time before the stoppage); ${NF('notional times')}`,
    'The Clerk enters notional times as facts.'),
  tieBreak: unconfirmed('firstStage', NF('tie-break'), 'Assumed the WRC practice: the first stage.'),
  tieBreakThen: unconfirmed('nextStage', NF('tie-break'), 'Then the next stage, and so on.'),
  tieBreakLast: unconfirmed('lowerCarNumber', NF('dead heat on every stage'), 'Every stage equal too: the lower car number (the higher seed) is placed first; override to "shared" for equal positions.'),
  maxAverageSpeedKph: unconfirmed(180, RALLYHQ_DEFAULT, 'Above 180 km/h a stage time is almost surely wrong.'),
  overdueFactor: unconfirmed(1.3, RALLYHQ_DEFAULT, 'Overdue once 30 % slower than the field pace…'),
  overdueMinMs: unconfirmed(180_000, RALLYHQ_DEFAULT, '…and at least 3 minutes after the expected time.'),
  overdueDefaultSpeedKph: unconfirmed(80, RALLYHQ_DEFAULT, 'Pace assumed before any car has a stage time.'),
  stageStartGapMs: unconfirmed(null, NF('TC to stage start gap'), 'No check unless the itinerary gives the gap or the SRs set it.'),
  inquiryWindowMin: unconfirmed(30, `NASA-INQ (NASA Rally Sport); ${NF('inquiry window')}`, 'Assumed 30 minutes, the US practice.'),
};
