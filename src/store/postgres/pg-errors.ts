// Turning PostgreSQL connection trouble into words for people: the URL with
// its password masked, and StoreError('unavailable') for every error that
// means "the database is not there right now" rather than "this write is wrong".
import { StoreError } from '../contract.ts';

/** `postgres://user:secret@host:5432/db` → `postgres://user:***@host:5432/db`. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

/** Where the URL points, for messages: `postgres://host:5432/db` (no user, no password). */
export function describeTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return maskUrl(url);
  }
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EHOSTUNREACH', 'EAI_AGAIN',
  // SQLSTATE class 08 (connection exception) and 57P0x (server shutting down / starting up).
  '08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03',
  // 53300 too many connections, 53400 configuration limit, 55000 seen while a server shuts down (object not in prerequisite state).
  '53300', '53400', '55000',
]);

export function isConnectionError(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const { code, message } = e as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  const text = typeof message === 'string' ? message : '';
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|Client was closed/i.test(text);
}

/** Connection trouble becomes StoreError('unavailable'); anything else passes through unchanged. */
export function mapPgError(e: unknown, url: string): unknown {
  if (e instanceof StoreError || !isConnectionError(e)) return e;
  const reason = e instanceof Error ? e.message : String(e);
  return new StoreError('unavailable', `PostgreSQL at ${describeTarget(url)} is unavailable: ${reason} — retry shortly`);
}

export function unreachableError(url: string, e: unknown): StoreError {
  const reason = e instanceof Error ? (e.message || (e as { code?: string }).code || e.name) : String(e);
  return new StoreError('unavailable', `cannot reach PostgreSQL at ${describeTarget(url)}: ${reason} — is it running? set --db or RALLYHQ_DB`);
}
