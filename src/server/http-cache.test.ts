import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyRequest } from 'fastify';
import { etagOf } from './http-cache.ts';

const req = (url: string) => ({ url }) as FastifyRequest;

test('an ETag holds only characters a tag may hold, whatever the rally id (RFC 9110 §8.8.3: no quote inside)', () => {
  for (const rallyId of ['a"b', 'rallye-é', 'sno drift\n2026']) {
    assert.match(etagOf({ rallyId, version: 3, seq: 41 }, req(`/api/rallies/${encodeURIComponent(rallyId)}/results`)), /^W\/"[A-Za-z0-9_-]+"$/);
  }
});

test('the tag changes with the definition version, the log seq, the rally and the query', () => {
  const base = etagOf({ rallyId: 'r', version: 1, seq: 5 }, req('/api/rallies/r/results'));
  assert.equal(etagOf({ rallyId: 'r', version: 1, seq: 5 }, req('/api/rallies/r/results')), base);
  for (const other of [
    etagOf({ rallyId: 'r', version: 2, seq: 5 }, req('/api/rallies/r/results')),
    etagOf({ rallyId: 'r', version: 1, seq: 6 }, req('/api/rallies/r/results')),
    etagOf({ rallyId: 's', version: 1, seq: 5 }, req('/api/rallies/r/results')),
    etagOf({ rallyId: 'r', version: 1, seq: 5 }, req('/api/rallies/r/results?class=L4WD')),
  ]) assert.notEqual(other, base);
});
