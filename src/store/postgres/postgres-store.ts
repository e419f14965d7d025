// The store on PostgreSQL (`pg` Pool), for several server processes sharing
// one database. Appends are group-committed like on SQLite (one transaction
// per gathered group; on failure the batches are retried one by one so a bad
// batch fails alone). Other processes' appends, definition changes and
// publications arrive through LISTEN/NOTIFY.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { RallyDefinition } from '../../core/model.ts';
import {
  StoreError,
  type AppendInput, type AppendResult, type AuditRecord, type DeskRecord, type DeskRecordInput, type DeskRecordResult, type EnrollmentRecord, type PublicationRecord,
  type RallyNotice, type RallyRecord, type Store, type StoredFact, type TokenRecord,
} from '../contract.ts';
import { prepareBatch, storedFromRow, type PreparedBatch } from '../append-plan.ts';
import { GroupCommit, type Pending } from '../group-commit.ts';
import { AppendedListeners } from '../listeners.ts';
import { migratePostgres } from '../migrations/runner.ts';
import { LOG_COMPONENT, logMigrations } from '../migrations/log.ts';
import {
  ENROLLMENT_COLUMNS, FACT_COLUMNS, TOKEN_COLUMNS, auditFromRow, deskFromRow, enrollmentFromRow, enrollmentToParams, factRowFromDb, jsonText, placeholders, publicationFromRow, rallyFromRow, tokenFromRow, tokenToParams,
  type AuditRow, type DeskRow, type EnrollmentRow, type FactDbRow, type PublicationRow, type RallyRow, type TokenRow,
} from '../sql-rows.ts';
import { appendGroup, parseNotification } from './pg-append.ts';
import { FACTS_CHANNEL, PgListener, RALLIES_CHANNEL, TOKENS_CHANNEL } from './pg-listener.ts';
import { notifySql, parseNotice, parseRevoked, revokedSql } from './pg-notices.ts';
import { isConnectionError, mapPgError, unreachableError } from './pg-errors.ts';

export interface PostgresStoreOptions { log?: (msg: string) => void; poolSize?: number }

