// Names people type on the command line, resolved against the rally (or refused, listing the valid ones).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findClass, findEntry, findLeg, findStage } from './load-rally.ts';
import { definition } from './format/sample.test-data.ts';

test('stage: SS2, ss2 and 2 all name SS2', () => {
  for (const text of ['SS2', 'ss2', '2']) {
    const r = findStage(definition, text, '--after');
    assert.ok(r.ok && r.value.code === 'SS2', text);
  }
});
test('unknown stage SS9 is refused, naming the flag and listing SS1, SS2, SS3', () => {
  const r = findStage(definition, 'SS9', '--after');
  assert.deepEqual(r, { ok: false, message: "unknown stage 'SS9' for --after: this rally has SS1, SS2, SS3" });
});
test('class by code or name, any case: l4wd and "Limited 4WD" → L4WD; RC2 refused with the list', () => {
  assert.ok(findClass(definition, 'l4wd').ok);
  const byName = findClass(definition, 'limited 4wd');
  assert.ok(byName.ok && byName.value.code === 'L4WD');
  const bad = findClass(definition, 'RC2');
  assert.ok(!bad.ok && bad.message === "unknown class 'RC2' for --class: this rally has L4WD (Limited 4WD), O2WD (Open 2WD)");
});
test('leg by number, id or name: 1, L1, "leg 1"; leg 2 refused', () => {
  for (const text of ['1', 'L1', 'leg 1']) assert.ok(findLeg(definition, text).ok, text);
  const bad = findLeg(definition, '2');
  assert.ok(!bad.ok && bad.message.includes('1 (L1, Leg 1)'));
});
test('car 23 is found; car 99 and "abc" are refused, listing cars 5, 7, 12, 23, 41', () => {
  assert.ok(findEntry(definition, '23').ok);
  for (const text of ['99', 'abc', '2.5']) {
    const r = findEntry(definition, text);
    assert.ok(!r.ok && r.message === `unknown car '${text}' for --car: this rally has cars 5, 7, 12, 23, 41`, text);
  }
});
