// Adapts the server's scored-state cache (RallyStates, src/server/rally-states.ts)
// to the narrow LiveSource the live streams need. The cache folds every
// appended fact — ours, or another process's announced through LISTEN/NOTIFY —
// and emits one 'change' per batch; on a definition change (ours, or another
// process's) it drops the rally's state and emits 'definition'; another
// process's publication comes as 'publication'. This module only reads it.
import { classify, dataIssues, overdueCrews, stageResults } from '../../core/scoring/index.ts';
import { runsFor } from '../../core/scoring/classification.ts';
import type { ScoringState } from '../../core/scoring/index.ts';
import type { Classification, StageClassification } from '../../core/results.ts';
import { honestPicture, type HonestPicture } from '../../core/live/honest.ts';
import { parseLocalDateTime } from '../../core/time/index.ts';
import type { Fact } from '../../core/facts.ts';
import type { PublicationRecord, Store } from '../../store/contract.ts';
import type { LiveChange, LiveFactRef, LiveSource, RallySnapshot } from './source.ts';

/** What the live module reads from the cache: a rally's state and its log position. */
export interface RallyStatesLike {
  get(rallyId: string): unknown;
  /** The memoised overall classification of an entry, when the cache offers one. */
  classification?(entry: never): Classification;
  on(event: 'change', listener: (c: StatesChange) => void): unknown;
  off?(event: 'change', listener: (c: StatesChange) => void): unknown;
}

/** The optional events of the cache, beyond 'change'. */
interface RallyStatesEvents {
  on(event: 'definition', listener: (rallyId: string) => void): unknown;
  on(event: 'publication', listener: (rallyId: string, number: number) => void): unknown;
  off?(event: 'definition' | 'publication', listener: (...args: never[]) => void): unknown;
}

/** Reads a publication's head (the `publication` event's data) from the store. */
type PublicationReader = (rallyId: string, number: number) => Promise<unknown>;

export interface StatesChange {
  rallyId: string;
  fromSeq: number;
  toSeq: number;
  facts: { seq: number; fact: Fact }[];
  before: Classification;
  after: Classification;
}

interface Entry {
  state: ScoringState;
  seq: number;
  /** The stored log, when the cache keeps it (for the HQ log clock). */
  facts?: readonly { fact: Fact }[];
  raw: unknown;
}

function isScoringState(x: unknown): x is ScoringState {
  return typeof x === 'object' && x !== null && 'definition' in x && 'rules' in x && 'factCount' in x;
}

/** Reads `{ state, seq }` out of whatever `RallyStates.get` returns (the cache's entry, or the state itself). */
export function readEntry(x: unknown): Entry | null {
  if (!x || typeof x !== 'object') return null;
  const o = x as Record<string, unknown>;
  const state = isScoringState(o.state) ? o.state : isScoringState(x) ? x : null;
  if (!state) return null;
  const seqField = [o.seq, o.lastSeq, o.toSeq].find((v) => typeof v === 'number');
  const facts = Array.isArray(o.facts) ? (o.facts as { fact: Fact }[]) : undefined;
  return { state, seq: typeof seqField === 'number' ? seqField : state.factCount, facts, raw: x };
}

/** The latest control time in a log, text as recorded. */
function latestAt(facts: Iterable<Fact>): string | null {
  let best: string | null = null;
  for (const f of facts) if (f.type === 'controlTime' && (best === null || f.at > best)) best = f.at;
  return best;
}

export function factRef(seq: number, f: Fact): LiveFactRef {
  const ref: LiveFactRef = { id: f.id, seq, type: f.type };
  if ('car' in f && typeof f.car === 'number') ref.car = f.car;
  if ('control' in f && typeof f.control === 'string') ref.control = f.control;
  if ('stage' in f && typeof f.stage === 'string') ref.stage = f.stage;
  if (f.type === 'controlTime') ref.at = f.at;
  return ref;
}

/** The category a live picture is of: the one asked for, else the rally's first; null for a rally without categories. */
export function liveCategory(definition: { categories?: { code: string }[] }, asked?: string): string | null {
  const cats = definition.categories ?? [];
  if (cats.length === 0) return null;
  return asked !== undefined && cats.some((c) => c.code === asked) ? asked : cats[0]!.code;
}

/**
 * A lazily computed snapshot: a delta needs stage results of two stages, not
 * the whole picture. With categories (ARA National and Regional on the same
 * roads) a snapshot is of one category: its crews, ranked among themselves,
 * over the stages it runs; `forCategory` gives the same log position for another.
 */
