// Publishing with a seal: the previous publication's seal hash is read and the
// new one written one at a time per rally in this process, so the chain has no
// fork. (Two server processes publishing the same rally in the same instant
// with different Idempotency-Keys could still both chain to the same
// predecessor; `rallyhq verify` reports such a break. The same key twice is
// stored once: the store checks it under its numbering lock.)
import type { PublicationSeal } from '../../core/exchange/seal.ts';
import { classify } from '../../core/scoring/index.ts';
import type { PublicationRecord } from '../../store/contract.ts';
import type { ServerContext } from '../context.ts';
import type { RallyEntry } from '../rally-states.ts';
import { sealPublication } from './seal.ts';

const queues = new Map<string, Promise<unknown>>();

export function sealOf(p: Pick<PublicationRecord, 'snapshot'>): PublicationSeal | null {
  const s = (p.snapshot as { seal?: PublicationSeal } | null)?.seal;
  return s ?? null;
}

export async function sealedSnapshot(
  ctx: ServerContext,
  e: RallyEntry,
  kind: 'provisional' | 'official',
  add: (publishedAt: string, extra: { seal: PublicationSeal }, all: readonly PublicationRecord[]) => Promise<PublicationRecord>,
  /** Inside the queue, before sealing: an earlier publication that answers this request (a retry), if any. */
  existing?: (all: readonly PublicationRecord[]) => PublicationRecord | undefined,
): Promise<PublicationRecord> {
  const run = async () => {
    const all = await ctx.store.listPublications(e.rallyId);
    const already = existing?.(all);
    if (already) return already;
    const previous = all.at(-1);
    const publishedAt = ctx.now().toISOString();
    const seal = sealPublication(
      { rallyId: e.rallyId, kind, publishedAt, uptoSeq: e.seq },
      { facts: e.facts.map((sf) => sf.fact), definition: e.definition, classification: classify(e.state), previousHash: previous ? sealOf(previous)?.hash ?? null : null },
      ctx.signingKey,
    );
    return add(publishedAt, { seal }, all);
  };
  const prev = queues.get(e.rallyId) ?? Promise.resolve();
  const next = prev.then(run, run);
  queues.set(e.rallyId, next.catch(() => undefined));
  return next;
}
