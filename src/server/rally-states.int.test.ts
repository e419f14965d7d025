// The in-memory scored state: folds appended facts incrementally, emits one
// change per fold (or per interval, when asked to coalesce), and equals a clean rescore of the log whatever the order
// and batching the facts arrived in. On PostgreSQL, a second store (as a
// second process would have) catches up through LISTEN/NOTIFY.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Fact } from '../core/facts.ts';
import type { RallyDefinition } from '../core/model.ts';
import { resolveRules } from '../core/rules/resolve.ts';
import { classify, score } from '../core/scoring/index.ts';
import { MemoryStore } from '../store/memory/memory-store.ts';
import { openStore } from '../store/open.ts';
import { createTestDatabase, pgSkipReason } from '../testing/pg.ts';
import { RallyStates, type RallyChange } from './rally-states.ts';
import { smallRallyFile } from './testing/harness.ts';

const file = smallRallyFile();
const def = file.rally as unknown as RallyDefinition;
const facts = file.facts as unknown as Fact[];
const at = '2026-03-13T20:00:00.000Z';
const input = (fact: Fact) => ({ fact, principal: 'test', receivedAt: at });

describe('RallyStates', () => {
  test('property: facts appended in any order and batching → the cached results equal a clean rescore of the log', async () => {
    const { rules } = resolveRules(def.rules);
    await fc.assert(fc.asyncProperty(
      fc.shuffledSubarray(facts, { minLength: facts.length, maxLength: facts.length }),
      fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 20 }),
      async (order, sizes) => {
        const store = new MemoryStore();
        await store.createRally(def, at);
        const states = new RallyStates(store);
        await states.get(def.id);
        let i = 0;
        let k = 0;
        while (i < order.length) {
          const n = sizes[k++ % sizes.length] as number;
          const batch = order.slice(i, i + n);
          i += n;
          const r = await store.appendFacts(def.id, batch.map(input));
          await states.offer(def.id, r.map((x) => x.stored));
        }
        const entry = await states.get(def.id);
        assert.ok(entry);
        assert.equal(entry.seq, facts.length);
        const log = (await store.readFacts(def.id)).map((sf) => sf.fact);
        assert.deepEqual(classify(entry.state), classify(score(def, rules, log)));
        // SEE: architecture.md "facts that arrive out of order score as if in order".
        assert.deepEqual(classify(entry.state).rows.map((r) => [r.car, r.totalMs]), classify(score(def, rules, facts)).rows.map((r) => [r.car, r.totalMs]));
        states.close();
        await store.close();
      },
    ), { numRuns: 15 });
  });

  test('50 single-fact appends at once → fewer change events than facts, covering seq 1..50 exactly once', async () => {
    const store = new MemoryStore();
    await store.createRally(def, at);
    const states = new RallyStates(store);
    await states.get(def.id);
    const changes: RallyChange[] = [];
    states.on('change', (c) => changes.push(c));
    const first = facts.slice(0, 50);
    await Promise.all(first.map(async (f) => {
      const [r] = await store.appendFacts(def.id, [input(f)]);
      await states.offer(def.id, [r!.stored]);
    }));
    const seqs = changes.flatMap((c) => c.facts.map((sf) => sf.seq));
    assert.deepEqual(seqs, Array.from({ length: 50 }, (_, i) => i + 1));
    assert.ok(changes.length < 50, `${changes.length} changes`);
    for (const c of changes) assert.equal(c.toSeq - c.fromSeq, c.facts.length);
    states.close();
    await store.close();
  });

  test('changeIntervalMs: a commit, then 4 more within the interval → 2 changes (seq 1, then 2..5 when a snapshot is taken), the second starting where the first ended', async () => {
    const store = new MemoryStore();
    await store.createRally(def, at);
    // NOTE: an interval no test outlives: the pending change goes out when a snapshot is taken, never by the clock.
    const states = new RallyStates(store, { changeIntervalMs: 3_600_000 });
    await states.get(def.id);
    const changes: RallyChange[] = [];
    states.on('change', (c) => changes.push(c));
    for (const f of facts.slice(0, 5)) {
      const [r] = await store.appendFacts(def.id, [input(f)]);
      await states.offer(def.id, [r!.stored]);
    }
    assert.deepEqual(changes.map((c) => [c.fromSeq, c.toSeq]), [[0, 1]], 'the first goes out at once; the rest wait for the interval');
    const entry = await states.entry(def.id);
    assert.equal(entry?.seq, 5, 'the state already includes every acknowledged fact (read-your-writes)');
    assert.equal(changes.length, 1, 'reading the entry for a request does not announce');
    // A live snapshot reads through get(): the pending change goes out first, so the snapshot's seq is a change boundary.
    assert.equal((await states.get(def.id))?.seq, 5);
    assert.deepEqual(changes.map((c) => [c.fromSeq, c.toSeq, c.facts.map((sf) => sf.seq)]), [[0, 1, [1]], [1, 5, [2, 3, 4, 5]]]);
    assert.equal(changes[1]!.before, changes[0]!.after);
    const { rules } = resolveRules(def.rules);
    assert.deepEqual(changes[1]!.after, classify(score(def, rules, (await store.readFacts(def.id)).map((sf) => sf.fact))));
    states.close();
    await store.close();
  });

  test('a fact appended by another store on the same PostgreSQL database reaches this cache (LISTEN/NOTIFY)', async (t) => {
    const skip = await pgSkipReason();
    if (skip) return t.skip(skip);
    const db = await createTestDatabase('rallyhq_states');
    const a = await openStore(db.url);
    const b = await openStore(db.url);
    try {
      await a.createRally(def, at);
      const states = new RallyStates(b);
      await states.get(def.id);
      const changed = new Promise<RallyChange>((resolve) => states.once('change', resolve));
      await a.appendFacts(def.id, [input(facts[0] as Fact)]);
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no change within 5 s')), 5000).unref());
      const c = await Promise.race([changed, timeout]);
      assert.deepEqual([c.fromSeq, c.toSeq, c.facts[0]?.fact.id], [0, 1, facts[0]?.id]);
      states.close();
    } finally {
      await a.close();
      await b.close();
      await db.drop();
    }
  });
});
