// Times of day as rally people read them: in the rally's own zone (never the
// browser's), 24-hour, with the zone named (`16:00 EST`, `7 Feb 2026 16:00:05 EST`).
// One formatter for every page, so the desk, the audit, the notice board and
// the public page say the same time the same way wherever the laptop is set.
const cache = new Map<string, Intl.DateTimeFormat>();

function parts(at: Date, timeZone: string): Record<string, string> {
  let f = cache.get(timeZone);
  if (!f) {
    // en-US names North American zones by their abbreviation (EST, CST); others read as GMT±h.
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
    cache.set(timeZone, f);
  }
  return Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
}

function toDate(at: Date | string | number): Date {
  return at instanceof Date ? at : new Date(at);
}

/** `16:00 EST`, or `16:00:05 EST` with seconds; the ISO text itself when it is not a time or the zone is unknown. */
export function zoneTime(at: Date | string | number, timeZone: string, withSeconds = false): string {
  const d = toDate(at);
  if (Number.isNaN(d.getTime())) return String(at);
  try {
    const p = parts(d, timeZone);
    return `${p.hour}:${p.minute}${withSeconds ? `:${p.second}` : ''} ${p.timeZoneName}`;
  } catch {
    return `${d.toISOString().slice(11, withSeconds ? 19 : 16)} UTC`;
  }
}

/** `7 Feb 2026 16:00:05 EST`: a moment in a list that spans days (audit, notices, publications). */
export function zoneDateTime(at: Date | string | number, timeZone: string): string {
  const d = toDate(at);
  if (Number.isNaN(d.getTime())) return String(at);
  try {
    const p = parts(d, timeZone);
    return `${p.day} ${p.month} ${p.year} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName}`;
  } catch {
    return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  }
}

/** The zone's short name on a rally day (`EST`; `GMT-5` where it has none), read at noon of that date. */
export function zoneNameOn(date: string, timeZone: string): string {
  try {
    return parts(new Date(`${date}T12:00:00Z`), timeZone).timeZoneName ?? timeZone;
  } catch {
    return timeZone;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A time of day as the facts hold it — rally-local, without an offset
 * (`2026-02-07T15:41:35.0`) — with its day and the zone named: `7 Feb 15:41:35.0 EST`.
 * Anything else is shown as it is.
 */
export function localTimeText(local: string, timeZone: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/.exec(local);
  if (!m) return local;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[4]} ${zoneNameOn(`${m[1]}-${m[2]}-${m[3]}`, timeZone)}`;
}
