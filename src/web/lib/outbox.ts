// The marshal's outbox: every time is written to the phone's storage before
// anything is sent, with an id of its own (`<device>-<sequence>`), so a resend
// after a lost answer is acknowledged once by the server (idempotent on ids)
// and never doubled. No DOM here: the page and the unit tests both drive it.

export interface OutboxEntry {
  /** Fact id: the device id and a local sequence, sortable, unique per phone. */
  id: string;
  car: number;
  control: string;
  /** Rally-local date-time, `2026-02-07T09:03:45.2`. */
  at: string;
  /** What was typed, kept beside what was accepted. */
  raw: string;
  /** The phone's wall clock when saved, ISO with offset (informational). */
  recordedAt: string;
  state: 'waiting' | 'sent' | 'rejected';
  message?: string;
  /** A correction of (or, with `withdraw`, a withdrawal of) this phone's own earlier entry, with the marshal's reason. */
  supersedes?: string;
  reason?: string;
  withdraw?: boolean;
  /** HQ withdrew or corrected this entry: what it did and why (read from the rally's log). */
  hq?: { action: 'withdrawn' | 'corrected'; reason: string; by: string };
}

/** What the outbox sends: a control time (maybe correcting an earlier one) or a withdrawal. */
export interface OutboxFact {
  id: string;
  type: 'controlTime' | 'retraction';
  car?: number;
  control?: string;
  at?: string;
  source?: 'marshalClock';
  by?: string;
  device?: string;
  recordedAt?: string;
  raw?: string;
  supersedes?: string;
  reason?: string;
}

/** localStorage, or a Map-backed stand-in in tests. */
export interface KeyValue { getItem(key: string): string | null; setItem(key: string, value: string): void }

/** What sending a batch may throw: an HTTP answer has a status; a network failure has none. */
export interface SendError { status?: number; message: string }

export type SendBatch = (facts: OutboxFact[]) => Promise<void>;

export interface SyncResult { sent: number; rejected: number; waiting: number; stoppedBy?: 'offline' | 'server' | 'auth'; message?: string }

/** Most facts per request; a marshal's offline queue is usually far smaller. */
export const BATCH = 100;
/** Acknowledged entries kept for the duplicate check and the "recent" list. */
export const KEEP_SENT = 500;

export class Outbox {
  private list: OutboxEntry[];

  constructor(private readonly storage: KeyValue, private readonly prefix: string, private readonly device: { id: string; name: string }) {
    this.list = this.read<OutboxEntry[]>('entries', []);
  }

  private read<T>(key: string, fallback: T): T {
    try {
      const text = this.storage.getItem(`${this.prefix}.${key}`);
      return text === null ? fallback : (JSON.parse(text) as T);
    } catch {
      return fallback;
    }
  }

  private write(key: string, value: unknown): void {
    this.storage.setItem(`${this.prefix}.${key}`, JSON.stringify(value));
  }

  /** Writes the list; keeps every waiting entry and the last KEEP_SENT others. */
  private persist(): void {
    const done = this.list.filter((e) => e.state !== 'waiting');
    const drop = new Set(done.slice(0, Math.max(0, done.length - KEEP_SENT)));
    this.list = this.list.filter((e) => !drop.has(e));
    this.write('entries', this.list);
  }

  entries(): readonly OutboxEntry[] {
    return this.list;
  }

  count(state: OutboxEntry['state']): number {
    return this.list.filter((e) => e.state === state).length;
  }

  /** An earlier entry of this car at this control (not a rejected one), if any. */
  duplicateOf(car: number, control: string): OutboxEntry | undefined {
    return this.list.find((e) => e.car === car && e.control === control && e.state !== 'rejected');
  }

  /** Records an entry durably (storage first) and returns it; sending comes later. */
  add(input: { car: number; control: string; at: string; raw: string; recordedAt: string; supersedes?: string; reason?: string; withdraw?: boolean }): OutboxEntry {
    const seq = this.read<number>('seq', 0) + 1;
    this.write('seq', seq);
    const entry: OutboxEntry = { id: `${this.device.id}-${String(seq).padStart(6, '0')}`, ...input, state: 'waiting' };
    this.list.push(entry);
    this.persist();
    return entry;
  }

  toFact(e: OutboxEntry): OutboxFact {
    if (e.withdraw && e.supersedes) return { id: e.id, type: 'retraction', supersedes: e.supersedes, reason: e.reason ?? '', by: this.device.name, device: this.device.name, recordedAt: e.recordedAt };
    return {
      id: e.id, type: 'controlTime', car: e.car, control: e.control, at: e.at, source: 'marshalClock', by: this.device.name, device: this.device.name, recordedAt: e.recordedAt, raw: e.raw,
      ...(e.supersedes ? { supersedes: e.supersedes, reason: e.reason ?? '' } : {}),
    };
  }

