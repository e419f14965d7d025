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

export interface CarScore {
  derived: CarDerived;
  /** Cells with Super Rally charges filled in. */
  cells: StageCell[];
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
  readonly classCache = new Map<string, Classification>();
  readonly stageCache = new Map<string, StageClassification>();

  constructor(readonly definition: RallyDefinition, readonly rules: RuleSet) {
    this.it = buildItinerary(definition);
  }

  apply(fact: Fact): void {
    this.log.push(fact);
    this.version++;
    const touched = this.store.add(fact);
    if (touched.length === 0) return;
    this.classCache.clear();
    this.stageCache.clear();
    let anyCar = false;
    for (const f of touched) {
      const car = 'car' in f && typeof f.car === 'number' ? f.car : null;
      if (car !== null) {
        this.own.delete(car);
        this.full.delete(car);
        anyCar = true;
      } else if (f.type !== 'retraction') {
        this.global = null;
        this.own.clear();
        this.full.clear();
        this.restartDependents.clear();
      }
    }
    if (anyCar) {
      this.fastestByStage.clear();
      for (const c of this.restartDependents) this.full.delete(c);
    }
  }

  /** Cars to score: every entry, then any car that has facts but no entry (reported, never classified). */
  cars(): number[] {
    const entries = this.definition.entries.map((e) => e.car);
    const known = new Set(entries);
    const extra = [...this.store.byCar.keys()].filter((c) => !known.has(c)).sort((a, b) => a - b);
    return [...entries, ...extra];
  }

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
    s = { derived, cells };
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
        if (c.ms !== null && REAL_TIME.has(c.status)) list.push({ ms: c.ms, car: e.car });
      }
      list.sort((a, b) => a.ms - b.ms || a.car - b.car);
      this.fastestByStage.set(i, list);
    }
    for (const x of list) if (!filter || filter(this.it.entryByCar.get(x.car))) return x;
    return null;
  };
}
