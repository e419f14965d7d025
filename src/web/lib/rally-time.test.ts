import { test } from 'node:test';
import assert from 'node:assert/strict';
import { localTimeText, zoneDateTime, zoneNameOn, zoneTime } from './rally-time.ts';

// Whatever zone this process runs in, the rally's zone decides (a laptop set to London at a Detroit rally).
test('times are read in the rally zone, 24-hour, with the zone named', () => {
  const at = '2026-02-07T21:00:05Z';
  assert.equal(zoneTime(at, 'America/Detroit'), '16:00 EST');
  assert.equal(zoneTime(at, 'America/Detroit', true), '16:00:05 EST');
  assert.equal(zoneDateTime(at, 'America/Detroit'), '7 Feb 2026 16:00:05 EST');
  assert.equal(zoneTime(at, 'Europe/London'), '21:00 GMT');
  // Midnight is 00, not 24.
  assert.equal(zoneTime('2026-02-07T05:00:00Z', 'America/Detroit'), '00:00 EST');
  // Summer time changes the zone's name.
  assert.equal(zoneTime('2026-07-07T21:00:00Z', 'America/Detroit'), '17:00 EDT');
});

test('an unknown zone or an unreadable time does not throw', () => {
  assert.equal(zoneTime('2026-02-07T21:00:05Z', 'Mars/Olympus'), '21:00 UTC');
  assert.equal(zoneDateTime('not a time', 'America/Detroit'), 'not a time');
});

test('a fact\'s rally-local time of day gets its day and the zone of that day', () => {
  assert.equal(localTimeText('2026-02-07T15:41:35.0', 'America/Detroit'), '7 Feb 15:41:35.0 EST');
  assert.equal(localTimeText('2026-07-04T09:03', 'America/Detroit'), '4 Jul 09:03 EDT');
  assert.equal(zoneNameOn('2026-03-13', 'Europe/London'), 'GMT');
  assert.equal(localTimeText('15:41:35.0', 'America/Detroit'), '15:41:35.0', 'a stage time or bare clock is left as it is');
});
