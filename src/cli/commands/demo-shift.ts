// `rallyhq demo --today`: the demo rally moved to another date, so its marshal
// page and overdue checks can be tried on any day. Every date in the rally
// file moves by the same number of days (definition dates, leg dates, due
// times, times of day, recording times); times of day stay as they were.
import type { Fact } from '../../core/facts.ts';
import type { RallyDefinition } from '../../core/model.ts';

const DAY_MS = 86_400_000;

/** `2026-02-07…` with its date moved by `days`; text without a leading date is returned as is. */
export function shiftDateText(text: string, days: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!m) return text;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + days * DAY_MS);
  return `${d.toISOString().slice(0, 10)}${text.slice(10)}`;
}

/** Days from `from` to `to`, both `YYYY-MM-DD`. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function shiftRally(def: RallyDefinition, facts: readonly Fact[], days: number, id: string): { rally: RallyDefinition; facts: Fact[] } {
  const s = (t: string) => shiftDateText(t, days);
  const rally: RallyDefinition = {
    ...def,
    id,
    startDate: s(def.startDate),
    endDate: s(def.endDate),
    legs: def.legs.map((l) => ({ ...l, date: s(l.date), sections: l.sections.map((sec) => ({ ...sec, controls: sec.controls.map((c) => (c.firstCarDue ? { ...c, firstCarDue: s(c.firstCarDue) } : c)) })) })),
  };
  const shifted = facts.map((f) => {
    const g = { ...f } as Fact & { at?: string; recordedAt?: string };
    if (g.type === 'controlTime') g.at = s(g.at as string);
    if (g.recordedAt) g.recordedAt = s(g.recordedAt);
    return g as Fact;
  });
  return { rally, facts: shifted };
}
