// Every value of every preset acts: for each rule key there is a scenario (a
// few facts on the lab rally, and the other values it needs), and changing the
// key's value in that scenario changes some result — a classification, a
// stage time, a data-quality finding, an overdue crew or a notional-time
// proposal, or (inquiryWindowMin) the inquiry clock an official publication
// waits for. A key without a scenario fails here by name: a new preset value is
// either shown to act or it does not belong in the presets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Fact } from '../facts.ts';
import type { RallyDefinition } from '../model.ts';
import { listPresets, getPreset } from './presets/index.ts';
import { RULE_KEYS } from './resolve.ts';
import type { RuleKey, RuleSet, RuleValues } from './types.ts';
import { classify, dataIssues, notionalProposals, overdueCrews, score, stageResults } from '../scoring/index.ts';
import { at, LAB_DAY1, labRally, onTime, stageTime } from '../scoring/lab-rally.test-data.ts';
import { parseLocalDateTime } from '../time/local-time.ts';
import { categoryFacts, categoryRally } from '../fixtures/category-rally.ts';
import { inquiryWindow } from '../inquiry-window.ts';

type Value<K extends RuleKey> = RuleValues[K]['value'];
interface Scenario<K extends RuleKey> {
  /** Other values the scenario needs, whatever the preset says. */
  base?: Partial<{ [J in RuleKey]: Value<J> }>;
  def?: (d: RallyDefinition) => RallyDefinition;
  facts: Fact[];
  /** A different value that must change a result. */
  alt: (v: Value<K>) => Value<K>;
  /** What else it changes, beyond the scored results (a value used outside scoring). */
  observe?: (rules: RuleSet) => unknown;
}
type Scenarios = { [K in RuleKey]?: Scenario<K> };

const others = (...cars: number[]): Fact[] => cars.flatMap((c) => onTime(c));
const O = others(1, 3, 4);
const car2Retires: Fact[] = [...O, ...onTime(2, { skip: ['SS2'] }), { type: 'retirement', id: 'ret-2', car: 2, where: 'SS2', reason: 'gearbox' }];
const car2Restarts: Fact[] = [...car2Retires, { type: 'restart', id: 'rs-2', car: 2, section: 'B' }];
const late16: Fact[] = [...O, ...onTime(2, { late1: 16 })];
const fixedMax = { kind: 'fixed' as const, ms: 600_000 };
const toggle = (v: boolean): boolean => !v;
const plus = (n: number) => (v: number): number => v + n;
/** Two crews on equal totals: `a` and `b` are their stage times SS1–SS4. */
const tie = (a: string[], b: string[]): Fact[] => [
  ...others(3, 4),
  ...onTime(1, { skip: ['SS1', 'SS2', 'SS3', 'SS4'] }), ...a.map((t, i) => stageTime(1, `SS${i + 1}`, t)),
  ...onTime(2, { skip: ['SS1', 'SS2', 'SS3', 'SS4'] }), ...b.map((t, i) => stageTime(2, `SS${i + 1}`, t)),
];
const red: Fact = { type: 'stageInterrupted', id: 'red', stage: 'SS2', reason: 'red flag', notionalTimes: [], at: `${LAB_DAY1}T10:10:30` };
/** Car 1 alone, started SS1 at 09:23 with no finish and no stage time anywhere yet. */
const onStage: Fact[] = [at(1, 'TC0', 1, '09:00:00'), at(1, 'TC1', 1, '09:20:00'), at(1, 'SS1S', 1, '09:23:00')];
const NOW = parseLocalDateTime(`${LAB_DAY1}T09:35:00`)!;

/** Restarts allowed and times kept to the tenth whatever the preset says, so the restart-charge values can act. */
const ARA_CHARGES = { restartAllowed: true, restartMaxPerLeg: 1, stagePrecisionMs: 100 } as const;

