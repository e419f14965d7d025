// Road-section (time control) penalties for one car: walk the itinerary, work
// out each due time from the car's own departures, and judge each check-in.
// SEE: rally-rules §2 — the due-minute convention (MSUK26 App 13 Art 3.5,
// FMU26 Art 44), late/early penalties per minute or part, maximum lateness
// per target and accumulated (FMU26 Arts 45.1–45.3), the lateness penalty cap.
import type { RallyDefinition } from '../model.ts';
import type { OnExceed, RuleSet } from '../rules/types.ts';
import type { WorkingStep } from '../results.ts';
import { formatDuration } from '../time/duration.ts';
import { formatTimeOfDay, MINUTE_MS } from '../time/local-time.ts';
import { flattenItinerary, isJudged, startsRoadSection, toResolution, type ItineraryControl } from './itinerary.ts';

export interface CarControlTime {
  control: string;
  /** Rally-local ms (see time/local-time.ts). */
  atMs: number;
  factId: string;
}

export interface RoadPenalty {
  control: string;
  kind: 'late' | 'early';
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
interface DueParts { control: string; dueMs: number; fromControl: string; fromMs: number; targetMs: number }

/**
 * Walks the itinerary for one car and reports each judged control that has a
 * due time. A missing time ends the car's chain until its next recorded
 * departure: no due time, so no penalty is invented. Departures are reset at
 * each leg (a leg starts from its allotted start time, not from the night before).
 * NOTE: a plain walk with a visitor, not a generator: scoring walks every car's itinerary.
 */
function judge(def: RallyDefinition, rules: RuleSet, times: ReadonlyMap<string, CarControlTime>, v: JudgeVisitor): void {
  const resolution = rules.controlResolutionMs.value;
  const targetFrom = rules.targetFrom.value;
  const resetAt = rules.cumulativeLatenessResetAt.value;
  let depControl = '', depMs = 0, departed = false;
  let legIndex = -1;
  const due: DueParts = { control: '', dueMs: 0, fromControl: '', fromMs: 0, targetMs: 0 };
  for (const ic of flatOf(def)) {
    const { control } = ic;
    if (ic.legIndex !== legIndex) {
      if (legIndex !== -1 && resetAt !== 'event') v.newPeriod();
      legIndex = ic.legIndex;
      departed = false;
    }
    const time = times.get(control.id);
    if (departed && isJudged(control)) {
      if (time) {
        const dueMs = depMs + (control.targetMs as number);
        due.control = control.id; due.dueMs = dueMs; due.fromControl = depControl; due.fromMs = depMs; due.targetMs = control.targetMs as number;
        v.judged(due, toResolution(time.atMs, resolution) - toResolution(dueMs, resolution), ic.lastOfLeg, time);
      } else {
        v.missing(control.id);
      }
    }
    if (startsRoadSection(control.kind, targetFrom)) {
      // SEE: MSUK26 App 13 Art 3.7 — a to-the-second time starts a road section with its seconds dropped.
      departed = time !== undefined;
      if (time) { depControl = control.id; depMs = toResolution(time.atMs, resolution); }
    }
    if (resetAt === 'mainTimeControl' && (control.kind === 'REGROUP_OUT' || control.kind === 'PARC_FERME_OUT')) v.newPeriod();
  }
}

/** Due times of one car at every judged control it can be judged at (for data-quality checks and displays). */
export function dueTimes(def: RallyDefinition, rules: RuleSet, times: ReadonlyMap<string, CarControlTime>): Map<string, DueTime> {
  const out = new Map<string, DueTime>();
  judge(def, rules, times, {
    judged: (due) => { out.set(due.control, { ...due }); },
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

  const judged = (due: DueParts, diffMs: number, lastOfLeg: boolean, time: CarControlTime): void => {
    if (diffMs === 0) return; // SEE: MSUK26 App 13 Art 3.5 — on time during the whole due minute.
    const facts = withSteps ? [{ id: time.factId, type: 'controlTime' }] : NO_FACTS;
    const seen = withSteps ? `${due.control}: due ${hhmm(due.dueMs)} (${hhmm(due.fromMs)} at ${due.fromControl} + ${minutesText(due.targetMs)}), checked in ${formatTimeOfDay(time.atMs, 0)}` : '';

    if (diffMs > 0) {
      // Late: per minute or part of a minute (FMU26 Art 44.2.10a).
      const minutes = Math.ceil(diffMs / MINUTE_MS);
      let ms = minutes * late.value;
      cumulativeMinutes += minutes;
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
      // SEE: rally-rules §2.3 — "exceeding 15 minutes" means 16 whole minutes; 15 is still allowed.
      if (!exceeded) {
        const overTarget = perTarget.value !== null && minutes > perTarget.value;
        const overTotal = cumulativeLimit.value !== null && cumulativeMinutes > cumulativeLimit.value;
        if (overTarget || overTotal) {
          const limit = overTarget ? perTarget : cumulativeLimit;
          exceeded = {
            control: due.control, minutesLate: minutes, cumulativeMinutes,
            action: rules.onExceedMaxLateness.value,
            rule: `${limit.rule}; ${rules.onExceedMaxLateness.rule}`,
            confirmed: limit.confirmed && rules.onExceedMaxLateness.confirmed,
          };
          if (withSteps) steps.push({
            label: overTarget
              ? `${due.control}: ${minutes} min late exceeds the ${perTarget.value} min allowed per target → ${exceeded.action}`
              : `${due.control}: ${cumulativeMinutes} min accumulated lateness exceeds ${cumulativeLimit.value} min → ${exceeded.action}`,
            rule: exceeded.rule, confirmed: exceeded.confirmed, facts,
          });
        }
      }
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

  judge(def, rules, times, {
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
