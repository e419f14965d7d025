// The store in memory: the reference behaviour of the contract, used by tests
// and by `--db :memory:`. Everything is copied in and out through JSON, so
// callers can no more mutate what was stored than they could in a database.
import type { RallyDefinition } from '../../core/model.ts';
import {
  StoreError,
  type AppendInput, type AppendResult, type AuditRecord, type DeskRecord, type DeskRecordInput, type DeskRecordResult, type EnrollmentRecord, type PublicationRecord,
  type RallyRecord, type Store, type StoredFact, type TokenRecord,
} from '../contract.ts';
import { planAppend, prepareBatch } from '../append-plan.ts';
import { AppendedListeners } from '../listeners.ts';

const copy = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

interface RallyLog { facts: StoredFact[]; byId: Map<string, StoredFact> }

export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  private readonly rallies = new Map<string, RallyRecord>();
  private readonly logs = new Map<string, RallyLog>();
  private readonly publications = new Map<string, PublicationRecord[]>();
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly enrollments = new Map<string, EnrollmentRecord>();
  private readonly audits: AuditRecord[] = [];
  private readonly desk = new Map<string, DeskRecord[]>();
  private readonly listeners: AppendedListeners;
  private closed = false;

  constructor(options: { log?: (msg: string) => void } = {}) {
    this.listeners = new AppendedListeners(options.log);
  }

  async createRally(definition: RallyDefinition, at: string): Promise<RallyRecord> {
    this.open();
    if (this.rallies.has(definition.id)) throw new StoreError('rally-exists', `a rally with id "${definition.id}" already exists`);
    const record: RallyRecord = { id: definition.id, definition: copy(definition), createdAt: at, updatedAt: at, version: 1 };
    this.rallies.set(record.id, record);
    this.logs.set(record.id, { facts: [], byId: new Map() });
    return copy(record);
  }

  async importRally(definition: RallyDefinition, inputs: AppendInput[], at: string): Promise<{ rally: RallyRecord; results: AppendResult[] }> {
    const rally = await this.createRally(definition, at);
    try {
      return { rally, results: await this.appendFacts(definition.id, inputs) };
    } catch (e) {
      // Nothing else can have written to a rally created a moment ago in this single-threaded store.
      this.rallies.delete(definition.id);
      this.logs.delete(definition.id);
      throw e;
    }
  }

  async updateRally(id: string, definition: RallyDefinition, expectedVersion: number, at: string): Promise<RallyRecord> {
    this.open();
    const current = this.rallies.get(id);
    if (!current) throw new StoreError('rally-not-found', `no rally with id "${id}"`);
    if (current.version !== expectedVersion) {
      throw new StoreError('version-conflict', `rally "${id}" is at version ${current.version}, not ${expectedVersion}: reload it and apply the change again`);
    }
    const record: RallyRecord = { ...current, definition: copy(definition), updatedAt: at, version: current.version + 1 };
    this.rallies.set(id, record);
    return copy(record);
  }

  async getRally(id: string): Promise<RallyRecord | null> {
    this.open();
    const r = this.rallies.get(id);
    return r ? copy(r) : null;
  }

  async listRallies(): Promise<RallyRecord[]> {
    this.open();
    return copy([...this.rallies.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)));
  }

  async appendFacts(rallyId: string, inputs: AppendInput[]): Promise<AppendResult[]> {
    this.open();
    const batch = prepareBatch(rallyId, inputs);
    if (inputs.length === 0) return [];
    const log = this.logs.get(rallyId);
    if (!log) throw new StoreError('rally-not-found', `no rally with id "${rallyId}"`);
    // NOTE: mirrors the CHECK / NOT NULL constraints of the SQL schema, so a batch refused there is refused here too.
    for (const input of inputs) {
      if (typeof input.fact.id !== 'string' || input.fact.id.length === 0) throw new Error('fact id must be a non-empty string');
      if (typeof (input.fact as { type?: unknown }).type !== 'string') throw new Error(`fact ${input.fact.id} has no type`);
    }
    const plan = planAppend(batch, log.facts.length, (id) => log.byId.get(id));
    for (const result of plan.results) {
      if (result.duplicate) continue;
      log.facts.push(result.stored);
      log.byId.set(result.stored.fact.id, result.stored);
    }
    const written = plan.rows.length > 0;
    await Promise.resolve(); // acknowledged after the write, like the SQL adapters
    if (written) this.listeners.emit(rallyId, plan.lastSeq);
    return copy(plan.results);
  }

  async readFacts(rallyId: string, afterSeq = 0, limit?: number): Promise<StoredFact[]> {
    this.open();
    const facts = this.logs.get(rallyId)?.facts ?? [];
    const from = Math.max(0, afterSeq);
    return copy(facts.slice(from, limit === undefined ? undefined : from + Math.max(0, limit)));
  }

  async getFact(rallyId: string, factId: string): Promise<StoredFact | null> {
    this.open();
    const f = this.logs.get(rallyId)?.byId.get(factId);
    return f ? copy(f) : null;
  }

  async latestSeq(rallyId: string): Promise<number> {
    this.open();
    return this.logs.get(rallyId)?.facts.length ?? 0;
  }

  async addPublication(p: Omit<PublicationRecord, 'number'>, options: { idempotencyKey?: string } = {}): Promise<PublicationRecord & { replayed?: true }> {
    this.open();
    if (!this.rallies.has(p.rallyId)) throw new StoreError('rally-not-found', `no rally with id "${p.rallyId}"`);
    const list = this.publications.get(p.rallyId) ?? [];
    const held = options.idempotencyKey === undefined ? undefined : list.find((x) => (x.snapshot as { idempotencyKey?: unknown } | null)?.idempotencyKey === options.idempotencyKey);
    if (held) return { ...copy(held), replayed: true };
    const record = copy({ ...p, snapshot: p.snapshot ?? null, number: list.length + 1 });
    list.push(record);
    this.publications.set(p.rallyId, list);
    return copy(record);
  }

  async listPublications(rallyId: string): Promise<PublicationRecord[]> {
    this.open();
    return copy(this.publications.get(rallyId) ?? []);
  }

  async latestPublicationNumber(rallyId: string, kind: PublicationRecord['kind']): Promise<number | null> {
    this.open();
    return (this.publications.get(rallyId) ?? []).filter((p) => p.kind === kind).at(-1)?.number ?? null;
  }

  async getPublication(rallyId: string, number: number): Promise<PublicationRecord | null> {
    this.open();
    const p = this.publications.get(rallyId)?.find((x) => x.number === number);
    return p ? copy(p) : null;
  }

  async createToken(t: TokenRecord): Promise<void> {
    this.open();
    if (this.tokens.has(t.id) || [...this.tokens.values()].some((x) => x.hash === t.hash)) throw new Error(`token ${t.id} already exists`);
    this.tokens.set(t.id, copy(t));
  }

  async findTokenByHash(hash: string): Promise<TokenRecord | null> {
    this.open();
    const t = [...this.tokens.values()].find((x) => x.hash === hash);
    return t ? copy(t) : null;
  }

  async revokeToken(id: string, at: string): Promise<void> {
    this.open();
    const t = this.tokens.get(id);
    if (t && !t.revokedAt) t.revokedAt = at;
  }

  async listTokens(rallyId?: string): Promise<TokenRecord[]> {
    this.open();
    const all = [...this.tokens.values()].filter((t) => rallyId === undefined || t.rallyId === rallyId);
    return copy(all.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)));
  }

  async createEnrollment(e: EnrollmentRecord): Promise<void> {
    this.open();
    if (this.enrollments.has(e.codeHash)) throw new Error('enrollment code already exists');
    this.enrollments.set(e.codeHash, copy(e));
  }

  async consumeEnrollment(codeHash: string, at: string, tokenId?: string): Promise<EnrollmentRecord | null> {
    this.open();
    const e = this.enrollments.get(codeHash);
    if (!e || e.usedAt || e.cancelledAt || Date.parse(e.expiresAt) <= Date.parse(at)) return null;
    e.usedAt = at;
    if (tokenId !== undefined) e.tokenId = tokenId;
    return copy(e);
  }

  async listEnrollments(rallyId: string): Promise<EnrollmentRecord[]> {
    this.open();
    const all = [...this.enrollments.values()].filter((e) => e.rallyId === rallyId);
    return copy(all.sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || (a.id ?? '').localeCompare(b.id ?? '')));
  }

  async cancelEnrollment(id: string, at: string): Promise<boolean> {
    this.open();
    const e = [...this.enrollments.values()].find((x) => x.id === id);
    if (!e || e.usedAt || e.cancelledAt) return false;
    e.cancelledAt = at;
    return true;
  }

  async audit(r: AuditRecord): Promise<void> {
    this.open();
    this.audits.push(copy({ ...r, detail: r.detail ?? null }));
  }

  async listAudit(rallyId: string): Promise<AuditRecord[]> {
    this.open();
    return copy(this.audits.filter((a) => a.rallyId === rallyId));
  }

  async addDeskRecord(r: DeskRecordInput): Promise<DeskRecordResult> {
    this.open();
    if (!this.rallies.has(r.rallyId)) throw new StoreError('rally-not-found', `no rally with id "${r.rallyId}"`);
    const list = this.desk.get(r.rallyId) ?? [];
    this.desk.set(r.rallyId, list);
    const old = list.find((x) => x.key === r.key);
    if (old) return { record: copy(old), added: false };
    const number = r.kind === 'notice' ? list.filter((x) => x.kind === 'notice').length + 1 : undefined;
    const record: DeskRecord = copy({ ...r, detail: r.detail ?? null, seq: list.length + 1, ...(number !== undefined ? { number } : {}) });
    list.push(record);
    return { record: copy(record), added: true };
  }

  async listDeskRecords(rallyId: string): Promise<DeskRecord[]> {
    this.open();
    return copy(this.desk.get(rallyId) ?? []);
  }

  onAppended(listener: (rallyId: string, lastSeq: number) => void): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
  }

  private open(): void {
    if (this.closed) throw new Error('store is closed');
  }
}
