// iCalendar (RFC 5545) feeds: a rally's timetable and a season's rounds. Times
// are written in the rally's own zone (TZID), as the route book gives them.
// Pure: the caller passes the time the feed is made (DTSTAMP).
import type { RallyDefinition } from '../model.ts';
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
 * at the first car's due time at the control before it, counted from the leg
 * start with the road sections' target times (the timetable of car 0; a
 * stage's running time is not known in advance, so later times are "about").
 */
export function rallyTimetable(def: RallyDefinition): CalendarEvent[] {
  const events: CalendarEvent[] = [];
  for (const leg of def.legs) {
    const controls = leg.sections.flatMap((s) => s.controls);
    const startControl = controls.find((c) => c.firstCarDue);
    let t = startControl?.firstCarDue ? parseLocalDateTime(startControl.firstCarDue) : null;
    if (t === null) {
      events.push({ uid: `${def.id}-${leg.id}@rallyhq`, summary: `${def.name}: ${leg.name}`, start: leg.date, end: nextDay(leg.date), allDay: true });
      continue;
    }
    const legStart = t;
    let lastTc = t;
    let lastTcName = startControl!.id;
    const stageEvents: CalendarEvent[] = [];
    for (const c of controls) {
      if (c === startControl) continue;
      if (c.targetMs !== undefined) t += c.targetMs;
      if (c.kind !== 'SS_START' && c.targetMs !== undefined) { lastTc = t; lastTcName = c.id; }
      if (c.kind === 'SS_START' && c.stage) {
        const stage = def.stages.find((s) => s.code === c.stage);
        if (!stage) continue;
        stageEvents.push({
          uid: `${def.id}-${stage.code}@rallyhq`,
          summary: `${stage.code} ${stage.name}`,
          description: `${def.name}, ${leg.name}. First car due at ${lastTcName} about ${formatLocalDateTime(lastTc).slice(11, 16)} (from the leg start and the road sections' target times).`,
          start: formatLocalDateTime(lastTc).slice(0, 16),
          end: formatLocalDateTime(lastTc + 30 * 60_000).slice(0, 16),
          allDay: false,
        });
      }
    }
    const startName = startControl!.name ? ` (${startControl!.name})` : '';
    events.push({
      uid: `${def.id}-${leg.id}@rallyhq`, summary: `${def.name}: ${leg.name} start`,
      description: `First car due at ${startControl!.id}${startName} at ${formatLocalDateTime(legStart).slice(11, 16)}.`,
      start: formatLocalDateTime(legStart).slice(0, 16), end: formatLocalDateTime(legStart + 30 * 60_000).slice(0, 16), allDay: false,
      ...(startControl!.name ? { location: startControl!.name } : {}),
    }, ...stageEvents);
  }
  return events;
}

export function nextDay(date: string): string {
  const ms = parseLocalDateTime(`${date}T00:00`);
  return ms === null ? date : formatLocalDateTime(ms + 86_400_000).slice(0, 10);
}
