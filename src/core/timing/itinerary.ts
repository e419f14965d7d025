// The itinerary as one ordered walk: legs → sections → controls, with where
// each road section starts. Shared by road penalties and data-quality checks.
import { TIMED_ARRIVAL_KINDS } from '../model.ts';
import type { Control, ControlKind, RallyDefinition } from '../model.ts';
import type { TargetFrom } from '../rules/types.ts';

export interface ItineraryControl {
  control: Control;
  /** Position in the whole itinerary, 0-based. */
  index: number;
  legIndex: number;
  legId: string;
  sectionId: string;
  /** The last control of its leg (where early check-in may be authorised). */
  lastOfLeg: boolean;
}

export function flattenItinerary(def: RallyDefinition): ItineraryControl[] {
  const out: ItineraryControl[] = [];
  def.legs.forEach((leg, legIndex) => {
    const start = out.length;
    for (const section of leg.sections) {
      for (const control of section.controls) {
        out.push({ control, index: out.length, legIndex, legId: leg.id, sectionId: section.id, lastOfLeg: false });
      }
    }
    const last = out[out.length - 1];
    if (last && out.length > start) last.lastOfLeg = true;
  });
  return out;
}

/** A control judged against a due time: a time-of-day check-in with a target time. */
export function isJudged(control: Control): boolean {
  return TIMED_ARRIVAL_KINDS.has(control.kind) && control.targetMs !== undefined;
}

/**
 * Whether a car's time at this kind of control starts the next road section.
 * SEE: rally-rules §1 (due time = departure at the previous control + target);
 * MSUK26 App 13 Arts 3.7, 7.1 — a stage finish's h:m starts the next road section;
 * NASA-MFIA — under the US method the allowance counts from the stage start instead.
 */
export function startsRoadSection(kind: ControlKind, targetFrom: TargetFrom): boolean {
  if (TIMED_ARRIVAL_KINDS.has(kind)) return true;
  return targetFrom === 'stageStart' ? kind === 'SS_START' : kind === 'SS_FINISH' || kind === 'STOP';
}

/** A time brought down to the control's recording resolution (the whole minute: 09:59 s is 09 min). */
export function toResolution(ms: number, resolutionMs: number): number {
  return Math.floor(ms / resolutionMs) * resolutionMs;
}
