// Durations: integer milliseconds inside rallyhq; text only at the edges.
// People read stage times as `3:45.2`, totals as `1:02:03.4`, gaps as `+12.3`.

/** Parses `45.2`, `3:45.2`, `1:02:03.4`, `3:45.123`, `2:00`; null when it does not parse. */
export function parseDuration(text: string): number | null {
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
