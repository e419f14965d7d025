// The desk's records beside the fact log: protests and appeals (and their
// decisions), the official notice board, competitors' acknowledgments and the
// crew codes they sign with. They are not scoring facts, so they do not go
// into the rally's log; each is a desk record of the store, whose keys the
// database keeps unique across processes (a protest's id, one decision per
// protest, a notice's id and number, one acknowledgment per notice and crew),
// and the current state is read by folding the records in order.
import type { DeskRecord, DeskRecordKind, Store } from '../store/contract.ts';

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

/** The store keys of the desk's records: a second write with the same key answers the first. */
export const deskKeys = {
  protest: (id: string) => `protest:${id}`,
  decision: (protestId: string) => `decision:${protestId}`,
  notice: (id: string) => `notice:${id}`,
  acknowledgment: (notice: number, car: number) => `ack:${notice}:${car}`,
  crewCode: (id: string) => `code:${id}`,
};

export function protestOf(r: DeskRecord): Protest {
  const d = r.detail as Record<string, unknown>;
  return { id: String(d.id), kind: d.kind as ProtestKind, car: Number(d.car), lodgedBy: String(d.lodgedBy), receivedAt: String(d.receivedAt), grounds: String(d.grounds), recordedBy: r.principal };
}

export function noticeOf(r: DeskRecord): Notice {
  const d = r.detail as Record<string, unknown>;
  return {
    id: String(d.id), number: Number(r.number), kind: d.kind as NoticeKind, title: String(d.title), body: String(d.body ?? ''), postedAt: r.at, postedBy: r.principal,
    ...(typeof d.about === 'string' ? { about: d.about } : {}), ...(typeof d.rule === 'string' ? { rule: d.rule } : {}), ...(typeof d.publication === 'number' ? { publication: d.publication } : {}),
  };
}

export function acknowledgmentOf(r: DeskRecord): Acknowledgment {
  const d = r.detail as Record<string, unknown>;
  return { notice: Number(d.notice), car: Number(d.car), at: r.at };
}

export function decisionOf(r: DeskRecord): NonNullable<Protest['decision']> {
  const d = r.detail as Record<string, unknown>;
  return { outcome: d.outcome as Outcome, reason: String(d.reason), at: r.at, by: r.principal };
}

export function foldDesk(records: readonly DeskRecord[]): DeskState {
  const s: DeskState = { protests: [], notices: [], acknowledgments: [], crewCodes: new Map() };
  for (const r of records) {
    const d = r.detail as Record<string, unknown>;
    if (r.kind === 'protest') s.protests.push(protestOf(r));
    else if (r.kind === 'protest-decision') {
      const p = s.protests.find((x) => x.id === d.protest);
      if (p && !p.decision) p.decision = decisionOf(r);
    } else if (r.kind === 'notice') s.notices.push(noticeOf(r));
    else if (r.kind === 'acknowledgment') s.acknowledgments.push(acknowledgmentOf(r));
    else s.crewCodes.set(Number(d.car), String(d.hash));
  }
  return s;
}

/** Reads and writes the desk's records of each rally through the store. */
export class DeskRecords {
  constructor(private readonly store: Store) {}

  async read(rallyId: string): Promise<DeskState> {
    return foldDesk(await this.store.listDeskRecords(rallyId));
  }

  /** Adds a record unless its key is taken; `added` false answers the record that holds the key. */
  add(rallyId: string, kind: DeskRecordKind, key: string, principal: string, at: string, detail: unknown) {
    return this.store.addDeskRecord({ rallyId, kind, key, principal, at, detail });
  }
}
