// The folded facts: every fact by id, who supersedes whom, and each car's facts.
// Folding is order-independent by construction: which facts are in effect, and
// which of two disagreeing facts is chosen, depend only on the set of facts,
// never on the order they arrived in.
import type { ControlTimeRecorded, Fact, StageTimeRecorded } from '../facts.ts';
import type { FactRef } from '../results.ts';
import { CarTimes } from './car-times.ts';

/** A car's facts in effect, in log order, with its times split out (what deriving a car reads first). */
export interface CarIndex {
  controlTimes: ControlTimeRecorded[];
  stageTimes: StageTimeRecorded[];
  /** Every other kind (penalties, jump starts, retirements …): what the per-kind scans read, without the times. */
  other: Fact[];
  /** The control times grouped, built on first use (car.ts). */
  times: CarTimes | null;
}

const carOfFact = (f: Fact): number | null => ('car' in f && typeof f.car === 'number' ? f.car : null);

export class FactStore {
  /**
   * Car → its CarIndex, kept up to date when a fact is appended in log order
   * (the live case), dropped and rebuilt on demand otherwise, so re-deriving a
   * car after a new time does not re-filter its whole history.
   */
  private readonly indexes = new Map<number, CarIndex>();

  /** Every fact by id (one per id; see `add`). */
  readonly byId = new Map<string, Fact>();
  /** Target id → ids of the facts that name it in `supersedes`. */
  readonly supersededBy = new Map<string, Set<string>>();
  /** Car → its facts in log order (kept sorted on insert, so deriving a car never sorts). */
  readonly byCar = new Map<number, Fact[]>();
  /** Facts about the whole field (stage interrupted / cancelled). */
  readonly global = new Set<string>();

  /**
   * Adds a fact; returns whether anything changed, and appends to `touched`
   * (when given) the facts whose effect may have changed: the fact, the one it
   * supersedes, and a replaced duplicate.
   * NOTE: two different facts with one id cannot both stand; the one whose JSON
   * sorts first is kept, whatever the arrival order (the store rejects them anyway).
   */
  add(fact: Fact, touched: Fact[] | null): boolean {
    const old = this.byId.get(fact.id);
    if (old) {
      if (old === fact) return false;
      const a = JSON.stringify(old), b = JSON.stringify(fact);
      if (a === b || a < b) return false;
      this.remove(old);
      touched?.push(old);
    }
    this.insert(fact, touched);
    return true;
  }

  private insert(fact: Fact, touched: Fact[] | null): void {
    this.byId.set(fact.id, fact);
    touched?.push(fact);
    const car = 'car' in fact && typeof fact.car === 'number' ? fact.car : null;
    if (car !== null) {
      let list = this.byCar.get(car);
      if (!list) this.byCar.set(car, (list = []));
      const last = list[list.length - 1];
      if (last === undefined || byLogOrder(last, fact) <= 0) {
        list.push(fact); // the usual case: facts arrive in log order
        const index = this.indexes.get(car);
        if (index && this.active(fact.id)) {
          if (fact.type === 'controlTime') { index.controlTimes.push(fact); index.times?.add(fact); }
          else if (fact.type === 'stageTime') index.stageTimes.push(fact);
          else index.other.push(fact);
        }
      } else {
        this.indexes.delete(car);
        let lo = 0, hi = list.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (byLogOrder(list[mid]!, fact) <= 0) lo = mid + 1; else hi = mid;
        }
        list.splice(lo, 0, fact);
      }
    } else if (fact.type !== 'retraction') {
      this.global.add(fact.id);
    }
    if (fact.supersedes !== undefined && fact.supersedes !== fact.id) {
      let s = this.supersededBy.get(fact.supersedes);
      if (!s) this.supersededBy.set(fact.supersedes, (s = new Set()));
      s.add(fact.id);
      const target = this.byId.get(fact.supersedes);
      if (target) {
        touched?.push(target);
        const targetCar = carOfFact(target);
        if (targetCar !== null) this.indexes.delete(targetCar); // no longer in effect
      }
    }
  }

  private remove(fact: Fact): void {
    this.byId.delete(fact.id);
    const car = carOfFact(fact);
    if (car !== null) {
      this.indexes.delete(car);
      const list = this.byCar.get(car);
      const at = list ? list.indexOf(fact) : -1;
      if (list && at >= 0) list.splice(at, 1);
    }
    this.global.delete(fact.id);
    if (fact.supersedes !== undefined) {
      this.supersededBy.get(fact.supersedes)?.delete(fact.id);
      const target = this.byId.get(fact.supersedes);
      const targetCar = target ? carOfFact(target) : null;
      if (targetCar !== null) this.indexes.delete(targetCar); // may be in effect again
    }
  }

  /**
   * A fact is in effect unless some fact in the log names it in `supersedes`.
   * NOTE: this holds even when the superseding fact is itself superseded or
   * retracted: a correction of a correction leaves only the newest in effect,
   * and retracting a correction withdraws it without reviving what it replaced.
   */
  active(id: string): boolean {
    const s = this.supersededBy.get(id);
    return !s || s.size === 0;
  }

  /** The facts that supersede `id` (for workings). */
  supersedersOf(id: string): Fact[] {
    const s = this.supersededBy.get(id);
    if (!s) return [];
    return [...s].map((x) => this.byId.get(x)).filter((f): f is Fact => f !== undefined).sort(byLogOrder);
  }

  /** A car's facts in effect, by kind, in log order. WARNING: the store's own arrays; do not modify or keep them. */
  carIndex(car: number): CarIndex {
    let index = this.indexes.get(car);
    if (!index) {
      index = { controlTimes: [], stageTimes: [], other: [], times: null };
      const some = this.supersededBy.size > 0;
      for (const f of this.byCar.get(car) ?? []) {
        if (some && !this.active(f.id)) continue;
        if (f.type === 'controlTime') index.controlTimes.push(f);
        else if (f.type === 'stageTime') index.stageTimes.push(f);
        else index.other.push(f);
      }
      this.indexes.set(car, index);
    }
    return index;
  }

  /** A car's in-effect control times, grouped by control. */
  carTimes(car: number): CarTimes {
    const index = this.carIndex(car);
    return (index.times ??= new CarTimes(index.controlTimes));
  }

  /** A car's facts in log order. WARNING: the store's own array; do not modify it. */
  carFacts(car: number): readonly Fact[] {
    return this.byCar.get(car) ?? [];
  }

  globalFacts(): Fact[] {
    const out: Fact[] = [];
    for (const id of this.global) { const f = this.byId.get(id); if (f) out.push(f); }
    return out.sort(byLogOrder);
  }
}

/**
 * The deterministic order of facts: by log `seq` (facts without one after those
 * with one), then by id. Where two facts disagree the first in this order wins.
 */
export function byLogOrder(a: Fact, b: Fact): number {
  const sa = a.seq ?? Number.POSITIVE_INFINITY, sb = b.seq ?? Number.POSITIVE_INFINITY;
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function refOf(f: Fact): FactRef {
  const r: FactRef = { id: f.id, type: f.type };
  if (f.seq !== undefined) r.seq = f.seq;
  if (f.by !== undefined) r.by = f.by;
  if (f.recordedAt !== undefined) r.recordedAt = f.recordedAt;
  if (f.reason !== undefined) r.reason = f.reason;
  return r;
}
