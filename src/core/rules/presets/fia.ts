// FIA regional / WRC style rules, as transcribed in FMU26 (which follows the
// FIA Regional Rally Sporting Regulations numbering) plus WRC press sources.
// SEE: docs/rules.md for the sources and what could not be confirmed.
import type { RuleSet } from '../types.ts';
import { confirmed, unconfirmed, RALLYHQ_DEFAULT } from './cite.ts';

const FMU = (article: string): string => `FIA-regional ${article} (FMU26)`;
const NOT_USED = 'not used under this preset';

export const fia2026: RuleSet = {
  id: 'fia',
  version: '2026.1',
  name: 'FIA regional / WRC style',
  body: 'FIA',
  sources: {
    FMU26: 'FMU (Uganda) 2026 National Competition Rules, following the FIA Regional Rally Sporting Regulations numbering (third-party transcription)',
    MSUK26: 'Motorsport UK National Competition Rules 2026, Chapter 13 (cited where the FIA text was not transcribed)',
    WRC12: 'juwra.com "rules 2012": Power Stage timed to 1/1000 s',
    ACR23: 'Acropolis 2023 WRC2 dead heat decided on stage one (press)',
    'NASA-INQ': 'NASA Rally Sport "Getting your stage times fixed or changed": 30-minute inquiry window',
  },
  stagePrecisionMs: confirmed(100, FMU('Art 47.1'),
    'Power and qualifying stages are timed to 0.001 s (WRC12): set Stage.precisionMs = 1; the total still counts them truncated to 0.1 s.'),
  stageRounding: unconfirmed('truncate', `${FMU('Art 47.1')}; rounding not stated — truncation as MSUK26 App 13 Art 8.4`,
    'The transcription gives the precision but not the rounding; truncation reproduces every WRC 2018 total in fixtures/real.'),
  controlResolutionMs: confirmed(60_000, FMU('Art 44.1')),
  targetFrom: unconfirmed('stageStart', 'rally-rules §1 (FIA article not transcribed); NASA-MFIA for the same method in US practice',
    'Inferred from WRC itineraries, which give the target of the TC after a stage from the stage start (first car due at the start + target = due at the next TC). Override to previousTimeControl where the SRs count from the stage finish.'),
  latePenaltyPerMinuteMs: confirmed(10_000, FMU('Art 44.2.10a')),
  earlyPenaltyPerMinuteMs: confirmed(60_000, FMU('Art 44.2.10b')),
  earlyAllowedAtLegEnd: unconfirmed(false, 'MSUK26 App 13 Art 3.9(c); FIA equivalent at final controls not re-verified',
    'Early check-in at the end of a leg is penalised unless the SRs authorise it (override to true).'),
  maxLatenessPerTargetMin: confirmed(15, FMU('Arts 40.2, 45.1–45.3'), 'Exceeding 15 minutes means 16 whole minutes; 15 is still allowed.'),
  maxLatenessCumulativeMin: confirmed(30, FMU('Arts 45.1–45.3')),
  cumulativeLatenessResetAt: confirmed('overnightRegroup', FMU('Arts 45.1–45.3'), 'Accumulated between two overnight regroups: reset at each leg.'),
  onExceedMaxLateness: confirmed('retire', FMU('Arts 45.1–45.3, 54.1.3'), 'Retired at that control; may restart after the next overnight regroup.'),
  latenessPenaltyCapMs: confirmed(300_000, FMU('Arts 45.1–45.3'), 'Capped at the 30-minute amount (30 × 10 s).'),
  jumpStartPenaltiesMs: confirmed([10_000, 60_000, 180_000], FMU('Art 48.6'), 'Further offences: at the stewards\' discretion.'),
  jumpStartAddsJumpedTime: confirmed(false, FMU('Art 48.6')),
  stageMaxTime: unconfirmed({ kind: 'none' }, 'rally-rules §3.3 (stated without citation)',
    'FIA has no stage maximum: a crew that does not complete a stage retires (FMU26 Art 54).'),
  dnfStageCharge: confirmed('retire', FMU('Art 54')),
  dnfStagePlusMs: unconfirmed(0, FMU('Art 54'), NOT_USED),
  restartAllowed: confirmed(true, FMU('Art 54'), 'WRC: each event decides whether restarts are allowed (WRC12).'),
  restartBase: confirmed('fastestInClass', FMU('Art 54')),
  restartPlusMs: confirmed(600_000, FMU('Art 54'), 'WRC values differ by year (+7 min 2019-era, +5 min in secondary sources): override per event.'),
  restartPlusMsSuperSpecial: confirmed(300_000, FMU('Art 54')),
  restartMaxPerLeg: confirmed(1, FMU('Art 54')),
  restartAllowedInLastSection: confirmed(false, FMU('Art 54'), 'Retiring in the last section of the last day: not classified.'),
  notionalTimePolicy: confirmed('givenOnly', FMU('Arts 52.1–52.4'), 'The Clerk of the Course gives each affected crew the fairest time.'),
  tieBreak: confirmed('firstNonSuperSpecial', FMU('Art 64.3'), 'WRC practice decided on the first stage (ACR23); override to firstStage for a WRC event.'),
  tieBreakThen: unconfirmed('nextStage', `${FMU('Art 64.3')}; beyond the first stage not found`,
    'If that stage is tied too, the next stage decides, then the one after.'),
  tieBreakLast: unconfirmed('lowerCarNumber', `${FMU('Art 64.3')}; a dead heat on every stage: not found`, 'Every stage equal too: the lower car number (the higher seed) is placed first; override to "shared" for equal positions.'),
  maxAverageSpeedKph: unconfirmed(180, RALLYHQ_DEFAULT, 'The fastest WRC gravel stages average about 140 km/h; above 180 km/h a time is almost surely wrong.'),
  overdueFactor: unconfirmed(1.3, RALLYHQ_DEFAULT, 'Overdue once 30 % slower than the field pace…'),
  overdueMinMs: unconfirmed(180_000, RALLYHQ_DEFAULT, '…and at least 3 minutes after the expected time.'),
  overdueDefaultSpeedKph: unconfirmed(80, RALLYHQ_DEFAULT, 'Pace assumed before any car has a stage time.'),
  stageStartGapMs: confirmed(180_000, FMU('Art 44.3.1'), 'The stage start follows the TC check-in by 3 minutes.'),
  inquiryWindowMin: unconfirmed(30, 'FIA protest window not found in FMU26; 30 minutes as NASA-INQ',
    'Set the window the SRs give.'),
};
