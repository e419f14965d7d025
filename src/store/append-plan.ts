// How a batch of appends becomes log rows, shared by every adapter so the
// idempotency rules live in one place: a fact id already in the rally's log —
// or earlier in the same batch — with the same content is acknowledged with
// the ORIGINAL stored fact and writes nothing; with different content the
// whole batch is refused (fact-id-reused). Adapters plan inside the
// transaction that makes the id unique, so two racing requests cannot both
// pass a check made before it. Every new fact takes the next seq, gap-free.
import { carOf, type Fact } from '../core/facts.ts';
import { StoreError, type AppendInput, type AppendResult, type StoredFact } from './contract.ts';

/** Deterministic JSON of a fact's content: keys sorted, `seq` and undefined fields left out. */
export function canonicalFact(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalFact).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => k !== 'seq' && o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalFact(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Same content (whatever the key order, seq, principal or time of receipt)? */
export function sameFact(a: Fact, b: Fact): boolean {
  return canonicalFact(a) === canonicalFact(b);
}

/** One caller's batch, serialised up front so an unserialisable fact fails that caller alone, before anything is queued. */
export interface PreparedBatch {
  rallyId: string;
  inputs: AppendInput[];
  /** JSON of each fact without its `seq`, as stored. */
  bodies: string[];
}

/** A row of the `facts` table. */
export interface FactRow {
  rallyId: string;
  seq: number;
  factId: string;
  type: string;
  car: number | null;
  body: string;
  principal: string;
  device: string | null;
  receivedAt: string;
}

/** Throws (TypeError from JSON.stringify) when a fact cannot be serialised: a programmer error at the caller. */
export function prepareBatch(rallyId: string, inputs: readonly AppendInput[]): PreparedBatch {
  const bodies = inputs.map((input) => {
    const { seq: _seq, ...rest } = input.fact;
    const body = JSON.stringify(rest);
    if (typeof body !== 'string') throw new TypeError(`fact ${String(input.fact?.id)} cannot be serialised as JSON`);
    return body;
  });
  return { rallyId, inputs: [...inputs], bodies };
}

export function storedFromRow(row: FactRow): StoredFact {
  const fact = { ...(JSON.parse(row.body) as Fact), seq: row.seq };
  return {
    rallyId: row.rallyId,
    seq: row.seq,
    fact,
    receivedAt: row.receivedAt,
    principal: row.principal,
    ...(row.device !== null && row.device !== undefined ? { device: row.device } : {}),
  };
}

export interface AppendPlan {
  /** One result per input, in input order. */
  results: AppendResult[];
  /** The rows to insert, in seq order. */
  rows: FactRow[];
  /** The rally's last seq once the rows are in. */
  lastSeq: number;
}

/**
 * Plans one batch against the rally's current head. `existing` finds a fact
 * already in the log by id (the adapter's lookup: a query, or a map it keeps).
 */
export function planAppend(batch: PreparedBatch, lastSeq: number, existing: (factId: string) => StoredFact | undefined): AppendPlan {
  const inBatch = new Map<string, { stored: StoredFact; body: string }>();
  const results: AppendResult[] = [];
  const rows: FactRow[] = [];
  let seq = lastSeq;
  batch.inputs.forEach((input, i) => {
    const factId = input.fact.id;
    const earlier = inBatch.get(factId);
    const original = earlier?.stored ?? existing(factId);
    if (original) {
      // NOTE: an earlier fact of this batch is compared by its body: some adapters plan with id, type and car only.
      const before = canonicalFact(earlier ? JSON.parse(earlier.body) : original.fact);
      if (before !== canonicalFact(JSON.parse(batch.bodies[i] as string))) {
        throw new StoreError('fact-id-reused', `fact "${factId}" is already stored (seq ${original.seq}) with different content; give the new fact an id of its own, or correct the stored one with supersedes`);
      }
      results.push({ stored: original, duplicate: true });
      return;
    }
    seq += 1;
    const row: FactRow = {
      rallyId: batch.rallyId,
      seq,
      factId,
      type: input.fact.type,
      car: carOf(input.fact as Fact),
      body: batch.bodies[i] as string,
      principal: input.principal,
      device: input.device ?? null,
      receivedAt: input.receivedAt,
    };
    // NOTE: built from the fact in hand, not by parsing the body just serialised (the same JSON value).
    const { seq: _seq, ...rest } = input.fact;
    const stored: StoredFact = {
      rallyId: batch.rallyId, seq, fact: { ...rest, seq } as Fact, receivedAt: input.receivedAt, principal: input.principal,
      ...(input.device !== undefined && input.device !== null ? { device: input.device } : {}),
    };
    inBatch.set(factId, { stored, body: row.body });
    rows.push(row);
    results.push({ stored, duplicate: false });
  });
  return { results, rows, lastSeq: seq };
}
