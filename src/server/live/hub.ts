// The public live stream of every rally: one channel per rally, a ring of the
// recent delta frames for resume, and the subscribers. Each event is
// serialised once and the same bytes are written to every subscriber — that
// is what keeps ten thousand phones cheap.
import type { Control } from '../../core/model.ts';
import type { Classification, StageClassification } from '../../core/results.ts';
import { stageAccuracy, type StageAccuracy } from '../../core/live/predict.ts';
import { computeDelta, liveExclusion, liveRetirement, liveRow, liveStageTime, StageTimesMemory } from './delta.ts';
import type { LiveDelta } from './delta.ts';
import { encodeEvent, HEARTBEAT, SseClient } from './sse.ts';
import type { DropReason, SseSink } from './sse.ts';
import type { LiveChange, LiveFactRef, RallySnapshot } from './source.ts';

export interface HubOptions {
  /** Delta frames kept per rally for Last-Event-ID resume; older resumes get a `reset`. */
  ringSize: number;
  /** A subscriber with more than this many bytes waiting is dropped. */
  maxBufferedBytes: number;
}

export const DEFAULT_HUB_OPTIONS: HubOptions = { ringSize: 1000, maxBufferedBytes: 1 << 20 };

interface RingEntry {
  fromSeq: number;
  toSeq: number;
  frame: Buffer;
}

export interface LiveStats {
  rallies: number;
  subscribers: number;
  eventsSent: number;
  droppedSlow: number;
}

class Channel {
  seq = -1;
  readonly clients = new Set<SseClient>();
  readonly ring: RingEntry[] = [];
  readonly stageMemory = new StageTimesMemory();
  /** `init` frame cached for the seq and definition it was built at (a crowd connecting at once shares it). */
  initFrame: { seq: number; definition: object; frame: Buffer } | null = null;
  /** Seq of the last definition change: a resume from here or before gets a `reset` (its deltas used the old one). */
  resetAt = -1;
  /** The overall table last sent (the honest one), so the next delta carries the rows that moved from it. */
  table: Classification | null = null;
  /** A category's channel: its whole classification last seen (the change carries the first category's). */
  full: Classification | null = null;
  /** `category`: a channel of a rally's second (third…) category; absent for the first, or a rally without categories. */
  constructor(readonly rallyId: string, readonly category?: string) {}
}

/** A rally's first category (or none): its stream is the rally's plain one. */
function firstCategory(s: RallySnapshot): string | undefined {
  return s.definition.categories?.[0]?.code;
}

/** Channel key: the rally, and the category when it is not the first. */
function channelKey(rallyId: string, category: string | undefined): string {
  return category === undefined ? rallyId : `${rallyId}\u0000${category}`;
}

/** The category a snapshot's stream is of, when it is not the rally's first. */
function otherCategory(s: RallySnapshot): string | undefined {
  return s.category !== undefined && s.category !== firstCategory(s) ? s.category : undefined;
}

/** Stages whose pace the page uses for predictions: this many complete stages before the table's. */
const PACE_STAGES = 3;

/** Driven times (car → ms) of a stage; notional, charged and maximum times say nothing of a crew's pace. */
function drivenTimes(st: StageClassification | null): Map<number, number> {
  return new Map((st?.rows ?? []).filter((r) => r.status === 'ok' && r.timeMs !== null).map((r) => [r.car, r.timeMs!]));
}

/**
 * For the page's predictions: driven times of the last complete stages, and
 * how good the predictions at the start were on each complete stage
 * (src/core/live/predict.ts).
 */
function predictionData(s: RallySnapshot, after: string | null): { pace: { stage: string; times: [number, number][] }[]; accuracy: StageAccuracy[] } {
  const codes = s.definition.stages.map((st) => st.code);
  const upto = after === null ? -1 : codes.indexOf(after);
  const done = codes.slice(0, upto + 1).filter((c) => !s.stageResults(c)?.cancelled);
  const pace = done.slice(-PACE_STAGES).map((c) => ({ stage: c, times: [...drivenTimes(s.stageResults(c))] }));
  const accuracy: StageAccuracy[] = [];
  if (s.stageStarts) {
    done.forEach((c, i) => {
      const earlier = done.slice(Math.max(0, i - PACE_STAGES), i).map((e) => drivenTimes(s.stageResults(e)));
      const a = stageAccuracy(c, drivenTimes(s.stageResults(c)), s.stageStarts!(c), earlier);
      if (a) accuracy.push(a);
    });
  }
  return { pace, accuracy };
}

