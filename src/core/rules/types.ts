// A rules preset is versioned data. Every value carries the rule that sets it
// and how sure rallyhq is of it, at one of three levels: confirmed by the
// rulebook; shown by published results (the rulebook is not public, but the
// body's own published results applied the value consistently — `shown` cites
// them and counts the cases); unconfirmed (not found, or an inference). Each
// level is shown wherever the value is used. A rally's supplementary
// regulations may override any value.

export interface Cited<T> {
  value: T;
  /** Where the value comes from, e.g. `FIA-regional Art 44.2.10a (FMU26, transcribed)`. */
  rule: string;
  /** True only when the rulebook (or a transcription of it) states the value. */
  confirmed: boolean;
  /**
   * Not in the rulebook, but shown by the body's published results: which
   * results and how many cases fit (e.g. `ARA 2024–2025 results: all 176 lateness penalties`).
   * Only on values with `confirmed: false`.
   */
  shown?: string;
  note?: string;
}

/** The three levels of confidence a rule value can have. */
export type Confidence = 'confirmed' | 'shownByResults' | 'unconfirmed';

export function confidenceOf(c: { confirmed?: boolean; shown?: string }): Confidence {
  if (c.confirmed) return 'confirmed';
  return c.shown ? 'shownByResults' : 'unconfirmed';
}

/** The words shown beside a rule in workings and listings ('' for a confirmed one). */
export function confidenceTag(c: { confirmed?: boolean; shown?: string }): string {
  const level = confidenceOf(c);
  return level === 'confirmed' ? '' : level === 'shownByResults' ? ' [shown by published results]' : ' [unconfirmed]';
}

export const CONFIDENCE_LABEL: Readonly<Record<Confidence, string>> = {
  confirmed: 'confirmed by the rulebook',
  shownByResults: 'shown by published results',
  unconfirmed: 'unconfirmed',
};

export type Rounding = 'truncate' | 'round' | 'ceil';
export type TieBreak = 'firstStage' | 'firstNonSuperSpecial' | 'lastStage';
export type LatenessReset = 'overnightRegroup' | 'mainTimeControl' | 'event';
export type OnExceed = 'retire' | 'exclude' | 'fixedPenalty';
/** A stage time limit: none, one figure for every stage, or a figure per km of the stage. */
export type StageLimit = { kind: 'none' } | { kind: 'fixed'; ms: number } | { kind: 'perKm'; msPerKm: number };
/** How a notional time is proposed for an interrupted stage (the Clerk confirms or overrides). */
export type NotionalMethod = 'clerkFairest' | 'fastestAtInterruption' | 'worstBeforeStoppage';
/** How the due time at a time control is worked out. */
export type DueTimeMethod = 'targetTimes' | 'scheduled';
export type RestartBase = 'fastestInClass' | 'fastestInPriorityGroup' | 'fastestOverall' | 'stageMax';
/** Which crews a restart base is taken among when the rally has championship categories. */
export type RestartBaseScope = 'category' | 'event';
/** How a road section's target time is counted for the following TC. */
export type TargetFrom = 'previousTimeControl' | 'stageStart';

