// Writes groups of appends to an SQLite connection: the heart of the SQLite
// group commit, run on the writer thread (writer-thread.ts) or, before it is
// up and for in-memory databases, on the caller's thread. What goes in and
// out is plain data, so it crosses between threads as is: no fact object and
// no Error instance is cloned.
import Database from 'better-sqlite3';
import type { Fact } from '../../core/facts.ts';
import { StoreError, type StoredFact } from '../contract.ts';
import { planAppend, storedFromRow, type PreparedBatch } from '../append-plan.ts';
import { FACT_COLUMNS, factRowFromDb, type FactDbRow } from '../sql-rows.ts';

/** What the writer needs of an input: the id, type and car it plans with, and the row's other columns. */
export interface WireInput { id: string; type: string; car: number | null; principal: string; device: string | null; receivedAt: string }
export interface WireBatch { rallyId: string; inputs: WireInput[]; bodies: string[] }
/** An audit line, written in the same group as the facts around it: its durable commit is shared too. */
export interface WireAudit { audit: [at: string, principal: string, action: string, rallyId: string | null, detail: string] }
export type WireItem = WireBatch | WireAudit;

/** An error as data: a StoreError keeps its code, any other error its name, message and SQLite code. */
export interface WireError { store?: StoreError['code']; name: string; message: string; code?: string }

/**
 * Per input: a number is the seq of a fact written by this batch (the same
 * number again later in the batch: a repeat of it); an object is the
 * original of a fact already in the log.
 */
export type WireAck = number | StoredFact;
export type WireOutcome = { ok: true; acks: WireAck[] } | { ok: false; error: WireError };
/** One outcome per batch, in order, and each rally's head where it moved. */
export interface WriteResult { outcomes: WireOutcome[]; heads: [string, number][] }

export function toWireError(e: unknown): WireError {
  if (e instanceof StoreError) return { store: e.code, name: e.name, message: e.message };
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return { name: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: String(e) };
}

export function fromWireError(w: WireError): Error {
  if (w.store) return new StoreError(w.store, w.message);
  const e = new Error(w.message) as Error & { code?: string };
  e.name = w.name;
  if (w.code !== undefined) e.code = w.code;
  return e;
}

export function toWire(batch: PreparedBatch): WireBatch {
  return {
    rallyId: batch.rallyId,
    bodies: batch.bodies,
    inputs: batch.inputs.map(({ fact, principal, device, receivedAt }) => ({
      id: fact.id, type: fact.type, car: 'car' in fact && typeof fact.car === 'number' ? fact.car : null, principal, device: device ?? null, receivedAt,
    })),
  };
}

/** SQLITE_FULL: the write failed for want of disk space. */
export function isFullDisk(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || /database or disk is full/i.test((e as Error | null)?.message ?? '');
}

