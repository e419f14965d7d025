// The server clock read in a rally's own time zone, as rally-local ms (the
// local date and time counted as if it were UTC; SEE: src/core/time/local-time.ts).
import { parseLocalDateTime } from '../core/time/index.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone this Node knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** An instant (epoch ms) as rally-local ms in `timeZone`. */
export function rallyLocalMs(epochMs: number, timeZone: string): number {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(epochMs)).map((p) => [p.type, p.value]));
  const text = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
  const local = parseLocalDateTime(text);
  if (local === null) throw new Error(`Intl gave an unreadable local time ${text}`);
  return local + (((epochMs % 1000) + 1000) % 1000);
}

/**
 * Reads `now` as given to the API: an instant with an offset or Z
 * (`2026-02-07T15:00:00Z`, converted to the rally's zone) or a rally-local
 * date-time without one (`2026-02-07T10:00`, taken as is). Null when unreadable.
 */
export function parseNow(text: string, timeZone: string): number | null {
  const t = text.trim();
  if (/(Z|[+-]\d{2}:?\d{2})$/i.test(t)) {
    const epoch = Date.parse(t);
    return Number.isNaN(epoch) ? null : rallyLocalMs(epoch, timeZone);
  }
  return parseLocalDateTime(t);
}
