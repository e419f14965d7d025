// Appending a group of batches to PostgreSQL in one transaction, in four round
// trips (BEGIN, lock-and-look-up, write, COMMIT). Seqs stay gap-free across
// processes because every writer first locks the rows of the rallies it
// writes to (`SELECT … FOR UPDATE`, in id order so two groups never deadlock),
// then reads the head and any facts already stored under the same ids, and
// only then inserts (SEE: migration 2 in ../migrations/log.ts). NOTIFY goes
// out in the same transaction, so other processes hear of the facts exactly
// when they become visible.
import type pg from 'pg';
import { StoreError, type AppendResult, type StoredFact } from '../contract.ts';
import { planAppend, storedFromRow, type FactRow, type PreparedBatch } from '../append-plan.ts';
import { FACT_COLUMNS, factRowFromDb, type FactDbRow } from '../sql-rows.ts';
import { FACTS_CHANNEL } from './pg-listener.ts';

export type BatchOutcome = { ok: true; results: AppendResult[] } | { ok: false; error: unknown };

export interface GroupOutcome {
  outcomes: BatchOutcome[];
  /** Rallies that received new facts, with their new last seq. */
  heads: Map<string, number>;
}

const key = (rallyId: string, factId: string): string => `${rallyId}\u0000${factId}`;

/** Runs inside an open transaction on `client`; throws when the database refuses any row (the caller rolls back). */
export async function appendGroup(client: pg.ClientBase, batches: readonly PreparedBatch[]): Promise<GroupOutcome> {
  const rallyIds = [...new Set(batches.map((b) => b.rallyId))].sort();
  const wanted = batches.flatMap((b) => b.inputs.map((i) => [b.rallyId, String(i.fact.id)] as const));
  const { rows: [locked] } = await client.query<{ r: { heads: { id: string; last_seq: number }[]; found: FactDbRow[] } }>(
    'SELECT rallyhq_lock_for_append($1::text[], $2::text[], $3::text[]) AS r', [rallyIds, wanted.map((w) => w[0]), wanted.map((w) => w[1])],
  );
  const heads = new Map((locked?.r.heads ?? []).map((h) => [h.id, Number(h.last_seq)]));
  const existing = new Map<string, StoredFact>();
  for (const r of locked?.r.found ?? []) existing.set(key(r.rally_id, r.fact_id), storedFromRow(factRowFromDb(r)));

  const outcomes: BatchOutcome[] = [];
  const rows: FactRow[] = [];
  const touched = new Map<string, number>();
  for (const batch of batches) {
    const head = heads.get(batch.rallyId);
    if (head === undefined) {
      outcomes.push({ ok: false, error: new StoreError('rally-not-found', `no rally with id "${batch.rallyId}"`) });
      continue;
    }
    let plan;
    try {
      plan = planAppend(batch, head, (factId) => existing.get(key(batch.rallyId, factId)));
    } catch (error) {
      // A reused id with other content fails its own batch, not the callers sharing the commit.
      outcomes.push({ ok: false, error });
      continue;
    }
    for (const r of plan.results) if (!r.duplicate) existing.set(key(batch.rallyId, r.stored.fact.id), r.stored);
    rows.push(...plan.rows);
    heads.set(batch.rallyId, plan.lastSeq);
    if (plan.rows.length > 0) touched.set(batch.rallyId, plan.lastSeq);
    outcomes.push({ ok: true, results: plan.results });
  }

  if (rows.length > 0) {
    const ids = [...touched.keys()];
    // One statement: insert the rows, move the heads, and NOTIFY (delivered at COMMIT, never before).
    // NOTE: payload `<rallyId>:<lastSeq>`; a rally id may itself contain ':', so readers split at the last one.
    await client.query(
      `WITH inserted AS (
         INSERT INTO facts (${FACT_COLUMNS})
         SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[])
       ), moved AS (
         UPDATE rallies SET last_seq = v.last_seq FROM unnest($10::text[], $11::int[]) AS v (id, last_seq) WHERE rallies.id = v.id
         RETURNING rallies.id, rallies.last_seq
       )
       SELECT pg_notify('${FACTS_CHANNEL}', id || ':' || last_seq) FROM moved`,
      [
        rows.map((r) => r.rallyId), rows.map((r) => r.seq), rows.map((r) => r.factId), rows.map((r) => r.type), rows.map((r) => r.car),
        rows.map((r) => r.body), rows.map((r) => r.principal), rows.map((r) => r.device), rows.map((r) => r.receivedAt),
        ids, ids.map((id) => touched.get(id)),
      ],
    );
  }
  return { outcomes, heads: touched };
}

/** `rally:with:colons:42` → ['rally:with:colons', 42], or null when malformed. */
export function parseNotification(payload: string): [string, number] | null {
  const at = payload.lastIndexOf(':');
  if (at <= 0) return null;
  const seq = Number(payload.slice(at + 1));
  return Number.isInteger(seq) && seq >= 0 ? [payload.slice(0, at), seq] : null;
}
