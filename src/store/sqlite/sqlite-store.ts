// The store on an SQLite file (better-sqlite3, WAL, synchronous=FULL). A fact
// is acknowledged only after the transaction holding it has committed, i.e.
// is on disk. Concurrent appendFacts calls are gathered into one transaction
// (group commit); each caller's batch runs inside its own SAVEPOINT, so a batch
// refused by the database rolls back alone and the others still commit.
// The group is written by a writer thread with its own connection, so the
// commit's fsync does not stall this thread's event loop; everything else
// (reads, rallies, tokens, audit) uses this thread's connection.
// SEE: docs/store.md "Group commit" and "Writer thread".
import type Database from 'better-sqlite3';
import type { Fact } from '../../core/facts.ts';
import type { RallyDefinition } from '../../core/model.ts';
import {
  StoreError,
  type AppendInput, type AppendResult, type AuditRecord, type DeskRecord, type DeskRecordInput, type DeskRecordResult, type EnrollmentRecord, type PublicationRecord,
  type RallyRecord, type Store, type StoredFact, type TokenRecord,
} from '../contract.ts';
import { prepareBatch, storedFromRow, type PreparedBatch } from '../append-plan.ts';
import { GroupCommit, type Pending } from '../group-commit.ts';
import { AppendedListeners } from '../listeners.ts';
import { migrateSqlite } from '../migrations/runner.ts';
import { LOG_COMPONENT, logMigrations } from '../migrations/log.ts';
import {
  ENROLLMENT_COLUMNS, FACT_COLUMNS, TOKEN_COLUMNS, auditFromRow, deskFromRow, enrollmentFromRow, enrollmentToParams, factRowFromDb, jsonText, placeholders, publicationFromRow, rallyFromRow, tokenFromRow, tokenToParams,
  type AuditRow, type DeskRow, type EnrollmentRow, type FactDbRow, type PublicationRow, type RallyRow, type TokenRow,
} from '../sql-rows.ts';
import { FactWriter, fromWireError, openSqlite, toWire, type WireAck, type WireAudit, type WireItem, type WriteResult } from './fact-writer.ts';
import { WriterThread } from './writer-client.ts';

function prepareStatements(db: Database.Database) {
  return {
    rallyHead: db.prepare<[string], { last_seq: number }>('SELECT last_seq FROM rallies WHERE id = ?'),
    factById: db.prepare<[string, string], FactDbRow>(`SELECT ${FACT_COLUMNS} FROM facts WHERE rally_id = ? AND fact_id = ?`),
    readFacts: db.prepare<[string, number, number], FactDbRow>(`SELECT ${FACT_COLUMNS} FROM facts WHERE rally_id = ? AND seq > ? ORDER BY seq LIMIT ?`),
    rally: db.prepare<[string], RallyRow>('SELECT id, definition, version, created_at, updated_at FROM rallies WHERE id = ?'),
  };
}
type Statements = ReturnType<typeof prepareStatements>;

export interface SqliteStoreOptions {
  log?: (msg: string) => void;
  /**
   * Who writes appended facts: `auto` (the default for a file) the writer
   * thread once it has started, this thread until then; `thread` always the
   * writer thread (the first append waits for it); `inline` always this
   * thread (the only choice for an in-memory database).
   */
  writer?: 'auto' | 'thread' | 'inline';
}

