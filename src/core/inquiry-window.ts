// The inquiry window after a provisional classification: it runs for the
// rules' inquiryWindowMin from the latest provisional publication, unless an
// official one came after it. Pure: the adapter passes the publications' times
// and "now" as epoch milliseconds (the core has no clock).
// SEE: rally-rules §5 (provisional, then final: FMU26 Art 64.2; US inquiry
// window 30 min after provisional scores are posted: NASA-INQ).
import type { Cited } from './rules/types.ts';

export interface PublicationMoment {
  number: number;
  kind: 'provisional' | 'official';
  /** When it was published, epoch ms. */
  atMs: number;
}

export interface InquiryWindow {
  /** Minutes, from the rally's rules, with the rule that sets it and how sure it is. */
  windowMin: number;
  rule: string;
  confirmed: boolean;
  shown?: string;
  /** The provisional publication it runs after, or null when none has been published since the last official one. */
  provisional: number | null;
  startedAtMs: number | null;
  endsAtMs: number | null;
  /** Open while now is before the end (the end itself is closed). */
  open: boolean;
  remainingMs: number;
}

/** @param publications in publication order (number order). */
export function inquiryWindow(window: Cited<number>, publications: readonly PublicationMoment[], nowMs: number): InquiryWindow {
  const last = publications.at(-1);
  const prov = last && last.kind === 'provisional' ? last : null;
  const start = prov ? prov.atMs : null;
  const end = start === null ? null : start + window.value * 60_000;
  return {
    windowMin: window.value, rule: window.rule, confirmed: window.confirmed, ...(window.shown ? { shown: window.shown } : {}),
    provisional: prov?.number ?? null,
    startedAtMs: start,
    endsAtMs: end,
    open: end !== null && nowMs < end,
    remainingMs: end === null ? 0 : Math.max(0, end - nowMs),
  };
}