/** The table the stream shows: the honest one when the source gives it (src/core/live/honest.ts). */
export function tableOf(s: RallySnapshot): Classification {
  return s.honest?.().classification ?? s.classification;
}

/** The `init`/`reset` payload: the whole current picture, once per connection. */
export function initPayload(s: RallySnapshot): Record<string, unknown> {
  const c = s.classification;
  const h = s.honest?.();
  const table = h?.classification ?? c;
  const latest = table.after ? s.stageResults(table.after) : null;
  const d = s.definition;
  const splits = new Map<string, { id: string; distanceM: number | null }[]>();
  const due = new Map<string, string>();
  for (const leg of d.legs) for (const sec of leg.sections) for (const ctl of sec.controls) {
    if (ctl.kind === 'SS_START' && ctl.stage && ctl.firstCarDue) due.set(ctl.stage, ctl.firstCarDue);
    if (ctl.kind !== 'SPLIT' || !ctl.stage) continue;
    const list = splits.get(ctl.stage) ?? [];
    list.push({ id: ctl.id, distanceM: ctl.splitDistanceM ?? null });
    splits.set(ctl.stage, list);
  }
  const covered = new Set(s.stageCodes ?? d.stages.map((st) => st.code));
  return {
    rallyId: s.rallyId,
    seq: s.seq,
    name: d.name,
    // A rally running several categories on the same roads: this picture is of one of them, and the page offers the others.
    ...(s.category !== undefined ? { category: s.category, categories: (d.categories ?? []).map((k) => ({ code: k.code, name: k.name })) } : {}),
    timeZone: d.timeZone,
    distanceUnit: d.distanceUnit,
    startDate: d.startDate,
    endDate: d.endDate,
    // Times of day rebuilt around published stage times: pages say they are illustrative.
    ...(d.illustrativeTimesOfDay ? { illustrativeTimesOfDay: d.illustrativeTimesOfDay } : {}),
    after: table.after,
    stages: d.stages.filter((st) => covered.has(st.code)).map((st) => ({
      code: st.code, name: st.name, distanceM: st.distanceM, leg: st.leg,
      ...(splits.has(st.code) ? { splits: splits.get(st.code) } : {}),
      ...(due.has(st.code) ? { firstCarDue: due.get(st.code) } : {}),
      ...(s.stageResults(st.code)?.cancelled ? { cancelled: true } : {}),
    })),
    legs: d.legs.map((l) => ({ id: l.id, name: l.name, date: l.date })),
    classes: d.classes.map((k) => ({ code: k.code, name: k.name })),
    entries: d.entries.map((e) => ({
      car: e.car, driver: e.driver.name, codriver: e.codriver.name, class: e.class, make: e.make, model: e.model,
      ...(e.category !== undefined ? { category: e.category } : {}),
    })),
    rows: table.rows.map(liveRow),
    stageWinners: c.stageWinners.map((w) => ({ stage: w.stage, cars: [...w.cars], timeMs: w.timeMs })),
    retired: c.retired.map(liveRetirement),
    excluded: c.excluded.map(liveExclusion),
    latestStage: latest ? latest.rows.map((r) => liveStageTime(latest.stage.code, r)) : [],
    running: (h?.running ?? []).map((st) => ({ stage: st.stage.code, interrupted: st.interrupted, rows: st.rows.map((r) => liveStageTime(st.stage.code, r)) })),
    ...predictionData(s, table.after),
  };
}

/** Stages a batch of facts may have changed; null = cannot tell (e.g. a retraction), look at all. */
export function touchedStages(facts: readonly LiveFactRef[], controls: ReadonlyMap<string, Control>): Set<string> | null {
  const out = new Set<string>();
  for (const f of facts) {
    if (f.stage) out.add(f.stage);
    else if (f.control) {
      const stage = controls.get(f.control)?.stage;
      if (stage) out.add(stage);
    } else if (f.type === 'retraction' || f.type === 'restart' || f.type === 'exclusion' || f.type === 'retirement' || f.type === 'penalty') {
      return null;
    }
  }
  return out;
}

export class LiveHub {
  private readonly channels = new Map<string, Channel>();
  // Keyed by the definition itself: a changed itinerary is a new object and gets a new index.
  private readonly controlsByDefinition = new WeakMap<object, Map<string, Control>>();
  private eventsSent = 0;
  private droppedSlow = 0;

  constructor(private readonly options: HubOptions = DEFAULT_HUB_OPTIONS) {}

