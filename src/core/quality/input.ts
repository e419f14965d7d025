// What the data-quality checks and the overdue check read: the rally, its
// rules, and the facts already folded by the scoring (times as rally-local ms).
import type { ControlKind, RallyDefinition } from '../model.ts';
import type { TimeSource } from '../facts.ts';
import type { StageStatus } from '../results.ts';
import type { RuleSet } from '../rules/types.ts';
import { TIMED_ARRIVAL_KINDS } from '../model.ts';
import { flattenItinerary } from '../timing/itinerary.ts';
import type { ItineraryControl } from '../timing/itinerary.ts';

export interface QualityControlTime { factId: string; car: number; control: string; atMs: number; superseded: boolean }
export interface QualityStageTime { car: number; stage: string; ms: number; factIds: string[]; status: StageStatus }
export interface QualityJumpStart { factId: string; car: number; stage: string; source?: TimeSource; decided: boolean }

export interface QualityInput {
  def: RallyDefinition;
  rules: RuleSet;
  controlTimes: QualityControlTime[];
  stageTimes: QualityStageTime[];
  jumpStarts: QualityJumpStart[];
  retiredCars: number[];
  /** Cars with a finish on each stage, by stage code. */
  finishedStages: Record<string, number[]>;
}

/** Controls whose times are written to the whole minute (so seconds say nothing about order). */
export function isMinuteControl(kind: ControlKind): boolean {
  return TIMED_ARRIVAL_KINDS.has(kind) || kind === 'STOP';
}

export interface Itinerary {
  controls: ItineraryControl[];
  byId: Map<string, ItineraryControl>;
  /** Index of each stage's start and finish control, by stage code. */
  stageBounds: Map<string, { start?: number; finish?: number }>;
}

export function indexItinerary(def: RallyDefinition): Itinerary {
  const controls = flattenItinerary(def);
  const byId = new Map(controls.map((c) => [c.control.id, c]));
  const stageBounds = new Map<string, { start?: number; finish?: number }>();
  for (const ic of controls) {
    const code = ic.control.stage;
    if (!code) continue;
    const b = stageBounds.get(code) ?? {};
    if (ic.control.kind === 'SS_START' && b.start === undefined) b.start = ic.index;
    if (ic.control.kind === 'SS_FINISH' && b.finish === undefined) b.finish = ic.index;
    stageBounds.set(code, b);
  }
  return { controls, byId, stageBounds };
}

/** Non-superseded times at known controls, by car, in itinerary order (first time per control first). */
export function timesByCar(input: QualityInput, itinerary: Itinerary): Map<number, (QualityControlTime & { at: ItineraryControl })[]> {
  const out = new Map<number, (QualityControlTime & { at: ItineraryControl })[]>();
  for (const t of input.controlTimes) {
    const at = itinerary.byId.get(t.control);
    if (t.superseded || !at) continue;
    const list = out.get(t.car) ?? [];
    list.push({ ...t, at });
    out.set(t.car, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.at.index - b.at.index || a.atMs - b.atMs);
  return out;
}
