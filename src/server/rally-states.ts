// The scored state of each rally, kept in memory. Loaded from the log once,
// then every new fact is folded in incrementally: reads never touch the
// database. `store.onAppended` (this process's appends, and other processes'
// through LISTEN/NOTIFY on PostgreSQL) triggers a catch-up that reads the log
// after the last seq it has, folds those facts in log order (one batch each),
// and announces them in a 'change' for the live streams: one per fold, or at
// most one per rally per `changeIntervalMs` under a burst of facts.
import { EventEmitter } from 'node:events';
import type { RallyDefinition } from '../core/model.ts';
import type { Classification } from '../core/results.ts';
import type { RuleSet } from '../core/rules/types.ts';
import { resolveRules } from '../core/rules/resolve.ts';
import { applyFacts, classify, createState, type ScoringState } from '../core/scoring/index.ts';
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

/** A rally's announcements: the seq and classification the last 'change' ended at, and the facts folded since. */
interface Announcer {
  entry: RallyEntry;
  seq: number;
  before: Classification;
  facts: StoredFact[];
  timer: NodeJS.Timeout | null;
  /** performance.now() of the last announcement. */
  lastAt: number;
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

  /** Per rally: what the last 'change' announced, and the facts folded since (SEE: `announce`). */
  private readonly announcers = new Map<string, Announcer>();
  private readonly changeIntervalMs: number;

  /**
   * @param options.changeIntervalMs announce at most one 'change' per rally in
   *   this many ms (0, the default: one per fold). Under a burst of facts the
   *   folds in between join the next change, so the classification and the
   *   live delta are built once per interval, not once per commit.
   */
  constructor(private readonly store: Store, options: { changeIntervalMs?: number } = {}) {
    super();
    this.changeIntervalMs = Math.max(0, options.changeIntervalMs ?? 0);
    this.unsubscribe = store.onAppended((rallyId, lastSeq) => {
      if (!this.entries.has(rallyId)) return;
      // NOTE: deferred a turn, so our own appends usually arrive first through offer() and need no read.
      setImmediate(() => {
        this.catchUp(rallyId, lastSeq).catch((e: unknown) => this.emit('error', e instanceof Error ? e : new Error(String(e))));
      });
    });
  }

  /**
   * The rally's entry with every fact it holds announced: a pending 'change'
   * goes out first, so a snapshot taken now (a live stream's `init`) sits on a
   * change boundary and a client resuming from its seq misses nothing.
   */
  async get(rallyId: string): Promise<RallyEntry | null> {
    const entry = await this.entry(rallyId);
    const a = this.announcers.get(rallyId);
    if (a && a.entry === entry && a.facts.length > 0) this.announceNow(a);
    return entry;
  }

  /** The rally's entry (loading it on first use), or null when there is no such rally; what a route reads and writes through. */
  entry(rallyId: string): Promise<RallyEntry | null> {
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
    const entry = await this.entry(rallyId);
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
    const entry = await this.entry(rallyId);
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
    // Facts already folded are announced against the definition they were scored with.
    const a = this.announcers.get(rallyId);
    if (a) this.announceNow(a);
    this.announcers.delete(rallyId);
    this.entries.delete(rallyId);
  }

  close(): void {
    for (const a of this.announcers.values()) if (a.timer) clearTimeout(a.timer);
    this.announcers.clear();
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
      this.addAll(entry, page);
      if (page.length < PAGE) break;
    }
    return entry;
  }

  /** Appends the facts after the entry's seq to its log and folds them into its state as one batch. */
  private addAll(entry: RallyEntry, page: readonly StoredFact[]): StoredFact[] {
    const added: StoredFact[] = [];
    let seq = entry.seq;
    for (const sf of page) {
      // NOTE: a page can overlap what a concurrent catch-up already folded; seq decides.
      if (sf.seq <= seq) continue;
      seq = sf.seq;
      // The store hands back facts carrying their seq; copy only one that does not.
      const stored = sf.fact.seq === sf.seq ? sf : { ...sf, fact: { ...sf.fact, seq: sf.seq } };
      added.push(stored);
      entry.facts.push(stored);
      entry.byId.set(stored.fact.id, stored);
    }
    if (added.length === 0) return added;
    // SEE: docs/scoring.md "Performance" — one batch re-derives each touched car once.
    entry.state = applyFacts(entry.state, added.map((sf) => sf.fact));
    entry.seq = seq;
    return added;
  }

  private fold(entry: RallyEntry, page: StoredFact[]): void {
    // Nobody listening: no classification is built at all.
    const a = this.listenerCount('change') > 0 ? this.announcer(entry) : null;
    const added = this.addAll(entry, page);
    if (added.length === 0) return;
    entry.memo.clear();
    if (!a) return;
    for (const sf of added) a.facts.push(sf);
    this.announce(a);
  }

  private announcer(entry: RallyEntry): Announcer {
    let a = this.announcers.get(entry.rallyId);
    if (!a || a.entry !== entry) {
      if (a) this.announceNow(a);
      // NOTE: memoised already in the usual case: it is the previous change's `after`.
      a = { entry, seq: entry.seq, before: this.classification(entry), facts: [], timer: null, lastAt: -Infinity };
      this.announcers.set(entry.rallyId, a);
    }
    return a;
  }

  /** Announces now, or at the end of the interval when a change went out less than `changeIntervalMs` ago. */
  private announce(a: Announcer): void {
    if (a.timer) return; // already due: these facts join it
    const wait = a.lastAt + this.changeIntervalMs - performance.now();
    if (wait <= 0) return this.announceNow(a);
    a.timer = setTimeout(() => {
      try {
        this.announceNow(a);
      } catch (e) {
        this.emit('error', e instanceof Error ? e : new Error(String(e)));
      }
    }, wait);
  }

  /** One 'change' for every fact folded since the last one; `before` is what the last one called `after`. */
  private announceNow(a: Announcer): void {
    if (a.timer) clearTimeout(a.timer);
    a.timer = null;
    a.lastAt = performance.now();
    if (a.facts.length === 0) return;
    const after = this.classification(a.entry);
    const change: RallyChange = { rallyId: a.entry.rallyId, fromSeq: a.seq, toSeq: a.entry.seq, facts: a.facts, before: a.before, after };
    a.seq = a.entry.seq;
    a.before = after;
    a.facts = [];
    this.emit('change', change);
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
