import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupCommit } from './group-commit.ts';

test('10 submissions in one tick → one flush of 10, each caller gets its own answer', async () => {
  const groups: number[][] = [];
  const gc = new GroupCommit<number, number>((group) => {
    groups.push(group.map((p) => p.input));
    for (const p of group) p.resolve(p.input * 10);
  });
  const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => gc.submit(i)));
  assert.deepEqual(groups, [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]);
  assert.deepEqual(answers, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
});

test('submissions made while a flush is pending wait and go together in the next flush', async () => {
  const groups: number[][] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const gc = new GroupCommit<number, number>(async (group) => {
    groups.push(group.map((p) => p.input));
    if (groups.length === 1) await gate;
    for (const p of group) p.resolve(p.input);
  });
  const first = gc.submit(1);
  await new Promise((r) => setImmediate(r));
  const later = [gc.submit(2), gc.submit(3), gc.submit(4)];
  release();
  await Promise.all([first, ...later]);
  assert.deepEqual(groups, [[1], [2, 3, 4]]);
});

test('a flush that throws rejects every caller it left unsettled, and the queue keeps working', async () => {
  let fail = true;
  const gc = new GroupCommit<number, number>((group) => {
    if (fail) {
      group[0]?.resolve(-1);
      throw new Error('disk full');
    }
    for (const p of group) p.resolve(p.input);
  });
  const outcomes = await Promise.allSettled([gc.submit(1), gc.submit(2)]);
  assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected']);
  fail = false;
  assert.equal(await gc.submit(3), 3);
  await gc.drain();
});

test('maxGroup 3 with 7 waiting → flushes of 3, 3, 1', async () => {
  const sizes: number[] = [];
  const gc = new GroupCommit<number, number>((group) => { sizes.push(group.length); for (const p of group) p.resolve(0); }, 3);
  await Promise.all(Array.from({ length: 7 }, (_, i) => gc.submit(i)));
  assert.deepEqual(sizes, [3, 3, 1]);
});