const SCENARIOS: Scenarios = {
  stagePrecisionMs: { facts: [...O, ...onTime(2, { skip: ['SS1'] }), stageTime(2, 'SS1', '6:01.25')], alt: (v) => (v === 1 ? 100 : 1) },
  stageRounding: { facts: [...O, ...onTime(2, { skip: ['SS1'] }), stageTime(2, 'SS1', '6:01.27')], alt: (v) => (v === 'truncate' ? 'ceil' : 'truncate') },
  controlResolutionMs: { base: { latePenaltyPerMinuteMs: 10_000 }, facts: [...O, ...onTime(2, { skip: ['TC1'] }), at(2, 'TC1', 1, '09:21:40')], alt: (v) => (v === 60_000 ? 1_000 : 60_000) },
  targetFrom: { base: { latePenaltyPerMinuteMs: 10_000 }, facts: [...O, ...onTime(2)], alt: (v) => (v === 'stageStart' ? 'previousTimeControl' : 'stageStart') },
  latePenaltyPerMinuteMs: { facts: [...O, ...onTime(2, { late1: 3 })], alt: plus(5_000) },
  earlyPenaltyPerMinuteMs: { facts: [...others(1, 2, 4), ...onTime(3, { late1: -2 })], alt: plus(5_000) },
  earlyAllowedAtLegEnd: { facts: [...O, ...onTime(2, { skip: ['TC3A'] }), at(2, 'TC3A', 1, '10:50:00')], alt: toggle },
  maxLatenessPerTargetMin: { facts: late16, alt: (v) => (v === null || v >= 16 ? 10 : v + 5) }, // across the 16 minutes late
  maxLatenessCumulativeMin: { facts: [...O, ...onTime(2, { late1: 12 })], alt: (v) => (v === 10 ? 20 : 10) },
  cumulativeLatenessResetAt: {
    base: { maxLatenessCumulativeMin: 20, maxLatenessPerTargetMin: null }, facts: [...O, ...onTime(2, { late1: 12, late2: 12 })],
    alt: (v) => (v === 'overnightRegroup' ? 'event' : 'overnightRegroup'),
  },
  onExceedMaxLateness: { base: { maxLatenessPerTargetMin: 15 }, facts: late16, alt: (v) => (v === 'retire' ? 'exclude' : 'retire') },
  latenessPenaltyCapMs: {
    base: { latePenaltyPerMinuteMs: 10_000, maxLatenessPerTargetMin: null, maxLatenessCumulativeMin: null }, facts: [...O, ...onTime(2, { late1: 40 })],
    alt: (v) => (v === null ? 60_000 : null),
  },
  jumpStartPenaltiesMs: { facts: [...O, ...onTime(2), { type: 'jumpStart', id: 'js', car: 2, stage: 'SS1', source: 'official' }], alt: (v) => v.map((x) => x + 1_000) },
  jumpStartAddsJumpedTime: { facts: [...O, ...onTime(2), { type: 'jumpStart', id: 'js', car: 2, stage: 'SS1', jumpedMs: 500, source: 'official' }], alt: toggle },
  stageMaxTime: { facts: [...O, ...onTime(2, { skip: ['SS2'] }), stageTime(2, 'SS2', '20:00.0')], alt: (v) => (v.kind === 'none' ? fixedMax : { kind: 'none' }) },
  stageBogeyTime: { facts: [...O, ...onTime(2)], alt: (v) => (v.kind === 'none' ? { kind: 'fixed', ms: 400_000 } : { kind: 'none' }) },
  dnfStageCharge: { base: { stageMaxTime: fixedMax }, facts: car2Retires, alt: (v) => (v === 'retire' ? 'maxTime' : 'retire') },
  dnfStagePlusMs: { base: { stageMaxTime: fixedMax, dnfStageCharge: 'maxTimePlus' }, facts: car2Retires, alt: plus(60_000) },
  restartAllowed: { base: { restartMaxPerLeg: 1 }, facts: car2Restarts, alt: toggle },
  restartBase: { base: { restartAllowed: true, restartMaxPerLeg: 1, stageMaxTime: { kind: 'fixed', ms: 900_000 } }, facts: car2Restarts, alt: (v) => (v === 'stageMax' ? 'fastestOverall' : 'stageMax') },
  restartPlusMs: { base: { restartAllowed: true, restartMaxPerLeg: 1 }, facts: car2Restarts, alt: plus(60_000) },
  restartPlusMsSuperSpecial: {
    base: { restartAllowed: true, restartMaxPerLeg: 1 }, facts: car2Restarts, alt: plus(60_000),
    def: (d) => ({ ...d, stages: d.stages.map((s) => (s.code === 'SS2' ? { ...s, type: 'superSpecial' as const } : s)) }),
  },
  restartMaxPerLeg: { base: { restartAllowed: true }, facts: car2Restarts, alt: (v) => (v === 0 ? 1 : 0) },
  // ARA restart charges, on the two-category rally (car 4, National, retires on SS2 and restarts at S4; a Regional crew is fastest on the road).
  restartPlusLaterMs: { base: ARA_CHARGES, def: () => categoryRally(), facts: categoryFacts, alt: (v) => (v === null ? 420_000 : null) },
  restartBasePrecisionMs: { base: ARA_CHARGES, def: () => categoryRally(), facts: categoryFacts, alt: (v) => (v === 1000 ? 1 : 1000) },
  restartBaseScope: { base: ARA_CHARGES, def: () => categoryRally(), facts: categoryFacts, alt: (v) => (v === 'category' ? 'event' : 'category') },
  notionalTimePolicy: {
    facts: [...others(1, 2), ...onTime(3, { skip: ['SS2'] }), ...onTime(4, { skip: ['SS2'] }), red],
    alt: (v) => (v === 'fastestAtInterruption' ? 'worstBeforeStoppage' : 'fastestAtInterruption'),
  },
  tieBreak: { facts: tie(['6:00.0', '6:05.0', '6:05.0', '6:10.0'], ['6:10.0', '6:05.0', '6:05.0', '6:00.0']), alt: (v) => (v === 'lastStage' ? 'firstStage' : 'lastStage') },
  tieBreakThen: { facts: tie(['6:00.0', '6:10.0', '6:05.0', '6:00.0'], ['6:00.0', '6:05.0', '6:05.0', '6:05.0']), alt: (v) => (v === 'nextStage' ? 'tieBreakLast' : 'nextStage') },
  tieBreakLast: { facts: tie(['6:00.0', '6:05.0', '6:05.0', '6:00.0'], ['6:00.0', '6:05.0', '6:05.0', '6:00.0']), alt: (v) => (v === 'shared' ? 'lowerCarNumber' : 'shared') },
  maxAverageSpeedKph: { facts: [...O, ...onTime(2, { skip: ['SS1'] }), stageTime(2, 'SS1', '3:00.0')], alt: plus(100) },
  overdueFactor: { facts: onStage, alt: () => 3 },
  overdueMinMs: { facts: onStage, alt: () => 20 * 60_000 },
  overdueDefaultSpeedKph: { facts: onStage, alt: () => 20 },
  stageStartGapMs: { facts: [...O, ...onTime(2, { skip: ['SS1S'] }), at(2, 'SS1S', 1, '09:25:00')], alt: (v) => (v === null ? 180_000 : null) },
  maxLatenessFixedPenaltyMs: { base: { onExceedMaxLateness: 'fixedPenalty', maxLatenessPerTargetMin: 15 }, facts: late16, alt: plus(60_000) },
  restartAfterMaxLateness: {
    base: { restartAllowed: true, restartMaxPerLeg: 1, onExceedMaxLateness: 'retire', maxLatenessPerTargetMin: 15 },
    facts: [...O, ...onTime(2, { skip: ['SS2S', 'SS2'], lateFrom: { control: 'TC2', minutes: 16 } }), { type: 'restart', id: 'rs-2', car: 2, section: 'B' }],
    alt: (v) => (v === 'nextLeg' ? 'nextSection' : 'nextLeg'),
  },
  delayedStartPenaltyPerMinuteMs: { facts: [...O, ...onTime(2), { type: 'delayedStart', id: 'd', car: 2, stage: 'SS2', reason: 'late to the line', delayMs: 70_000 }], alt: plus(5_000) },
  delayedStartRetireAfterMs: { facts: [...O, ...onTime(2), { type: 'delayedStart', id: 'd', car: 2, stage: 'SS2', reason: 'stalled', afterSignalMs: 25_000 }], alt: (v) => (v === null ? 20_000 : null) },
  dueTimeMethod: { facts: [...O, ...onTime(2)], alt: (v) => (v === 'targetTimes' ? 'scheduled' : 'targetTimes') },
  inquiryWindowMin: {
    // A provisional classification published at 12:00; asked at 12:20: open under a 30-minute window, closed under 10.
    facts: O, alt: (v) => (v === 10 ? 30 : 10),
    observe: (rules) => inquiryWindow(rules.inquiryWindowMin, [{ number: 1, kind: 'provisional', atMs: Date.parse('2026-05-10T12:00:00Z') }],
      Date.parse('2026-05-10T12:20:00Z')).open,
  },
};