/** The acknowledgments of one batch from what the writer answered (SEE: `WireAck`). */
function resultsOf(batch: PreparedBatch, acks: readonly WireAck[]): AppendResult[] {
  const written = new Map<number, StoredFact>();
  return acks.map((ack, i) => {
    if (typeof ack !== 'number') return { stored: ack, duplicate: true };
    const earlier = written.get(ack);
    if (earlier) return { stored: earlier, duplicate: true };
    // NOTE: built from the fact in hand, as it was serialised into the row (the same JSON value).
    const input = batch.inputs[i] as AppendInput;
    const { seq: _seq, ...rest } = input.fact;
    const stored: StoredFact = {
      rallyId: batch.rallyId, seq: ack, fact: { ...rest, seq: ack } as Fact, receivedAt: input.receivedAt, principal: input.principal,
      ...(input.device !== undefined && input.device !== null ? { device: input.device } : {}),
    };
    written.set(ack, stored);
    return { stored, duplicate: false };
  });
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly listeners: AppendedListeners;
  /** Appends and audit lines, written together in groups. */
  private readonly commits: GroupCommit<PreparedBatch | WireAudit, AppendResult[]>;
  private readonly q: Statements;
  private readonly inline: FactWriter;
  private readonly writerMode: 'auto' | 'thread' | 'inline';
  private thread: WriterThread | null = null;
  /** Set when a writer thread could not start: this thread writes from then on. */
  private noThread = false;
  private readonly log: (msg: string) => void;
  private closed = false;

  /** Opens (creating if needed) and migrates the database file. Throws what better-sqlite3 throws; `openStore` words it for people. */
  constructor(readonly path: string, options: SqliteStoreOptions = {}) {
    const db = openSqlite(path);
    this.db = db;
    migrateSqlite(db, LOG_COMPONENT, logMigrations);
    this.log = options.log ?? (() => {});
    this.listeners = new AppendedListeners(options.log);
    this.commits = new GroupCommit((group) => this.flush(group));
    this.q = prepareStatements(db);
    this.inline = new FactWriter(db);
    // NOTE: a second connection to a private in-memory database would see another, empty database.
    const inMemory = path === ':memory:' || path === '';
    this.writerMode = inMemory ? 'inline' : options.writer ?? 'auto';
  }

  private readonly db: Database.Database;

  /** Flushes run so far: fewer than the appendFacts calls when commits were shared. */
  get groupCommits(): number {
    return this.commits.flushes;
  }

  async createRally(definition: RallyDefinition, at: string): Promise<RallyRecord> {
    this.open();
    this.insertRally(definition, at);
    return this.mustGetRally(definition.id);
  }

  private insertRally(definition: RallyDefinition, at: string): void {
    try {
      this.db.prepare('INSERT INTO rallies (id, definition, version, created_at, updated_at) VALUES (?, ?, 1, ?, ?)').run(definition.id, JSON.stringify(definition), at, at);
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new StoreError('rally-exists', `a rally with id "${definition.id}" already exists`);
      throw e;
    }
  }

  async importRally(definition: RallyDefinition, inputs: AppendInput[], at: string): Promise<{ rally: RallyRecord; results: AppendResult[] }> {
    this.open();
    const batch = prepareBatch(definition.id, inputs);
    // NOTE: written on this thread's connection in one IMMEDIATE transaction (the writer's own transaction nests
    // as a savepoint), so a failure anywhere leaves neither the rally nor any fact; the writer thread waits on the lock.
    const run = this.db.transaction(() => {
      this.insertRally(definition, at);
      if (inputs.length === 0) return { acks: [] as WireAck[], heads: [] as [string, number][] };
      const written = this.inline.write([toWire(batch)]);
      const o = written.outcomes[0];
      if (!o?.ok) throw o ? fromWireError(o.error) : new Error('the writer answered without an outcome for the import');
      return { acks: o.acks, heads: written.heads };
    });
    const { acks, heads } = run.immediate();
    for (const [rallyId, seq] of heads) this.listeners.emit(rallyId, seq);
    return { rally: this.mustGetRally(definition.id), results: resultsOf(batch, acks) };
  }

  async updateRally(id: string, definition: RallyDefinition, expectedVersion: number, at: string): Promise<RallyRecord> {
    this.open();
    const changed = this.db.prepare('UPDATE rallies SET definition = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?')
      .run(JSON.stringify(definition), at, id, expectedVersion).changes;
    if (changed === 0) {
      const current = this.q.rally.get(id);
      if (!current) throw new StoreError('rally-not-found', `no rally with id "${id}"`);
      throw new StoreError('version-conflict', `rally "${id}" is at version ${current.version}, not ${expectedVersion}: reload it and apply the change again`);
    }
    return this.mustGetRally(id);
  }

  async getRally(id: string): Promise<RallyRecord | null> {
    this.open();
    const row = this.q.rally.get(id);
    return row ? rallyFromRow(row) : null;
  }

  async listRallies(): Promise<RallyRecord[]> {
    this.open();
    return this.db.prepare<[], RallyRow>('SELECT id, definition, version, created_at, updated_at FROM rallies ORDER BY created_at, id').all().map(rallyFromRow);
  }

  async appendFacts(rallyId: string, inputs: AppendInput[]): Promise<AppendResult[]> {
    this.open();
    const batch = prepareBatch(rallyId, inputs);
    if (inputs.length === 0) return [];
    return this.commits.submit(batch);
  }

  async readFacts(rallyId: string, afterSeq = 0, limit?: number): Promise<StoredFact[]> {
    this.open();
    return this.q.readFacts.all(rallyId, afterSeq, limit ?? -1).map((r) => storedFromRow(factRowFromDb(r)));
  }

  async getFact(rallyId: string, factId: string): Promise<StoredFact | null> {
    this.open();
    const row = this.q.factById.get(rallyId, factId);
    return row ? storedFromRow(factRowFromDb(row)) : null;
  }

  async latestSeq(rallyId: string): Promise<number> {
    this.open();
    return this.q.rallyHead.get(rallyId)?.last_seq ?? 0;
  }

  async addPublication(p: Omit<PublicationRecord, 'number'>, options: { idempotencyKey?: string } = {}): Promise<PublicationRecord & { replayed?: true }> {
    this.open();
    // NOTE: an IMMEDIATE transaction holds the database's write lock: the key is looked up and the number taken with no other process in between.
    const insert = this.db.transaction((): { number: number; replayed: boolean } => {
      if (!this.q.rallyHead.get(p.rallyId)) throw new StoreError('rally-not-found', `no rally with id "${p.rallyId}"`);
      if (options.idempotencyKey !== undefined) {
        const held = this.db.prepare<[string, string], { number: number }>("SELECT number FROM publications WHERE rally_id = ? AND json_extract(snapshot, '$.idempotencyKey') = ? ORDER BY number LIMIT 1").get(p.rallyId, options.idempotencyKey);
        if (held) return { number: held.number, replayed: true };
      }
      const { next } = this.db.prepare<[string], { next: number }>('SELECT COALESCE(MAX(number), 0) + 1 AS next FROM publications WHERE rally_id = ?').get(p.rallyId) as { next: number };
      this.db.prepare('INSERT INTO publications (rally_id, number, kind, published_at, principal, reason, upto_seq, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(p.rallyId, next, p.kind, p.publishedAt, p.principal, p.reason ?? null, p.uptoSeq, jsonText(p.snapshot));
      return { number: next, replayed: false };
    });
    const { number, replayed } = insert.immediate();
    const record = (await this.getPublication(p.rallyId, number)) as PublicationRecord;
    return replayed ? { ...record, replayed: true } : record;
  }

  async listPublications(rallyId: string): Promise<PublicationRecord[]> {
    this.open();
    return this.db.prepare<[string], PublicationRow>('SELECT * FROM publications WHERE rally_id = ? ORDER BY number').all(rallyId).map(publicationFromRow);
  }

  async latestPublicationNumber(rallyId: string, kind: PublicationRecord['kind']): Promise<number | null> {
    this.open();
    return this.db.prepare<[string, string], { n: number | null }>('SELECT max(number) AS n FROM publications WHERE rally_id = ? AND kind = ?').get(rallyId, kind)?.n ?? null;
  }

  async getPublication(rallyId: string, number: number): Promise<PublicationRecord | null> {
    this.open();
    const row = this.db.prepare<[string, number], PublicationRow>('SELECT * FROM publications WHERE rally_id = ? AND number = ?').get(rallyId, number);
    return row ? publicationFromRow(row) : null;
  }

  async createToken(t: TokenRecord): Promise<void> {
    this.open();
    this.db.prepare(`INSERT INTO tokens (${TOKEN_COLUMNS}) VALUES (${placeholders(12, false)})`).run(...tokenToParams(t));
  }

  async findTokenByHash(hash: string): Promise<TokenRecord | null> {
    this.open();
    const row = this.db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE hash = ?').get(hash);
    return row ? tokenFromRow(row) : null;
  }

  async revokeToken(id: string, at: string): Promise<void> {
    this.open();
    this.db.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id);
  }

  async listTokens(rallyId?: string): Promise<TokenRecord[]> {
    this.open();
    const rows = rallyId === undefined
      ? this.db.prepare<[], TokenRow>('SELECT * FROM tokens ORDER BY created_at, id').all()
      : this.db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE rally_id = ? ORDER BY created_at, id').all(rallyId);
    return rows.map(tokenFromRow);
  }

  async createEnrollment(e: EnrollmentRecord): Promise<void> {
    this.open();
    this.db.prepare(`INSERT INTO enrollments (${ENROLLMENT_COLUMNS}) VALUES (${placeholders(14, false)})`).run(...enrollmentToParams(e));
  }

  async consumeEnrollment(codeHash: string, at: string, tokenId?: string): Promise<EnrollmentRecord | null> {
    this.open();
    // NOTE: one UPDATE … RETURNING is atomic even against another process on the same file.
    const row = this.db.prepare<[string, string | null, string, string], EnrollmentRow>(
      'UPDATE enrollments SET used_at = ?, token_id = ? WHERE code_hash = ? AND used_at IS NULL AND cancelled_at IS NULL AND julianday(expires_at) > julianday(?) RETURNING *',
    ).get(at, tokenId ?? null, codeHash, at);
    return row ? enrollmentFromRow(row) : null;
  }

  async listEnrollments(rallyId: string): Promise<EnrollmentRecord[]> {
    this.open();
    return this.db.prepare<[string], EnrollmentRow>('SELECT * FROM enrollments WHERE rally_id = ? ORDER BY created_at, id').all(rallyId).map(enrollmentFromRow);
  }

  async cancelEnrollment(id: string, at: string): Promise<boolean> {
    this.open();
    return this.db.prepare('UPDATE enrollments SET cancelled_at = ? WHERE id = ? AND used_at IS NULL AND cancelled_at IS NULL').run(at, id).changes === 1;
  }

  async audit(r: AuditRecord): Promise<void> {
    this.open();
    // NOTE: through the group commit, so an audit line shares the durable commit of the facts it goes with.
    await this.commits.submit({ audit: [r.at, r.principal, r.action, r.rallyId ?? null, jsonText(r.detail)] });
  }

  async listAudit(rallyId: string): Promise<AuditRecord[]> {
    this.open();
    return this.db.prepare<[string], AuditRow>('SELECT at, principal, action, rally_id, detail FROM audit WHERE rally_id = ? ORDER BY id').all(rallyId).map(auditFromRow);
  }

  async addDeskRecord(r: DeskRecordInput): Promise<DeskRecordResult> {
    this.open();
    // NOTE: an IMMEDIATE transaction holds the file's write lock from its first statement, so a writer in
    // another process waits and then sees this record; the table's unique keys back that up.
    const add = this.db.transaction((): DeskRecordResult => {
      if (!this.q.rallyHead.get(r.rallyId)) throw new StoreError('rally-not-found', `no rally with id "${r.rallyId}"`);
      const old = this.db.prepare<[string, string], DeskRow>('SELECT * FROM desk_records WHERE rally_id = ? AND key = ?').get(r.rallyId, r.key);
      if (old) return { record: deskFromRow(old), added: false };
      const row = this.db.prepare<[{ rally: string; kind: string; key: string; at: string; principal: string; detail: string }], DeskRow>(
        `INSERT INTO desk_records (rally_id, seq, kind, key, number, at, principal, detail)
         VALUES (@rally, (SELECT COALESCE(MAX(seq), 0) + 1 FROM desk_records WHERE rally_id = @rally), @kind, @key,
                 CASE WHEN @kind = 'notice' THEN (SELECT COALESCE(MAX(number), 0) + 1 FROM desk_records WHERE rally_id = @rally AND kind = 'notice') END,
                 @at, @principal, @detail) RETURNING *`,
      ).get({ rally: r.rallyId, kind: r.kind, key: r.key, at: r.at, principal: r.principal, detail: jsonText(r.detail) }) as DeskRow;
      return { record: deskFromRow(row), added: true };
    });
    return add.immediate();
  }

  async listDeskRecords(rallyId: string): Promise<DeskRecord[]> {
    this.open();
    return this.db.prepare<[string], DeskRow>('SELECT * FROM desk_records WHERE rally_id = ? ORDER BY seq').all(rallyId).map(deskFromRow);
  }

  onAppended(listener: (rallyId: string, lastSeq: number) => void): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.commits.drain();
    await this.thread?.close();
    this.listeners.clear();
    this.db.close();
  }

  /** Writes a group (SEE: FactWriter.write) and, once it is durable, acknowledges each caller. */
  private async flush(group: Pending<PreparedBatch | WireAudit, AppendResult[]>[]): Promise<void> {
    const written = await this.write(group.map((p) => ('audit' in p.input ? p.input : toWire(p.input))));
    group.forEach((p, i) => {
      const o = written.outcomes[i];
      // WARNING: never leave a caller waiting: an outcome missing from the writer's answer is a fault, said as one.
      if (!o) return p.reject(new StoreError('unavailable', 'the writer answered without an outcome for this append; resend the same ids'));
      if (!o.ok) p.reject(fromWireError(o.error));
      else p.resolve('audit' in p.input ? [] : resultsOf(p.input, o.acks));
    });
    for (const [rallyId, seq] of written.heads) this.listeners.emit(rallyId, seq);
  }

  private async write(group: WireItem[]): Promise<WriteResult> {
    if (this.writerMode === 'inline' || this.noThread) return this.inline.write(group);
    const thread = (this.thread ??= this.startThread());
    if (thread.ready) return thread.write(group);
    if (this.writerMode === 'auto') return this.inline.write(group);
    await thread.whenReady();
    return thread.write(group);
  }

  private startThread(): WriterThread {
    const thread = new WriterThread(this.path, (e, wasReady) => {
      if (this.thread === thread) this.thread = null;
      // A thread that never started will not start next time either; one that ran is replaced on the next append.
      if (!wasReady) this.noThread = true;
      this.log(`SQLite writer thread stopped (${e.message}); ${wasReady ? 'a new one starts with the next append' : 'appends are written on the main thread'}`);
    });
    return thread;
  }

  private mustGetRally(id: string): RallyRecord {
    const row = this.q.rally.get(id);
    if (!row) throw new Error(`rally ${id} vanished after writing it`);
    return rallyFromRow(row);
  }

  private open(): void {
    if (this.closed) throw new Error('store is closed');
  }
}
