// The mutable heart of a scoring state: the folded facts and the caches derived
// from them. Each car's scoring is derived lazily and cached; a new fact drops
// only the caches it can change (its car, the car of a fact it supersedes,
// crews whose Super Rally charges depend on other cars' times, or everything
// for a fact about the whole field).
import type { Fact } from '../facts.ts';
import type { RallyDefinition } from '../model.ts';
import type { RuleSet } from '../rules/types.ts';
import type { Classification, StageClassification } from '../results.ts';
import { deriveCar, type CarContext, type CarDerived, type StageCell } from './car.ts';
import { buildGlobal, type GlobalContext } from './global.ts';
import { buildItinerary, type Itinerary } from './itinerary.ts';
import { fillRestarts, REAL_TIME, type FastestLookup } from './restart.ts';
import { FactStore } from './store.ts';
import type { RankIndex } from './rank-index.ts';

export interface CarScore {
  derived: CarDerived;
  /** Cells with Super Rally charges filled in. */
  cells: StageCell[];
  /** prefixMs[k] = sum of the counted times of stages 0..k-1; prefixCount likewise counts them (for O(1) totals). */
  prefixMs: Float64Array;
  prefixCount: Int32Array;
  /** Index of the last stage on which the car has a time of its own (not a Super Rally charge); -1 when none. */
  lastTimed: number;
}

/** Statuses whose time counts in a total. */
export const COUNTED: ReadonlySet<string> = new Set(['ok', 'notional', 'assessed', 'restartCharged', 'maxTime']);

function sameCell(a: StageCell, b: StageCell): boolean {
  return a.status === b.status && a.ms === b.ms && a.stageMs === b.stageMs;
}

/** An officials' restart charge given as an assessed stage time: never the base of another crew's charge. */
function isRestartChargeFact(f: Fact | undefined): boolean {
  return f !== undefined && f.type === 'stageTime' && f.assessed === true && f.restartCharge === true;
}

export class Engine {
  readonly store = new FactStore();
  readonly it: Itinerary;
  /** Facts in arrival order; only ever appended (a state remembers its length). */
  readonly log: Fact[] = [];
  version = 0;
  private global: GlobalContext | null = null;
  private readonly own = new Map<number, CarDerived>();
  private readonly full = new Map<number, CarScore>();
  private readonly restartDependents = new Set<number>();
  private readonly fastestByStage = new Map<number, { ms: number; car: number }[]>();
  /** Overall stage winners by stage index (null: nobody has a driven time yet). */
  readonly winners = new Map<number, { cars: number[]; timeMs: number } | null>();
  readonly classCache = new Map<string, Classification>();
  /** Standing orders by scope key, kept up to date incrementally (rank-index.ts). */
  readonly rankIndexes = new Map<string, RankIndex>();
  /** Which cars each version changed (null: everything), for the rank indexes to catch up. */
  private readonly changes: { version: number; cars: number[] | null }[] = [];
  readonly stageCache = new Map<string, StageClassification>();

  constructor(readonly definition: RallyDefinition, readonly rules: RuleSet) {
    this.it = buildItinerary(definition);
  }

  apply(fact: Fact): void {
    if (this.isCold()) {
      // Folding a log before anything was derived: nothing cached to invalidate, so no list of what changed.
      this.log.push(fact);
      const changed = this.store.add(fact, null);
      this.version++;
      if (changed) this.coldChange();
      return;
    }
    this.applyBatch([fact]);
  }

  /** Nothing derived yet. */
  private isCold(): boolean {
    return this.own.size === 0 && this.full.size === 0 && this.global === null;
  }

  private coldChange(): void {
    if (this.classCache.size) this.classCache.clear();
    if (this.stageCache.size) this.stageCache.clear();
    if (this.rankIndexes.size > 0) this.changes.push({ version: this.version, cars: null });
  }

