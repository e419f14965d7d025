import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Fact } from '../core/facts.ts';
import { StoreError, type StoredFact } from './contract.ts';
import { planAppend, prepareBatch } from './append-plan.ts';
import { controlTime, input } from './contract.suite.ts';

test('head 5, batch [a, b, a] with "b" already stored → a:6, b duplicate (original), a duplicate of the new a', () => {
  const storedB: StoredFact = { rallyId: 'r', seq: 3, fact: { ...controlTime('b', 2), seq: 3 }, receivedAt: 't0', principal: 'p0' };
  const plan = planAppend(prepareBatch('r', [input(controlTime('a', 1)), input(controlTime('b', 2), 'p1'), input(controlTime('a', 1))]), 5, (id) => (id === 'b' ? storedB : undefined));
  assert.deepEqual(plan.results.map((r) => [r.stored.fact.id, r.stored.seq, r.duplicate]), [['a', 6, false], ['b', 3, true], ['a', 6, true]]);
  assert.equal(plan.results[1]?.stored, storedB);
  assert.deepEqual(plan.rows.map((r) => [r.seq, r.factId, r.car, r.type]), [[6, 'a', 1, 'controlTime']]);
  assert.equal(plan.lastSeq, 6);
});

test('a stored id or an earlier id of the batch with other content → fact-id-reused; key order does not count as content', () => {
  const storedB: StoredFact = { rallyId: 'r', seq: 3, fact: { ...controlTime('b', 2), seq: 3 }, receivedAt: 't0', principal: 'p0' };
  const look = (id: string) => (id === 'b' ? storedB : undefined);
  const reused = (e: unknown) => e instanceof StoreError && e.code === 'fact-id-reused';
  assert.throws(() => planAppend(prepareBatch('r', [input(controlTime('b', 9))]), 5, look), reused);
  assert.throws(() => planAppend(prepareBatch('r', [input(controlTime('a', 1)), input(controlTime('a', 2))]), 5, look), reused);
  const { id, type, car, control, at } = controlTime('b', 2) as { id: string; type: 'controlTime'; car: number; control: string; at: string };
  const reordered = { at, control, car, type, id } as Fact;
  assert.equal(planAppend(prepareBatch('r', [input(reordered)]), 5, look).results[0]?.duplicate, true);
});

test('the stored body drops the client-sent seq; read back, fact.seq is the log position', () => {
  const plan = planAppend(prepareBatch('r', [input({ ...controlTime('a', 1), seq: 99 })]), 0, () => undefined);
  assert.equal(JSON.parse(plan.rows[0]?.body ?? '{}').seq, undefined);
  assert.equal(plan.results[0]?.stored.fact.seq, 1);
});

test('property: any sequence of ids → new facts get head+1.. in order, one row per distinct new id', () => {
  fc.assert(fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { maxLength: 30 }), fc.nat(1000), fc.subarray(['a', 'c', 'e']), (ids, head, already) => {
    const existing = new Map(already.map((id, i) => [id, { rallyId: 'r', seq: i + 1, fact: { ...controlTime(id), seq: i + 1 }, receivedAt: 't', principal: 'p' } as StoredFact]));
    const plan = planAppend(prepareBatch('r', ids.map((id) => input(controlTime(id)))), head, (id) => existing.get(id));
    const fresh = [...new Set(ids.filter((id) => !existing.has(id)))];
    assert.deepEqual(plan.rows.map((r) => r.factId), fresh);
    assert.deepEqual(plan.rows.map((r) => r.seq), fresh.map((_, i) => head + i + 1));
    assert.equal(plan.lastSeq, head + fresh.length);
    ids.forEach((id, i) => assert.equal(plan.results[i]?.duplicate, existing.has(id) || ids.indexOf(id) < i));
  }), { numRuns: 300 });
});
