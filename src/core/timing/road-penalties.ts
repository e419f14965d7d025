// Road-section (time control) penalties for one car: walk the itinerary, work
// out each due time from the car's own departures, and judge each check-in.
// SEE: rally-rules §2 — the due-minute convention (MSUK26 App 13 Art 3.5,
// FMU26 Art 44), late/early penalties per minute or part, maximum lateness
// per target and accumulated (FMU26 Arts 45.1–45.3), the lateness penalty cap.
import type { RallyDefinition } from '../model.ts';
import type { OnExceed, RuleSet } from '../rules/types.ts';
import type { WorkingStep } from '../results.ts';
import { formatDuration } from '../time/duration.ts';
import { formatTimeOfDay, MINUTE_MS, parseLocalDateTime } from '../time/local-time.ts';
import { TIMED_ARRIVAL_KINDS } from '../model.ts';
import { flattenItinerary, isJudged, startsRoadSection, toResolution, type ItineraryControl } from './itinerary.ts';
import { legStartOrder, startPosition } from '../start-order.ts';

export interface CarControlTime {
  control: string;
  /** Rally-local ms (see time/local-time.ts). */
  atMs: number;
  factId: string;
}

export interface RoadPenalty {
  control: string;
  /** `maxLateness`: the fixed penalty for exceeding maximum lateness (onExceedMaxLateness fixedPenalty; MSUK OTL). */
  kind: 'late' | 'early' | 'maxLateness';
  minutes: number;
  /** Penalty charged, ms (after any lateness cap; 0 where lateness is penalty-free). */
  ms: number;
  dueMs: number;
  actualMs: number;
  rule: string;
  confirmed: boolean;
  factId?: string;
}

export interface MaxLatenessExceeded {
  control: string;
  minutesLate: number;
  cumulativeMinutes: number;
  action: OnExceed;
  rule: string;
  confirmed: boolean;
}

export interface RoadOutcome {
  penalties: RoadPenalty[];
  totalMs: number;
  capApplied: boolean;
  maxLatenessExceeded: MaxLatenessExceeded | null;
  steps: WorkingStep[];
}

export interface DueTime {
  control: string;
  dueMs: number;
  /** The control whose recorded time the target counts from. */
  fromControl: string;
  fromMs: number;
  targetMs: number;
}

const hhmm = (ms: number): string => formatTimeOfDay(ms, 0).slice(0, 5);
/** A penalty as officials say it: `20 s`, `1:00`, `2:20`. */
const seconds = (ms: number): string => (ms >= 60_000 ? formatDuration(ms, ms % 1000 ? 1 : 0) : `${formatDuration(ms, ms % 1000 ? 1 : 0)} s`);
const minutesText = (ms: number): string => (ms % 60_000 === 0 ? `${ms / 60_000} min` : formatDuration(ms, 0));

// NOTE: a definition is never changed in place (a changed itinerary is a new object), so its walk is built once.
const flatByDef = new WeakMap<RallyDefinition, readonly ItineraryControl[]>();
function flatOf(def: RallyDefinition): readonly ItineraryControl[] {
  let flat = flatByDef.get(def);
  if (!flat) { flat = flattenItinerary(def); flatByDef.set(def, flat); }
  return flat;
}

/** The facts of a step not built (scoring without workings); never added to. */
const NO_FACTS: { id: string; type: string }[] = [];

/** What the walk reports, in itinerary order. */
interface JudgeVisitor {
  /** A judged control with a due time; `diffMs` is recorded minute − due minute (positive = late). */
  judged(due: DueParts, diffMs: number, lastOfLeg: boolean, time: CarControlTime): void;
  missing(control: string): void;
  newPeriod(): void;
}

