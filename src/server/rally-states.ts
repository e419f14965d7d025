// The scored state of each rally, kept in memory. Loaded from the log once,
// then every new fact is folded in incrementally: reads never touch the
// database. A new fact joins the entry's log at once (read-your-writes, and
// the id checks of the next request) but is scored only when something reads
// the state — a results request, a live change — so a burst of facts is
// folded as one batch, off the path that acknowledges them.
// `store.onAppended` (this process's appends, and other processes' through
// LISTEN/NOTIFY on PostgreSQL) triggers a catch-up that reads the log after
// the last seq it has, adds those facts in log order, and announces them in
// a 'change' for the live streams: one per catch-up, or at most one per rally
// per `changeIntervalMs` under a burst of facts.
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
  /** The scored state at `seq`: reading it folds in the facts logged since it was last read. */
  state: ScoringState;
  /** Last log seq held (0 = empty log). */
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

/** A rally's entry; its state is folded up to the log when read. */
class Entry implements RallyEntry {
  seq = 0;
  facts: StoredFact[] = [];
  byId = new Map<string, StoredFact>();
  memo = new Map<string, unknown>();
  private scored: ScoringState;
  /** How many facts of `facts` the scored state holds. */
  private folded = 0;

  constructor(
    readonly rallyId: string,
    readonly definition: RallyDefinition,
    readonly version: number,
    readonly rules: RuleSet,
    readonly rulesErrors: { path: string; message: string }[],
  ) {
    this.scored = createState(definition, rules);
  }

  get state(): ScoringState {
    if (this.folded < this.facts.length) {
      const end = this.facts.length;
      // SEE: docs/scoring.md "Performance" — one batch re-derives each touched car once.
      this.scored = applyFacts(this.scored, this.facts.slice(this.folded, end).map((sf) => sf.fact));
      this.folded = end;
    }
    return this.scored;
  }

  set state(state: ScoringState) {
    this.scored = state;
    this.folded = this.facts.length;
  }
}

/** A rally's announcements: the seq and classification the last 'change' ended at, and where in the log the facts since then begin. */
interface Announcer {
  entry: RallyEntry;
  seq: number;
  before: Classification;
  /** Index in `entry.facts` of the first fact not yet announced. */
  from: number;
  timer: NodeJS.Timeout | null;
  /** performance.now() of the last announcement. */
  lastAt: number;
}

/** Facts read per round trip while loading or catching up. */
const PAGE = 5_000;

export class RallyStates extends EventEmitter<{ change: [RallyChange]; error: [Error]; definition: [string]; publication: [string, number] }> {
  private readonly entries = new Map<string, Promise<RallyEntry | null>>();
  /** Per rally: the tail of the chain of catch-ups, so they run one at a time and in order. */
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly unsubscribe: () => void;
  private readonly unsubscribeNotices: () => void;
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
    // Definition changes and publications of other processes; 'definition' and 'publication' tell the live streams.
    this.unsubscribeNotices = store.onRallyChanged?.((n) => {
      if (n.kind === 'definition') this.definitionChanged(n.rallyId, n.version);
      else this.emit('publication', n.rallyId, n.number);
    }) ?? (() => {});
  }

  /** Another process changed a rally's definition (PostgreSQL NOTIFY): drop a state scored with an older one. */
  private definitionChanged(rallyId: string, version: number): void {
    const p = this.entries.get(rallyId);
    if (!p) return; // not loaded: the next read loads the new definition
    p.then((e) => { if (e && e.version < version && this.entries.get(rallyId) === p) this.invalidate(rallyId); }, () => {});
  }

  /**
   * The rally's entry with every fact it holds announced: a pending 'change'
   * goes out first, so a snapshot taken now (a live stream's `init`) sits on a
   * change boundary and a client resuming from its seq misses nothing.
   */
  async get(rallyId: string): Promise<RallyEntry | null> {
    const entry = await this.entry(rallyId);
    const a = this.announcers.get(rallyId);
    if (a && a.entry === entry && a.from < a.entry.facts.length) this.announceNow(a);
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
        // A fact offered twice (a resubmission answered in the same group as its original) is folded once.
        const fresh = facts.filter((sf, i) => sf.seq > entry.seq && facts[i - 1]?.seq !== sf.seq);
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
    this.emit('definition', rallyId);
  }

  close(): void {
    for (const a of this.announcers.values()) if (a.timer) clearTimeout(a.timer);
    this.announcers.clear();
    this.unsubscribe();
    this.unsubscribeNotices();
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
    const entry = new Entry(rallyId, record.definition, record.version, rules, errors);
    for (;;) {
      const page = await this.store.readFacts(rallyId, entry.seq, PAGE);
      this.addAll(entry, page);
      if (page.length < PAGE) break;
    }
    // Scored now, so the first reader does not pay for the whole log.
    void entry.state;
    return entry;
  }

  /** Appends the facts after the entry's seq to its log (the state folds them in when next read). */
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
    if (added.length > 0) entry.seq = seq;
    return added;
  }

  private fold(entry: RallyEntry, page: StoredFact[]): void {
    // Nobody listening: no classification is built at all.
    const a = this.listenerCount('change') > 0 ? this.announcer(entry) : null;
    const added = this.addAll(entry, page);
    if (added.length === 0) return;
    entry.memo.clear();
    if (a) this.announce(a);
  }

  private announcer(entry: RallyEntry): Announcer {
    let a = this.announcers.get(entry.rallyId);
    if (!a || a.entry !== entry) {
      if (a) this.announceNow(a);
      // NOTE: memoised already in the usual case: it is the previous change's `after`.
      a = { entry, seq: entry.seq, before: this.classification(entry), from: entry.facts.length, timer: null, lastAt: -Infinity };
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
    const facts = a.entry.facts.slice(a.from);
    if (facts.length === 0) return;
    const after = this.classification(a.entry);
    const change: RallyChange = { rallyId: a.entry.rallyId, fromSeq: a.seq, toSeq: a.entry.seq, facts, before: a.before, after };
    a.seq = a.entry.seq;
    a.from = a.entry.facts.length;
    a.before = after;
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