  private channel(rallyId: string, category?: string): Channel {
    const key = channelKey(rallyId, category);
    let ch = this.channels.get(key);
    if (!ch) {
      ch = new Channel(rallyId, category);
      this.channels.set(key, ch);
    }
    return ch;
  }

  /** Every channel of a rally: its plain stream and one per other category someone watches. */
  private channelsOf(rallyId: string): Channel[] {
    return [...this.channels.values()].filter((ch) => ch.rallyId === rallyId);
  }

  private controls(s: RallySnapshot): Map<string, Control> {
    let m = this.controlsByDefinition.get(s.definition);
    if (!m) {
      m = new Map(s.definition.legs.flatMap((l) => l.sections.flatMap((sec) => sec.controls.map((c) => [c.id, c] as const))));
      this.controlsByDefinition.set(s.definition, m);
    }
    return m;
  }

  /**
   * Folds one change into the rally's channels (its plain stream, and each
   * other category watched); `snapshot` is the state after it. Returns the
   * plain stream's delta and frame.
   */
  applyChange(change: LiveChange, snapshot: RallySnapshot): { delta: LiveDelta; frame: Buffer } {
    const plain = this.channel(change.rallyId);
    for (const ch of this.channelsOf(change.rallyId)) {
      if (ch === plain || !snapshot.forCategory) continue;
      this.applyTo(ch, change, snapshot.forCategory(ch.category));
    }
    return this.applyTo(plain, change, snapshot);
  }

  private applyTo(ch: Channel, change: LiveChange, snapshot: RallySnapshot): { delta: LiveDelta; frame: Buffer } {
    const touched = touchedStages(change.facts, this.controls(snapshot));
    const codes = touched ?? new Set(snapshot.definition.stages.map((s) => s.code));
    const factCars = new Set(change.facts.map((f) => f.car).filter((c): c is number => c !== undefined));
    const stages: StageClassification[] = [];
    for (const code of codes) {
      const st = snapshot.stageResults(code);
      if (!st) continue;
      if (!ch.stageMemory.has(code)) {
        // First sight of this stage since start: report only the cars these facts are about.
        ch.stageMemory.remember({ ...st, rows: st.rows.filter((r) => !factCars.has(r.car)) });
      }
      stages.push(st);
    }
    const tableAfter = tableOf(snapshot);
    // The change's classifications are of the rally's first category; another category's channel diffs its own.
    const before = ch.category !== undefined ? ch.full ?? snapshot.classification : change.before;
    const after = ch.category !== undefined ? snapshot.classification : change.after;
    const delta = computeDelta({
      rallyId: change.rallyId,
      fromSeq: change.fromSeq,
      toSeq: change.toSeq,
      before,
      after,
      tableBefore: ch.table ?? change.before,
      tableAfter,
      facts: change.facts.map((f) => (f.car !== undefined ? { id: f.id, seq: f.seq, type: f.type, car: f.car } : { id: f.id, seq: f.seq, type: f.type })),
      touchedStages: stages,
      stageMemory: ch.stageMemory,
    });
    const frame = encodeEvent({ id: change.toSeq, event: 'delta', data: delta });
    ch.ring.push({ fromSeq: change.fromSeq, toSeq: change.toSeq, frame });
    if (ch.ring.length > this.options.ringSize) ch.ring.splice(0, ch.ring.length - this.options.ringSize);
    ch.seq = Math.max(ch.seq, change.toSeq);
    ch.table = tableAfter;
    if (ch.category !== undefined) ch.full = after;
    ch.initFrame = null;
    for (const c of ch.clients) {
      // NOTE: a client that connected while this change was on its way already has it in its init.
      if (c.seenSeq >= change.toSeq) continue;
      c.seenSeq = change.toSeq;
      if (c.send(frame)) this.eventsSent++;
    }
    return { delta, frame };
  }

  /**
   * Sends an event that is not part of the results log (e.g. `publication`)
   * to every subscriber of a rally. It carries no id, so resume is unaffected.
   */
  announce(rallyId: string, event: string, data: unknown): Buffer {
    const frame = encodeEvent({ event, data });
    for (const ch of this.channelsOf(rallyId)) this.broadcast(ch, frame);
    return frame;
  }

  private broadcast(ch: Channel, frame: Buffer): void {
    for (const c of ch.clients) if (c.send(frame)) this.eventsSent++;
  }