export interface RuleValues {
  /** Special-stage timing precision in ms: 100 = tenths, 1000 = whole seconds. */
  stagePrecisionMs: Cited<number>;
  /** How a stage time is brought to that precision. */
  stageRounding: Cited<Rounding>;
  /** Control (TC) times are recorded to the whole minute, seconds dropped. */
  controlResolutionMs: Cited<number>;
  /** Where a road section's target time counts from. */
  targetFrom: Cited<TargetFrom>;
  /** Penalty per minute (or part) late at a TC, ms. */
  latePenaltyPerMinuteMs: Cited<number>;
  /** Penalty per minute (or part) early at a TC, ms. */
  earlyPenaltyPerMinuteMs: Cited<number>;
  /** Whether early arrival at the last control of a leg/rally is allowed without penalty. */
  earlyAllowedAtLegEnd: Cited<boolean>;
  /** Lateness over one target time beyond which the crew is out, minutes; null = no limit. */
  maxLatenessPerTargetMin: Cited<number | null>;
  /** Accumulated lateness beyond which the crew is out, minutes; null = no limit. */
  maxLatenessCumulativeMin: Cited<number | null>;
  cumulativeLatenessResetAt: Cited<LatenessReset>;
  onExceedMaxLateness: Cited<OnExceed>;
  /** Ceiling on the road penalty counted for lateness, ms; null = none. */
  latenessPenaltyCapMs: Cited<number | null>;
  /** Jump-start penalties for the 1st, 2nd, 3rd … offence across the rally, ms; beyond the list: stewards. */
  jumpStartPenaltiesMs: Cited<number[]>;
  /** MSUK: the time jumped is added to the first offence's penalty. */
  jumpStartAddsJumpedTime: Cited<boolean>;
  /** Stage maximum ("max time"): charged instead of a slower time; null = none (FIA). */
  stageMaxTime: Cited<StageLimit>;
  /** MSUK bogey: a faster time is charged as the bogey; a stage's own `bogeyMs` wins. */
  stageBogeyTime: Cited<StageLimit>;
  /** What a crew that does not complete a stage is charged (when it may continue). */
  dnfStageCharge: Cited<'retire' | 'maxTime' | 'maxTimePlus'>;
  dnfStagePlusMs: Cited<number>;
  /** Super Rally / restart after retirement. */
  restartAllowed: Cited<boolean>;
  restartBase: Cited<RestartBase>;
  /** Added to the base per missed special stage (the first one after each retirement, when `restartPlusLaterMs` is set), ms. */
  restartPlusMs: Cited<number>;
  /** Added for each further stage missed after the first since the same retirement, ms; null = `restartPlusMs` for every one. */
  restartPlusLaterMs: Cited<number | null>;
  /** The base is cut to this precision (truncated) before the addition, ms: 1 = kept as it is, 1000 = whole seconds. */
  restartBasePrecisionMs: Cited<number>;
  /** With championship categories (two classifications on one route): the base among the crew's own category, or across the event. */
  restartBaseScope: Cited<RestartBaseScope>;
  /** Added per missed super special stage, ms. */
  restartPlusMsSuperSpecial: Cited<number>;
  restartMaxPerLeg: Cited<number>;
  /** How rallyhq proposes notional times for an interrupted stage (the Clerk confirms or overrides). */
  notionalTimePolicy: Cited<NotionalMethod>;
  /** Tie-break order for equal totals. */
  tieBreak: Cited<TieBreak>;
  /**
   * When the tie-break stage is tied as well: the next stage decides, then the one after
   * (`nextStage`), or no further stage is compared and `tieBreakLast` decides (`tieBreakLast`).
   */
  tieBreakThen: Cited<'nextStage' | 'tieBreakLast'>;
  /** When every compared stage is equal too: the lower car number is placed first, or the crews share the position. */
  tieBreakLast: Cited<'lowerCarNumber' | 'shared'>;
  /** Data-quality: a stage average above this is flagged as impossible, km/h. */
  maxAverageSpeedKph: Cited<number>;
  /** Safety: a crew is overdue when it has not finished a stage within this factor of the field's expected time. */
  overdueFactor: Cited<number>;
  /** Safety: and at least this many ms after it was expected. */
  overdueMinMs: Cited<number>;
  /** Safety: stage average speed assumed when the field has no pace yet, km/h. */
  overdueDefaultSpeedKph: Cited<number>;
  /** Data-quality: stage start = TC check-in minute + this gap, when the itinerary gives none (SS_START.targetMs); null = no check. */
  stageStartGapMs: Cited<number | null>;
  /** Inquiry window after a provisional classification, minutes: an official one waits for it (publication safeguards). */
  inquiryWindowMin: Cited<number>;
  /** Charged when maximum lateness is exceeded and `onExceedMaxLateness` is `fixedPenalty`, ms. */
  maxLatenessFixedPenaltyMs: Cited<number>;
  /** Where a crew retired for exceeding maximum lateness may restart: the next section, or only after the next overnight regroup (a later leg). */
  restartAfterMaxLateness: Cited<'nextSection' | 'nextLeg'>;
  /** Delayed stage start caused by the crew: penalty per minute or part of a minute of delay, ms. */
  delayedStartPenaltyPerMinuteMs: Cited<number>;
  /** Not starting within this long of the start signal: retired at the stage (it may restart); null = no such rule. */
  delayedStartRetireAfterMs: Cited<number | null>;
  /** Due times: from each car's own departure plus the target time, or MSUK scheduled timing (standard time + car number × interval + lateness). */
  dueTimeMethod: Cited<DueTimeMethod>;
}

export type RuleKey = keyof RuleValues;

export interface RuleSet extends RuleValues {
  id: string;
  version: string;
  name: string;
  /** Body of rules, e.g. `FIA`, `ARA`, `Motorsport UK`. */
  body: string;
  /** Short list of sources, keyed as in docs/rules.md. */
  sources: Record<string, string>;
}

/** The rule values a piece of workings relied on, for showing which were unconfirmed. */
export function citation<K extends RuleKey>(rules: RuleSet, key: K): { key: K; value: RuleValues[K]['value']; rule: string; confirmed: boolean; shown?: string } {
  const c = rules[key];
  return { key, value: c.value as RuleValues[K]['value'], rule: c.rule, confirmed: c.confirmed, ...(c.shown ? { shown: c.shown } : {}) };
}
