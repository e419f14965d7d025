// A penalty only ever adds time: a negative one is refused where it comes in
// (the rally file and the fact endpoint share the schema), naming the field and the fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseRallyFile, validateFact } from './index.ts';

const example = (): { rally: Parameters<typeof validateFact>[0]; facts: unknown[] } => JSON.parse(readFileSync(new URL('../../../fixtures/example-small.rally.json', import.meta.url), 'utf8'));
const penalty = (seconds: unknown): Record<string, unknown> => ({ id: 'p-neg', type: 'penalty', car: 1, seconds, reason: 'time credit', stage: 'SS1' });

test('a penalty of -5 s is rejected at $.facts[n].seconds, saying to retract a penalty instead', () => {
  const json = example();
  json.facts.push(penalty(-5));
  const r = parseRallyFile(json);
  assert.equal(r.ok, false);
  const errors = r.ok ? [] : r.errors;
  const e = errors.find((x) => x.path === `$.facts[${json.facts.length - 1}].seconds`);
  assert.ok(e, JSON.stringify(errors));
  assert.match(e.message, /never negative/);
  assert.match(e.message, /retract/);
});

test('a single fact (as the server validates it): -0.001 s refused at $.seconds; 0 and 10.5 s accepted', () => {
  const def = example().rally;
  const neg = validateFact(def, penalty(-0.001));
  assert.equal(neg.ok, false);
  assert.deepEqual(neg.ok ? [] : neg.errors.map((e) => e.path), ['$.seconds']);
  assert.equal(validateFact(def, penalty(0)).ok, true);
  assert.equal(validateFact(def, penalty(10.5)).ok, true);
});
