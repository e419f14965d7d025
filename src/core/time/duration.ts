// Durations: integer milliseconds inside rallyhq; text only at the edges.
// People read stage times as `3:45.2`, totals as `1:02:03.4`, gaps as `+12.3`.

/** Parses `45.2`, `3:45.2`, `1:02:03.4`, `3:45.123`, `2:00`; null when it does not parse. */
export function parseDuration(text: string): number | null {
  const fast = parseDurationFast(text);
  if (fast !== undefined) return fast;
  const m = /^\s*(?:(?:(\d+):)?(\d{1,2}):)?(\d{1,2}|\d+)(?:\.(\d{1,3}))?\s*$/.exec(text);
  if (!m) return null;
  const [, h, mi, s, frac] = m;
  const hours = h ? Number(h) : 0;
  const minutes = mi ? Number(mi) : 0;
  const seconds = Number(s);
  if ((mi !== undefined || h !== undefined) && seconds >= 60) return null;
  if (h !== undefined && minutes >= 60) return null;
  const ms = frac ? Number(frac.padEnd(3, '0')) : 0;
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + ms;
}

/**
 * The usual shapes (`45.2`, `3:45.123`, `1:02:03.4`, `2:00`) read digit by digit:
 * scoring parses every stage time it folds. Anything the fast path does not
 * recognise (spaces, long fields) goes to the regular expression; undefined then.
 */
function parseDurationFast(text: string): number | null | undefined {
  const n = text.length;
  // Up to three colon-separated fields of 1–2 digits each, then an optional fraction of 1–3 digits.
  const fields = [0, 0, 0];
  let count = 0, digits = 0, value = 0, i = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits > 2) return undefined;
      value = value * 10 + (c - 48);
    } else if (c === 58 || c === 46) {
      if (digits === 0 || count === 3) return undefined;
      fields[count++] = value;
      digits = 0; value = 0;
      if (c === 46) break;
    } else return undefined;
  }
  let ms = 0;
  if (i < n) {
    // After the point: 1–3 digits to the end.
    const frac = n - i - 1;
    if (frac < 1 || frac > 3) return undefined;
    for (let k = i + 1, scale = 100; k < n; k++, scale /= 10) {
      const c = text.charCodeAt(k) - 48;
      if (c < 0 || c > 9) return undefined;
      ms += c * scale;
    }
  } else {
    if (digits === 0 || count === 3) return undefined;
    fields[count++] = value;
  }
  // count fields: [s], [m, s] or [h, m, s].
  if (count === 1) return fields[0]! * 1000 + ms;
  if (count === 2) return fields[1]! >= 60 ? null : (fields[0]! * 60 + fields[1]!) * 1000 + ms;
  return fields[1]! >= 60 || fields[2]! >= 60 ? null : ((fields[0]! * 60 + fields[1]!) * 60 + fields[2]!) * 1000 + ms;
}

/** Digits after the decimal point shown for a precision in ms (100 → 1, 1 → 3, 1000 → 0). */
export function decimalsFor(precisionMs: number): number {
  if (precisionMs >= 1000) return 0;
  if (precisionMs >= 100) return 1;
  if (precisionMs >= 10) return 2;
  return 3;
}

/**
 * Formats a duration as rally people read it: `45.2`, `3:45.2`, `1:02:03.4`.
 * Truncates to the shown decimals (a time is never shown better than it is).
 */
export function formatDuration(ms: number, decimals = 1): string {
  if (!Number.isFinite(ms)) return '—';
  const neg = ms < 0;
  let rest = Math.abs(Math.trunc(ms));
  const unit = 10 ** (3 - decimals);
  rest = Math.trunc(rest / unit) * unit;
  const h = Math.trunc(rest / 3_600_000);
  const m = Math.trunc((rest % 3_600_000) / 60_000);
  const s = Math.trunc((rest % 60_000) / 1000);
  const frac = rest % 1000;
  const fracText = decimals > 0 ? '.' + String(frac).padStart(3, '0').slice(0, decimals) : '';
  const body = h > 0
    ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}${fracText}`
    : m > 0
      ? `${m}:${String(s).padStart(2, '0')}${fracText}`
      : `${s}${fracText}`;
  return (neg ? '-' : '') + body;
}

/** A gap as `+12.3` or `+1:02.3`; `—` for the leader (gap 0 given as null). */
export function formatGap(ms: number | null, decimals = 1): string {
  if (ms === null) return '—';
  return (ms < 0 ? '-' : '+') + formatDuration(Math.abs(ms), decimals);
}
