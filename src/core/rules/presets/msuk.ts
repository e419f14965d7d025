// Motorsport UK National Competition Rules 2026, Chapter 13 (stage rallies,
// target timing under Appendix 8). Read in the rulebook itself (MSUK26).
// SEE: docs/rules.md for what could not be confirmed.
import type { RuleSet } from '../types.ts';
import { confirmed, unconfirmed, RALLYHQ_DEFAULT } from './cite.ts';

const NOT_USED = 'not used under this preset';

export const msuk2026: RuleSet = {
  id: 'msuk',
  version: '2026.1',
  name: 'Motorsport UK NCR 2026 (target timing)',
  body: 'Motorsport UK',
  sources: {
    MSUK26: 'Motorsport UK National Competition Rules 2026, Chapter 13 (Rally): App 5, App 8, App 13, App 14',
    'NASA-INQ': 'NASA Rally Sport "Getting your stage times fixed or changed": 30-minute inquiry window (US practice)',
  },
  stagePrecisionMs: confirmed(1000, 'MSUK26 App 13 Art 8.4; App 8 (f)',
    'Whole seconds unless the documents state tenths: then override to 100.'),
  stageRounding: confirmed('truncate', 'MSUK26 App 13 Art 8.4; App 8 (f)', 'The nearest preceding whole second (or tenth).'),
  controlResolutionMs: confirmed(60_000, 'MSUK26 App 13 Art 3.6'),
  targetFrom: confirmed('previousTimeControl', 'MSUK26 App 13 Arts 3.7, 7.1, 9.1(a)',
    'From the previous check-in, or from the stage finish with its seconds dropped.'),
  latePenaltyPerMinuteMs: confirmed(0, 'MSUK26 App 8 1.2 and (h)',
    'Lateness is penalty-free unless the SRs say it is penalised: then override to 10000 (10 s per minute).'),
  earlyPenaltyPerMinuteMs: confirmed(60_000, 'MSUK26 App 8 (g)'),
  earlyAllowedAtLegEnd: confirmed(false, 'MSUK26 App 13 Art 3.9(c)',
    'Organisers may authorise early check-in at the end of a day or of the rally: then override to true.'),
  maxLatenessPerTargetMin: unconfirmed(null, 'MSUK26 App 13 Art 10.1(i)',
    'MSUK limits total lateness against the scheduled time (OTL), not lateness per target; rallyhq applies OTL as the cumulative limit.'),
  maxLatenessCumulativeMin: confirmed(30, 'MSUK26 App 13 Art 10.1(i); p457 Art 5.8',
    'OTL: more than 30 minutes; the documents may set another figure, never below 15 where public roads are used.'),
  cumulativeLatenessResetAt: unconfirmed('event', 'MSUK26 App 13 Arts 10.1–10.5, 11.3',
    'Lateness counts against the scheduled time for the whole event; recovery at halts (App 13 Arts 10.2–10.5) is not modelled.'),
  onExceedMaxLateness: confirmed('retire', 'MSUK26 App 13 Art 10.1(i); App 8 (a)(i)', 'An OTL control counts as not visited: on a multi-venue rally, retired.'),
  latenessPenaltyCapMs: unconfirmed(null, 'rally-rules §9: no cap given for MSUK',
    'No cap: lateness is penalty-free by default. SRs that penalise lateness may set one.'),
  jumpStartPenaltiesMs: confirmed([10_000, 60_000, 180_000], 'MSUK26 App 8 (e); App 14 (f)', 'Further offences: at the Clerk of the Course\'s discretion.'),
  jumpStartAddsJumpedTime: confirmed(true, 'MSUK26 App 8 (e); App 14 (f)', 'The first offence is 10 s plus the time jumped.'),
  stageMaxTime: unconfirmed({ kind: 'none' }, 'MSUK26 App 13 Arts 9.1, 11.1',
    'Target timing has a stage maximum, but its figure is set by each event\'s documents: override with {kind: "fixed", ms} or {kind: "perKm", msPerKm}.'),
  stageBogeyTime: unconfirmed({ kind: 'none' }, 'MSUK26 App 13 Arts 9.1, 11.1',
    'Target timing has a bogey time per stage set by each event\'s documents: give Stage.bogeyMs, or override with {kind: "fixed", ms} or {kind: "perKm", msPerKm}.'),
  dnfStageCharge: confirmed('retire', 'MSUK26 App 8 (a)(i)',
    'Multi-venue rallies: retired. The single-venue fixed penalty could not be paired with its figure (rally-rules §3.3).'),
  dnfStagePlusMs: unconfirmed(0, 'MSUK26 App 8 (a)', NOT_USED),
  restartAllowed: unconfirmed(false, 'MSUK26 App 8 (a)(i); restart rules not found',
    'Multi-venue: a crew that misses a stage is retired; no restart rule was found.'),
  restartBase: unconfirmed('fastestInClass', 'restart rules not found for MSUK', NOT_USED),
  restartPlusMs: unconfirmed(600_000, 'restart rules not found for MSUK', NOT_USED),
  restartPlusLaterMs: unconfirmed(null, 'restart rules not found for MSUK', NOT_USED),
  restartBasePrecisionMs: unconfirmed(1, 'restart rules not found for MSUK', NOT_USED),
  restartBaseScope: unconfirmed('event', 'restart rules not found for MSUK', NOT_USED),
  restartPlusMsSuperSpecial: unconfirmed(300_000, 'restart rules not found for MSUK', NOT_USED),
  restartMaxPerLeg: unconfirmed(0, 'restart rules not found for MSUK', NOT_USED),
  notionalTimePolicy: confirmed('fastestAtInterruption', 'MSUK26 Ch 13 Arts 4.20, 4.36–4.38 (p444–445)',
    'Reverse-seeded events (4.37): the fastest time set when the stage was interrupted, or the next down to the 5th if anomalous; a stage red-flagged before anyone completed it (4.38): the first time after the restart, down to the 5th. The Clerk confirms.'),
  tieBreak: unconfirmed('firstStage', 'MSUK tie-break not found (rally-rules §5)',
    'Assumed the FIA/WRC practice: the crew faster on the first stage.'),
  tieBreakThen: unconfirmed('nextStage', 'MSUK tie-break not found (rally-rules §5)', 'Then the next stage, and so on.'),
  tieBreakLast: unconfirmed('lowerCarNumber', 'MSUK dead heat on every stage: not found (rally-rules §5)', 'Every stage equal too: the lower car number (the higher seed) is placed first; override to "shared" for equal positions.'),
  maxAverageSpeedKph: unconfirmed(180, RALLYHQ_DEFAULT, 'Above 180 km/h a stage time is almost surely wrong.'),
  overdueFactor: unconfirmed(1.3, RALLYHQ_DEFAULT, 'Overdue once 30 % slower than the field pace…'),
  overdueMinMs: unconfirmed(180_000, RALLYHQ_DEFAULT, '…and at least 3 minutes after the expected time.'),
  overdueDefaultSpeedKph: unconfirmed(80, RALLYHQ_DEFAULT, 'Pace assumed before any car has a stage time.'),
  stageStartGapMs: unconfirmed(null, 'MSUK gap between arrival control and stage start not found',
    'No check unless the itinerary gives the gap (targetMs on the stage start) or the SRs set it.'),
  inquiryWindowMin: unconfirmed(30, 'MSUK inquiry window not found; 30 minutes as NASA-INQ', 'Set the window the SRs give.'),
  maxLatenessFixedPenaltyMs: confirmed(1_800_000, 'MSUK26 App 14 (b)',
    'Scheduled timing: OTL at a time control that is not a main time control is 30 minutes (at a main time control: retired, App 14 (a)).'),
  restartAfterMaxLateness: unconfirmed('nextLeg', 'restart rules not found for MSUK', NOT_USED),
  delayedStartPenaltyPerMinuteMs: unconfirmed(60_000, 'MSUK delayed start by the crew: not in the reference (rally-rules §2.2)',
    'Assumed the FIA-regional 1 minute per minute or part (FMU26 Art 48.4); the SRs should say.'),
  delayedStartRetireAfterMs: unconfirmed(null, 'MSUK delayed start by the crew: not in the reference (rally-rules §2.2)', 'No retirement for a late start unless the SRs set one.'),
  dueTimeMethod: confirmed('targetTimes', 'MSUK26 App 13 Art 9.1(a); App 8 (target timing)',
    'Scheduled timing (App 13 Art 10.1, App 14): override to "scheduled", give each time control its standard time (firstCarDue, car 0) and the rally its startIntervalMs; mark main time controls with main: true.'),
};

/**
 * Motorsport UK 2026.2: as 2026.1, without a penalty for a crew that delays its own stage start.
 * The rule reference gives MSUK none (rally-rules §2.2: "—" under App 8 and App 14); 2026.1 assumed
 * the FIA-regional 1 minute per minute or part, a figure no MSUK text gives. A new version, so rallies
 * scored under 2026.1 score the same.
 */
export const msuk2026b: RuleSet = {
  ...msuk2026,
  version: '2026.2',
  name: 'Motorsport UK NCR 2026 (target timing)',
  delayedStartPenaltyPerMinuteMs: unconfirmed(0, 'MSUK delayed start by the crew: not in the reference (rally-rules §2.2: App 8 and App 14 give no such penalty)',
    'No penalty unless the SRs set one (override delayedStartPenaltyPerMinuteMs citing the SR). "Not attempting a stage when told" (App 8, 10 min) is another offence: record it as a penalty.'),
};
