// Reading times: the digit-by-digit readers must accept exactly the written
// grammar (docs: `45.2`, `3:45.2`, `1:02:03.4` for durations; rally-local
// `2026-02-06T19:32:05.3` for times of day) and give the same milliseconds.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseDuration } from './duration.ts';
import { DAY_MS, parseLocalDateTime } from './local-time.ts';

/** The grammar as regular expressions, with the date checked by the Gregorian calendar. */
function referenceDuration(text: string): number | null {
  const m = /^\s*(?:(?:(\d+):)?(\d{1,2}):)?(\d{1,2}|\d+)(?:\.(\d{1,3}))?\s*$/.exec(text);
  if (!m) return null;
  const [, h, mi, s, frac] = m;
  if ((mi !== undefined || h !== undefined) && Number(s) >= 60) return null;
  if (h !== undefined && Number(mi) >= 60) return null;
  return ((Number(h ?? 0) * 60 + Number(mi ?? 0)) * 60 + Number(s)) * 1000 + (frac ? Number(frac.padEnd(3, '0')) : 0);
}

function referenceLocal(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  const s = m[6] ? Number(m[6]) : 0;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const dim = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  if (dim === undefined || d < 1 || d > dim || h > 23 || mi > 59 || s > 59) return null;
  // Days since 1970-01-01 by counting whole years and months (slow and plain on purpose).
  let days = 0;
  for (let yy = 1970; yy < y; yy++) days += yy % 4 === 0 && (yy % 100 !== 0 || yy % 400 === 0) ? 366 : 365;
  for (let yy = y; yy < 1970; yy++) days -= yy % 4 === 0 && (yy % 100 !== 0 || yy % 400 === 0) ? 366 : 365;
  for (let k = 1; k < mo; k++) days += [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][k - 1]!;
  days += d - 1;
  return days * DAY_MS + ((h * 60 + mi) * 60 + s) * 1000 + (m[7] ? Number(m[7].padEnd(3, '0')) : 0);
}

const two = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((n) => String(n).padStart(2, '0'));
/** Texts near the grammar: right shapes with out-of-range fields, stray characters, spaces and odd lengths. */
const localText = fc.tuple(
  fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')), two(0, 13), two(0, 32), fc.constantFrom('T', ' ', 'x'),
  two(0, 24), two(0, 60), fc.option(two(0, 60)), fc.option(fc.stringMatching(/^[0-9]{0,4}$/)), fc.constantFrom('', ' ', '\t'),
).map(([y, mo, d, sep, h, mi, s, frac, pad]) => `${pad}${y}-${mo}-${d}${sep}${h}:${mi}${s !== null ? `:${s}${frac !== null ? `.${frac}` : ''}` : ''}${pad}`);
const durationText = fc.oneof(
  fc.tuple(fc.option(fc.nat(120)), fc.option(fc.nat(99)), fc.nat(120), fc.option(fc.stringMatching(/^[0-9]{0,4}$/)))
    .map(([h, m, s, frac]) => `${h !== null ? `${h}:` : ''}${m !== null ? `${String(m).padStart(2, '0')}:` : ''}${s}${frac !== null ? `.${frac}` : ''}`),
  fc.stringMatching(/^[0-9:. ]{0,12}$/),
);

describe('time of day', () => {
  test('reads the rally-local forms, with or without seconds and tenths', () => {
    assert.equal(parseLocalDateTime('1970-01-02T00:00'), DAY_MS);
    assert.equal(parseLocalDateTime('1970-01-01T19:32:05.3'), ((19 * 60 + 32) * 60 + 5) * 1000 + 300);
    assert.equal(parseLocalDateTime('1970-01-01 00:00:01.25'), 1250);
    assert.equal(parseLocalDateTime(' 1970-01-01T00:01 '), 60_000, 'spaces around are allowed');
  });

  test('refuses dates and times that do not exist', () => {
    assert.equal(parseLocalDateTime('2026-02-29T10:00'), null, '2026 is not a leap year');
    assert.notEqual(parseLocalDateTime('2024-02-29T10:00'), null);
    assert.equal(parseLocalDateTime('2026-04-31T10:00'), null);
    assert.equal(parseLocalDateTime('2026-02-06T24:00'), null);
    assert.equal(parseLocalDateTime('2026-02-06T10:60'), null);
    assert.equal(parseLocalDateTime('2026-02-06T10:00:00.1234'), null);
    assert.equal(parseLocalDateTime('2026-2-06T10:00'), null);
  });

  test('property: gives what the written grammar gives, for texts near it', () => {
    fc.assert(fc.property(localText, (t) => parseLocalDateTime(t) === referenceLocal(t)), { numRuns: 3000 });
  });
});

describe('durations', () => {
  test('reads seconds, minutes and hours with up to three decimals', () => {
    assert.equal(parseDuration('45.2'), 45_200);
    assert.equal(parseDuration('3:45.123'), 225_123);
    assert.equal(parseDuration('1:02:03.4'), 3_723_400);
    assert.equal(parseDuration('2:00'), 120_000);
    assert.equal(parseDuration('75'), 75_000, 'bare seconds may pass a minute');
    assert.equal(parseDuration(' 3:45.2 '), 225_200);
    assert.equal(parseDuration('100:00:00'), 360_000_000);
  });

  test('refuses what is not a duration', () => {
    for (const t of ['3:60', '1:60:00', '3:45.', '.5', '1:2:3:4', '3:45.1234', '', '-3:00', '3,5']) assert.equal(parseDuration(t), null, t);
  });

  test('property: gives what the written grammar gives, for texts near it', () => {
    fc.assert(fc.property(durationText, (t) => parseDuration(t) === referenceDuration(t)), { numRuns: 3000 });
  });
});
