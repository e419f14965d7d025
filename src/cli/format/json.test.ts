import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toJson } from './json.ts';

test('absent values and NaN become null, so every key is present', () => {
  const text = toJson({ a: undefined, b: Number.NaN, c: [undefined, 1], d: 'x' });
  assert.deepEqual(JSON.parse(text), { a: null, b: null, c: [null, 1], d: 'x' });
  assert.ok(!text.includes('undefined') && !text.includes('NaN'));
});
test('key order is the order the object was built in (stable output)', () => {
  assert.equal(toJson({ z: 1, a: 2 }), '{\n  "z": 1,\n  "a": 2\n}\n');
});
