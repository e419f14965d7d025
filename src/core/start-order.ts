// The start order of each leg and each crew's due time at the leg's first
// control: one answer, used by the scoring (lateness at a leg start), the
// documents (entry list, start list), the command line and the exports.
// A stored start list (rally definition `startLists`, published by the
// organiser: SEE core/startlists/start-list.ts) decides its leg. Without one,
// crews start in car-number order (no rule for a target-timed rally was found;
// MSUK scheduled timing orders by car number, App 13 Art 10.1) and the due
// time is the first-car time + the start interval × the place, each crew
// keeping its place (the definition alone cannot know who is out of the rally).
// Pure: a function of the rally definition.
import type { Entry, RallyDefinition, StoredStartList } from './model.ts';
import { TIMED_ARRIVAL_KINDS } from './model.ts';
import { formatLocalDateTime, parseLocalDateTime } from './time/local-time.ts';

export interface StartPosition {
  car: number;
  /** Place in the leg's start order, 1 = first car. */
  order: number;
  /** Due time at the leg's first control, rally-local ms; null when it cannot be known (see `dueUnknown`). */
  dueMs: number | null;
  /** Why the crew starts there, in words. */
  why: string;
}

export interface LegStartOrder {
  leg: string;
  /** The control the due times apply at: the stored list's control, else the leg's first time control with a first-car time. */
  control: string | null;
  /** `startList`: the organiser's stored list decides; `carNumber`: no list stored, crews by car number. */
  source: 'startList' | 'carNumber';
  /** The stored start list, when there is one. */
  list: StoredStartList | null;
  /** First car's due time at `control`, rally-local ms. */
  firstDueMs: number | null;
  /** Gap between consecutive places without a stored list (the rally's `startIntervalMs`); null with a stored list or when not given. */
  intervalMs: number | null;
  /** Every crew that starts the leg, in start order. */
  positions: StartPosition[];
  /** Crews of the entry list a stored start list says do not start this leg, with why. */
  notStarting: { car: number; why: string }[];
  /** Why the due times are unknown (then no lateness is judged at the leg start); null when they are known. */
  dueUnknown: string | null;
}

const byDef = new WeakMap<RallyDefinition, Map<string, LegStartOrder>>();

/** The leg's first time control with a first-car due time (where a start order's due times apply). */
function firstDueControl(def: RallyDefinition, legId: string): { id: string; firstDueMs: number | null } | null {
  const leg = def.legs.find((l) => l.id === legId);
  for (const s of leg?.sections ?? []) {
    for (const c of s.controls) {
      if (c.firstCarDue !== undefined && TIMED_ARRIVAL_KINDS.has(c.kind)) return { id: c.id, firstDueMs: parseLocalDateTime(c.firstCarDue) };
    }
  }
  return null;
}

function build(def: RallyDefinition, legId: string): LegStartOrder {
  const list = (def.startLists ?? []).find((l) => l.leg === legId) ?? null;
  if (list) {
    const rows = [...list.rows].sort((a, b) => a.order - b.order);
    const positions = rows.map((r) => ({ car: r.car, order: r.order, dueMs: parseLocalDateTime(r.due), why: r.why }));
    const bad = positions.find((p) => p.dueMs === null);
    return {
      leg: legId, control: list.control, source: 'startList', list, firstDueMs: positions[0]?.dueMs ?? null, intervalMs: null,
      positions, notStarting: list.notStarting,
      dueUnknown: bad ? `the stored start list of ${legId} gives car ${bad.car} no readable due time` : null,
    };
  }
  const at = firstDueControl(def, legId);
  const interval = def.startIntervalMs ?? null;
  const firstDueMs = at?.firstDueMs ?? null;
  const known = firstDueMs !== null && interval !== null && interval > 0;
  const positions = [...def.entries].sort((a, b) => a.car - b.car)
    .map((e, i) => ({ car: e.car, order: i + 1, dueMs: known ? firstDueMs + i * interval : null, why: 'by car number (no start list stored for this leg)' }));
  const dueUnknown = known ? null
    : !at ? `leg ${legId} has no time control with a first-car due time (firstCarDue)`
      : firstDueMs === null ? `the first-car due time at ${at.id} is not a date and time`
        : `no start interval (startIntervalMs) and no stored start list for ${legId}: a crew's due time at ${at.id} is not known`;
  return { leg: legId, control: at?.id ?? null, source: 'carNumber', list: null, firstDueMs, intervalMs: interval, positions, notStarting: [], dueUnknown };
}

/** The start order of one leg and each crew's due time at its first control. */
export function legStartOrder(def: RallyDefinition, legId: string): LegStartOrder {
  let m = byDef.get(def);
  if (!m) { m = new Map(); byDef.set(def, m); }
  let v = m.get(legId);
  if (!v) { v = build(def, legId); m.set(legId, v); }
  return v;
}

// NOTE: a definition is never changed in place, so each leg's positions are indexed once.
const positionIndex = new WeakMap<LegStartOrder, Map<number, StartPosition>>();
/** A crew's place and due time at the start of a leg; undefined when it is not on the leg's start order. */
export function startPosition(def: RallyDefinition, legId: string, car: number): StartPosition | undefined {
  const order = legStartOrder(def, legId);
  let m = positionIndex.get(order);
  if (!m) { m = new Map(order.positions.map((p) => [p.car, p])); positionIndex.set(order, m); }
  return m.get(car);
}

/**
 * The entry list in the start order of the first leg (a stored list's order,
 * then any crew it does not list, by car number), optionally one class only.
 * This is the order of the entry list document, the `entries` command and export.
 */
export function entriesInStartOrder(def: RallyDefinition, classCode?: string): Entry[] {
  const first = def.legs[0]?.id;
  const place = new Map((first ? legStartOrder(def, first).positions : []).map((p) => [p.car, p.order]));
  return def.entries.filter((e) => !classCode || e.class === classCode)
    .sort((a, b) => (place.get(a.car) ?? Infinity) - (place.get(b.car) ?? Infinity) || a.car - b.car);
}

/** A due time as a start list writes it (`2026-02-07T09:07:00`). */
export function dueText(ms: number): string {
  return formatLocalDateTime(ms).slice(0, 19);
}
