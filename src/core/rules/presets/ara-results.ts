// American Rally Association, version 2026.2: the values ARA's own published
// results show. The 2026 rulebooks (GCR, RCR) are distributed to members only
// and were not found as text, so no value here is "confirmed by the rulebook";
// what the results applied consistently is marked "shown by published
// results" with the results and the count of cases that fit, and what they do
// not show stays unconfirmed, as in 2026.1. A rally's supplementary
// regulations may override any value. SEE: docs/rules.md (ARA).
import type { RuleSet } from '../types.ts';
import { shownByResults, unconfirmed } from './cite.ts';
import { ara2026 } from './ara.ts';

const NF = (what: string): string => `ARA ${what}: not found (rally-rules §10.1)`;
/** The published results the values are read from. */
const RES = 'ARA-RES';
const NAT25 = 'ARA 2025 national rounds (8 events, both categories)';

export const ara2026Results: RuleSet = {
  ...ara2026,
  version: '2026.2',
  name: 'American Rally Association (values shown by published results)',
  sources: {
    ...ara2026.sources,
    [RES]: 'ARA published results 2024–2025 (RallySafe results as collected by the ARA "Combiner"): every stage time, penalty with its control, amount and reason, and retirement',
    'ARA-RCR-P': 'ARA Rally Competition Rules as paraphrased by a third party (RCR 5.14/5.14.1 stopped stages)',
  },
  stagePrecisionMs: shownByResults(100, `${RES}; ${NF('stage precision rule')}`,
    'every 2024–2025 national stage time is published to 0.1 s (source precision "0.1s")'),
  controlResolutionMs: shownByResults(60_000, `${RES}; ${NF('control time resolution')}`,
    `${NAT25}: all 245 time-control penalties are a whole number of minutes late or early`),
  latePenaltyPerMinuteMs: shownByResults(10_000, `${RES}; ${NF('TC late penalty')}`,
    `${NAT25}: all 176 "N minutes late" penalties are N × 10 s (N from 1 to 32)`),
  earlyPenaltyPerMinuteMs: shownByResults(60_000, `${RES}; ${NF('TC early penalty')}`,
    `${NAT25}: all 69 "N minutes early" penalties are N × 60 s (up to 15 minutes = 15:00)`),
  maxLatenessPerTargetMin: unconfirmed(30, `${RES} (limit not shown); ${NF('max lateness')}`,
    'Results show crews 22 and 25 minutes late at one control still classified and one crew 32 minutes late retired for it ("mpl"): the limit lies between 26 and 32 minutes; 30 assumed.'),
  maxLatenessCumulativeMin: unconfirmed(null, `${RES} (no cumulative limit shown); ${NF('max lateness')}`,
    'No retirement for accumulated lateness appears in the results; none assumed.'),
  onExceedMaxLateness: shownByResults('retire', `${RES}; ${NF('max lateness consequence')}`,
    '2024–2025: maximum-lateness ("mpl") retirements are retirements the crew may rejoin from (Olympus 2025 car 842, 32 min late at TC2B, status Rejoined)'),
  latenessPenaltyCapMs: shownByResults(null, `${RES}; ${NF('lateness penalty cap')}`,
    `${NAT25}: a 32-minute lateness was charged in full (5:20); no lateness penalty is capped`),
  jumpStartPenaltiesMs: unconfirmed([10_000, 60_000, 180_000], NF('jump-start penalty'),
    'The one false start in the 2025 national results was charged 0:10, as the first value here; later offences not shown.'),
  dnfStageCharge: shownByResults('retire', `${RES}; ${NF('stage DNF charge')}`,
    `${NAT25}: every crew that did not complete a stage is recorded as retired there (then permanent or rejoined); none is charged a stage maximum instead`),
  restartAllowed: shownByResults(true, `${RES}; ${NF('Super Rally rule')}`,
    '2024–2025: "Rejoined" retirements at every national round (74 crews with restart charges in 2025, after off, mechanical, mpl and missed service check-out)'),
  restartBase: shownByResults('fastestInClass', `${RES}; ${NF('Super Rally penalty')}`,
    `${NAT25}: 286 of 311 charged stage cells fit the fastest time in the crew's class (restart charges left out, a stopped stage's shared time counted)`),
  restartPlusMs: shownByResults(600_000, `${RES}; ${NF('Super Rally penalty')}`,
    `${NAT25}: 69 of 75 first missed stages charged base + 10:00`),
  restartPlusLaterMs: shownByResults(420_000, `${RES}; ${NF('Super Rally penalty')}`,
    `${NAT25}: 217 of 236 further missed stages charged base + 7:00; a second retirement starts again at + 10:00 (Ojibwe car 522, SS3)`),
  restartBasePrecisionMs: shownByResults(1000, `${RES}; ${NF('Super Rally penalty')}`,
    `${NAT25}: in 143 cells the base has 0.5–0.9 s and the charge drops the tenths (6:01.3 gives 6:01); rounding would give one second more`),
  restartBaseScope: shownByResults('category', `${RES}; ${NF('Super Rally penalty')}`,
    `${NAT25}: at seven of the eight rounds the base is taken within the crew's championship category (100 cells fit only that way); Oregon Trail took it across both categories (all 52 of its charges)`),
  restartPlusMsSuperSpecial: unconfirmed(600_000, NF('Super Rally penalty'), 'No super special stage in the results; charged like any stage.'),
  restartMaxPerLeg: unconfirmed(2, `${RES} (limit not shown); ${NF('Super Rally limits')}`,
    'Results show a crew rejoining twice in one event (Ojibwe 2025 car 522); two per leg assumed.'),
  notionalTimePolicy: shownByResults('clerkFairest', `ARA-RCR-P 5.14/5.14.1; ${RES}`,
    `${NAT25}: on 15 stopped stages one identical time was given to 4 to 44 crews whatever their class or category; it cannot be derived from the other times, so the Clerk gives it`),
};
