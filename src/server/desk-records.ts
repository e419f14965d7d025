// The desk's records beside the fact log: protests and appeals (and their
// decisions), the official notice board, competitors' acknowledgments and the
// crew codes they sign with. They are not scoring facts, so they do not go
// into the rally's log; each is a line of the rally's audit trail (append-only,
// with who and when, on every store), and the current state is read by
// folding those lines in order. Writes of one rally are serialised in this
// process so notice numbers are gap-free.
// WARNING: several server processes on one PostgreSQL database could give two
// notices posted in the same instant the same number (no cross-process lock).
import type { AuditRecord, Store } from '../store/contract.ts';

export type ProtestKind = 'protest' | 'appeal';
export type Outcome = 'upheld' | 'rejected' | 'withdrawn';

export interface Protest {
  id: string;
  kind: ProtestKind;
  /** The crew it is about. */
  car: number;
  /** Who lodged it (competitor, entrant). */
  lodgedBy: string;
  /** When the officials received it (ISO instant). */
  receivedAt: string;
  grounds: string;
  recordedBy: string;
  decision?: { outcome: Outcome; reason: string; at: string; by: string };
}

export type NoticeKind = 'bulletin' | 'decision' | 'classification' | 'startList' | 'other';

export interface Notice {
  id: string;
  /** 1, 2, 3… per rally, in posting order. */
  number: number;
  kind: NoticeKind;
  title: string;
  body: string;
  /** The decision fact it publishes (stewards' decisions). */
  about?: string;
  rule?: string;
  /** The publication it announces (classifications). */
  publication?: number;
  postedAt: string;
  postedBy: string;
}

export interface Acknowledgment { notice: number; car: number; at: string }

export interface DeskState {
  protests: Protest[];
  notices: Notice[];
  acknowledgments: Acknowledgment[];
  /** SHA-256 of each car's current crew code. */
  crewCodes: Map<number, string>;
}

const ACTIONS = new Set(['protest', 'protest-decision', 'notice', 'acknowledgment', 'crew-code']);

export function foldDesk(lines: readonly AuditRecord[]): DeskState {
  const s: DeskState = { protests: [], notices: [], acknowledgments: [], crewCodes: new Map() };
  for (const line of lines) {
    if (!ACTIONS.has(line.action)) continue;
    const d = line.detail as Record<string, unknown>;
    if (line.action === 'protest') {
      s.protests.push({ id: String(d.id), kind: d.kind as ProtestKind, car: Number(d.car), lodgedBy: String(d.lodgedBy), receivedAt: String(d.receivedAt), grounds: String(d.grounds), recordedBy: line.principal });
    } else if (line.action === 'protest-decision') {
      const p = s.protests.find((x) => x.id === d.protest);
      if (p && !p.decision) p.decision = { outcome: d.outcome as Outcome, reason: String(d.reason), at: line.at, by: line.principal };
    } else if (line.action === 'notice') {
      s.notices.push({
        id: String(d.id), number: s.notices.length + 1, kind: d.kind as NoticeKind, title: String(d.title), body: String(d.body ?? ''), postedAt: line.at, postedBy: line.principal,
        ...(typeof d.about === 'string' ? { about: d.about } : {}), ...(typeof d.rule === 'string' ? { rule: d.rule } : {}), ...(typeof d.publication === 'number' ? { publication: d.publication } : {}),
      });
    } else if (line.action === 'acknowledgment') {
      const n = Number(d.notice);
      const car = Number(d.car);
      if (!s.acknowledgments.some((a) => a.notice === n && a.car === car)) s.acknowledgments.push({ notice: n, car, at: line.at });
    } else if (line.action === 'crew-code') {
      s.crewCodes.set(Number(d.car), String(d.hash));
    }
  }
  return s;
}

/** Reads and writes the desk's records of each rally, one write at a time per rally. */
export class DeskRecords {
  private readonly chains = new Map<string, Promise<unknown>>();
  constructor(private readonly store: Store) {}

  async read(rallyId: string): Promise<DeskState> {
    return foldDesk(await this.store.listAudit(rallyId));
  }

  /** Runs `task` with the rally's current records; writes of one rally never interleave. */
  serialize<T>(rallyId: string, task: (state: DeskState) => Promise<T>): Promise<T> {
    const prev = this.chains.get(rallyId) ?? Promise.resolve();
    const next = prev.then(async () => task(await this.read(rallyId)), async () => task(await this.read(rallyId)));
    const tail = next.catch(() => undefined);
    this.chains.set(rallyId, tail);
    void tail.then(() => { if (this.chains.get(rallyId) === tail) this.chains.delete(rallyId); });
    return next;
  }
}
