import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readLastEventId } from './index.ts';
import { formatEvent, retryField } from './sse.ts';

test('Last-Event-ID: header "42" wins over ?lastEventId=7; none → null; "4x" or "-1" → malformed (undefined)', () => {
  assert.equal(readLastEventId('42', '7'), 42);
  assert.equal(readLastEventId(undefined, '7'), 7);
  assert.equal(readLastEventId(undefined, undefined), null);
  assert.equal(readLastEventId('4x', undefined), undefined);
  assert.equal(readLastEventId('-1', undefined), undefined);
});

test('SSE framing per WHATWG HTML §9.2: id, event, one data line of JSON, blank line; retry field', () => {
  assert.equal(formatEvent({ id: 7, event: 'delta', data: { a: 'x\ny' } }), 'id: 7\nevent: delta\ndata: {"a":"x\\ny"}\n\n');
  assert.equal(formatEvent({ event: 'publication', data: 1 }), 'event: publication\ndata: 1\n\n');
  assert.equal(retryField(2000).toString(), 'retry: 2000\n\n');
});