const RALLY_COLUMNS = 'id, definition, version, created_at, updated_at';
/** A concurrent writer in another process inserted the same fact id first: re-read and answer with the original. */
const UNIQUE_VIOLATION = '23505';

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  private readonly listeners: AppendedListeners;
  private readonly noticeListeners = new Set<(notice: RallyNotice) => void>();
  private readonly revokedListeners = new Set<(tokenId: string) => void>();
  /** Stamped on this instance's notices, so their echo is ignored. */
  private readonly origin = randomUUID();
  private readonly commits: GroupCommit<PreparedBatch, AppendResult[]>;
  /** Highest seq announced per rally, so our own NOTIFY echo is not announced twice. */
  private readonly announced = new Map<string, number>();
  private listener: PgListener | null = null;
  private closed = false;

  private constructor(private readonly url: string, private readonly pool: pg.Pool, private readonly log: (msg: string) => void) {
    this.listeners = new AppendedListeners(log);
    this.commits = new GroupCommit((group) => this.flush(group));
  }

  /** Connects, migrates and starts listening. Unreachable → StoreError('unavailable'). */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const log = options.log ?? (() => {});
    const config: pg.PoolConfig = { connectionString: url, max: options.poolSize ?? 10, connectionTimeoutMillis: 5_000, application_name: 'rallyhq' };
    const pool = new pg.Pool(config);
    // WARNING: without this handler an idle client dropped by a PostgreSQL restart crashes the process.
    pool.on('error', (e) => log(`PostgreSQL pool: idle connection lost (${e.message}); it will be replaced`));
    try {
      await pool.query('SELECT 1');
    } catch (e) {
      await pool.end().catch(() => {});
      throw unreachableError(url, e);
    }
    const store = new PostgresStore(url, pool, log);
    try {
      await migratePostgres(pool, LOG_COMPONENT, logMigrations);
      store.listener = new PgListener({ connectionString: url, connectionTimeoutMillis: 5_000 }, {
        notify: (channel, payload) => store.onNotify(channel, payload),
        reconnected: () => { void store.catchUpAll(); },
        log,
      });
      await store.listener.start();
    } catch (e) {
      await store.close().catch(() => {});
      throw isConnectionError(e) ? unreachableError(url, e) : e;
    }
    return store;
  }

  /** Backend pid of the LISTEN connection (for tests that cut it). */
  get listenerPid(): number | null {
    return this.listener?.backendPid ?? null;
  }

  async createRally(definition: RallyDefinition, at: string): Promise<RallyRecord> {
    const { rows } = await this.query<RallyRow>(
      `WITH c AS (INSERT INTO rallies (id, definition, version, created_at, updated_at) VALUES ($1, $2, 1, $3, $3) ON CONFLICT (id) DO NOTHING RETURNING ${RALLY_COLUMNS})
       SELECT c.*, ${notifySql('definition', 'c.id', 'c.version', '$4')} FROM c`,
      [definition.id, JSON.stringify(definition), at, this.origin],
    );
    if (!rows[0]) throw new StoreError('rally-exists', `a rally with id "${definition.id}" already exists`);
    return rallyFromRow(rows[0]);
  }

  async importRally(definition: RallyDefinition, inputs: AppendInput[], at: string): Promise<{ rally: RallyRecord; results: AppendResult[] }> {
    this.open();
    const batch = prepareBatch(definition.id, inputs);
    // NOTE: one transaction, outside the group commit: the rally row, its facts and both NOTIFYs commit together or not at all.
    const { rally, outcome } = await this.transaction(async (client) => {
      const { rows } = await client.query<RallyRow>(
        `WITH c AS (INSERT INTO rallies (id, definition, version, created_at, updated_at) VALUES ($1, $2, 1, $3, $3) ON CONFLICT (id) DO NOTHING RETURNING ${RALLY_COLUMNS})
         SELECT c.*, ${notifySql('definition', 'c.id', 'c.version', '$4')} FROM c`,
        [definition.id, JSON.stringify(definition), at, this.origin],
      );
      if (!rows[0]) throw new StoreError('rally-exists', `a rally with id "${definition.id}" already exists`);
      const appended = inputs.length === 0 ? null : await appendGroup(client, [batch]);
      const o = appended?.outcomes[0];
      if (o && !o.ok) throw o.error;
      return { rally: rallyFromRow(rows[0]), outcome: appended };
    });
    for (const [rallyId, lastSeq] of outcome?.heads ?? []) this.announce(rallyId, lastSeq);
    const o = outcome?.outcomes[0];
    return { rally, results: o?.ok ? o.results : [] };
  }

  async updateRally(id: string, definition: RallyDefinition, expectedVersion: number, at: string): Promise<RallyRecord> {
    // NOTE: one statement: the change and its NOTIFY (delivered at commit) cannot part.
    const { rows } = await this.query<RallyRow>(
      `WITH u AS (UPDATE rallies SET definition = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4 RETURNING ${RALLY_COLUMNS})
       SELECT u.*, ${notifySql('definition', 'u.id', 'u.version', '$5')} FROM u`,
      [JSON.stringify(definition), at, id, expectedVersion, this.origin],
    );
    if (rows[0]) return rallyFromRow(rows[0]);
    const current = await this.getRally(id);
    if (!current) throw new StoreError('rally-not-found', `no rally with id "${id}"`);
    throw new StoreError('version-conflict', `rally "${id}" is at version ${current.version}, not ${expectedVersion}: reload it and apply the change again`);
  }

  async getRally(id: string): Promise<RallyRecord | null> {
    const { rows } = await this.query<RallyRow>(`SELECT ${RALLY_COLUMNS} FROM rallies WHERE id = $1`, [id]);
    return rows[0] ? rallyFromRow(rows[0]) : null;
  }

  async listRallies(): Promise<RallyRecord[]> {
    return (await this.query<RallyRow>(`SELECT ${RALLY_COLUMNS} FROM rallies ORDER BY created_at, id`)).rows.map(rallyFromRow);
  }

  async appendFacts(rallyId: string, inputs: AppendInput[]): Promise<AppendResult[]> {
    this.open();
    const batch = prepareBatch(rallyId, inputs);
    if (inputs.length === 0) return [];
    return this.commits.submit(batch);
  }

  async readFacts(rallyId: string, afterSeq = 0, limit?: number): Promise<StoredFact[]> {
    const { rows } = await this.query<FactDbRow>(
      `SELECT ${FACT_COLUMNS} FROM facts WHERE rally_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [rallyId, afterSeq, limit ?? null],
    );
    return rows.map((r) => storedFromRow(factRowFromDb(r)));
  }

  async getFact(rallyId: string, factId: string): Promise<StoredFact | null> {
    const { rows } = await this.query<FactDbRow>(`SELECT ${FACT_COLUMNS} FROM facts WHERE rally_id = $1 AND fact_id = $2`, [rallyId, factId]);
    return rows[0] ? storedFromRow(factRowFromDb(rows[0])) : null;
  }

  async latestSeq(rallyId: string): Promise<number> {
    const { rows } = await this.query<{ last_seq: number }>('SELECT last_seq FROM rallies WHERE id = $1', [rallyId]);
    return rows[0] ? Number(rows[0].last_seq) : 0;
  }

  async addPublication(p: Omit<PublicationRecord, 'number'>, options: { idempotencyKey?: string } = {}): Promise<PublicationRecord & { replayed?: true }> {
    return this.transaction(async (client) => {
      // NOTE: the rally row lock serialises numbering across processes, and the key's lookup with it:
      // two processes sending one retry at the same instant see each other's publication.
      const lock = await client.query('SELECT 1 FROM rallies WHERE id = $1 FOR UPDATE', [p.rallyId]);
      if (lock.rowCount === 0) throw new StoreError('rally-not-found', `no rally with id "${p.rallyId}"`);
      if (options.idempotencyKey !== undefined) {
        const held = await client.query<PublicationRow>("SELECT * FROM publications WHERE rally_id = $1 AND (snapshot::jsonb ->> 'idempotencyKey') = $2 ORDER BY number LIMIT 1", [p.rallyId, options.idempotencyKey]);
        if (held.rows[0]) return { ...publicationFromRow(held.rows[0]), replayed: true as const };
      }
      const { rows } = await client.query<PublicationRow>(
        `WITH p AS (INSERT INTO publications (rally_id, number, kind, published_at, principal, reason, upto_seq, snapshot)
           SELECT $1, COALESCE(MAX(number), 0) + 1, $2, $3, $4, $5, $6, $7 FROM publications WHERE rally_id = $1 RETURNING *)
         SELECT p.*, ${notifySql('publication', 'p.rally_id', 'p.number', '$8')} FROM p`,
        [p.rallyId, p.kind, p.publishedAt, p.principal, p.reason ?? null, p.uptoSeq, jsonText(p.snapshot), this.origin],
      );
      return publicationFromRow(rows[0] as PublicationRow);
    });
  }

  async listPublications(rallyId: string): Promise<PublicationRecord[]> {
    return (await this.query<PublicationRow>('SELECT * FROM publications WHERE rally_id = $1 ORDER BY number', [rallyId])).rows.map(publicationFromRow);
  }

  async latestPublicationNumber(rallyId: string, kind: PublicationRecord['kind']): Promise<number | null> {
    const { rows } = await this.query<{ n: number | null }>('SELECT max(number)::int AS n FROM publications WHERE rally_id = $1 AND kind = $2', [rallyId, kind]);
    return rows[0]?.n ?? null;
  }

  async getPublication(rallyId: string, number: number): Promise<PublicationRecord | null> {
    const { rows } = await this.query<PublicationRow>('SELECT * FROM publications WHERE rally_id = $1 AND number = $2', [rallyId, number]);
    return rows[0] ? publicationFromRow(rows[0]) : null;
  }

  async createToken(t: TokenRecord): Promise<void> {
    await this.query(`INSERT INTO tokens (${TOKEN_COLUMNS}) VALUES (${placeholders(12, true)})`, tokenToParams(t));
  }

  async findTokenByHash(hash: string): Promise<TokenRecord | null> {
    const { rows } = await this.query<TokenRow>('SELECT * FROM tokens WHERE hash = $1', [hash]);
    return rows[0] ? tokenFromRow(rows[0]) : null;
  }

  async revokeToken(id: string, at: string): Promise<void> {
    // NOTE: one statement: the revocation and its NOTIFY (delivered at commit) cannot part.
    await this.query(`WITH revoked AS (UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING id)
      SELECT ${revokedSql('id', '$3')} FROM revoked`, [at, id, this.origin]);
  }

  async listTokens(rallyId?: string): Promise<TokenRecord[]> {
    const { rows } = rallyId === undefined
      ? await this.query<TokenRow>('SELECT * FROM tokens ORDER BY created_at, id')
      : await this.query<TokenRow>('SELECT * FROM tokens WHERE rally_id = $1 ORDER BY created_at, id', [rallyId]);
    return rows.map(tokenFromRow);
  }

  async createEnrollment(e: EnrollmentRecord): Promise<void> {
    await this.query(`INSERT INTO enrollments (${ENROLLMENT_COLUMNS}) VALUES (${placeholders(14, true)})`, enrollmentToParams(e));
  }

  async consumeEnrollment(codeHash: string, at: string, tokenId?: string): Promise<EnrollmentRecord | null> {
    // NOTE: a single conditional UPDATE: of two processes racing, exactly one sees a row.
    const { rows } = await this.query<EnrollmentRow>(
      'UPDATE enrollments SET used_at = $1::text, token_id = $2 WHERE code_hash = $3 AND used_at IS NULL AND cancelled_at IS NULL AND expires_at::timestamptz > $4::timestamptz RETURNING *',
      [at, tokenId ?? null, codeHash, at],
    );
    return rows[0] ? enrollmentFromRow(rows[0]) : null;
  }

  async listEnrollments(rallyId: string): Promise<EnrollmentRecord[]> {
    const { rows } = await this.query<EnrollmentRow>('SELECT * FROM enrollments WHERE rally_id = $1 ORDER BY created_at NULLS FIRST, id', [rallyId]);
    return rows.map(enrollmentFromRow);
  }

  async cancelEnrollment(id: string, at: string): Promise<boolean> {
    const r = await this.query('UPDATE enrollments SET cancelled_at = $1 WHERE id = $2 AND used_at IS NULL AND cancelled_at IS NULL', [at, id]);
    return r.rowCount === 1;
  }

  async audit(r: AuditRecord): Promise<void> {
    await this.query('INSERT INTO audit (at, principal, action, rally_id, detail) VALUES ($1, $2, $3, $4, $5)', [r.at, r.principal, r.action, r.rallyId ?? null, jsonText(r.detail)]);
  }

  async listAudit(rallyId: string): Promise<AuditRecord[]> {
    return (await this.query<AuditRow>('SELECT at, principal, action, rally_id, detail FROM audit WHERE rally_id = $1 ORDER BY id', [rallyId])).rows.map(auditFromRow);
  }

  async addDeskRecord(r: DeskRecordInput): Promise<DeskRecordResult> {
    const result = await this.transaction(async (client): Promise<DeskRecordResult | null> => {
      // NOTE: a per-rally advisory lock (not the rally row, which fact appends lock) serialises desk writers of
      // every process; each later statement of this READ COMMITTED transaction sees what the previous holder committed.
      await client.query('SELECT pg_advisory_xact_lock(7263002, hashtext($1))', [r.rallyId]);
      const rally = await client.query('SELECT 1 FROM rallies WHERE id = $1', [r.rallyId]);
      if (rally.rowCount === 0) throw new StoreError('rally-not-found', `no rally with id "${r.rallyId}"`);
      const old = await client.query<DeskRow>('SELECT * FROM desk_records WHERE rally_id = $1 AND key = $2', [r.rallyId, r.key]);
      if (old.rows[0]) return { record: deskFromRow(old.rows[0]), added: false };
      const { rows } = await client.query<DeskRow>(
        `INSERT INTO desk_records (rally_id, seq, kind, key, number, at, principal, detail)
         VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM desk_records WHERE rally_id = $1), $2, $3,
                 CASE WHEN $2 = 'notice' THEN (SELECT COALESCE(MAX(number), 0) + 1 FROM desk_records WHERE rally_id = $1 AND kind = 'notice') END,
                 $4, $5, $6)
         ON CONFLICT (rally_id, key) DO NOTHING RETURNING *`,
        [r.rallyId, r.kind, r.key, r.at, r.principal, jsonText(r.detail)],
      );
      return rows[0] ? { record: deskFromRow(rows[0]), added: true } : null;
    });
    if (result) return result;
    // Only reachable if a writer bypassed the lock: the key is taken, so answer with the record that holds it.
    const { rows } = await this.query<DeskRow>('SELECT * FROM desk_records WHERE rally_id = $1 AND key = $2', [r.rallyId, r.key]);
    if (!rows[0]) throw new StoreError('unavailable', `the desk record "${r.key}" was neither added nor found; send it again`);
    return { record: deskFromRow(rows[0]), added: false };
  }

  async listDeskRecords(rallyId: string): Promise<DeskRecord[]> {
    return (await this.query<DeskRow>('SELECT * FROM desk_records WHERE rally_id = $1 ORDER BY seq', [rallyId])).rows.map(deskFromRow);
  }

  onAppended(listener: (rallyId: string, lastSeq: number) => void): () => void {
    return this.listeners.add(listener);
  }

  onRallyChanged(listener: (notice: RallyNotice) => void): () => void {
    this.noticeListeners.add(listener);
    return () => { this.noticeListeners.delete(listener); };
  }

  onTokenRevoked(listener: (tokenId: string) => void): () => void {
    this.revokedListeners.add(listener);
    return () => { this.revokedListeners.delete(listener); };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.commits.drain();
    this.closed = true;
    await this.listener?.stop();
    this.listeners.clear();
    this.noticeListeners.clear();
    this.revokedListeners.clear();
    await this.pool.end();
  }

  private async flush(group: Pending<PreparedBatch, AppendResult[]>[]): Promise<void> {
    try {
      this.settle(group, await this.appendTransaction(group.map((p) => p.input)));
      return;
    } catch (e) {
      if (isConnectionError(e)) {
        for (const p of group) p.reject(mapPgError(e, this.url));
        return;
      }
    }
    // The database refused something in the group: retry each batch alone, so only the bad one fails.
    for (const p of group) await this.appendAlone(p);
  }

  private async appendAlone(p: Pending<PreparedBatch, AppendResult[]>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        this.settle([p], await this.appendTransaction([p.input]));
        return;
      } catch (e) {
        // A writer in another process stored the same fact id first: re-reading now finds the original.
        if ((e as { code?: string })?.code === UNIQUE_VIOLATION && attempt < 3) continue;
        p.reject(mapPgError(e, this.url));
        return;
      }
    }
  }

  private settle(group: Pending<PreparedBatch, AppendResult[]>[], outcome: Awaited<ReturnType<typeof appendGroup>>): void {
    group.forEach((p, i) => {
      const o = outcome.outcomes[i];
      if (o?.ok) p.resolve(o.results);
      else p.reject(o?.error ?? new Error('no outcome for batch'));
    });
    for (const [rallyId, lastSeq] of outcome.heads) this.announce(rallyId, lastSeq);
  }

  private appendTransaction(batches: PreparedBatch[]): ReturnType<typeof appendGroup> {
    return this.transaction((client) => appendGroup(client, batches), false);
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>, mapErrors = true): Promise<T> {
    this.open();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw mapErrors ? mapPgError(e, this.url) : e;
    }
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      if (isConnectionError(e)) broken = e as Error;
      else await client.query('ROLLBACK').catch((r: Error) => { broken = r; });
      throw mapErrors ? mapPgError(e, this.url) : e;
    } finally {
      client.release(broken);
    }
  }

  private async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    this.open();
    try {
      return await this.pool.query<R>(sql, params);
    } catch (e) {
      throw mapPgError(e, this.url);
    }
  }

  private onNotify(channel: string, payload: string): void {
    if (channel === FACTS_CHANNEL) {
      const parsed = parseNotification(payload);
      if (parsed) this.announce(parsed[0], parsed[1]);
    } else if (channel === RALLIES_CHANNEL) {
      const notice = parseNotice(payload, this.origin);
      if (notice) this.emitNotice(notice);
    } else if (channel === TOKENS_CHANNEL) {
      const tokenId = parseRevoked(payload, this.origin);
      if (tokenId !== null) this.emitRevoked(tokenId);
    }
  }

  private emitRevoked(tokenId: string): void {
    for (const l of [...this.revokedListeners]) {
      try {
        l(tokenId);
      } catch (e) {
        this.log(`onTokenRevoked listener failed for ${tokenId}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  private emitNotice(notice: RallyNotice): void {
    for (const l of [...this.noticeListeners]) {
      try {
        l(notice);
      } catch (e) {
        this.log(`onRallyChanged listener failed for ${notice.rallyId}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  private announce(rallyId: string, lastSeq: number, force = false): void {
    if (!force && (this.announced.get(rallyId) ?? 0) >= lastSeq) return;
    this.announced.set(rallyId, Math.max(lastSeq, this.announced.get(rallyId) ?? 0));
    this.listeners.emit(rallyId, lastSeq);
  }

  /**
   * After the LISTEN connection came back: notifications may have been missed,
   * so announce every rally's head and definition version (listeners ignore a
   * version they already have) and every revoked token (closing what is no
   * longer open costs nothing). Missed publications are not replayed.
   */
  private async catchUpAll(): Promise<void> {
    try {
      if (this.revokedListeners.size > 0) {
        const revoked = await this.query<{ id: string }>('SELECT id FROM tokens WHERE revoked_at IS NOT NULL ORDER BY id');
        for (const t of revoked.rows) this.emitRevoked(t.id);
      }
      const { rows } = await this.query<{ id: string; last_seq: number; version: number }>('SELECT id, last_seq, version FROM rallies ORDER BY id');
      for (const r of rows) {
        this.emitNotice({ rallyId: r.id, kind: 'definition', version: Number(r.version) });
        this.announce(r.id, Number(r.last_seq), true);
      }
    } catch (e) {
      this.log(`catch-up after reconnect failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private open(): void {
    if (this.closed) throw new Error('store is closed');
  }
}
