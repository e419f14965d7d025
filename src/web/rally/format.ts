// Numbers as rally people read them, shared by the page and the server's first render.
import { formatDuration, formatGap } from '../../core/time/duration.ts';

export { formatDuration, formatGap };

/** A gap where 0 or null means "this is the reference": a dash, not `+0.0`. */
export const gap = (ms: number | null | undefined): string => (ms ? formatGap(ms) : '—');
/** Penalties are whole seconds in every preset in use; shown so (`+1:00`). */
export const penalty = (ms: number): string => `+${formatDuration(ms, ms % 1000 === 0 ? 0 : 1)}`;

const METRES_PER_MILE = 1609.344;

export function distanceText(unit: 'mi' | 'km' | undefined, metres: number): string {
  return unit === 'mi' ? `${(metres / METRES_PER_MILE).toFixed(2)} mi` : `${(metres / 1000).toFixed(2)} km`;
}

/** Average speed over a stage in the rally's unit: `mph` for miles, `km/h` otherwise. */
export function speedText(unit: 'mi' | 'km' | undefined, metres: number, ms: number): string {
  if (ms <= 0 || metres <= 0) return '';
  const perHour = (metres / (ms / 3_600_000)) / (unit === 'mi' ? METRES_PER_MILE : 1000);
  return `${perHour.toFixed(1)} ${unit === 'mi' ? 'mph' : 'km/h'}`;
}

/** Ordinal for a stage position, as commentators say it: 1st, 2nd, 3rd, 11th. */
export function ordinal(n: number): string {
  const t = n % 100;
  const suffix = t >= 11 && t <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

/** A clock time in the rally's own zone, with the zone shown (`15:28:03 EST`). */
export function rallyClock(date: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' }).format(date);
  } catch {
    return date.toISOString().slice(11, 19) + ' UTC';
  }
}

/** Surnames only, as timing screens show a crew in a narrow column. */
const surname = (name: string): string => name.trim().split(/\s+/).at(-1) ?? name;
export const crewShort = (e: { driver: string; codriver: string }): string => `${surname(e.driver)} / ${surname(e.codriver)}`;