/** A due time in parts, reused for every control of a walk (a DueTime object is made only when one is kept). */
interface DueParts {
  control: string; dueMs: number; fromControl: string; fromMs: number; targetMs: number;
  /** How the due time was found: from the previous departure, from the leg's start order (a stored start list's due time), or MSUK scheduled timing. */
  basis: 'target' | 'legStart' | 'startList' | 'scheduled';
  /** Scheduled timing: the car's scheduled time here (standard time + car number × interval); else NaN. */
  scheduledMs: number;
  /** A main time control (MSUK App 14 (a)). */
  main: boolean;
}

const firstDueCache = new Map<string, number | null>();
function firstDueMs(text: string): number | null {
  let v = firstDueCache.get(text);
  if (v === undefined) { v = parseLocalDateTime(text); firstDueCache.set(text, v); }
  return v;
}

/**
 * Walks the itinerary for one car and reports each judged control that has a
 * due time. A missing time ends the car's chain until its next recorded
 * departure: no due time, so no penalty is invented. Departures are reset at
 * each leg: a leg's first control (the start, a restart out of overnight parc
 * fermé) is due at the crew's due time in the leg's start order (start-order.ts:
 * the stored start list, else the first-car time + the start interval × its
 * place) and judged like any time control (rally-rules §1, §2). When that due
 * time is unknown (no start interval, no stored list) nothing is judged there.
 * Under MSUK scheduled timing (App 13 Art 10.1) a control with a standard time
 * is due at standard time + car number × interval + the lateness carried.
 * NOTE: a plain walk with a visitor, not a generator: scoring walks every car's itinerary.
 */
function judge(def: RallyDefinition, rules: RuleSet, times: ReadonlyMap<string, CarControlTime>, car: number, v: JudgeVisitor): void {
  const resolution = rules.controlResolutionMs.value;
  const targetFrom = rules.targetFrom.value;
  const resetAt = rules.cumulativeLatenessResetAt.value;
  const scheduled = rules.dueTimeMethod.value === 'scheduled';
  const interval = def.startIntervalMs ?? 0;
  let depControl = '', depMs = 0, departed = false;
  /** Scheduled timing: lateness carried from the last scheduled control (penalty-free lateness, App 13 Art 10.1). */
  let carriedMs = 0;
  let legIndex = -1;
  /** The crew's place at the start of the current leg (not scheduled timing). */
  let legStart: { control: string | null; fromList: boolean; firstDueMs: number | null; order: number; dueMs: number | null; intervalMs: number | null } | null = null;
  const due: DueParts = { control: '', dueMs: 0, fromControl: '', fromMs: 0, targetMs: 0, basis: 'target', scheduledMs: NaN, main: false };
  for (const ic of flatOf(def)) {
    const { control } = ic;
    if (ic.legIndex !== legIndex) {
      if (legIndex !== -1 && resetAt !== 'event') v.newPeriod();
      legIndex = ic.legIndex;
      departed = false;
      if (!scheduled) {
        const legId = def.legs[legIndex]!.id;
        const order = legStartOrder(def, legId);
        const p = startPosition(def, legId, car);
        legStart = p ? { control: order.control, fromList: order.source === 'startList', firstDueMs: order.firstDueMs, order: p.order, dueMs: p.dueMs, intervalMs: order.intervalMs } : null;
      }
    }
    const time = times.get(control.id);
    const standard = scheduled && control.firstCarDue !== undefined && TIMED_ARRIVAL_KINDS.has(control.kind) ? firstDueMs(control.firstCarDue) : null;
    let dueMs: number | null = null;
    if (standard !== null) {
      due.basis = 'scheduled';
      due.scheduledMs = standard + car * interval;
      dueMs = due.scheduledMs + carriedMs;
      due.fromControl = control.id; due.fromMs = due.scheduledMs; due.targetMs = carriedMs;
    } else if (departed && isJudged(control)) {
      dueMs = depMs + (control.targetMs as number);
      due.basis = 'target'; due.scheduledMs = NaN;
      due.fromControl = depControl; due.fromMs = depMs; due.targetMs = control.targetMs as number;
    } else if (!departed && legStart && legStart.dueMs !== null && control.id === legStart.control) {
      dueMs = legStart.dueMs;
      due.basis = legStart.fromList ? 'startList' : 'legStart'; due.scheduledMs = NaN;
      due.fromControl = control.id; due.fromMs = legStart.firstDueMs ?? dueMs; due.targetMs = dueMs - due.fromMs;
    } else if (!departed && !scheduled && legStart && legStart.intervalMs !== null && legStart.intervalMs > 0 && control.firstCarDue !== undefined && TIMED_ARRIVAL_KINDS.has(control.kind)) {
      // Another first-car time in the leg before the crew has departed (a later start): the same place, the same interval.
      const first = firstDueMs(control.firstCarDue);
      if (first !== null) {
        dueMs = first + (legStart.order - 1) * legStart.intervalMs;
        due.basis = 'legStart'; due.scheduledMs = NaN;
        due.fromControl = control.id; due.fromMs = first; due.targetMs = dueMs - first;
      }
    }
    if (dueMs !== null) {
      if (time) {
        due.control = control.id; due.dueMs = dueMs; due.main = control.main === true;
        v.judged(due, toResolution(time.atMs, resolution) - toResolution(dueMs, resolution), ic.lastOfLeg, time);
        if (due.basis === 'scheduled') carriedMs = Math.max(0, toResolution(time.atMs, resolution) - toResolution(due.scheduledMs, resolution));
      } else {
        v.missing(control.id);
      }
    }
    if (startsRoadSection(control.kind, targetFrom)) {
      // SEE: MSUK26 App 13 Art 3.7 — a to-the-second time starts a road section with its seconds dropped.
      departed = time !== undefined;
      if (time) { depControl = control.id; depMs = toResolution(time.atMs, resolution); }
    }
    if (resetAt === 'mainTimeControl' && (control.kind === 'REGROUP_OUT' || control.kind === 'PARC_FERME_OUT' || control.main === true)) v.newPeriod();
  }
}