export function snapshotOf(rallyId: string, entry: Entry, memoClassify?: (raw: unknown) => Classification, category?: string): RallySnapshot {
  const { state, seq } = entry;
  const scope = liveCategory(state.definition, category);
  const isDefault = scope === liveCategory(state.definition);
  const scopeOpt = scope !== null ? { category: scope } : {};
  const stageCodes = state.definition.stages.filter((st) => runsFor(st, scope)).map((st) => st.code);
  // NOTE: the cache's log only grows; its length now bounds what this snapshot saw, without a copy.
  const log = entry.facts ?? null;
  const logLength = log?.length ?? 0;
  let classification: Classification | null = null;
  const stages = new Map<string, StageClassification | null>();
  let honest: HonestPicture | null = null;
  const others = new Map<string, RallySnapshot>();
  const snap: RallySnapshot = {
    rallyId,
    seq,
    definition: state.definition,
    ...(scope !== null ? { category: scope } : {}),
    stageCodes,
    get classification() {
      return (classification ??= isDefault && memoClassify && (entry.raw as { seq?: unknown }).seq === seq ? memoClassify(entry.raw) : classify(state, scopeOpt));
    },
    stageResults(code) {
      if (!stages.has(code)) {
        stages.set(code, state.definition.stages.some((s) => s.code === code) ? stageResults(state, code, scopeOpt) : null);
      }
      return stages.get(code) ?? null;
    },
    honest() {
      return (honest ??= honestPicture({
        stageCodes,
        latest: snap.classification,
        stage: (code) => snap.stageResults(code)!,
        classifyAfter: (code) => classify(state, { after: code, ...scopeOpt }),
      }));
    },
    forCategory(cat) {
      const c = liveCategory(state.definition, cat);
      if (c === scope) return snap;
      let o = others.get(c ?? '');
      if (!o) others.set(c ?? '', (o = snapshotOf(rallyId, entry, memoClassify, c ?? undefined)));
      return o;
    },
    overdue: (nowLocalMs) => overdueCrews(state, nowLocalMs),
    issues: () => dataIssues(state),
    latestAt: () => (log ? latestAt(log.slice(0, logLength).map((sf) => sf.fact)) : null),
    stageStarts(stage) {
      const starts = new Map<number, number>();
      if (!log) return starts;
      const ids = new Set(state.definition.legs.flatMap((l) => l.sections.flatMap((sec) => sec.controls.filter((c) => c.kind === 'SS_START' && c.stage === stage).map((c) => c.id))));
      for (const { fact } of log.slice(0, logLength)) {
        if (fact.type !== 'controlTime' || !ids.has(fact.control)) continue;
        const ms = parseLocalDateTime(fact.at);
        if (ms !== null) starts.set(fact.car, ms);
      }
      return starts;
    },
  };
  return snap;
}

export function sourceFromStates(states: RallyStatesLike, readPublication?: PublicationReader): LiveSource {
  const events = states as unknown as RallyStatesEvents;
  const memo = typeof states.classification === 'function' ? (raw: unknown) => states.classification!(raw as never) : undefined;
  return {
    snapshot(rallyId, category) {
      const got = states.get(rallyId);
      const make = (x: unknown) => {
        const entry = readEntry(x);
        return entry ? snapshotOf(rallyId, entry, memo, category) : null;
      };
      return got instanceof Promise ? got.then(make) : make(got);
    },
    onChange(listener) {
      const handler = (c: StatesChange) => {
        const facts = c.facts.map((sf) => factRef(sf.seq, sf.fact));
        const change: LiveChange = { rallyId: c.rallyId, fromSeq: c.fromSeq, toSeq: c.toSeq, facts, before: c.before, after: c.after };
        listener(change);
      };
      states.on('change', handler);
      return () => { states.off?.('change', handler); };
    },
    onDefinition(listener) {
      events.on('definition', listener);
      return () => { events.off?.('definition', listener); };
    },
    onPublication(listener) {
      if (!readPublication) return () => {};
      let open = true;
      const handler = (rallyId: string, number: number) => {
        // The notice carries the number only; the event carries the head, as this process's own announcement does.
        readPublication(rallyId, number).then((data) => { if (open && data) listener(rallyId, data); }, () => {});
      };
      events.on('publication', handler);
      return () => { open = false; events.off?.('publication', handler); };
    },
  };
}

/** The `publication` event's data: a publication without its snapshot. */
export function publicationHead(p: PublicationRecord): Record<string, unknown> {
  return { rallyId: p.rallyId, number: p.number, kind: p.kind, publishedAt: p.publishedAt, principal: p.principal, reason: p.reason, uptoSeq: p.uptoSeq };
}

export function sourceFromDeps(deps: { states?: unknown; store?: unknown }): LiveSource {
  const s = deps.states as RallyStatesLike | undefined;
  if (!s || typeof s.get !== 'function' || typeof s.on !== 'function') {
    throw new Error('registerLive needs `states` (RallyStates from src/server/rally-states.ts) or a `source`');
  }
  const store = deps.store as Pick<Store, 'getPublication'> | undefined;
  const read = store && typeof store.getPublication === 'function'
    ? async (rallyId: string, n: number) => { const p = await store.getPublication(rallyId, n); return p ? publicationHead(p) : null; }
    : undefined;
  return sourceFromStates(s, read);
}
