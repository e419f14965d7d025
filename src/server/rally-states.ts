// The scored state of each rally, kept in memory. Loaded from the log once,
// then every new fact is folded in incrementally: reads never touch the
// database. `store.onAppended` (this process's appends, and other processes'
// through LISTEN/NOTIFY on PostgreSQL) triggers a catch-up that reads the log
// after the last seq it has, folds those facts in log order, and emits one
// 'change' per catch-up for the live streams.
import { EventEmitter } from 'node:events';
import type { Fact } from '../core/facts.ts';
import type { RallyDefinition } from '../core/model.ts';
import type { Classification } from '../core/results.ts';
import type { RuleSet } from '../core/rules/types.ts';
import { resolveRules } from '../core/rules/resolve.ts';
import { applyFact, classify, createState, type ScoringState } from '../core/scoring/index.ts';
import type { StoredFact, Store } from '../store/contract.ts';

export interface RallyEntry {
  rallyId: string;
  definition: RallyDefinition;
  /** Definition version (optimistic concurrency of PUT entries/itinerary). */
  version: number;
  rules: RuleSet;
  /** Problems with the rules choice; results are not to be published while there are any. */
  rulesErrors: { path: string; message: string }[];
  state: ScoringState;
  /** Last log seq folded in (0 = empty log). */
  seq: number;
  /** The log as stored, in seq order (who, when, from which device). */
  facts: StoredFact[];
  byId: Map<string, StoredFact>;
  /** Per-seq memo of computed responses (results, stages, crews); cleared on every change. */
  memo: Map<string, unknown>;
}

export interface RallyChange {
  rallyId: string;
  fromSeq: number;
  toSeq: number;
  facts: StoredFact[];
  before: Classification;
  after: Classification;
}

/** Facts read per round trip while loading or catching up. */
const PAGE = 5_000;

export class RallyStates extends EventEmitter<{ change: [RallyChange]; error: [Error] }> {
  private readonly entries = new Map<string, Promise<RallyEntry | null>>();
  /** Per rally: the tail of the chain of catch-ups, so they run one at a time and in order. */
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly unsubscribe: () => void;
  /** Per rally: facts offered by this process's appends, waiting for the next fold. */
  private readonly pending = new Map<string, { facts: StoredFact[]; done: Promise<void> }>();

  constructor(private readonly store: Store) {
    super();
    this.unsubscribe = store.onAppended((rallyId, lastSeq) => {
      if (!this.entries.has(rallyId)) return;
      // NOTE: deferred a turn, so our own appends usually arrive first through offer() and need no read.
      setImmediate(() => {
        this.catchUp(rallyId, lastSeq).catch((e: unknown) => this.emit('error', e instanceof Error ? e : new Error(String(e))));
      });
    });
  }

  /** The rally's entry (loading it on first use), or null when there is no such rally. */
  get(rallyId: string): Promise<RallyEntry | null> {
    let p = this.entries.get(rallyId);
    if (!p) {
      p = this.load(rallyId);
      this.entries.set(rallyId, p);
      // A rally that does not exist (yet) is not remembered, so creating it later works.
      p.then((e) => { if (!e && this.entries.get(rallyId) === p) this.entries.delete(rallyId); }, () => this.entries.delete(rallyId));
    }
    return p;
  }

  /** Brings the rally up to `atLeastSeq` (or to the log's end) and returns it. */
  async catchUp(rallyId: string, atLeastSeq = Number.POSITIVE_INFINITY): Promise<RallyEntry | null> {
    const entry = await this.get(rallyId);
    if (!entry) return null;
    if (entry.seq >= atLeastSeq) return entry;
    return this.serialize(rallyId, async () => {
      if (entry.seq >= atLeastSeq) return entry;
      await this.readAndFold(entry);
      return entry;
    });
  }

