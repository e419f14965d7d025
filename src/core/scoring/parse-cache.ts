// Facts are immutable, so each time text is parsed once per fact, not once per
// rescoring of its car (a live rally re-derives a car for every new fact).
import type { Fact } from '../facts.ts';
import { parseDuration } from '../time/duration.ts';
import { parseLocalDateTime } from '../time/local-time.ts';

const durations = new WeakMap<object, number | null>();
const times = new WeakMap<object, number | null>();

export function durationOf(f: Fact & { time: string }): number | null {
  let v = durations.get(f);
  if (v === undefined) { v = parseDuration(f.time); durations.set(f, v); }
  return v;
}

export function timeOfDayOf(f: Fact & { at: string }): number | null {
  let v = times.get(f);
  if (v === undefined) { v = parseLocalDateTime(f.at); times.set(f, v); }
  return v;
}
