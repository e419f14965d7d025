// Property: any subset of a valid file's facts (kept in order, corrections only
// with what they correct) is itself a valid file, and write → read → write
// gives the same bytes and the same value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseRallyFile, serializeRallyFile, type RallyFile } from './index.ts';

const exampleText = readFileSync(new URL('../../../fixtures/example-small.rally.json', import.meta.url), 'utf8');
const parsed = parseRallyFile(JSON.parse(exampleText));
assert.ok(parsed.ok);
const base: RallyFile = parsed.file;

test('any subset of valid facts re-serialized parses to the same file, byte for byte', () => {
  fc.assert(
    fc.property(fc.array(fc.boolean(), { minLength: base.facts.length, maxLength: base.facts.length }), (keep) => {
      const ids = new Set(base.facts.filter((_, i) => keep[i]).map((f) => f.id));
      // A correction kept without its original would only warn; keep the pair together.
      const facts = base.facts.filter((f) => ids.has(f.id) && (f.supersedes === undefined || ids.has(f.supersedes)))
        // …and an original typo without its correction may break finish-after-start: drop such orphans too.
        .filter((f) => !base.facts.some((g) => g.supersedes === f.id) || ids.has(base.facts.find((g) => g.supersedes === f.id)!.id));
      const file: RallyFile = { ...base, facts };
      const text = serializeRallyFile(file);
      const again = parseRallyFile(JSON.parse(text));
      assert.ok(again.ok, again.ok ? '' : JSON.stringify(again.errors.slice(0, 3)));
      assert.deepEqual(again.file, file);
      assert.equal(serializeRallyFile(again.file), text);
    }),
    { numRuns: 60 },
  );
});

test('facts given with their keys in any order serialize identically', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: base.facts.length - 1 }), fc.integer(), (i, seed) => {
      const json = JSON.parse(exampleText);
      const entries = Object.entries(json.facts[i] as Record<string, unknown>);
      // a seeded shuffle of the fact's keys
      const shuffled = entries.map((e, k) => ({ e, key: Math.imul(seed ^ (k * 2654435761), 2246822519) >>> 0 })).sort((a, b) => a.key - b.key).map((x) => x.e);
      json.facts[i] = Object.fromEntries(shuffled);
      const r = parseRallyFile(json);
      assert.ok(r.ok);
      assert.equal(serializeRallyFile(r.file), exampleText);
    }),
    { numRuns: 40 },
  );
});
