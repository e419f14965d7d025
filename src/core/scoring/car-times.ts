// A car's control times grouped by control, with the time chosen at each (the
// first in log order that parses; a different later one is a conflict), kept
// up to date as times arrive. Re-deriving a car after a new time then costs a
// map copy, not a regrouping and reparsing of its whole history.
import type { ControlTimeRecorded } from '../facts.ts';
import { timeOfDayOf } from './parse-cache.ts';
import type { ChosenTime } from './stage-cell.ts';

export interface ControlGroup {
  /** In-effect times at this control, in log order. */
  facts: ControlTimeRecorded[];
  unparsable: ControlTimeRecorded[];
  chosen: ChosenTime | null;
}

export class CarTimes {
  /** By control, in order of first appearance in the log. */
  readonly groups = new Map<string, ControlGroup>();
  /** The chosen time at each control that has one. */
  readonly chosen = new Map<string, ChosenTime>();
  /** Some control has an unparsable time or two different times (then `chosen` alone does not say everything). */
  irregular = false;
  /** How many groups were checked against the itinerary, and whether one names an unknown control. */
  checked = 0;
  unknown = false;

  /** @param times in-effect control times of one car, in log order. */
  constructor(times: readonly ControlTimeRecorded[]) {
    for (const f of times) this.add(f);
  }

  /** Adds an in-effect time that comes after every time already added in log order. */
  add(f: ControlTimeRecorded): void {
    let g = this.groups.get(f.control);
    if (!g) this.groups.set(f.control, (g = { facts: [], unparsable: [], chosen: null }));
    g.facts.push(f);
    const atMs = timeOfDayOf(f);
    if (atMs === null) {
      g.unparsable.push(f);
      this.irregular = true;
    } else if (!g.chosen) {
      g.chosen = { atMs, fact: f, conflicts: [], control: f.control, factId: f.id };
      this.chosen.set(f.control, g.chosen);
    } else if (atMs !== g.chosen.atMs) {
      // NOTE: a new object: an earlier derivation of the car may hold the old one.
      g.chosen = { ...g.chosen, conflicts: [...g.chosen.conflicts, f] };
      this.chosen.set(f.control, g.chosen);
      this.irregular = true;
    }
  }
}
