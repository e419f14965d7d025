// The HQ stream of a rally, for its officers: the overdue list (a safety
// matter — a crew that started a stage and has not reached the finish in the
// expected window), pushed whenever it changes, plus the number of open
// conflicts and data-quality anomalies. Recomputed on every change of the
// rally and on a timer, because a crew becomes overdue by time passing alone.
import type { OverdueCrew } from '../../core/results.ts';
import type { Issue } from '../../core/issues.ts';
import { formatLocalDateTime } from '../../core/time/index.ts';
import { RallyClock } from './clock.ts';
import { encodeEvent, SseClient } from './sse.ts';
import type { DropReason, SseSink } from './sse.ts';
import type { LiveChange, RallySnapshot } from './source.ts';

export interface HqCounts {
  conflicts: number;
  anomalies: { error: number; warning: number; info: number };
  /** Anomalies by code, e.g. `{ "stage-time-too-fast": 2 }` (conflicts and overdue excluded). */
  byCode: Record<string, number>;
}

export interface HqOverdue {
  rallyId: string;
  seq: number;
  /** Rally-local time the list was computed at, `2026-02-07T11:32:05.000`. */
  now: string;
  overdue: OverdueCrew[];
}

export function countIssues(issues: readonly Issue[]): HqCounts {
  const counts: HqCounts = { conflicts: 0, anomalies: { error: 0, warning: 0, info: 0 }, byCode: {} };
  for (const i of issues) {
    if (i.code === 'conflict') { counts.conflicts++; continue; }
    // NOTE: overdue crews have their own event; counting them here would double them.
    if (i.code === 'overdue') continue;
    counts.anomalies[i.severity]++;
    counts.byCode[i.code] = (counts.byCode[i.code] ?? 0) + 1;
  }
  return counts;
}

/** Identity of an overdue list: which crews on which stage, not how many seconds (that grows every tick). */
function overdueKey(crews: readonly OverdueCrew[]): string {
  return crews.map((c) => `${c.car}@${c.stage}`).sort().join(',');
}

class HqChannel {
  readonly clients = new Set<SseClient>();
  overdueKey = '';
  countsKey = '';
  lastOverdue: HqOverdue | null = null;
  lastCounts: HqCounts | null = null;
  constructor(readonly rallyId: string, public clock: RallyClock) {}
}

export class HqHub {
  private readonly channels = new Map<string, HqChannel>();

  constructor(private readonly now: () => number, private readonly maxBufferedBytes: number) {}

  private channel(s: RallySnapshot): HqChannel {
    let ch = this.channels.get(s.rallyId);
    if (!ch) {
      ch = new HqChannel(s.rallyId, this.clockFor(s));
      this.channels.set(s.rallyId, ch);
    }
    return ch;
  }

  /** The log clock of a rally's definition, at the latest time its log holds. */
  private clockFor(s: RallySnapshot): RallyClock {
    const clock = new RallyClock(s.definition, this.now);
    clock.observe(s.latestAt?.() ?? undefined);
    return clock;
  }

  /** Every change moves the log clock and may resolve or add an overdue crew or an anomaly. */
  applyChange(change: LiveChange, snapshot: RallySnapshot): void {
    const ch = this.channel(snapshot);
    for (const f of change.facts) if (f.type === 'controlTime') ch.clock.observe(f.at);
    if (ch.clients.size > 0) this.refresh(ch, snapshot, false);
  }

  /** The rally's definition changed (its dates may have): a new clock, and the lists recomputed against it. */
  reset(snapshot: RallySnapshot): void {
    const ch = this.channels.get(snapshot.rallyId);
    if (!ch) return;
    ch.clock = this.clockFor(snapshot);
    if (ch.clients.size > 0) this.refresh(ch, snapshot, false);
  }

  /** Timer tick: recompute the overdue lists of rallies someone at HQ watches. */
  tick(snapshotOf: (rallyId: string) => RallySnapshot | null): void {
    for (const ch of this.channels.values()) {
      if (ch.clients.size === 0) continue;
      const s = snapshotOf(ch.rallyId);
      if (s) this.refresh(ch, s, false);
    }
  }

  has(rallyId: string): boolean {
    return this.channels.has(rallyId);
  }

  rallyIds(): string[] {
    return [...this.channels.values()].filter((c) => c.clients.size > 0).map((c) => c.rallyId);
  }

  private refresh(ch: HqChannel, s: RallySnapshot, force: boolean): { overdue: Buffer | null; counts: Buffer | null } {
    const nowLocal = ch.clock.nowLocalMs();
    const crews = s.overdue(nowLocal);
    const key = overdueKey(crews);
    let overdueFrame: Buffer | null = null;
    const overdue: HqOverdue = { rallyId: s.rallyId, seq: s.seq, now: formatLocalDateTime(nowLocal), overdue: crews };
    if (force || key !== ch.overdueKey) {
      ch.overdueKey = key;
      overdueFrame = encodeEvent({ id: s.seq, event: 'overdue', data: overdue });
    }
    ch.lastOverdue = overdue;
    const counts = countIssues(s.issues());
    const countsKey = JSON.stringify(counts);
    let countsFrame: Buffer | null = null;
    if (force || countsKey !== ch.countsKey) {
      ch.countsKey = countsKey;
      countsFrame = encodeEvent({ id: s.seq, event: 'counts', data: { rallyId: s.rallyId, seq: s.seq, ...counts } });
    }
    ch.lastCounts = counts;
    if (!force) {
      for (const c of ch.clients) {
        if (overdueFrame) c.send(overdueFrame);
        if (countsFrame) c.send(countsFrame);
      }
    }
    return { overdue: overdueFrame, counts: countsFrame };
  }

  /** Adds an officer's stream: it gets the current overdue list and counts at once, then changes. */
  subscribe(snapshot: RallySnapshot, sink: SseSink, onClose?: (reason: DropReason) => void): SseClient {
    const ch = this.channel(snapshot);
    const client = new SseClient(sink, this.maxBufferedBytes, (c, reason) => {
      ch.clients.delete(c);
      onClose?.(reason);
    });
    const first = this.refresh(ch, snapshot, true);
    ch.clients.add(client);
    if (first.overdue) client.send(first.overdue);
    if (first.counts) client.send(first.counts);
    return client;
  }

  /** Sends a frame (the public delta, an announcement) to the officers watching a rally. */
  forward(rallyId: string, frame: Buffer): void {
    const ch = this.channels.get(rallyId);
    if (ch) for (const c of ch.clients) c.send(frame);
  }

  heartbeat(frame: Buffer): void {
    for (const ch of this.channels.values()) for (const c of ch.clients) c.send(frame);
  }

  subscriberCount(): number {
    let n = 0;
    for (const ch of this.channels.values()) n += ch.clients.size;
    return n;
  }

  closeAll(): void {
    for (const ch of this.channels.values()) for (const c of [...ch.clients]) { c.close('closed'); c.sink.destroy(); }
  }
}
