// The audit's diff of a definition change lists what changed, compared
// canonically: keys in another order (a client's JSON, PostgreSQL's jsonb) are
// no change. Built on the demo rally's definition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { RallyDefinition } from '../core/model.ts';
import { canonicalJson, definitionDiff } from './definition-diff.ts';

const def = (JSON.parse(readFileSync(new URL('../../fixtures/snodrift-2026.rally.json', import.meta.url), 'utf8')) as { rally: RallyDefinition }).rally;

function reversedKeys<T>(v: T): T {
  if (Array.isArray(v)) return v.map(reversedKeys) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversedKeys(x)])) as T;
  return v;
}

test('the same definition with every key in reverse order has an empty diff', () => {
  assert.deepEqual(definitionDiff(def, reversedKeys(def)), []);
  assert.equal(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } }), canonicalJson({ a: { c: null, d: [1, { e: 3, f: 2 }] }, b: 1 }));
});

test('a renamed driver, a removed class and changed rules are each one line, keys order aside', () => {
  const car = def.entries[0]!.car;
  const after = reversedKeys({
    ...def,
    entries: def.entries.map((e) => (e.car === car ? { ...e, driver: { ...e.driver, name: 'Marta Kowalczyk' } } : e)),
    classes: def.classes.slice(1),
    rules: { ...def.rules, overrides: { ...(def.rules as { overrides?: object }).overrides, inquiryWindowMin: { value: 45, rule: 'supplementary regulations 12.3' } } },
  } as RallyDefinition);
  const lines = definitionDiff(def, after);
  assert.equal(lines.length, 3, lines.join('\n'));
  assert.match(lines[0]!, new RegExp(`^entry car ${car}: driver .*"name":"Marta Kowalczyk"`));
  assert.equal(lines[1], `class ${def.classes[0]!.code} removed`);
  assert.match(lines[2]!, /^rules .*"inquiryWindowMin":\{"rule":"supplementary regulations 12.3","value":45\}/);
});