  /**
   * Adds a subscriber. Without `lastEventId` it gets `init`; with one it gets
   * exactly the deltas after that seq, or `reset` (the whole picture) when the
   * ring no longer reaches back that far.
   */
  subscribe(snapshot: RallySnapshot, sink: SseSink, lastEventId: number | null, onClose?: (reason: DropReason) => void): SseClient {
    const category = otherCategory(snapshot);
    const fresh = !this.channels.has(channelKey(snapshot.rallyId, category));
    const ch = this.channel(snapshot.rallyId, category);
    if (fresh) { ch.seq = snapshot.seq; ch.table = tableOf(snapshot); if (category !== undefined) ch.full = snapshot.classification; }
    const client = new SseClient(sink, this.options.maxBufferedBytes, (c, reason) => {
      ch.clients.delete(c);
      if (reason === 'slow') this.droppedSlow++;
      onClose?.(reason);
    });
    ch.clients.add(client);
    // NOTE: the snapshot may be ahead of the channel by changes still on their way here;
    // `seenSeq` decides which of those the client still needs.
    if (lastEventId === null) {
      client.seenSeq = snapshot.seq;
      client.send(this.initFrame(ch, snapshot, 'init'));
    } else if (lastEventId <= ch.resetAt) {
      client.seenSeq = snapshot.seq;
      client.send(this.initFrame(ch, snapshot, 'reset'));
    } else if (lastEventId === snapshot.seq || lastEventId === ch.seq) {
      client.seenSeq = lastEventId;
    } else {
      const from = ch.ring.findIndex((e) => e.fromSeq === lastEventId);
      if (lastEventId < ch.seq && from >= 0) {
        client.seenSeq = ch.seq;
        for (const e of ch.ring.slice(from)) client.send(e.frame);
      } else {
        client.seenSeq = snapshot.seq;
        client.send(this.initFrame(ch, snapshot, 'reset'));
      }
    }
    return client;
  }

  private initFrame(ch: Channel, snapshot: RallySnapshot, event: 'init' | 'reset'): Buffer {
    const cached = ch.initFrame;
    if (event === 'init' && cached && cached.seq === snapshot.seq && cached.definition === snapshot.definition) return cached.frame;
    const frame = encodeEvent({ id: snapshot.seq, event, data: initPayload(snapshot) });
    if (event === 'init') ch.initFrame = { seq: snapshot.seq, definition: snapshot.definition, frame };
    return frame;
  }

  /** True when the rally has a channel (someone watches or watched it): worth a snapshot on a definition change. */
  has(rallyId: string): boolean {
    return this.channelsOf(rallyId).length > 0;
  }

  /**
   * The rally's definition changed (entries, itinerary, rules): the deltas kept
   * were computed with the old one, so every subscriber gets one `reset` with
   * the new picture and the ring starts over. `snapshot` is the state after it.
   */
  reset(snapshot: RallySnapshot): Buffer | null {
    let plainFrame: Buffer | null = null;
    for (const ch of this.channelsOf(snapshot.rallyId)) {
      const s = ch.category !== undefined && snapshot.forCategory ? snapshot.forCategory(ch.category) : snapshot;
      const frame = this.resetChannel(ch, s);
      if (ch.category === undefined) plainFrame = frame;
    }
    return plainFrame;
  }

  private resetChannel(ch: Channel, snapshot: RallySnapshot): Buffer {
    ch.ring.length = 0;
    ch.stageMemory.clear();
    ch.initFrame = null;
    ch.seq = snapshot.seq;
    ch.table = tableOf(snapshot);
    ch.full = ch.category !== undefined ? snapshot.classification : null;
    ch.resetAt = snapshot.seq;
    const frame = this.initFrame(ch, snapshot, 'reset');
    for (const c of ch.clients) {
      c.seenSeq = Math.max(c.seenSeq, snapshot.seq);
      if (c.send(frame)) this.eventsSent++;
    }
    return frame;
  }

  /** Writes a heartbeat comment to every subscriber of every rally. */
  heartbeat(): void {
    for (const ch of this.channels.values()) this.broadcast(ch, HEARTBEAT);
  }

  subscriberCount(rallyId?: string): number {
    if (rallyId !== undefined) return this.channelsOf(rallyId).reduce((n, ch) => n + ch.clients.size, 0);
    let n = 0;
    for (const ch of this.channels.values()) n += ch.clients.size;
    return n;
  }

  stats(): LiveStats {
    return { rallies: new Set([...this.channels.values()].map((ch) => ch.rallyId)).size, subscribers: this.subscriberCount(), eventsSent: this.eventsSent, droppedSlow: this.droppedSlow };
  }

  /** Ends every stream (server shutdown). */
  closeAll(): void {
    for (const ch of this.channels.values()) for (const c of [...ch.clients]) { c.close('closed'); c.sink.destroy(); }
  }
}
