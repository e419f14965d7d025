// The published JSON Schema must be what the zod schema generates now.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rallyFileJsonSchemaText } from './json-schema.ts';

test('schema/rally-file.schema.json is up to date with src/core/rallyfile/schema.ts', () => {
  const published = readFileSync(new URL('../../../schema/rally-file.schema.json', import.meta.url), 'utf8');
  assert.ok(published === rallyFileJsonSchemaText(), 'schema/rally-file.schema.json is out of date: run `npm run schema` and commit the result');
});

test('the published schema names every fact type and the file version', () => {
  const schema = JSON.parse(rallyFileJsonSchemaText());
  const text = JSON.stringify(schema);
  for (const type of ['controlTime', 'stageTime', 'penalty', 'jumpStart', 'retirement', 'restart', 'exclusion', 'stageInterrupted', 'stageCancelled', 'retraction']) {
    assert.ok(text.includes(`"const":"${type}"`), `fact type ${type} missing from the JSON Schema`);
  }
  assert.equal(schema.properties.version.const, 1);
  assert.equal(schema.properties.format.const, 'rallyhq.rally');
});
