// Every value of every preset, checked against the rule reference
// (docs: rally-rules.md §§1–5 and the §9 matrix). Each row was written by reading
// the reference: the expected value, whether the reference confirms it ([V]/[T]
// → true; [P], [NF] and rallyhq defaults → false), and the article the citation must name.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { getPreset, listPresets } from './index.ts';
import { RULE_KEYS, checkRuleValues } from '../resolve.ts';
import { confidenceOf, type RuleKey } from '../types.ts';

/** confirmed: true (rulebook), 'shown' (shown by published results, with the cases), false (unconfirmed). */
type Row = [key: RuleKey, value: unknown, confirmed: boolean | 'shown', cites: RegExp, why: string];

const FIA: Row[] = [
  ['stagePrecisionMs', 100, true, /Art 47\.1.*FMU26/, 'FMU26 Art 47.1 [T]: special stages to 1/10 s'],
  ['stageRounding', 'truncate', false, /47\.1/, '§3.1: FIA rounding [NF], use truncation'],
  ['controlResolutionMs', 60_000, true, /Art 44\.1/, 'FMU26 Art 44.1 [T]: whole minute, seconds truncated'],
  ['targetFrom', 'stageStart', false, /NASA-MFIA/, '§1: FIA method not transcribed; WRC itineraries count the next target from the stage start, as the US method does (NASA-MFIA) — unconfirmed'],
  ['latePenaltyPerMinuteMs', 10_000, true, /44\.2\.10a/, 'FMU26 44.2.10a [T]: 10 s per minute or part'],
  ['earlyPenaltyPerMinuteMs', 60_000, true, /44\.2\.10b/, 'FMU26 44.2.10b [T]: 1 min per minute or part'],
  ['earlyAllowedAtLegEnd', false, false, /3\.9\(c\)/, '§2.1: FIA equivalent of MSUK App 13 3.9(c) not re-verified'],
  ['maxLatenessPerTargetMin', 15, true, /45\.1/, '§2.3 FMU26 45.1–45.3 [T]: exceeding 15 min ⇒ retire'],
  ['maxLatenessCumulativeMin', 30, true, /45\.1/, '§2.3 [T]: 30 min between overnight regroups'],
  ['cumulativeLatenessResetAt', 'overnightRegroup', true, /45\.1/, '§2.3 [T]: between two overnight regroups'],
  ['onExceedMaxLateness', 'retire', true, /45\.1/, '§2.3 [T]: retired at that control'],
  ['latenessPenaltyCapMs', 300_000, true, /45\.1/, '§2.3 [T]: capped at 30 min amount = 300 s'],
  ['jumpStartPenaltiesMs', [10_000, 60_000, 180_000], true, /48\.6/, '§3.2 FMU26 48.6 [T]: 10 s / 1 min / 3 min'],
  ['jumpStartAddsJumpedTime', false, true, /48\.6/, '§3.2 [T]: FIA 1st offence is 10 s flat'],
  ['stageMaxTime', { kind: 'none' }, false, /§3\.3/, '§3.3: "FIA: there is no stage maximum" (no citation)'],
  ['dnfStageCharge', 'retire', true, /Art 54/, '§3.3/§4.2 FMU26 Art 54 [T]: retired from the section'],
  ['dnfStagePlusMs', 0, false, /Art 54/, 'not used under FIA'],
  ['restartAllowed', true, true, /Art 54/, '§4.2 FMU26 Art 54 [T]'],
  ['restartBase', 'fastestInClass', true, /Art 54/, '§4.2 [T]: fastest time in class'],
  ['restartPlusMs', 600_000, true, /Art 54/, '§4.2 [T]: + 10 minutes per missed stage'],
  ['restartPlusLaterMs', null, false, /Art 54/, '§4.2: the same addition for every missed stage'],
  ['restartBasePrecisionMs', 1, false, /Art 54/, '§4.2: no cutting of the base found'],
  ['restartBaseScope', 'event', false, /Art 54/, 'one classification per event'],
  ['restartPlusMsSuperSpecial', 300_000, true, /Art 54/, '§4.2 [T]: + 5 minutes per missed SSS'],
  ['restartMaxPerLeg', 1, true, /Art 54/, '§4.2 [T]: at most once per leg'],
  ['notionalTimePolicy', 'clerkFairest', true, /52\.1/, '§3.4 FMU26 52.1–52.4 [T]: the Clerk gives the fairest time'],
  ['stageBogeyTime', { kind: 'none' }, false, /§3\.3/, '§3.3: FIA has no bogey'],
  ['inquiryWindowMin', 30, false, /NASA-INQ/, '§5: FIA protest window [NF]; NASA RS 30 min'],
  ['maxLatenessFixedPenaltyMs', 1_800_000, false, /45\.1/, '§2.3: FIA retires; not used'],
  ['restartAfterMaxLateness', 'nextLeg', true, /54/, '§2.3, §4.2 FMU26 Arts 45, 54 [T]: only after the next overnight regroup'],
  ['delayedStartPenaltyPerMinuteMs', 60_000, true, /48\.4/, '§2.2 FMU26 48.4 [T]: 1 min per minute or part'],
  ['delayedStartRetireAfterMs', 20_000, true, /48\.4/, '§2.2 FMU26 48.4 [T]: not starting within 20 s ⇒ retired'],
  ['dueTimeMethod', 'targetTimes', false, /9\.1\(a\)/, '§1: due = departure + target (MSUK26 App 13 9.1(a) [V]); FIA text not transcribed'],
  ['tieBreak', 'firstNonSuperSpecial', true, /64\.3/, '§5 FMU26 64.3 [T]: first stage that is not an SSS'],
  ['tieBreakThen', 'nextStage', false, /64\.3/, '§5: beyond the first stage [NF]'],
  ['tieBreakLast', 'lowerCarNumber', false, /not found/, '§5: a dead heat on every stage [NF]'],
  ['maxAverageSpeedKph', 180, false, /rallyhq default/, 'not a regulation'],
  ['overdueFactor', 1.3, false, /rallyhq default/, 'not a regulation'],
  ['overdueMinMs', 180_000, false, /rallyhq default/, 'not a regulation'],
  ['overdueDefaultSpeedKph', 80, false, /rallyhq default/, 'not a regulation'],
  ['stageStartGapMs', 180_000, true, /44\.3\.1/, '§1 FMU26 44.3.1 [T]: stage start 3 minutes after the TC'],
];

