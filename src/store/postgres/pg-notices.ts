// Notices of a rally's definition changes and publications on the
// `rallyhq_rallies` channel. The NOTIFY is part of the statement that makes the
// change, so it goes out exactly when the change becomes visible. Each store
// instance stamps its notices with its own origin and ignores them when they
// come back: the process that made a change has already updated its caches.
import type { RallyNotice } from '../contract.ts';
import { RALLIES_CHANNEL, TOKENS_CHANNEL } from './pg-listener.ts';

/**
 * SQL expression sending the notice; `rallyExpr` and `valueExpr` are columns of
 * the statement's rows, `originParam` the placeholder of the origin.
 */
export function notifySql(kind: RallyNotice['kind'], rallyExpr: string, valueExpr: string, originParam: string): string {
  const field = kind === 'definition' ? 'version' : 'number';
  return `pg_notify('${RALLIES_CHANNEL}', json_build_object('rallyId', ${rallyExpr}, 'kind', '${kind}', '${field}', ${valueExpr}, 'origin', ${originParam}::text)::text)`;
}

/** The notice in a payload, or null when malformed or sent by `ownOrigin`. */
export function parseNotice(payload: string, ownOrigin: string): RallyNotice | null {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(payload) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!o || typeof o !== 'object' || o.origin === ownOrigin || typeof o.rallyId !== 'string') return null;
  if (o.kind === 'definition' && Number.isInteger(o.version)) return { rallyId: o.rallyId, kind: 'definition', version: o.version as number };
  if (o.kind === 'publication' && Number.isInteger(o.number)) return { rallyId: o.rallyId, kind: 'publication', number: o.number as number };
  return null;
}

/** SQL expression announcing that token `idExpr` was revoked, stamped with the origin in `originParam`. */
export function revokedSql(idExpr: string, originParam: string): string {
  return `pg_notify('${TOKENS_CHANNEL}', json_build_object('tokenId', ${idExpr}, 'origin', ${originParam}::text)::text)`;
}

/** The revoked token's id in a payload, or null when malformed or sent by `ownOrigin`. */
export function parseRevoked(payload: string, ownOrigin: string): string | null {
  try {
    const o = JSON.parse(payload) as Record<string, unknown>;
    return o && typeof o === 'object' && o.origin !== ownOrigin && typeof o.tokenId === 'string' ? o.tokenId : null;
  } catch {
    return null;
  }
}
