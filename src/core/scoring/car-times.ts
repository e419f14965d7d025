// A car's control times with the time chosen at each control (the first in log
// order that parses; a different later one is a conflict), kept up to date as
// times arrive. Deriving the car shares the chosen map until the next time
// changes it (copy on write), so neither a full scoring nor a re-derivation
// copies or regroups the car's history. The grouping with every fact is only
// built when something must be reported (car.ts).
import type { ControlTimeRecorded } from '../facts.ts';
import type { ChosenTime } from './stage-cell.ts';
import { parseLocalDateTime } from '../time/local-time.ts';

export interface ControlGroup {
  /** In-effect times at this control, in log order. */
  facts: ControlTimeRecorded[];
  unparsable: ControlTimeRecorded[];
  chosen: ChosenTime | null;
}

const NO_CONFLICTS: ControlTimeRecorded[] = Object.freeze([]) as unknown as ControlTimeRecorded[];

export class CarTimes {
  private map = new Map<string, ChosenTime>();
  /** The map has been handed out by `share`: copy it before the next change. */
  private shared = false;
  /** Some control has an unparsable time or two different times (then the chosen map alone does not say everything). */
  irregular = false;
  /** The itinerary's controls once asked about (`namesUnknown`), and whether a chosen time names a control not in it. */
  private known: ReadonlyMap<string, unknown> | null = null;
  private unknown = false;

  /** @param times in-effect control times of one car, in log order; the store appends to it and calls `add`. */
  constructor(private readonly times: readonly ControlTimeRecorded[]) {
    for (const f of times) this.add(f);
  }

  /** Adds an in-effect time that comes after every time already added in log order. */
  add(f: ControlTimeRecorded): void {
    const atMs = parseLocalDateTime(f.at);
    if (atMs === null) { this.irregular = true; return; }
    const c = this.map.get(f.control);
    if (!c) {
      this.write().set(f.control, { atMs, fact: f, conflicts: NO_CONFLICTS, control: f.control, factId: f.id });
      if (this.known !== null && !this.known.has(f.control)) this.unknown = true;
    } else if (atMs !== c.atMs) {
      // NOTE: a new object: an earlier derivation of the car may hold the old one.
      this.write().set(f.control, { ...c, conflicts: [...c.conflicts, f] });
      this.irregular = true;
    }
  }

  private write(): Map<string, ChosenTime> {
    if (this.shared) { this.map = new Map(this.map); this.shared = false; }
    return this.map;
  }

  /** The chosen time at each control, in order of first appearance. WARNING: shared; never modify it. */
  share(): Map<string, ChosenTime> {
    this.shared = true;
    return this.map;
  }

  /**
   * Whether some control is not in the itinerary: checked for every chosen
   * time on the first call, then as times arrive. Only meaningful when not
   * irregular (then every control with a time has a chosen one).
   */
  namesUnknown(controls: ReadonlyMap<string, unknown>): boolean {
    if (this.known !== controls) {
      this.known = controls;
      this.unknown = false;
      for (const c of this.map.keys()) if (!controls.has(c)) { this.unknown = true; break; }
    }
    return this.unknown;
  }

  /** Every control with its facts, in order of first appearance (for reporting what is irregular). */
  groups(): Map<string, ControlGroup> {
    const out = new Map<string, ControlGroup>();
    for (const f of this.times) {
      let g = out.get(f.control);
      if (!g) out.set(f.control, (g = { facts: [], unparsable: [], chosen: this.map.get(f.control) ?? null }));
      g.facts.push(f);
      if (parseLocalDateTime(f.at) === null) g.unparsable.push(f);
    }
    return out;
  }
}