const MSUK: Row[] = [
  ['stagePrecisionMs', 1000, true, /App 13 Art 8\.4/, '§3.1 MSUK26 App 13 8.4 [V]: whole seconds unless documents say tenths'],
  ['stageRounding', 'truncate', true, /App 13 Art 8\.4/, '§3.1 [V]: nearest preceding whole second'],
  ['controlResolutionMs', 60_000, true, /App 13 Art 3\.6/, '§2.1 MSUK26 App 13 3.6 [V]'],
  ['targetFrom', 'previousTimeControl', true, /9\.1\(a\)/, '§1 MSUK26 App 13 9.1(a) [V]; 3.7 for a stage finish'],
  ['latePenaltyPerMinuteMs', 0, true, /App 8 1\.2/, '§2.2 App 8 1.2 and (h) [V]: penalty-free unless SRs say'],
  ['earlyPenaltyPerMinuteMs', 60_000, true, /App 8 \(g\)/, '§2.2 App 8 (g) [V]: 1 min per minute early'],
  ['earlyAllowedAtLegEnd', false, true, /3\.9\(c\)/, '§2.1 App 13 3.9(c) [V]: only if organisers authorise'],
  ['maxLatenessPerTargetMin', null, false, /10\.1\(i\)/, '§2.3: OTL counts against scheduled time, rallyhq reads it as cumulative'],
  ['maxLatenessCumulativeMin', 30, true, /10\.1\(i\)/, '§2.3 App 13 10.1(i) [V]: OTL more than 30 min'],
  ['cumulativeLatenessResetAt', 'event', false, /10\.1/, '§9: "via scheduled time / MPL in SRs" — reset not stated'],
  ['onExceedMaxLateness', 'retire', true, /App 8 \(a\)\(i\)/, '§2.2 App 8 (a)(i) [V]: multi-venue retired'],
  ['latenessPenaltyCapMs', null, false, /§9/, '§9: "—"'],
  ['jumpStartPenaltiesMs', [10_000, 60_000, 180_000], true, /App 8 \(e\)/, '§3.2 App 8 (e), App 14 (f) [V]'],
  ['jumpStartAddsJumpedTime', true, true, /App 8 \(e\)/, '§3.2 [V]: 10 s plus the time jumped'],
  ['stageMaxTime', { kind: 'none' }, false, /9\.1, 11\.1/, '§3.3 [V] concept exists; figure is per event'],
  ['dnfStageCharge', 'retire', true, /App 8 \(a\)\(i\)/, '§3.3 App 8 (a) [V]: multi-venue retired'],
  ['dnfStagePlusMs', 0, false, /App 8 \(a\)/, 'not used under MSUK'],
  ['restartAllowed', false, false, /not found/, '§4.2: MSUK restart rules [NF]'],
  ['restartBase', 'fastestInClass', false, /not found/, 'not used'],
  ['restartPlusMs', 600_000, false, /not found/, 'not used'],
  ['restartPlusLaterMs', null, false, /not found/, 'not used'],
  ['restartBasePrecisionMs', 1, false, /not found/, 'not used'],
  ['restartBaseScope', 'event', false, /not found/, 'not used'],
  ['restartPlusMsSuperSpecial', 300_000, false, /not found/, 'not used'],
  ['restartMaxPerLeg', 0, false, /not found/, 'not used'],
  ['notionalTimePolicy', 'fastestAtInterruption', true, /4\.3[6-8]/, '§3.4 MSUK26 4.20, 4.36–4.38 [V]'],
  ['stageBogeyTime', { kind: 'none' }, false, /9\.1, 11\.1/, '§3.3 [V]: bogey exists; figure per event'],
  ['inquiryWindowMin', 30, false, /not found/, 'not in the reference for MSUK'],
  ['maxLatenessFixedPenaltyMs', 1_800_000, true, /App 14 \(b\)/, '§2.2 App 14 (b) [V]: OTL at a TC that is not a main TC: 30 min'],
  ['restartAfterMaxLateness', 'nextLeg', false, /not found/, 'not used'],
  ['delayedStartPenaltyPerMinuteMs', 60_000, false, /not in the reference/, '§2.2: MSUK "—"'],
  ['delayedStartRetireAfterMs', null, false, /not in the reference/, '§2.2: MSUK "—"'],
  ['dueTimeMethod', 'targetTimes', true, /9\.1\(a\)/, '§1 MSUK26 App 13 9.1(a) [V]; scheduled timing App 13 10.1 by override'],
  ['tieBreak', 'firstStage', false, /not found/, '§9: MSUK tie-break NF'],
  ['tieBreakThen', 'nextStage', false, /not found/, '§9: NF'],
  ['tieBreakLast', 'lowerCarNumber', false, /not found/, '§9: NF'],
  ['maxAverageSpeedKph', 180, false, /rallyhq default/, 'not a regulation'],
  ['overdueFactor', 1.3, false, /rallyhq default/, 'not a regulation'],
  ['overdueMinMs', 180_000, false, /rallyhq default/, 'not a regulation'],
  ['overdueDefaultSpeedKph', 80, false, /rallyhq default/, 'not a regulation'],
  ['stageStartGapMs', null, false, /not found/, 'not in the reference for MSUK'],
];

