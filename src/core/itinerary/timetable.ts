// The first car's timetable: each control's due time worked out from the
// leg's start (or a control's own fixed time) and the road sections' target
// times, the way a route book's time schedule is built.
// SEE: rally-rules §1 — due time = departure at the previous control + target;
// under the US method (NASA-MFIA) the target after a stage counts from the
// stage start; otherwise from the stage finish (MSUK26 App 13 Art 7.1), whose
// time is not known in advance: it is then estimated with the stage's bogey
// time when there is one, and marked so.
import type { Control, ControlKind, Leg, Stage } from '../model.ts';
import { TIMED_ARRIVAL_KINDS } from '../model.ts';
import type { StageLimit, TargetFrom } from '../rules/types.ts';
import { parseLocalDateTime } from '../time/local-time.ts';
import { startsRoadSection } from '../timing/itinerary.ts';

export interface TimetableOptions {
  targetFrom: TargetFrom;
  /** The rules' bogey time, used to estimate a stage's finish when the target counts from it. */
  bogey?: StageLimit;
}

export interface TimedControl {
  control: Control;
  legIndex: number;
  sectionIndex: number;
  controlIndex: number;
  /** The first car's due time here, rally-local ms; null when it cannot be worked out. */
  dueMs: number | null;
  /** `fixed`: the control's own first-car time; `target`: departure + target; `none`: no time. */
  basis: 'fixed' | 'target' | 'none';
  /** The due time counts a stage's running time that is only estimated (its bogey). */
  estimated: boolean;
  /** The control the target counts from. */
  from?: string;
  /** The previous control with a due time in the same leg (for "before the previous one"), or the last of the leg before. */
  previous?: { id: string; dueMs: number; estimated: boolean };
  /** Distance the target covers, metres (road pieces given and stages in between); null when a piece is missing. */
  spanM: number | null;
}

/** Where the departure is taken: these kinds start the next road section. */
function departs(kind: ControlKind, targetFrom: TargetFrom): boolean {
  return startsRoadSection(kind, targetFrom);
}

/** A stage's running time for the timetable: its bogey (own or the rules'); null when none. */
export function estimatedStageMs(stage: Stage | undefined, bogey: StageLimit | undefined): number | null {
  if (!stage) return null;
  if (stage.bogeyMs !== undefined) return stage.bogeyMs;
  if (!bogey || bogey.kind === 'none') return null;
  return bogey.kind === 'fixed' ? bogey.ms : Math.round(bogey.msPerKm * stage.distanceM / 1000);
}

/**
 * Every control with the first car's due time, in itinerary order. A stage
 * start's time is its own (the TC's due time + the start's target, the gap
 * to the start); flying finishes and stops are timed only by their estimate.
 */
export function firstCarTimetable(legs: readonly Leg[], stages: readonly Stage[], opts: TimetableOptions): TimedControl[] {
  const stageByCode = new Map(stages.map((s) => [s.code, s]));
  const out: TimedControl[] = [];
  let lastOfPreviousLeg: { id: string; dueMs: number; estimated: boolean } | undefined;
  legs.forEach((leg, legIndex) => {
    let dep: { id: string; ms: number | null; estimated: boolean } | null = null;
    let previous = lastOfPreviousLeg;
    /** Stage distances and road pieces since the departure. */
    let span: number | null = 0;
    const startMs = new Map<string, number | null>();
    leg.sections.forEach((section, sectionIndex) => {
      section.controls.forEach((c, controlIndex) => {
        const stage = c.stage !== undefined ? stageByCode.get(c.stage) : undefined;
        // The distance since the departure: a finish adds its stage, other controls their road piece.
        const piece = c.kind === 'SS_FINISH' ? stage?.distanceM ?? null : c.kind === 'STOP' || c.kind === 'SPLIT' ? 0 : c.distanceM ?? null;
        const spanHere = span === null || piece === null ? null : span + piece;
        let dueMs: number | null = null;
        let basis: TimedControl['basis'] = 'none';
        let estimated = false;
        const fixed = c.firstCarDue !== undefined ? parseLocalDateTime(c.firstCarDue) : null;
        if (fixed !== null) {
          dueMs = fixed; basis = 'fixed';
        } else if (c.targetMs !== undefined && dep !== null && dep.ms !== null && (TIMED_ARRIVAL_KINDS.has(c.kind) || c.kind === 'SS_START')) {
          dueMs = dep.ms + c.targetMs; basis = 'target'; estimated = dep.estimated;
        } else if (c.kind === 'SS_START' && dep !== null && dep.ms !== null) {
          // A start with no gap given: the time of the control before it.
          dueMs = dep.ms; basis = 'target'; estimated = dep.estimated;
        } else if (c.kind === 'SS_FINISH' || c.kind === 'STOP') {
          const start = stage ? startMs.get(stage.code) : undefined;
          const run = estimatedStageMs(stage, opts.bogey);
          if (start !== undefined && start !== null && run !== null) { dueMs = start + run; basis = 'target'; estimated = true; }
        }
        if (c.kind === 'SS_START' && stage) startMs.set(stage.code, dueMs);
        const row: TimedControl = {
          control: c, legIndex, sectionIndex, controlIndex, dueMs, basis, estimated,
          ...(basis === 'target' && dep ? { from: dep.id } : {}),
          ...(previous ? { previous } : {}),
          spanM: spanHere,
        };
        out.push(row);
        if (dueMs !== null && c.kind !== 'SPLIT') previous = { id: c.id, dueMs, estimated };
        span = spanHere;
        if (departs(c.kind, opts.targetFrom)) {
          dep = { id: c.id, ms: dueMs, estimated };
          span = 0;
        }
      });
    });
    lastOfPreviousLeg = previous;
  });
  return out;
}