/** Due times of one car at every judged control it can be judged at (for data-quality checks and displays). */
export function dueTimes(def: RallyDefinition, rules: RuleSet, times: ReadonlyMap<string, CarControlTime>, car: number): Map<string, DueTime> {
  const out = new Map<string, DueTime>();
  judge(def, rules, times, car, {
    judged: (due) => { out.set(due.control, { control: due.control, dueMs: due.dueMs, fromControl: due.fromControl, fromMs: due.fromMs, targetMs: due.targetMs }); },
    missing: () => {},
    newPeriod: () => {},
  });
  return out;
}

/**
 * @param opts.steps build the workings text (default true); scoring passes false
 *   and rebuilds nothing it does not show, since a live rally re-derives a car per fact.
 */
export function roadPenalties(def: RallyDefinition, rules: RuleSet, times: ReadonlyMap<string, CarControlTime>, car: number, opts: { steps?: boolean } = {}): RoadOutcome {
  const withSteps = opts.steps !== false;
  const late = rules.latePenaltyPerMinuteMs;
  const early = rules.earlyPenaltyPerMinuteMs;
  const resolution = rules.controlResolutionMs;
  const cap = rules.latenessPenaltyCapMs;
  const perTarget = rules.maxLatenessPerTargetMin;
  const cumulativeLimit = rules.maxLatenessCumulativeMin;

  const penalties: RoadPenalty[] = [];
  const steps: WorkingStep[] = [];
  let cumulativeMinutes = 0;
  let periodLateMs = 0;
  let capApplied = false;
  let exceeded: MaxLatenessExceeded | null = null;

  const onExceed = rules.onExceedMaxLateness;
  const fixed = rules.maxLatenessFixedPenaltyMs;

  /**
   * Maximum lateness exceeded at a control: retire or exclude (the first time
   * only: the crew is out), or a fixed penalty charged at each such control in
   * place of its lateness penalty (MSUK App 14 (b): an OTL control counts as
   * not visited). Under scheduled timing only a main time control takes the
   * preset's action; any other time control takes the fixed penalty (App 14 (a)–(b)).
   * Returns true when the fixed penalty replaced the lateness penalty here.
   */
  const overLimit = (due: DueParts, time: CarControlTime, minutes: number, cumulative: number, overTarget: boolean, facts: { id: string; type: string }[]): boolean => {
    const limit = overTarget ? perTarget : cumulativeLimit;
    const action: OnExceed = due.basis === 'scheduled' && !due.main ? 'fixedPenalty' : onExceed.value;
    const rule = due.basis === 'scheduled' && !due.main
      ? `${limit.rule}; ${fixed.rule}`
      : action === 'fixedPenalty' ? `${limit.rule}; ${onExceed.rule}; ${fixed.rule}` : `${limit.rule}; ${onExceed.rule}`;
    const confirmed = limit.confirmed && (due.basis === 'scheduled' && !due.main ? fixed.confirmed : onExceed.confirmed && (action !== 'fixedPenalty' || fixed.confirmed));
    // Retirement or exclusion ends the crew once; a fixed penalty earlier does not stop a later OTL at a main
    // time control from retiring it (MSUK App 14 (a)), so that action replaces the fixed-penalty record.
    if (action !== 'fixedPenalty' && exceeded && exceeded.action !== 'fixedPenalty') return false;
    if (!exceeded || (action !== 'fixedPenalty' && exceeded.action === 'fixedPenalty')) {
      exceeded = { control: due.control, minutesLate: minutes, cumulativeMinutes: cumulative, action, rule, confirmed };
    }
    const what = due.basis === 'scheduled'
      ? `${due.control}: ${cumulative} min after the scheduled time ${hhmm(due.scheduledMs)} exceeds the ${cumulativeLimit.value} min allowed (OTL)${due.main ? ' at a main time control' : ''}`
      : overTarget
        ? `${due.control}: ${minutes} min late exceeds the ${perTarget.value} min allowed per target`
        : `${due.control}: ${cumulative} min accumulated lateness exceeds ${cumulativeLimit.value} min`;
    if (action === 'fixedPenalty') {
      penalties.push({ control: due.control, kind: 'maxLateness', minutes, ms: fixed.value, dueMs: due.dueMs, actualMs: time.atMs, rule, confirmed, factId: time.factId });
      if (withSteps) steps.push({ label: `${what} → fixed penalty ${seconds(fixed.value)}`, ms: fixed.value, rule, confirmed, facts });
      return true;
    }
    if (withSteps) steps.push({ label: `${what} → ${action}`, rule, confirmed, facts });
    return false;
  };

  const judged = (due: DueParts, diffMs: number, lastOfLeg: boolean, time: CarControlTime): void => {
    const facts = withSteps ? [{ id: time.factId, type: 'controlTime' }] : NO_FACTS;
    // SEE: MSUK26 App 13 Art 10.1(i) — under scheduled timing OTL is lateness against the scheduled time, carried lateness included.
    if (due.basis === 'scheduled' && cumulativeLimit.value !== null) {
      const behind = Math.ceil((toResolution(time.atMs, resolution.value) - toResolution(due.scheduledMs, resolution.value)) / MINUTE_MS);
      if (behind > cumulativeLimit.value && overLimit(due, time, Math.max(0, Math.ceil(diffMs / MINUTE_MS)), behind, false, facts)) return;
    }
    if (diffMs === 0) return; // SEE: MSUK26 App 13 Art 3.5 — on time during the whole due minute.
    const from = due.basis === 'legStart'
      ? `first car ${hhmm(due.fromMs)} at ${due.fromControl} + ${minutesText(due.targetMs)} for its place in the start order`
      : due.basis === 'startList'
        ? `its due time on the leg's stored start list, first car ${hhmm(due.fromMs)}`
      : due.basis === 'scheduled'
        ? `scheduled ${hhmm(due.scheduledMs)}${due.targetMs > 0 ? ` + ${minutesText(due.targetMs)} lateness carried` : ''}`
        : `${hhmm(due.fromMs)} at ${due.fromControl} + ${minutesText(due.targetMs)}`;
    const seen = withSteps ? `${due.control}: due ${hhmm(due.dueMs)} (${from}), checked in ${formatTimeOfDay(time.atMs, 0)}` : '';

    if (diffMs > 0) {
      // Late: per minute or part of a minute (FMU26 Art 44.2.10a).
      const minutes = Math.ceil(diffMs / MINUTE_MS);
      cumulativeMinutes += minutes;
      // SEE: rally-rules §2.3 — "exceeding 15 minutes" means 16 whole minutes; 15 is still allowed.
      if (due.basis !== 'scheduled') {
        const overTarget = perTarget.value !== null && minutes > perTarget.value;
        const overTotal = cumulativeLimit.value !== null && cumulativeMinutes > cumulativeLimit.value;
        if ((overTarget || overTotal) && overLimit(due, time, minutes, cumulativeMinutes, overTarget, facts)) return;
      }
      let ms = minutes * late.value;
      if (cap.value !== null && periodLateMs + ms > cap.value) {
        ms = Math.max(0, cap.value - periodLateMs);
        capApplied = true;
      }
      periodLateMs += ms;
      const confirmed = late.confirmed && resolution.confirmed;
      penalties.push({ control: due.control, kind: 'late', minutes, ms, dueMs: due.dueMs, actualMs: time.atMs, rule: late.rule, confirmed, factId: time.factId });
      if (withSteps) steps.push({
        label: `${seen} → ${minutes} min late × ${seconds(late.value)} = ${seconds(ms)}${ms < minutes * late.value ? ` (lateness penalty capped at ${seconds(cap.value ?? 0)})` : ''}`,
        ms, rule: ms < minutes * late.value ? `${late.rule}; ${cap.rule}` : late.rule, confirmed: confirmed && (ms === minutes * late.value || cap.confirmed), facts,
      });
      return;
    }

    // Early: per minute or part of a minute (FMU26 Art 44.2.10b); it never reduces accumulated lateness.
    const minutes = Math.ceil(-diffMs / MINUTE_MS);
    if (lastOfLeg && rules.earlyAllowedAtLegEnd.value) {
      if (withSteps) steps.push({ label: `${seen} → ${minutes} min early at the end of the leg: allowed`, ms: 0, rule: rules.earlyAllowedAtLegEnd.rule, confirmed: rules.earlyAllowedAtLegEnd.confirmed, facts });
      return;
    }
    const ms = minutes * early.value;
    const confirmed = early.confirmed && resolution.confirmed;
    penalties.push({ control: due.control, kind: 'early', minutes, ms, dueMs: due.dueMs, actualMs: time.atMs, rule: early.rule, confirmed, factId: time.factId });
    if (withSteps) steps.push({ label: `${seen} → ${minutes} min early × ${seconds(early.value)} = ${seconds(ms)}`, ms, rule: early.rule, confirmed, facts });
  };

  judge(def, rules, times, car, {
    judged,
    missing: (control) => {
      if (withSteps) steps.push({ label: `car ${car}: no time at ${control}; due times resume at its next recorded control`, note: 'no penalty is invented for a missing time' });
    },
    newPeriod: () => { cumulativeMinutes = 0; periodLateMs = 0; },
  });

  const totalMs = penalties.reduce((sum, p) => sum + p.ms, 0);
  if (withSteps && penalties.length > 0) steps.push({ label: `road penalties for car ${car}: ${seconds(totalMs)}`, ms: totalMs });
  return { penalties, totalMs, capApplied, maxLatenessExceeded: exceeded, steps };
}