// ARA 2026.1: the rulebook was not retrievable (§10.1) — nothing is confirmed.
const ARA: Row[] = [
  ['stagePrecisionMs', 100, false, /ARA-100AW24/, '§3.1: published to 0.1 s [P]; rule NF'],
  ['stageRounding', 'truncate', false, /not found/, '§3.1 NF'],
  ['controlResolutionMs', 60_000, false, /not found/, '§9: NF (assume minute)'],
  ['targetFrom', 'stageStart', false, /NASA-MFIA/, '§1: US modified FIA counts from stage start; ARA NF'],
  ['latePenaltyPerMinuteMs', 10_000, false, /not found/, '§2.2 NF'],
  ['earlyPenaltyPerMinuteMs', 60_000, false, /not found/, '§2.2 NF'],
  ['earlyAllowedAtLegEnd', false, false, /not found/, 'NF'],
  ['maxLatenessPerTargetMin', 15, false, /WMWR17/, '§2.3: ARA NF; US SCCA example 15 min per stage'],
  ['maxLatenessCumulativeMin', 30, false, /WMWR17/, '§2.3: US SCCA example 30 min per event'],
  ['cumulativeLatenessResetAt', 'event', false, /WMWR17/, '§2.3: US SCCA example, per event'],
  ['onExceedMaxLateness', 'exclude', false, /WMWR17/, '§2.3: US SCCA example, exclusion ("time barred")'],
  ['latenessPenaltyCapMs', 300_000, false, /not found/, '§9 NF'],
  ['jumpStartPenaltiesMs', [10_000, 60_000, 180_000], false, /not found/, '§3.2: ARA NF'],
  ['jumpStartAddsJumpedTime', false, false, /not found/, '§3.2: ARA NF'],
  ['stageMaxTime', { kind: 'none' }, false, /not found/, '§3.3: "max time" concept, rule NF'],
  ['dnfStageCharge', 'retire', false, /not found/, '§3.3 NF'],
  ['dnfStagePlusMs', 0, false, /not found/, 'NF, not used'],
  ['restartAllowed', true, false, /not found/, '§4.2: Super Rally used in practice [P], formula NF'],
  ['restartBase', 'fastestInClass', false, /not found/, '§4.2 NF'],
  ['restartPlusMs', 600_000, false, /not found/, '§4.2 NF'],
  ['restartPlusLaterMs', null, false, /not found/, 'kept as 2026.1 scored'],
  ['restartBasePrecisionMs', 1, false, /not found/, 'kept as 2026.1 scored'],
  ['restartBaseScope', 'event', false, /not found/, 'kept as 2026.1 scored'],
  ['restartPlusMsSuperSpecial', 300_000, false, /not found/, '§4.2 NF'],
  ['restartMaxPerLeg', 1, false, /not found/, '§9 NF'],
  ['notionalTimePolicy', 'worstBeforeStoppage', false, /RA-STOP/, '§3.4: RA legacy worst time [P]; ARA NF'],
  ['stageBogeyTime', { kind: 'none' }, false, /not found/, '§3.3 NF'],
  ['inquiryWindowMin', 30, false, /NASA-INQ/, '§5: NASA RS 30 min [V]; ARA window NF'],
  ['maxLatenessFixedPenaltyMs', 1_800_000, false, /not found/, '§2.3 NF'],
  ['restartAfterMaxLateness', 'nextLeg', false, /not found/, '§4.2 NF'],
  ['delayedStartPenaltyPerMinuteMs', 60_000, false, /not found/, '§2.2 NF'],
  ['delayedStartRetireAfterMs', 20_000, false, /not found/, '§2.2 NF'],
  ['dueTimeMethod', 'targetTimes', false, /not found/, '§1 NF'],
  ['tieBreak', 'firstStage', false, /not found/, '§5: ARA NF'],
  ['tieBreakThen', 'nextStage', false, /not found/, '§5: ARA NF'],
  ['tieBreakLast', 'lowerCarNumber', false, /not found/, '§5: ARA NF'],
  ['maxAverageSpeedKph', 180, false, /rallyhq default/, 'not a regulation'],
  ['overdueFactor', 1.3, false, /rallyhq default/, 'not a regulation'],
  ['overdueMinMs', 180_000, false, /rallyhq default/, 'not a regulation'],
  ['overdueDefaultSpeedKph', 80, false, /rallyhq default/, 'not a regulation'],
  ['stageStartGapMs', null, false, /not found/, 'NF'],
];

