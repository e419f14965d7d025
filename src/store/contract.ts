// src/store/contract.ts — the event log and everything the server persists.
import type { Fact } from '../core/facts.ts';
import type { RallyDefinition } from '../core/model.ts';

export interface StoredFact {
  rallyId: string;
  /** 1-based position in the rally's log; gap-free per rally. */
  seq: number;
  fact: Fact;            // fact.seq is set to seq when read back
  /** Server time it became durable, ISO 8601 UTC. */
  receivedAt: string;
  /** Who wrote it: principal id (user/device token owner). */
  principal: string;
  device?: string;
}

export interface AppendInput { fact: Fact; principal: string; device?: string; receivedAt: string }
/** duplicate = a fact with this id was already in the rally's log: `stored` is the ORIGINAL (nothing new written). */
export interface AppendResult { stored: StoredFact; duplicate: boolean }

export interface RallyRecord {
  id: string;
  definition: RallyDefinition;
  createdAt: string;
  updatedAt: string;
  /** Incremented on each definition change (optimistic concurrency). */
  version: number;
}

export interface PublicationRecord {
  rallyId: string;
  /** 1, 2, 3… per rally. */
  number: number;
  kind: 'provisional' | 'official';
  publishedAt: string;
  principal: string;
  reason?: string;
  /** Log position the results were computed at. */
  uptoSeq: number;
  /** Immutable JSON snapshot of the results at publication. */
  snapshot: unknown;
}

export type Role = 'admin' | 'officer' | 'timekeeper' | 'public';

export interface TokenRecord {
  id: string;
  /** SHA-256 hex of the secret; the secret itself is never stored. */
  hash: string;
  role: Role;
  /** For officer/timekeeper: the rally it is limited to. */
  rallyId?: string;
  /** For timekeeper: the controls it may write at. */
  controls?: string[];
  label: string;
  device?: string;
  /** The person who holds it, e.g. `Dana Whitfield`. */
  person?: string;
  /** Their post at the rally (src/core/people/posts.ts), e.g. `marshal`. */
  post?: string;
  createdAt: string;
  createdBy: string;
  revokedAt?: string;
}

export interface EnrollmentRecord {
  /** SHA-256 hex of the short code. */
  codeHash: string;
  rallyId: string;
  role: Role;
  controls?: string[];
  label: string;
  expiresAt: string;
  createdBy: string;
  usedAt?: string;
  /** Names the code in lists and cancellations (the code itself is never stored); absent on codes issued before ids. */
  id?: string;
  person?: string;
  post?: string;
  createdAt?: string;
  /** Cancelled before use: the code no longer works. */
  cancelledAt?: string;
  /** The device token the code became when it was used. */
  tokenId?: string;
}

export interface AuditRecord { at: string; principal: string; action: string; rallyId?: string; detail: unknown }

/** The desk's records beside the fact log (SEE: src/server/desk-records.ts). */
export type DeskRecordKind = 'protest' | 'protest-decision' | 'notice' | 'acknowledgment' | 'crew-code';

export interface DeskRecordInput {
  rallyId: string;
  kind: DeskRecordKind;
  /** Unique per rally: a second record with the same key is not written (the first one is answered). */
  key: string;
  at: string;
  principal: string;
  detail: unknown;
}

export interface DeskRecord extends DeskRecordInput {
  /** 1-based position among the rally's desk records; gap-free per rally. */
  seq: number;
  /** Notices only: 1, 2, 3… per rally in posting order, gap-free and unique. */
  number?: number;
}

/** added = false: a record with this key was already there and `record` is the ORIGINAL (nothing written). */
export interface DeskRecordResult { record: DeskRecord; added: boolean }

