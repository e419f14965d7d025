// Which calendar day each stage runs on, for the classifications WRC points
// are awarded on by day: the general classification after the last Saturday
// stage (WRC 2024) and a classification of Sunday only (WRC 2024, 2025 Super
// Sunday). SEE: rally-rules §6.1 (WRC24, WRC25).
//
// A stage's day is the calendar day of its scheduled start in the rally's
// time zone. Scheduled times in a rally file are rally-local already
// (`firstCarDue`), so the day is the date part of the last scheduled time met
// in the itinerary up to the stage's start control; a leg without scheduled
// times gives its stages the leg's date.
import type { RallyDefinition } from '../model.ts';

/** 0 = Sunday … 6 = Saturday, for a `YYYY-MM-DD` date (proleptic Gregorian). */
export function weekday(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) throw new RangeError(`weekday: '${date}' is not a date (YYYY-MM-DD)`);
  let y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  // Sakamoto's method.
  const t = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
  if (mo < 3) y -= 1;
  return (y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) + t[mo - 1]! + d) % 7;
}

export const SATURDAY = 6;
export const SUNDAY = 0;

/** The local date (`YYYY-MM-DD`) each stage is scheduled to start on, by stage code. */
export function stageDates(def: RallyDefinition): Map<string, string> {
  const out = new Map<string, string>();
  for (const leg of def.legs) {
    let day = leg.date;
    for (const section of leg.sections) {
      for (const c of section.controls) {
        if (c.firstCarDue && /^\d{4}-\d{2}-\d{2}/.test(c.firstCarDue)) day = c.firstCarDue.slice(0, 10);
        if (c.kind === 'SS_START' && c.stage && !out.has(c.stage)) out.set(c.stage, day);
      }
    }
  }
  // Stages without a start control take their leg's date.
  const legDate = new Map(def.legs.map((l) => [l.id, l.date]));
  for (const s of def.stages) if (!out.has(s.code)) { const d = legDate.get(s.leg); if (d) out.set(s.code, d); }
  return out;
}

/** Stage codes, in running order, scheduled to start on the given weekday. */
export function stagesOnWeekday(def: RallyDefinition, day: number): string[] {
  const dates = stageDates(def);
  return def.stages.filter((s) => { const d = dates.get(s.code); return d !== undefined && weekday(d) === day; }).map((s) => s.code);
}