// ARA 2026.2: still nothing confirmed by the rulebook; what ARA's published
// results show (ara-evidence: the table of values and the 2025 national rounds)
// is marked 'shown' and cites the results with the cases that fit.
const ARA_RESULTS: Row[] = [
  ['stagePrecisionMs', 100, 'shown', /ARA-RES/, 'every 2024–2025 national time to 0.1 s'],
  ['stageRounding', 'truncate', false, /not found/, 'not shown (times arrive at 0.1 s)'],
  ['controlResolutionMs', 60_000, 'shown', /ARA-RES/, 'every TC penalty is whole minutes'],
  ['targetFrom', 'stageStart', false, /NASA-MFIA/, 'not shown'],
  ['latePenaltyPerMinuteMs', 10_000, 'shown', /ARA-RES/, 'all 176 late penalties = N × 10 s'],
  ['earlyPenaltyPerMinuteMs', 60_000, 'shown', /ARA-RES/, 'all 69 early penalties = N × 60 s'],
  ['earlyAllowedAtLegEnd', false, false, /not found/, 'not shown'],
  ['maxLatenessPerTargetMin', 30, false, /ARA-RES/, 'limit exists, not shown: 25 min classified, 32 min "mpl"'],
  ['maxLatenessCumulativeMin', null, false, /ARA-RES/, 'no cumulative limit shown'],
  ['cumulativeLatenessResetAt', 'event', false, /WMWR17/, 'not shown'],
  ['onExceedMaxLateness', 'retire', 'shown', /ARA-RES/, '"mpl" retirements are Rejoined ones'],
  ['latenessPenaltyCapMs', null, 'shown', /ARA-RES/, '32 minutes charged in full (5:20)'],
  ['jumpStartPenaltiesMs', [10_000, 60_000, 180_000], false, /not found/, 'one false start at 0:10 only'],
  ['jumpStartAddsJumpedTime', false, false, /not found/, 'not shown'],
  ['stageMaxTime', { kind: 'none' }, false, /not found/, 'not shown'],
  ['dnfStageCharge', 'retire', 'shown', /ARA-RES/, 'a crew that does not complete a stage retires (then may rejoin)'],
  ['dnfStagePlusMs', 0, false, /not found/, 'not used'],
  ['restartAllowed', true, 'shown', /ARA-RES/, 'Rejoined retirements at every national round'],
  ['restartBase', 'fastestInClass', 'shown', /ARA-RES/, 'class-best base'],
  ['restartPlusMs', 600_000, 'shown', /ARA-RES/, 'first missed stage + 10:00 (69 of 75)'],
  ['restartPlusLaterMs', 420_000, 'shown', /ARA-RES/, 'each further missed stage + 7:00 (217 of 236)'],
  ['restartBasePrecisionMs', 1000, 'shown', /ARA-RES/, 'tenths of the base dropped (143 cells need it)'],
  ['restartBaseScope', 'category', 'shown', /ARA-RES/, 'base within the category at 7 of 8 rounds'],
  ['restartPlusMsSuperSpecial', 600_000, false, /not found/, 'no super special in the results'],
  ['restartMaxPerLeg', 2, false, /ARA-RES/, 'a crew rejoined twice in one event; limit not shown'],
  ['notionalTimePolicy', 'clerkFairest', 'shown', /5\.14/, 'one shared time given to the affected crews on 15 stopped stages, not derivable: the Clerk gives it'],
  ['tieBreak', 'firstStage', false, /not found/, 'not shown: no tie needed'],
  ['tieBreakThen', 'nextStage', false, /not found/, 'not shown'],
  ['tieBreakLast', 'lowerCarNumber', false, /not found/, 'not shown'],
  ['maxAverageSpeedKph', 180, false, /rallyhq default/, 'not a regulation'],
  ['overdueFactor', 1.3, false, /rallyhq default/, 'not a regulation'],
  ['overdueMinMs', 180_000, false, /rallyhq default/, 'not a regulation'],
  ['overdueDefaultSpeedKph', 80, false, /rallyhq default/, 'not a regulation'],
  ['stageStartGapMs', null, false, /not found/, 'not shown'],
  ['inquiryWindowMin', 30, false, /NASA-INQ/, 'not shown'],
  ['stageBogeyTime', { kind: 'none' }, false, /not found/, 'not shown'],
  ['maxLatenessFixedPenaltyMs', 1_800_000, false, /not found/, 'not shown (mpl is a retirement)'],
  ['restartAfterMaxLateness', 'nextLeg', false, /not found/, 'not shown: the one 2025 "mpl" rejoin gives no leg'],
  ['delayedStartPenaltyPerMinuteMs', 60_000, false, /not found/, 'one late start by the crew at 1:00 (RCR 5.12.5) fits; not more'],
  ['delayedStartRetireAfterMs', 20_000, false, /not found/, 'not shown'],
  ['dueTimeMethod', 'targetTimes', false, /not found/, 'not shown'],
];

