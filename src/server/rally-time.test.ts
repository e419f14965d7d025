import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLocalDateTime } from '../core/time/index.ts';
import { parseNow, rallyLocalMs } from './rally-time.ts';

describe('the server clock in a rally\'s time zone', () => {
  test('2026-02-07T15:00:00Z in America/Detroit (EST, UTC−5) → 10:00 local', () => {
    assert.equal(formatLocalDateTime(rallyLocalMs(Date.parse('2026-02-07T15:00:00Z'), 'America/Detroit')), '2026-02-07T10:00:00.000');
  });
  test('2026-07-01T03:30:00.250Z in America/Detroit (EDT, UTC−4) → 23:30:00.250 the day before', () => {
    assert.equal(formatLocalDateTime(rallyLocalMs(Date.parse('2026-07-01T03:30:00.250Z'), 'America/Detroit')), '2026-06-30T23:30:00.250');
  });
  test('?now= as an instant with an offset is converted; without one it is already rally-local', () => {
    assert.equal(formatLocalDateTime(parseNow('2026-02-07T16:00:00+01:00', 'America/Detroit') as number), '2026-02-07T10:00:00.000');
    assert.equal(formatLocalDateTime(parseNow('2026-02-07T10:00', 'America/Detroit') as number), '2026-02-07T10:00:00.000');
    assert.equal(parseNow('tea time', 'America/Detroit'), null);
  });
});
