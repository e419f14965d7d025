// Start lists: the order crews start a leg and each crew's due time at the
// leg's first control. Seeded by priority, by class, or by the classification
// after an earlier leg with its top N reversed; crews restarting after a
// retirement (Super Rally) are placed as the request says; intervals may
// differ by group (e.g. two minutes for the first ten, one after).
// Pure: the caller gives the classification it seeds from.
import type { Classification } from '../results.ts';
import type { Entry, RallyDefinition } from '../model.ts';
import { formatLocalDateTime, parseLocalDateTime } from '../time/index.ts';

export type SeedingMethod = 'priority' | 'class' | 'classification';

/** Interval from this start position on (1-based), until the next group's. */
export interface IntervalGroup { fromOrder: number; intervalMs: number }

export interface StartListRequest {
  leg: string;
  method: SeedingMethod;
  /** method classification: the leg whose final classification seeds this one. */
  afterLeg?: string;
  /** method classification: the first N classified start in reverse (N-th first). 0 = none. */
  reverseTopN?: number;
  /**
   * Where crews restarting after a retirement start: after every classified
   * crew (`after`, the default) or before them (`before`), in car order.
   * [NF] no rule found in the rule reference (rally-rules §4.2 says when a crew
   * may restart, not where it starts); a rally's regulations decide.
   */
  restarted?: 'after' | 'before';
  intervals: IntervalGroup[];
  /** Due time of the first car at the leg's first control, rally-local (`2026-02-07T09:00`). */
  firstDue: string;
}

export interface StartListRow { order: number; car: number; due: string; why: string }

export interface StartList {
  leg: string;
  /** The leg's first control, where the due times apply. */
  control: string;
  method: string;
  rows: StartListRow[];
  /** Crews of the entry list not starting this leg, with why. */
  notStarting: { car: number; why: string }[];
}

export type StartListOutcome = { ok: true; list: StartList } | { ok: false; field: string; message: string };

const fail = (field: string, message: string): StartListOutcome => ({ ok: false, field, message });

/** Priority groups sort as written with numbers compared as numbers (P1 < P2 < P10); no priority last. */
function priorityKey(e: Entry): [number, string] {
  if (!e.group) return [1, ''];
  return [0, e.group.replace(/\d+/g, (d) => d.padStart(6, '0'))];
}

function byPriority(a: Entry, b: Entry): number {
  const ka = priorityKey(a);
  const kb = priorityKey(b);
  return ka[0] - kb[0] || (ka[1] < kb[1] ? -1 : ka[1] > kb[1] ? 1 : 0) || a.car - b.car;
}

/** The leg's first control: where its start list's due times are. */
export function legFirstControl(def: RallyDefinition, legId: string): string | null {
  const leg = def.legs.find((l) => l.id === legId);
  return leg?.sections[0]?.controls[0]?.id ?? null;
}

/** Due times one after another, each group with its own interval. */
export function dueTimes(firstDueMs: number, count: number, intervals: readonly IntervalGroup[]): number[] {
  const groups = [...intervals].sort((a, b) => a.fromOrder - b.fromOrder);
  const out: number[] = [];
  let t = firstDueMs;
  for (let i = 0; i < count; i++) {
    if (i > 0) {
      // The gap before car i+1 is that of the group car i+1 starts in.
      const g = groups.filter((x) => x.fromOrder <= i + 1).at(-1) ?? groups[0]!;
      t += g.intervalMs;
    }
    out.push(t);
  }
  return out;
}

