// Helpers that keep a preset readable: one line per value, its rule beside it.
import type { Cited } from '../types.ts';

/** A value read in the rulebook or a transcription of it (reference tags [V] and [T]). */
export function confirmed<T>(value: T, rule: string, note?: string): Cited<T> {
  return note === undefined ? { value, rule, confirmed: true } : { value, rule, confirmed: true, note };
}

/**
 * A value the reference could not confirm (tags [P] and [NF]) or a rallyhq
 * default that no rulebook sets. The note says what was assumed; a rally's
 * supplementary regulations should override it.
 */
export function unconfirmed<T>(value: T, rule: string, note: string): Cited<T> {
  return { value, rule, confirmed: false, note };
}

/**
 * A value the rulebook text does not give but the body's own published
 * results show, applied consistently: `shown` names the results and the
 * cases that fit. Marked as such, never as confirmed.
 */
export function shownByResults<T>(value: T, rule: string, shown: string, note?: string): Cited<T> {
  return { value, rule, confirmed: false, shown, ...(note === undefined ? {} : { note }) };
}

/** Freezes a preset all the way down so no caller can change shared data. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value as Record<string, unknown>)) deepFreeze(inner);
  }
  return value;
}

/** rallyhq's own defaults for checks no rulebook regulates (data quality, overdue crews). */
export const RALLYHQ_DEFAULT = 'rallyhq default (no rulebook sets it)';