  /**
   * Folds several facts as one step: each car they touch is re-derived once
   * for the whole batch, not once per fact (a burst of live facts, a page of the log).
   */
  applyBatch(facts: readonly Fact[]): void {
    if (facts.length === 0) return;
    const touched: Fact[] = [];
    for (const fact of facts) {
      this.log.push(fact);
      this.store.add(fact, touched);
    }
    this.version++;
    if (touched.length === 0) return;
    // Cold engine (folding a whole log before anything was derived): nothing cached to invalidate.
    if (this.isCold()) return this.coldChange();
    if (this.classCache.size) this.classCache.clear();
    if (this.stageCache.size) this.stageCache.clear();
    const cars = new Set<number>();
    for (const f of touched) {
      const car = 'car' in f && typeof f.car === 'number' ? f.car : null;
      if (car !== null) cars.add(car);
      else if (f.type !== 'retraction') return this.invalidateAll();
    }
    const dependents = [...this.restartDependents];
    // Narrow invalidation: re-derive a car that was already scored and find which stages changed.
    let changed: Set<number> | 'all' = new Set();
    for (const car of cars) {
      const old = this.own.get(car);
      this.own.delete(car);
      this.full.delete(car);
      if (!old) { changed = 'all'; continue; }
      const now = this.ownOf(car);
      if (changed === 'all') continue;
      for (let i = 0; i < now.cells.length; i++) if (!sameCell(old.cells[i]!, now.cells[i]!)) changed.add(i);
    }
    if (changed === 'all') {
      this.fastestByStage.clear();
      this.winners.clear();
    } else {
      for (const i of changed) { this.fastestByStage.delete(i); this.winners.delete(i); }
    }
    // Super Rally charges depend on other cars' times on the stages missed.
    if (changed === 'all' || changed.size > 0) {
      for (const c of dependents) { this.full.delete(c); cars.add(c); }
    }
    this.changes.push({ version: this.version, cars: [...cars] });
  }

  /** Cars whose scoring may have changed since `version`; null when everything may have. */
  carsChangedSince(version: number): Set<number> | null {
    const out = new Set<number>();
    for (let k = this.changes.length - 1; k >= 0; k--) {
      const c = this.changes[k]!;
      if (c.version <= version) break;
      if (c.cars === null) return null;
      for (const car of c.cars) out.add(car);
    }
    return out;
  }

  private invalidateAll(): void {
    this.changes.push({ version: this.version, cars: null });
    this.rankIndexes.clear();
    this.global = null;
    this.own.clear();
    this.full.clear();
    this.restartDependents.clear();
    this.fastestByStage.clear();
    this.winners.clear();
  }

  /** Cars to score: every entry, then any car that has facts but no entry (reported, never classified). */
  cars(): number[] {
    if (this.carList && this.carListSize === this.store.byCar.size) return this.carList;
    const entries = this.definition.entries.map((e) => e.car);
    const known = new Set(entries);
    const extra = [...this.store.byCar.keys()].filter((c) => !known.has(c)).sort((a, b) => a - b);
    this.carListSize = this.store.byCar.size;
    this.carList = [...entries, ...extra];
    return this.carList;
  }

  private carList: number[] | null = null;
  private carListSize = -1;

  globalContext(): GlobalContext {
    if (!this.global) this.global = buildGlobal(this.store, this.it);
    return this.global;
  }

  private ownOf(car: number): CarDerived {
    let d = this.own.get(car);
    if (!d) {
      const ctx: CarContext = { def: this.definition, rules: this.rules, it: this.it, store: this.store, global: this.globalContext() };
      d = deriveCar(car, ctx);
      this.own.set(car, d);
    }
    return d;
  }

  carScore(car: number): CarScore {
    let s = this.full.get(car);
    if (s) return s;
    const derived = this.ownOf(car);
    if (derived.missed.length > 0) this.restartDependents.add(car);
    else this.restartDependents.delete(car);
    const cells = fillRestarts(derived, this.it, this.rules, this.fastest);
    const prefixMs = new Float64Array(cells.length + 1);
    const prefixCount = new Int32Array(cells.length + 1);
    let lastTimed = -1;
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i]!;
      const counts = c.ms !== null && COUNTED.has(c.status);
      prefixMs[i + 1] = prefixMs[i]! + (counts ? c.ms! : 0);
      prefixCount[i + 1] = prefixCount[i]! + (counts ? 1 : 0);
      if (c.ms !== null && c.status !== 'restartCharged') lastTimed = i;
    }
    s = { derived, cells, prefixMs, prefixCount, lastTimed };
    this.full.set(car, s);
    return s;
  }

  /** Fastest driven (or officially given) time on a stage among entries passing the filter. */
  readonly fastest: FastestLookup = (i, filter) => {
    let list = this.fastestByStage.get(i);
    if (!list) {
      list = [];
      for (const e of this.definition.entries) {
        const c = this.ownOf(e.car).cells[i]!;
        if (c.ms !== null && REAL_TIME.has(c.status) && !isRestartChargeFact(c.used[0])) list.push({ ms: c.ms, car: e.car });
      }
      list.sort((a, b) => a.ms - b.ms || a.car - b.car);
      this.fastestByStage.set(i, list);
    }
    for (const x of list) if (!filter || filter(this.it.entryByCar.get(x.car))) return x;
    return null;
  };
}
