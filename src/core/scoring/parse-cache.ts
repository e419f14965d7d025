// The time text of a fact, read where scoring needs it. NOTE: no cache: the
// usual shapes parse digit by digit (time/), which costs less than a WeakMap
// lookup keyed by the fact, and a fresh log would miss such a cache anyway.
import type { Fact } from '../facts.ts';
import { parseDuration } from '../time/duration.ts';
import { parseLocalDateTime } from '../time/local-time.ts';

export function durationOf(f: Fact & { time: string }): number | null {
  return parseDuration(f.time);
}

export function timeOfDayOf(f: Fact & { at: string }): number | null {
  return parseLocalDateTime(f.at);
}