function withValues(preset: RuleSet, values: Record<string, unknown>): RuleSet {
  const out: Record<string, unknown> = { ...preset };
  for (const [k, v] of Object.entries(values)) out[k] = { value: v, rule: `scenario value of ${k}`, confirmed: true };
  return out as unknown as RuleSet;
}

/** Everything a value could change, in one comparable form. */
function results(def: RallyDefinition, rules: RuleSet, facts: Fact[]): unknown {
  const state = score(def, rules, facts);
  return {
    rows: classify(state).rows.map((r) => [r.car, r.status, r.position, r.totalMs, r.penaltyMs]),
    stages: def.stages.map((s) => stageResults(state, s.code).rows.map((r) => [r.car, r.status, r.timeMs, r.position])),
    issues: dataIssues(state).map((i) => [i.code, i.car ?? null, i.stage ?? i.control ?? null]),
    overdue: overdueCrews(state, NOW).map((o) => o.car),
    notional: def.stages.map((s) => notionalProposals(state, s.code).proposals.map((p) => [p.car, p.proposedMs])),
  };
}

test('every value of every preset changes some result when changed (a value that changes nothing is a defect)', () => {
  const failures: string[] = [];
  for (const { id, version } of listPresets()) {
    const preset = getPreset(id, version)!;
    for (const key of RULE_KEYS) {
      const sc = SCENARIOS[key] as Scenario<typeof key> | undefined;
      if (!sc) { failures.push(`${key}: no scenario — add one to SCENARIOS in this file showing what it changes`); continue; }
      const base = withValues(preset, { ...(sc.base ?? {}) });
      const current = base[key].value as Value<typeof key>;
      const changed = withValues(base, { [key]: sc.alt(current) });
      const def = (sc.def ?? ((d) => d))(labRally(id));
      const a = [results(def, base, sc.facts), sc.observe?.(base)], b = [results(def, changed, sc.facts), sc.observe?.(changed)];
      try {
        assert.notDeepStrictEqual(a, b);
      } catch {
        failures.push(`${id}.${key}: ${JSON.stringify(current)} → ${JSON.stringify(sc.alt(current))} changes nothing`);
      }
    }
  }
  assert.deepEqual(failures, []);
});
