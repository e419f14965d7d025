// Start lists: seeding by priority, by class, or by the classification after a leg with its top N reversed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { RallyDefinition } from '../model.ts';
import type { Fact } from '../facts.ts';
import { classify, score } from '../scoring/index.ts';
import { resolveRules } from '../rules/resolve.ts';
import { fixturePath } from '../../testing/fixtures.ts';
import { buildStartList, dueTimes } from './start-list.ts';

const file = JSON.parse(readFileSync(fixturePath('fixtures/snodrift-2026.rally.json'), 'utf8')) as { rally: RallyDefinition; facts: Fact[] };
const def = file.rally;
const state = score(def, resolveRules(def.rules).rules, file.facts);
const lastOfLeg1 = def.stages.filter((s) => s.leg === 'L1').at(-1)!.code;
const afterLeg1 = classify(state, { after: lastOfLeg1 });
const oneMinute = [{ fromOrder: 1, intervalMs: 60_000 }];

test('leg 2 seeded by the classification after leg 1 with the top 10 reversed: P10 starts first, P1 tenth, then P11 on', () => {
  const r = buildStartList(def, { leg: 'L2', method: 'classification', afterLeg: 'L1', reverseTopN: 10, intervals: oneMinute, firstDue: '2026-02-07T09:00' }, afterLeg1);
  assert.ok(r.ok, JSON.stringify(r));
  const byPos = afterLeg1.rows.filter((x) => x.position !== null && x.car !== 45).sort((a, b) => a.position! - b.position!).map((x) => x.car);
  assert.deepEqual(r.list.rows.slice(0, 10).map((x) => x.car), byPos.slice(0, 10).reverse());
  assert.deepEqual(r.list.rows.slice(10, 10 + byPos.length - 10).map((x) => x.car), byPos.slice(10));
  assert.equal(r.list.rows[0]!.due, '2026-02-07T09:00:00');
  assert.equal(r.list.rows[10]!.due, '2026-02-07T09:10:00');
  assert.equal(r.list.control, def.legs[1]!.sections[0]!.controls[0]!.id);
  // Every entry is either starting or said not to, with why.
  assert.equal(r.list.rows.length + r.list.notStarting.length, def.entries.length);
  for (const n of r.list.notStarting) assert.match(n.why, /retired|excluded|no classification/);
});

test('restarted crews start after the classified ones by default, before them when asked', () => {
  // Sno*Drift: car 45 retired on SS6 and restarts in leg 2 (its restart charges give it a place after leg 1).
  const restarted = [...new Set(afterLeg1.retired.filter((x) => x.restartedAt !== undefined && !x.permanent).map((x) => x.car))];
  assert.deepEqual(restarted, [45]);
  const base = { leg: 'L2', method: 'classification' as const, afterLeg: 'L1', reverseTopN: 0, intervals: oneMinute, firstDue: '2026-02-07T09:00' };
  const after = buildStartList(def, base, afterLeg1);
  const before = buildStartList(def, { ...base, restarted: 'before' }, afterLeg1);
  assert.ok(after.ok && before.ok);
  const set = new Set(restarted);
  assert.ok(after.list.rows.slice(-restarted.length).every((x) => set.has(x.car)));
  assert.ok(before.list.rows.slice(0, restarted.length).every((x) => set.has(x.car)));
});

test('by priority (P1 before P2 before P10, none last) and by class in the rally\'s class order', () => {
  const d: RallyDefinition = { ...def, entries: def.entries.slice(0, 5).map((e, i) => ({ ...e, group: ['P2', 'P10', undefined, 'P1', 'P2'][i] })).map((e) => { if (e.group === undefined) delete e.group; return e; }) };
  const r = buildStartList(d, { leg: 'L1', method: 'priority', intervals: oneMinute, firstDue: '2026-02-06T18:00' });
  assert.ok(r.ok);
  const cars = d.entries.map((e) => e.car);
  assert.deepEqual(r.list.rows.map((x) => x.car), [cars[3], cars[0], cars[4], cars[1], cars[2]]);
  const c = buildStartList(def, { leg: 'L1', method: 'class', intervals: oneMinute, firstDue: '2026-02-06T18:00' });
  assert.ok(c.ok);
  const rank = new Map(def.classes.map((x, i) => [x.code, i]));
  const classes = c.list.rows.map((x) => rank.get(def.entries.find((e) => e.car === x.car)!.class)!);
  assert.deepEqual(classes, [...classes].sort((a, b) => a - b));
});

test('start intervals per group: two minutes for the first ten, one minute after', () => {
  const t = dueTimes(0, 13, [{ fromOrder: 1, intervalMs: 120_000 }, { fromOrder: 11, intervalMs: 60_000 }]);
  assert.deepEqual(t.map((x) => x / 60_000), [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 19, 20, 21]);
});

test('bad requests name the field: unknown leg, a first leg seeded by classification, an interval not in whole seconds', () => {
  const bad = (req: Parameters<typeof buildStartList>[1]) => buildStartList(def, req, afterLeg1);
  const a = bad({ leg: 'L9', method: 'priority', intervals: oneMinute, firstDue: '2026-02-06T18:00' });
  assert.ok(!a.ok && a.field === 'leg');
  const b = bad({ leg: 'L1', method: 'classification', intervals: oneMinute, firstDue: '2026-02-06T18:00' });
  assert.ok(!b.ok && b.field === 'afterLeg');
  const c = bad({ leg: 'L1', method: 'priority', intervals: [{ fromOrder: 1, intervalMs: 1500 }], firstDue: '2026-02-06T18:00' });
  assert.ok(!c.ok && c.field === 'intervals');
  const d = bad({ leg: 'L1', method: 'priority', intervals: oneMinute, firstDue: 'tea time' });
  assert.ok(!d.ok && d.field === 'firstDue');
});