/** Opens a connection with the durability every writer of the file needs. */
export function openSqlite(path: string): Database.Database {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // WARNING: FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power loss, and an acknowledged fact must survive.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // NOTE: another connection (the other thread, a CLI import, a second server) may hold the write lock for a moment.
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Per rally in a group: its head, and whether the group moved it. */
type Heads = Map<string, { seq: number; dirty: boolean }>;

export class FactWriter {
  private readonly rallyHead;
  private readonly setHead;
  private readonly factById;
  private readonly insertFact;
  private readonly insertAudit;
  private readonly appendMany;
  private readonly writeAll;

  constructor(private readonly db: Database.Database) {
    this.rallyHead = db.prepare<[string], { last_seq: number }>('SELECT last_seq FROM rallies WHERE id = ?');
    this.setHead = db.prepare<[number, string]>('UPDATE rallies SET last_seq = ? WHERE id = ?');
    this.factById = db.prepare<[string, string], FactDbRow>(`SELECT ${FACT_COLUMNS} FROM facts WHERE rally_id = ? AND fact_id = ?`);
    this.insertFact = db.prepare(`INSERT INTO facts (${FACT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertAudit = db.prepare('INSERT INTO audit (at, principal, action, rally_id, detail) VALUES (?, ?, ?, ?, ?)');
    // NOTE: made once: better-sqlite3 builds a transaction function's wrappers on every db.transaction() call.
    this.appendMany = db.transaction((batch: WireBatch, heads: Heads) => this.appendBatch(batch, heads));
    this.writeAll = db.transaction((group: readonly WireItem[], outcomes: WireOutcome[], heads: Heads) => this.writeItems(group, outcomes, heads));
  }

  /**
   * One transaction for the whole group; one savepoint per batch with more
   * than one fact (a single INSERT that fails leaves nothing behind, so it
   * needs none). Each rally's head is read once and written once per group.
   * Returns once the transaction has committed; throws when the group as a
   * whole failed (disk full, I/O), in which case nothing was written.
   */
  write(group: readonly WireItem[]): WriteResult {
    const outcomes: WireOutcome[] = [];
    const heads: Heads = new Map();
    try {
      this.writeAll.immediate(group, outcomes, heads);
    } catch (e) {
      if (isFullDisk(e)) this.fullDisk();
      throw e;
    }
    if (this.reclaimPending) this.reclaimWal();
    return { outcomes, heads: [...heads].filter(([, h]) => h.dirty).map(([id, h]) => [id, h.seq]) };
  }

  /** Set after a write failed for space: the WAL is folded into the database and truncated as soon as it can be. */
  private reclaimPending = false;

  /**
   * The disk is full. On a small volume the WAL never reaches the automatic
   * checkpoint's size, so it holds every commit — with the same pages (the
   * rally's head, index pages) over and over — and fills the disk. Folding it
   * into the database and truncating it gives that space back; it may fail
   * now for want of space, so it is tried again after the next write that
   * succeeds (once the operator has freed some).
   */
  private fullDisk(): void {
    this.reclaimPending = true;
    this.reclaimWal();
  }

  private reclaimWal(): void {
    try {
      const [r] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
      if (r && r.busy === 0) this.reclaimPending = false;
    } catch {
      // Still no space (or a reader in the way): the next successful write tries again.
    }
  }

  private writeItems(group: readonly WireItem[], outcomes: WireOutcome[], heads: Heads): void {
    for (const item of group) {
      try {
        if ('audit' in item) {
          this.insertAudit.run(...item.audit);
          outcomes.push({ ok: true, acks: [] });
          continue;
        }
        const batch = item;
        const outcome = batch.inputs.length === 1 ? this.appendBatch(batch, heads) : this.appendMany(batch, heads);
        const head = heads.get(batch.rallyId)!;
        // Only now that the batch stands does the head move.
        if (outcome.wrote) { head.seq = outcome.lastSeq; head.dirty = true; }
        outcomes.push({ ok: true, acks: outcome.acks });
      } catch (error) {
        // A failure that ended the outer transaction fails the whole group.
        if (!this.db.inTransaction) throw error;
        outcomes.push({ ok: false, error: toWireError(error) });
      }
    }
    for (const [rallyId, head] of heads) if (head.dirty) this.setHead.run(head.seq, rallyId);
  }

  private appendBatch(batch: WireBatch, heads: Heads): { acks: WireAck[]; lastSeq: number; wrote: boolean } {
    let head = heads.get(batch.rallyId);
    if (!head) {
      const row = this.rallyHead.get(batch.rallyId);
      if (!row) throw new StoreError('rally-not-found', `no rally with id "${batch.rallyId}"`);
      head = { seq: row.last_seq, dirty: false };
      heads.set(batch.rallyId, head);
    }
    // NOTE: the plan needs only id, type and car of a fact; the rows it builds carry the bodies serialised by the caller.
    const prepared: PreparedBatch = {
      rallyId: batch.rallyId,
      bodies: batch.bodies,
      inputs: batch.inputs.map((i) => ({
        fact: (i.car === null ? { id: i.id, type: i.type } : { id: i.id, type: i.type, car: i.car }) as unknown as Fact,
        principal: i.principal, receivedAt: i.receivedAt, ...(i.device !== null ? { device: i.device } : {}),
      })),
    };
    const plan = planAppend(prepared, head.seq, (factId) => {
      const row = this.factById.get(batch.rallyId, factId);
      return row ? storedFromRow(factRowFromDb(row)) : undefined;
    });
    for (const r of plan.rows) this.insertFact.run(r.rallyId, r.seq, r.factId, r.type, r.car, r.body, r.principal, r.device, r.receivedAt);
    const written = new Set(plan.rows.map((r) => r.seq));
    // A repeat of a fact of this very batch answers its seq (the caller holds that fact); an older one, the stored original.
    const acks = plan.results.map((r) => (!r.duplicate || written.has(r.stored.seq) ? r.stored.seq : r.stored));
    return { acks, lastSeq: plan.lastSeq, wrote: plan.rows.length > 0 };
  }
}
