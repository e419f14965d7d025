// Rows of the SQL adapters (SQLite and PostgreSQL share column names) turned
// into contract records. NULL columns become absent fields, never `undefined`
// or `null`, so a record reads back equal to the one written.
import type { RallyDefinition } from '../core/model.ts';
import type { AuditRecord, DeskRecord, DeskRecordKind, EnrollmentRecord, PublicationRecord, RallyRecord, Role, TokenRecord } from './contract.ts';
import type { FactRow } from './append-plan.ts';

type Nullable<T> = T | null;

export interface RallyRow { id: string; definition: string; version: number; created_at: string; updated_at: string }
export interface FactDbRow {
  rally_id: string; seq: number; fact_id: string; type: string; car: Nullable<number>; body: string;
  principal: string; device: Nullable<string>; received_at: string;
}
export interface PublicationRow {
  rally_id: string; number: number; kind: 'provisional' | 'official'; published_at: string; principal: string;
  reason: Nullable<string>; upto_seq: number; snapshot: string;
}
export interface TokenRow {
  id: string; hash: string; role: Role; rally_id: Nullable<string>; controls: Nullable<string>; label: string;
  device: Nullable<string>; created_at: string; created_by: string; revoked_at: Nullable<string>;
  person: Nullable<string>; post: Nullable<string>;
}
export interface EnrollmentRow {
  code_hash: string; rally_id: string; role: Role; controls: Nullable<string>; label: string; expires_at: string;
  created_by: string; used_at: Nullable<string>;
  id: Nullable<string>; person: Nullable<string>; post: Nullable<string>; created_at: Nullable<string>; cancelled_at: Nullable<string>; token_id: Nullable<string>;
}
export interface AuditRow { at: string; principal: string; action: string; rally_id: Nullable<string>; detail: string }

export interface DeskRow { rally_id: string; seq: number; kind: DeskRecordKind; key: string; number: Nullable<number>; at: string; principal: string; detail: string }

export const FACT_COLUMNS = 'rally_id, seq, fact_id, type, car, body, principal, device, received_at';

export function rallyFromRow(r: RallyRow): RallyRecord {
  return { id: r.id, definition: JSON.parse(r.definition) as RallyDefinition, createdAt: r.created_at, updatedAt: r.updated_at, version: Number(r.version) };
}

export function factRowFromDb(r: FactDbRow): FactRow {
  return {
    rallyId: r.rally_id, seq: Number(r.seq), factId: r.fact_id, type: r.type, car: r.car === null ? null : Number(r.car),
    body: r.body, principal: r.principal, device: r.device, receivedAt: r.received_at,
  };
}

export function publicationFromRow(r: PublicationRow): PublicationRecord {
  return {
    rallyId: r.rally_id, number: Number(r.number), kind: r.kind, publishedAt: r.published_at, principal: r.principal,
    ...(r.reason !== null ? { reason: r.reason } : {}),
    uptoSeq: Number(r.upto_seq), snapshot: JSON.parse(r.snapshot) as unknown,
  };
}

export function tokenFromRow(r: TokenRow): TokenRecord {
  return {
    id: r.id, hash: r.hash, role: r.role,
    ...(r.rally_id !== null ? { rallyId: r.rally_id } : {}),
    ...(r.controls !== null ? { controls: JSON.parse(r.controls) as string[] } : {}),
    label: r.label,
    ...(r.device !== null ? { device: r.device } : {}),
    ...(r.person !== null ? { person: r.person } : {}),
    ...(r.post !== null ? { post: r.post } : {}),
    createdAt: r.created_at, createdBy: r.created_by,
    ...(r.revoked_at !== null ? { revokedAt: r.revoked_at } : {}),
  };
}

export function tokenToParams(t: TokenRecord): unknown[] {
  return [t.id, t.hash, t.role, t.rallyId ?? null, t.controls ? JSON.stringify(t.controls) : null, t.label, t.device ?? null, t.createdAt, t.createdBy, t.revokedAt ?? null, t.person ?? null, t.post ?? null];
}

export const TOKEN_COLUMNS = 'id, hash, role, rally_id, controls, label, device, created_at, created_by, revoked_at, person, post';
export const ENROLLMENT_COLUMNS = 'code_hash, rally_id, role, controls, label, expires_at, created_by, used_at, id, person, post, created_at, cancelled_at, token_id';

/** `?, ?, …` (SQLite) or `$1, $2, …` (PostgreSQL) for `n` values. */
export function placeholders(n: number, dollar: boolean): string {
  return Array.from({ length: n }, (_, i) => (dollar ? `$${i + 1}` : '?')).join(', ');
}

export function enrollmentFromRow(r: EnrollmentRow): EnrollmentRecord {
  return {
    codeHash: r.code_hash, rallyId: r.rally_id, role: r.role,
    ...(r.controls !== null ? { controls: JSON.parse(r.controls) as string[] } : {}),
    label: r.label, expiresAt: r.expires_at, createdBy: r.created_by,
    ...(r.used_at !== null ? { usedAt: r.used_at } : {}),
    ...(r.id !== null ? { id: r.id } : {}),
    ...(r.person !== null ? { person: r.person } : {}),
    ...(r.post !== null ? { post: r.post } : {}),
    ...(r.created_at !== null ? { createdAt: r.created_at } : {}),
    ...(r.cancelled_at !== null ? { cancelledAt: r.cancelled_at } : {}),
    ...(r.token_id !== null ? { tokenId: r.token_id } : {}),
  };
}

export function enrollmentToParams(e: EnrollmentRecord): unknown[] {
  return [
    e.codeHash, e.rallyId, e.role, e.controls ? JSON.stringify(e.controls) : null, e.label, e.expiresAt, e.createdBy, e.usedAt ?? null,
    e.id ?? null, e.person ?? null, e.post ?? null, e.createdAt ?? null, e.cancelledAt ?? null, e.tokenId ?? null,
  ];
}

export function auditFromRow(r: AuditRow): AuditRecord {
  return { at: r.at, principal: r.principal, action: r.action, ...(r.rally_id !== null ? { rallyId: r.rally_id } : {}), detail: JSON.parse(r.detail) as unknown };
}

export function deskFromRow(r: DeskRow): DeskRecord {
  return {
    rallyId: r.rally_id, seq: Number(r.seq), kind: r.kind, key: r.key, ...(r.number !== null ? { number: Number(r.number) } : {}),
    at: r.at, principal: r.principal, detail: JSON.parse(r.detail) as unknown,
  };
}

/** JSON text of a value that must serialise (`undefined` becomes `null`). */
export function jsonText(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}