// MSUK 2026.2: 2026.1 without the assumed delayed-start penalty (rally-rules §2.2 gives MSUK none).
const MSUK_B: Row[] = MSUK.map((r) => (r[0] === 'delayedStartPenaltyPerMinuteMs' ? ['delayedStartPenaltyPerMinuteMs', 0, false, /not in the reference/, '§2.2: MSUK "—": no penalty unless the SRs set one'] : r));

const TABLES: Record<string, Row[]> = { fia: FIA, 'msuk@2026.1': MSUK, 'msuk@2026.2': MSUK_B, 'ara@2026.1': ARA, 'ara@2026.2': ARA_RESULTS };

for (const [name, rows] of Object.entries(TABLES)) {
  const [id, version] = name.split('@') as [string, string | undefined];
  describe(`preset ${name}: every value against the rule reference`, () => {
    const preset = getPreset(id, version);
    test(`${name} exists and every rule key has a row here`, () => {
      assert.ok(preset);
      assert.deepEqual(rows.map((r) => r[0]).sort(), [...RULE_KEYS].sort());
    });
    for (const [key, value, confirmed, cites, why] of rows) {
      test(`${name}.${key} = ${JSON.stringify(value)}, ${confirmed === 'shown' ? 'shown by published results' : confirmed ? 'confirmed' : 'unconfirmed'} (${why})`, () => {
        const cited = preset![key];
        assert.deepEqual(cited.value, value);
        assert.equal(cited.confirmed, confirmed === true);
        assert.equal(confidenceOf(cited), confirmed === 'shown' ? 'shownByResults' : confirmed ? 'confirmed' : 'unconfirmed');
        assert.match(cited.rule, cites);
        if (confirmed === 'shown') {
          assert.match(cited.shown ?? '', /20\d\d/, 'a value shown by results names the results');
          assert.match(cited.shown ?? '', /\d+ of \d+|all \d+|every|\d+ (cells|crews|stopped)|car \d+|in full/, 'and the cases that fit');
        }
        else if (!confirmed) assert.ok(cited.note && cited.note.length > 5, 'an unconfirmed value says what was assumed');
      });
    }
    test(`${name} passes the same schema as a rally's overrides`, () => {
      assert.deepEqual(checkRuleValues(preset!), []);
    });
  });
}

test('listPresets names fia, ara and msuk with a version each; getPreset without version gives the newest', () => {
  const list = listPresets();
  assert.deepEqual(list.map((p) => p.id).sort(), ['ara', 'ara', 'fia', 'msuk', 'msuk']);
  assert.equal(getPreset('msuk')?.version, '2026.2', 'the newest MSUK version charges no delayed start the reference does not give');
  assert.equal(getPreset('ara')?.version, '2026.2', 'the newest ARA version is the one from published results');
  for (const p of list) {
    assert.match(p.version, /^\d{4}\.\d+$/);
    assert.equal(getPreset(p.id, p.version)?.version, p.version);
    assert.equal(getPreset(p.id)?.id, p.id);
  }
  assert.equal(getPreset('fia', '1999.1'), null);
  assert.equal(getPreset('nascar'), null);
});

test('presets are frozen: no caller can change shared rules', () => {
  const fia = getPreset('fia')!;
  assert.throws(() => { (fia.latePenaltyPerMinuteMs as { value: number }).value = 1; });
  assert.equal(getPreset('fia')!.latePenaltyPerMinuteMs.value, 10_000);
});