export function buildStartList(def: RallyDefinition, req: StartListRequest, seed?: Classification): StartListOutcome {
  const legIndex = def.legs.findIndex((l) => l.id === req.leg);
  if (legIndex < 0) return fail('leg', `no leg "${req.leg}"; legs are ${def.legs.map((l) => l.id).join(', ')}`);
  const control = legFirstControl(def, req.leg);
  if (!control) return fail('leg', `leg ${req.leg} has no control yet; add its first control in the itinerary`);
  const firstDue = parseLocalDateTime(req.firstDue);
  if (firstDue === null) return fail('firstDue', `"${req.firstDue}" is not a time of day; give the first car's due time like 2026-02-07T09:00`);
  if (req.intervals.length === 0) return fail('intervals', 'give at least one start interval (e.g. one minute from the first car)');
  for (const g of req.intervals) {
    if (!Number.isInteger(g.fromOrder) || g.fromOrder < 1) return fail('intervals', `fromOrder ${g.fromOrder}: a start position is a whole number from 1`);
    if (!Number.isInteger(g.intervalMs) || g.intervalMs < 1000 || g.intervalMs % 1000 !== 0) return fail('intervals', `interval ${g.intervalMs} ms: give whole seconds, at least one`);
  }
  if (!req.intervals.some((g) => g.fromOrder === 1)) return fail('intervals', 'the first group must start at position 1');

  let order: { car: number; why: string }[] = [];
  const notStarting: { car: number; why: string }[] = [];
  if (req.method === 'priority') {
    order = [...def.entries].filter((e) => !e.withdrawal).sort(byPriority).map((e) => ({ car: e.car, why: e.group ? `priority ${e.group}` : 'no priority' }));
  } else if (req.method === 'class') {
    const rank = new Map(def.classes.map((c, i) => [c.code, i]));
    order = [...def.entries].filter((e) => !e.withdrawal)
      .sort((a, b) => (rank.get(a.class) ?? 99) - (rank.get(b.class) ?? 99) || byPriority(a, b))
      .map((e) => ({ car: e.car, why: `class ${e.class}${e.group ? `, priority ${e.group}` : ''}` }));
  } else {
    const afterLeg = req.afterLeg ?? def.legs[legIndex - 1]?.id;
    if (!afterLeg) return fail('afterLeg', `leg ${req.leg} is the first: seed it by priority or class, or name the leg whose classification seeds it`);
    const after = def.legs.findIndex((l) => l.id === afterLeg);
    if (after < 0 || after >= legIndex) return fail('afterLeg', `"${afterLeg}" is not a leg before ${req.leg}`);
    if (!seed) return fail('afterLeg', `the classification after leg ${afterLeg} is needed`);
    const n = req.reverseTopN ?? 0;
    if (!Number.isInteger(n) || n < 0) return fail('reverseTopN', 'a whole number of crews, 0 or more');
    // A crew that retired and restarts (Super Rally) starts apart from the crews that ran the whole leg,
    // even when the restart charges already give it a place.
    const restartedCars = [...new Set(seed.retired.filter((r) => r.restartedAt !== undefined && !r.permanent && !seed.excluded.some((x) => x.car === r.car)).map((r) => r.car))].sort((a, b) => a - b);
    const classified = seed.rows.filter((r) => r.position !== null && !restartedCars.includes(r.car)).sort((a, b) => a.position! - b.position!);
    const top = classified.slice(0, n).reverse().map((r) => ({ car: r.car, why: `P${r.position} after ${afterLeg}, top ${n} reversed` }));
    const rest = classified.slice(n).map((r) => ({ car: r.car, why: `P${r.position} after ${afterLeg}` }));
    const restarted = restartedCars.map((car) => ({ car, why: `restarts after retiring (placed ${req.restarted === 'before' ? 'before' : 'after'} the crews that ran the whole leg)` }));
    order = req.restarted === 'before' ? [...restarted, ...top, ...rest] : [...top, ...rest, ...restarted];
    const starting = new Set(order.map((o) => o.car));
    for (const e of def.entries) {
      if (starting.has(e.car)) continue;
      const ex = seed.excluded.find((x) => x.car === e.car);
      const ret = seed.retired.find((x) => x.car === e.car);
      notStarting.push({ car: e.car, why: ex ? `excluded (${ex.reason})` : ret ? `retired at ${ret.where} (${ret.reason}), no restart recorded` : `no classification after ${afterLeg}` });
    }
  }
  const due = dueTimes(firstDue, order.length, req.intervals);
  const rows = order.map((o, i) => ({ order: i + 1, car: o.car, due: formatLocalDateTime(due[i]!).slice(0, 19), why: o.why }));
  const method = req.method === 'classification'
    ? `classification after ${req.afterLeg ?? def.legs[legIndex - 1]!.id}${req.reverseTopN ? `, top ${req.reverseTopN} reversed` : ''}, restarted crews ${req.restarted === 'before' ? 'first' : 'last'}`
    : req.method === 'class' ? 'by class, then priority, then car number' : 'by priority, then car number';
  return { ok: true, list: { leg: req.leg, control, method, rows, notStarting } };
}
