// Times of day at controls. A rally's times are wall-clock times in its own
// time zone, over several days and across midnight. Inside rallyhq they are
// "rally-local milliseconds": the local date and time read as if it were UTC,
// counted from 1970-01-01T00:00 — integers that subtract correctly across
// midnight and days without any time-zone arithmetic in the core.
// NOTE: a daylight-saving change during a rally is not modelled (none of the
// supported rallies runs across one); the rally's `timeZone` is kept for display.

const DAY_MS = 86_400_000;

function daysFromCivil(y: number, m: number, d: number): number {
  // Howard Hinnant's days_from_civil: exact integer date arithmetic, no Date.
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z: number): [number, number, number] {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [m <= 2 ? y + 1 : y, m, d];
}

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Two ASCII digits at `i` as a number; -1 when either is not a digit. */
function two(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48, b = text.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The usual shapes (`2026-02-06T19:32`, `…:05`, `…:05.3`) read digit by digit:
 * scoring parses every time of day it folds. Anything else (spaces around,
 * other lengths) goes to the regular expression; undefined then.
 */
function parseFast(text: string): number | null | undefined {
  const n = text.length;
  if (n !== 16 && n !== 19 && (n < 21 || n > 23)) return undefined;
  const sep = text.charCodeAt(10);
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || (sep !== 84 && sep !== 32) || text.charCodeAt(13) !== 58) return undefined;
  const yh = two(text, 0), yl = two(text, 2), mo = two(text, 5), d = two(text, 8), h = two(text, 11), mi = two(text, 14);
  if (yh < 0 || yl < 0 || mo < 0 || d < 0 || h < 0 || mi < 0) return undefined;
  let s = 0, ms = 0;
  if (n > 16) {
    if (text.charCodeAt(16) !== 58) return undefined;
    s = two(text, 17);
    if (s < 0) return undefined;
    if (n > 19) {
      if (text.charCodeAt(19) !== 46) return undefined;
      for (let i = 20, scale = 100; i < n; i++, scale /= 10) {
        const c = text.charCodeAt(i) - 48;
        if (c < 0 || c > 9) return undefined;
        ms += c * scale;
      }
    }
  }
  const y = yh * 100 + yl;
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  // Proleptic Gregorian leap years, as daysFromCivil counts them.
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo]!)) return null; // 2026-02-30
  return daysFromCivil(y, mo, d) * DAY_MS + ((h * 60 + mi) * 60 + s) * 1000 + ms;
}

/** Parses `2026-02-06T19:32:05.3` (rally-local); null when it is not a real date and time. */
export function parseLocalDateTime(text: string): number | null {
  const fast = parseFast(text);
  if (fast !== undefined) return fast;
  const m = LOCAL_RE.exec(text.trim());
  if (!m) return null;
  const [, ys, mos, ds, hs, mis, ss, frac] = m;
  const y = Number(ys), mo = Number(mos), d = Number(ds), h = Number(hs), mi = Number(mis), s = ss ? Number(ss) : 0;
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const days = daysFromCivil(y, mo, d);
  if (civilFromDays(days)[2] !== d) return null; // 2026-02-30
  const ms = frac ? Number(frac.padEnd(3, '0')) : 0;
  return days * DAY_MS + ((h * 60 + mi) * 60 + s) * 1000 + ms;
}

/** Parses a local date `2026-02-06` to its midnight in rally-local ms. */
export function parseLocalDate(text: string): number | null {
  return parseLocalDateTime(`${text}T00:00`);
}

/** Formats rally-local ms as `2026-02-06T19:32:05.300`. */
export function formatLocalDateTime(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  const [y, mo, d] = civilFromDays(days);
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${formatTimeOfDay(ms, 3)}`;
}

/** Formats the time of day of rally-local ms as `19:32:05.3` (decimals 0–3). */
export function formatTimeOfDay(ms: number, decimals = 1): string {
  const t = ((ms % DAY_MS) + DAY_MS) % DAY_MS;
  const h = Math.floor(t / 3_600_000);
  const mi = Math.floor((t % 3_600_000) / 60_000);
  const s = Math.floor((t % 60_000) / 1000);
  const frac = t % 1000;
  const base = `${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return decimals > 0 ? `${base}.${String(frac).padStart(3, '0').slice(0, decimals)}` : base;
}

/** Start of the minute containing `ms` — control times are recorded to the whole minute, seconds dropped. */
export function truncateToMinute(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000;
}

export const MINUTE_MS = 60_000;
export { DAY_MS };

/** Two times of day as rally people write them (`10:02:03.4`), the date added when they are on different days. */
export function timesOfDayForPeople(a: number, b: number): [string, string] {
  const decimals = (ms: number): number => (ms % 100 !== 0 ? (ms % 10 !== 0 ? 3 : 2) : 1);
  const d = Math.max(decimals(a), decimals(b));
  const day = (ms: number): string => formatLocalDateTime(ms).slice(0, 10);
  const sameDay = day(a) === day(b);
  const text = (ms: number): string => (sameDay ? '' : `${day(ms)} `) + formatTimeOfDay(ms, d);
  return [text(a), text(b)];
}