  /** Drops a rejected entry once the marshal has fixed it and saved the fixed one. */
  dismiss(id: string): void {
    this.list = this.list.filter((e) => !(e.id === id && e.state === 'rejected'));
    this.persist();
  }

  /** Notes what HQ did to an entry (withdrew or corrected it), as read from the log. */
  noteHq(id: string, hq: NonNullable<OutboxEntry['hq']>): boolean {
    const e = this.list.find((x) => x.id === id);
    if (!e || (e.hq && e.hq.reason === hq.reason && e.hq.action === hq.action)) return false;
    e.hq = hq;
    this.persist();
    return true;
  }

  /**
   * Sends waiting entries in batches. A batch is atomic on the server, so a
   * rejected batch is retried one entry at a time to keep the good ones. No
   * answer at all, or a server error for a single entry, stops the round:
   * entries stay waiting for the next one.
   */
  async sync(send: SendBatch): Promise<SyncResult> {
    const result: SyncResult = { sent: 0, rejected: 0, waiting: 0 };
    const waiting = this.list.filter((e) => e.state === 'waiting');
    try {
      for (let i = 0; i < waiting.length; i += BATCH) {
        const chunk = waiting.slice(i, i + BATCH);
        try {
          await send(chunk.map((e) => this.toFact(e)));
          for (const e of chunk) e.state = 'sent';
          result.sent += chunk.length;
        } catch (err) {
          // NOTE: a server error on a batch is retried one entry at a time too: one odd entry must
          // not hold the others back; the first single failure (server still down) ends the round.
          if (!isRejection(err) && !(isServerError(err) && chunk.length > 1)) throw err;
          for (const e of chunk) {
            try {
              await send([this.toFact(e)]);
              e.state = 'sent';
              result.sent++;
            } catch (one) {
              if (!isRejection(one)) throw one;
              e.state = 'rejected';
              e.message = (one as SendError).message;
              result.rejected++;
            }
          }
        }
        this.persist();
      }
    } catch (err) {
      const status = (err as SendError).status;
      result.stoppedBy = status === undefined || status === 0 ? 'offline' : status === 401 || status === 403 ? 'auth' : 'server';
      result.message = (err as SendError).message;
    } finally {
      this.persist();
    }
    result.waiting = this.count('waiting');
    return result;
  }
}

/**
 * The server refused this content (400 invalid, 409 id reused): resending it
 * unchanged will never work. Not a rejection: no answer, 5xx, 401/403 (a
 * revoked token is fixed by enrolling again; the times must wait, not be lost).
 */
function isRejection(err: unknown): boolean {
  const status = (err as SendError | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 401 && status !== 403 && status !== 408 && status !== 429;
}

function isServerError(err: unknown): boolean {
  const status = (err as SendError | null)?.status;
  return typeof status === 'number' && status >= 500;
}

/** A device id from the platform's random source (works outside secure contexts too). */
export function newDeviceId(random: (bytes: Uint8Array) => Uint8Array): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  return [...random(new Uint8Array(8))].map((b) => alphabet[b % alphabet.length]).join('');
}

/**
 * A typed time of day made regular: `9:03:45.2` → `09:03:45.2`, `09:03` →
 * `09:03:00.0`; null when it is not a time of day.
 */
export function normalizeTimeOfDay(text: string): string | null {
  const m = /^\s*(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,](\d{1,3}))?)?\s*$/.exec(text);
  if (!m) return null;
  const [, hh, mm, ss = '00', frac = '0'] = m;
  if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return null;
  return `${hh!.padStart(2, '0')}:${mm}:${ss}.${frac}`;
}

/** Shifts a normalized time of day by whole tenths, within the day (the marshal's ±0.1 buttons). */
export function shiftTenths(time: string, tenths: number): string {
  const m = /^(\d{2}):(\d{2}):(\d{2})\.(\d{1,3})$/.exec(time);
  if (!m) return time;
  const ms = ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]!.padEnd(3, '0'));
  const day = 86_400_000;
  const t = (((ms + tenths * 100) % day) + day) % day;
  const p = (n: number) => String(n).padStart(2, '0');
  const decimals = Math.max(1, m[4]!.length);
  return `${p(Math.floor(t / 3_600_000))}:${p(Math.floor((t % 3_600_000) / 60_000))}:${p(Math.floor((t % 60_000) / 1000))}.${String(t % 1000).padStart(3, '0').slice(0, decimals)}`;
}