  /**
   * Facts this process has just appended: folded without reading them back
   * when they follow on from what the state has (else the gap is read from
   * the store). Offers arriving together are folded as one change, so a burst
   * of single-fact requests costs one classification, not one each.
   * Resolves when the state includes them.
   */
  async offer(rallyId: string, stored: readonly StoredFact[]): Promise<void> {
    const entry = await this.get(rallyId);
    if (!entry || stored.length === 0) return;
    let batch = this.pending.get(rallyId);
    if (!batch) {
      const facts: StoredFact[] = [];
      const done = this.serialize(rallyId, async () => {
        // Wait one turn of the event loop: every append the store acknowledged together joins this fold.
        await new Promise((resolve) => setImmediate(resolve));
        this.pending.delete(rallyId);
        facts.sort((a, b) => a.seq - b.seq);
        const fresh = facts.filter((sf) => sf.seq > entry.seq);
        const contiguous = fresh.every((sf, i) => sf.seq === entry.seq + 1 + i);
        if (fresh.length > 0 && contiguous) this.fold(entry, fresh);
        else if (fresh.length > 0) await this.readAndFold(entry);
      });
      batch = { facts, done };
      this.pending.set(rallyId, batch);
    }
    batch.facts.push(...stored);
    await batch.done;
  }

  private async readAndFold(entry: RallyEntry): Promise<void> {
    for (;;) {
      const page = await this.store.readFacts(entry.rallyId, entry.seq, PAGE);
      if (page.length === 0) break;
      this.fold(entry, page);
      if (page.length < PAGE) break;
    }
  }

  /** Drops a rally's state so the next read rebuilds it (after its definition changed). */
  invalidate(rallyId: string): void {
    this.entries.delete(rallyId);
  }

  close(): void {
    this.unsubscribe();
    this.entries.clear();
  }

  private serialize<T>(rallyId: string, task: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(rallyId) ?? Promise.resolve();
    const next = prev.then(task, task);
    const tail = next.catch(() => undefined);
    this.chains.set(rallyId, tail);
    void tail.then(() => { if (this.chains.get(rallyId) === tail) this.chains.delete(rallyId); });
    return next;
  }

  private async load(rallyId: string): Promise<RallyEntry | null> {
    const record = await this.store.getRally(rallyId);
    if (!record) return null;
    const { rules, errors } = resolveRules(record.definition.rules);
    const entry: RallyEntry = {
      rallyId,
      definition: record.definition,
      version: record.version,
      rules,
      rulesErrors: errors,
      state: createState(record.definition, rules),
      seq: 0,
      facts: [],
      byId: new Map(),
      memo: new Map(),
    };
    for (;;) {
      const page = await this.store.readFacts(rallyId, entry.seq, PAGE);
      for (const sf of page) this.add(entry, sf);
      if (page.length < PAGE) break;
    }
    return entry;
  }

  private add(entry: RallyEntry, sf: StoredFact): boolean {
    // NOTE: a page can overlap what a concurrent catch-up already folded; seq decides.
    if (sf.seq <= entry.seq) return false;
    const fact: Fact = { ...sf.fact, seq: sf.seq };
    entry.state = applyFact(entry.state, fact);
    entry.seq = sf.seq;
    const stored = { ...sf, fact };
    entry.facts.push(stored);
    entry.byId.set(fact.id, stored);
    return true;
  }

  private fold(entry: RallyEntry, page: StoredFact[]): void {
    const fromSeq = entry.seq;
    const hadListeners = this.listenerCount('change') > 0;
    const before = hadListeners ? this.classification(entry) : null;
    const added = page.filter((sf) => this.add(entry, sf));
    if (added.length === 0) return;
    entry.memo.clear();
    if (before) {
      const after = this.classification(entry);
      this.emit('change', { rallyId: entry.rallyId, fromSeq, toSeq: entry.seq, facts: added, before, after });
    }
  }

  /** The overall classification at the entry's current seq, computed once per seq. */
  classification(entry: RallyEntry): Classification {
    const key = 'classification:overall';
    let c = entry.memo.get(key) as Classification | undefined;
    if (!c) {
      c = classify(entry.state);
      entry.memo.set(key, c);
    }
    return c;
  }
}
