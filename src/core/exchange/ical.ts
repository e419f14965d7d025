// iCalendar (RFC 5545) feeds: a rally's timetable and a season's rounds. Times
// are written in the rally's own zone (TZID), as the route book gives them.
// Pure: the caller passes the time the feed is made (DTSTAMP).
import { firstCarTimetable } from '../itinerary/timetable.ts';
import type { RallyDefinition } from '../model.ts';
import { resolveRules } from '../rules/resolve.ts';
import { formatLocalDateTime, parseLocalDateTime } from '../time/index.ts';

export interface CalendarEvent {
  uid: string;
  summary: string;
  description?: string;
  location?: string;
  /** Rally-local date-time `2026-02-06T18:00` (with `timeZone`), or a date `2026-02-06` for a whole-day event. */
  start: string;
  /** Exclusive end: a date-time, or for whole-day events the day after the last day. */
  end: string;
  allDay: boolean;
}

/** RFC 5545 text escaping. */
function esc(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Lines longer than 75 octets are folded (RFC 5545 3.1). */
function fold(line: string): string {
  const out: string[] = [];
  let rest = line;
  while (new TextEncoder().encode(rest).length > 75) {
    let n = 74;
    while (new TextEncoder().encode(rest.slice(0, n)).length > 74) n--;
    out.push(rest.slice(0, n));
    rest = ' ' + rest.slice(n);
  }
  out.push(rest);
  return out.join('\r\n');
}

const compact = (s: string) => s.replace(/[-:]/g, '').replace(/\.\d+$/, '');

export function toICalendar(name: string, events: readonly CalendarEvent[], timeZone: string | null, stampUtc: string): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//rallyhq//timetable//EN', 'CALSCALE:GREGORIAN', `X-WR-CALNAME:${esc(name)}`];
  if (timeZone) lines.push(`X-WR-TIMEZONE:${timeZone}`);
  const stamp = compact(stampUtc.replace(/\.\d+Z$/, 'Z').replace(/Z$/, '')) + 'Z';
  for (const e of events) {
    lines.push('BEGIN:VEVENT', `UID:${e.uid}`, `DTSTAMP:${stamp}`);
    if (e.allDay) {
      lines.push(`DTSTART;VALUE=DATE:${e.start.replace(/-/g, '')}`, `DTEND;VALUE=DATE:${e.end.replace(/-/g, '')}`);
    } else {
      const sec = (t: string) => compact(t.length === 16 ? `${t}:00` : t);
      lines.push(`DTSTART;TZID=${timeZone}:${sec(e.start)}`, `DTEND;TZID=${timeZone}:${sec(e.end)}`);
    }
    lines.push(`SUMMARY:${esc(e.summary)}`);
    if (e.description) lines.push(`DESCRIPTION:${esc(e.description)}`);
    if (e.location) lines.push(`LOCATION:${esc(e.location)}`);
    lines.push('END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}

/**
 * A rally's timetable: each leg from its first car's due time, and each stage
 * at its first car's start, both as the timetable works them out
 * (src/core/itinerary/timetable.ts, under the rally's rules: the same times
 * as GET …/timetable). A stage whose start cannot be known in advance (no
 * leg start, or a target counted from an earlier stage's finish with no bogey
 * time) is a whole-day event on its leg's date.
 */
export function rallyTimetable(def: RallyDefinition): CalendarEvent[] {
  const { rules } = resolveRules(def.rules);
  const rows = firstCarTimetable(def.legs, def.stages, { targetFrom: rules.targetFrom.value, bogey: rules.stageBogeyTime.value });
  const hm = (ms: number) => formatLocalDateTime(ms).slice(11, 16);
  const events: CalendarEvent[] = [];
  def.legs.forEach((leg, legIndex) => {
    const own = rows.filter((r) => r.legIndex === legIndex);
    const start = own.find((r) => r.basis === 'fixed' && r.dueMs !== null);
    if (!start) {
      events.push({ uid: `${def.id}-${leg.id}@rallyhq`, summary: `${def.name}: ${leg.name}`, start: leg.date, end: nextDay(leg.date), allDay: true });
    } else {
      const c = start.control;
      events.push({
        uid: `${def.id}-${leg.id}@rallyhq`, summary: `${def.name}: ${leg.name} start`,
        description: `First car due at ${c.id}${c.name ? ` (${c.name})` : ''} at ${hm(start.dueMs!)}.`,
        start: formatLocalDateTime(start.dueMs!).slice(0, 16), end: formatLocalDateTime(start.dueMs! + 30 * 60_000).slice(0, 16), allDay: false,
        ...(c.name ? { location: c.name } : {}),
      });
    }
    for (const r of own) {
      if (r.control.kind !== 'SS_START' || !r.control.stage) continue;
      const stage = def.stages.find((s) => s.code === r.control.stage);
      if (!stage) continue;
      const uid = `${def.id}-${stage.code}@rallyhq`;
      const summary = `${stage.code} ${stage.name}`;
      if (r.dueMs === null) {
        events.push({ uid, summary, description: `${def.name}, ${leg.name}. The first car's start is not known in advance.`, start: leg.date, end: nextDay(leg.date), allDay: true });
        continue;
      }
      events.push({
        uid, summary,
        description: `${def.name}, ${leg.name}. First car's start ${r.estimated ? 'about ' : ''}${hm(r.dueMs)} (from the leg start and the road sections' target times).`,
        start: formatLocalDateTime(r.dueMs).slice(0, 16),
        end: formatLocalDateTime(r.dueMs + 30 * 60_000).slice(0, 16),
        allDay: false,
      });
    }
  });
  return events;
}

export function nextDay(date: string): string {
  const ms = parseLocalDateTime(`${date}T00:00`);
  return ms === null ? date : formatLocalDateTime(ms + 86_400_000).slice(0, 10);
}
