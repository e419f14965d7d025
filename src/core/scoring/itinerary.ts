// Where things happen in the itinerary. Every control gets a position (its
// index in route-book order); every stage gets the position of its start.
// Penalties, retirements and restarts are placed on this line so that "after
// SS7" counts exactly what happened up to SS7's place in the rally.
import type { Control, RallyDefinition, Stage } from '../model.ts';

/** Position used for things with no place in the itinerary: they count from the moment they apply, i.e. at the end. */
export const AT_END = Number.POSITIVE_INFINITY;

export interface Itinerary {
  readonly stages: readonly Stage[];
  readonly stageIndex: ReadonlyMap<string, number>;
  /** Position of each stage (by index in `stages`): its start control, else its first control, else just after the previous stage. */
  readonly stagePos: readonly number[];
  readonly controls: ReadonlyMap<string, Control & { pos: number; leg: string; section: string }>;
  /** SS_START / SS_FINISH / SPLIT controls by stage code. */
  readonly startOf: ReadonlyMap<string, string>;
  readonly finishOf: ReadonlyMap<string, string>;
  readonly splitsOf: ReadonlyMap<string, readonly string[]>;
  /** The same by stage index (scoring reads them once per car and stage). */
  readonly startAt: readonly (string | undefined)[];
  readonly finishAt: readonly (string | undefined)[];
  readonly splitsAt: readonly (readonly string[])[];
  /** Position of the first control of each section and of each leg (a restart names one of them). */
  readonly restartPoints: ReadonlyMap<string, number>;
  /** Position range [first, last] of each leg's controls and stages. */
  readonly legRange: ReadonlyMap<string, { from: number; to: number }>;
  readonly entryByCar: ReadonlyMap<number, RallyDefinition['entries'][number]>;
}

// NOTE: a definition is never changed in place (a changed itinerary is a new object), so it is walked once.
const byDef = new WeakMap<RallyDefinition, Itinerary>();

export function buildItinerary(def: RallyDefinition): Itinerary {
  let it = byDef.get(def);
  if (!it) { it = walk(def); byDef.set(def, it); }
  return it;
}

function walk(def: RallyDefinition): Itinerary {
  const controls = new Map<string, Control & { pos: number; leg: string; section: string }>();
  const restartPoints = new Map<string, number>();
  const legRange = new Map<string, { from: number; to: number }>();
  const startOf = new Map<string, string>();
  const finishOf = new Map<string, string>();
  const splitsOf = new Map<string, string[]>();
  let pos = 0;
  for (const leg of def.legs) {
    const from = pos;
    for (const section of leg.sections) {
      if (!restartPoints.has(section.id)) restartPoints.set(section.id, pos);
      for (const c of section.controls) {
        if (!controls.has(c.id)) controls.set(c.id, { ...c, pos, leg: leg.id, section: section.id });
        if (c.stage) {
          if (c.kind === 'SS_START' && !startOf.has(c.stage)) startOf.set(c.stage, c.id);
          if (c.kind === 'SS_FINISH' && !finishOf.has(c.stage)) finishOf.set(c.stage, c.id);
          if (c.kind === 'SPLIT') splitsOf.set(c.stage, [...(splitsOf.get(c.stage) ?? []), c.id]);
        }
        pos++;
      }
    }
    if (!restartPoints.has(leg.id)) restartPoints.set(leg.id, from);
    legRange.set(leg.id, { from, to: pos - 1 });
  }

  const stages = def.stages;
  const stageIndex = new Map<string, number>();
  const stagePos: number[] = [];
  const firstControlOf = new Map<string, number>();
  for (const c of controls.values()) {
    if (c.stage && !firstControlOf.has(c.stage)) firstControlOf.set(c.stage, c.pos);
  }
  stages.forEach((s, i) => {
    stageIndex.set(s.code, i);
    const start = startOf.get(s.code);
    const own = start !== undefined ? controls.get(start)?.pos : firstControlOf.get(s.code);
    // NOTE: a stage with no controls sits just after the one before it (small fractions keep the order).
    stagePos.push(own ?? (i === 0 ? -1 + 1e-3 : stagePos[i - 1]! + 1e-3));
  });
  // A leg without controls still spans its stages.
  for (const leg of def.legs) {
    const own = stages.map((s, i) => (s.leg === leg.id ? stagePos[i]! : null)).filter((p): p is number => p !== null);
    if (own.length === 0) continue;
    const r = legRange.get(leg.id);
    const lo = Math.min(...own, r && r.to >= r.from ? r.from : Infinity);
    const hi = Math.max(...own, r && r.to >= r.from ? r.to : -Infinity);
    legRange.set(leg.id, { from: lo, to: hi });
  }
  const none: readonly string[] = [];
  return {
    stages, stageIndex, stagePos, controls, startOf, finishOf, splitsOf, restartPoints, legRange,
    startAt: stages.map((s) => startOf.get(s.code)), finishAt: stages.map((s) => finishOf.get(s.code)), splitsAt: stages.map((s) => splitsOf.get(s.code) ?? none),
    entryByCar: new Map(def.entries.map((e) => [e.car, e])),
  };
}

/**
 * The last itinerary position that counts in a classification "after" stage
 * `i`: everything before the next stage's start (so penalties at the TCs and
 * service after SS7 count after SS7), or everything for the rally's last stage.
 */
export function boundaryAfter(it: Itinerary, i: number): number {
  if (i < 0) return -Infinity;
  if (i >= it.stages.length - 1) return AT_END;
  // Positions are whole numbers for controls; anything strictly before the next start counts.
  return it.stagePos[i + 1]! - 1e-6;
}

/** Position of a control id or stage code; null when neither is known. */
export function placeOf(it: Itinerary, where: string | undefined): number | null {
  if (where === undefined) return null;
  const c = it.controls.get(where);
  if (c) return c.pos;
  const s = it.stageIndex.get(where);
  if (s !== undefined) return placeOfStageEnd(it, s);
  return null;
}

/** A stage's finish position (where its time and its penalties are incurred). */
export function placeOfStageEnd(it: Itinerary, i: number): number {
  const code = it.stages[i]!.code;
  const fin = it.finishOf.get(code);
  const p = fin !== undefined ? it.controls.get(fin)?.pos : undefined;
  return p ?? it.stagePos[i]!;
}

/** Leg a position belongs to; null outside every leg. Things with no place belong to the last leg. */
export function legAt(it: Itinerary, pos: number, legs: readonly string[]): string | null {
  if (pos === AT_END) return legs.at(-1) ?? null;
  for (const id of legs) {
    const r = it.legRange.get(id);
    if (r && pos >= r.from && pos <= r.to) return id;
  }
  return null;
}