export interface Store {
  readonly kind: 'sqlite' | 'postgres' | 'memory';
  createRally(definition: RallyDefinition, at: string): Promise<RallyRecord>;   // throws StoreError('rally-exists')
  updateRally(id: string, definition: RallyDefinition, expectedVersion: number, at: string): Promise<RallyRecord>; // 'version-conflict' | 'rally-not-found'
  /** A rally and its facts (a rally file) in one transaction: on any failure neither is stored. 'rally-exists' when the id is taken. */
  importRally(definition: RallyDefinition, inputs: AppendInput[], at: string): Promise<{ rally: RallyRecord; results: AppendResult[] }>;
  getRally(id: string): Promise<RallyRecord | null>;
  listRallies(): Promise<RallyRecord[]>;
  /** Atomic: all of the batch or none. Concurrent calls share durable commits (group commit). Acknowledged = durable. */
  appendFacts(rallyId: string, inputs: AppendInput[]): Promise<AppendResult[]>;
  readFacts(rallyId: string, afterSeq?: number, limit?: number): Promise<StoredFact[]>;
  getFact(rallyId: string, factId: string): Promise<StoredFact | null>;
  latestSeq(rallyId: string): Promise<number>;
  /**
   * Numbers and stores a publication. With `idempotencyKey` (kept as the snapshot's `idempotencyKey`), a
   * publication of the rally already holding that key is answered instead (`replayed: true`), nothing stored:
   * checked under the same lock that numbers publications, so two processes sending one retry at the same
   * instant publish once.
   */
  addPublication(p: Omit<PublicationRecord, 'number'>, options?: { idempotencyKey?: string }): Promise<PublicationRecord & { replayed?: true }>;
  /** Full records, snapshots included, in number order. */
  listPublications(rallyId: string): Promise<PublicationRecord[]>;
  getPublication(rallyId: string, number: number): Promise<PublicationRecord | null>;
  /** The number of the rally's latest publication of this kind, or null: a cheap read (no snapshot) for answers keyed by it. */
  latestPublicationNumber(rallyId: string, kind: PublicationRecord['kind']): Promise<number | null>;
  createToken(t: TokenRecord): Promise<void>;
  findTokenByHash(hash: string): Promise<TokenRecord | null>;
  revokeToken(id: string, at: string): Promise<void>;
  listTokens(rallyId?: string): Promise<TokenRecord[]>;
  createEnrollment(e: EnrollmentRecord): Promise<void>;
  /** One-time: marks it used (by device token `tokenId`) and returns it, or null if unknown, used, cancelled or expired (atomic across processes). */
  consumeEnrollment(codeHash: string, at: string, tokenId?: string): Promise<EnrollmentRecord | null>;
  /** A rally's enrollment codes, used or not, oldest first. */
  listEnrollments(rallyId: string): Promise<EnrollmentRecord[]>;
  /** Cancels an unused, uncancelled code; false when it was used or cancelled first (atomic against consumeEnrollment). */
  cancelEnrollment(id: string, at: string): Promise<boolean>;
  audit(r: AuditRecord): Promise<void>;
  listAudit(rallyId: string): Promise<AuditRecord[]>;
  /**
   * Adds a desk record unless one with its key is there (then answers that one), numbering notices; one
   * transaction, so two writers — in this process or in another on the same database — never both add a key
   * nor share a notice number. 'rally-not-found' when the rally is unknown.
   */
  addDeskRecord(r: DeskRecordInput): Promise<DeskRecordResult>;
  /** The rally's desk records in the order they were added. */
  listDeskRecords(rallyId: string): Promise<DeskRecord[]>;
  /** Called after facts of a rally became durable — by this process or (PostgreSQL: LISTEN/NOTIFY) by any other. */
  onAppended(listener: (rallyId: string, lastSeq: number) => void): () => void;
  /**
   * Called after ANOTHER process changed a rally's definition or published its
   * results (PostgreSQL: LISTEN/NOTIFY). Absent on single-process stores: the
   * process that makes a change updates its own caches.
   */
  onRallyChanged?(listener: (notice: RallyNotice) => void): () => void;
  /**
   * Called after ANOTHER process revoked a token (PostgreSQL: LISTEN/NOTIFY), so
   * this one stops honouring it at once and closes what it holds open with it.
   * Absent on single-process stores.
   */
  onTokenRevoked?(listener: (tokenId: string) => void): () => void;
  close(): Promise<void>;
}

/** A change to a rally other than new facts: its definition now has `version`, or publication `number` was added. */
export type RallyNotice =
  | { rallyId: string; kind: 'definition'; version: number }
  | { rallyId: string; kind: 'publication'; number: number };

export class StoreError extends Error {
  constructor(public readonly code: 'rally-exists' | 'rally-not-found' | 'version-conflict' | 'unavailable' | 'fact-id-reused', message: string) { super(message); }
}

/** Options accepted by `openStore` (src/store/open.ts). */
export interface OpenStoreOptions { log?: (msg: string) => void }
