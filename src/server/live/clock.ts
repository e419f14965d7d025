// The HQ overdue list needs "now" in rally-local milliseconds (the rally's
// wall clock read as if it were UTC, see core/time/local-time.ts). During the
// rally that is the server clock in the rally's time zone. Outside the rally's
// dates — a replay with `rallyhq demo`, or yesterday's rally re-run in
// training — the server clock says nothing useful, so the "log clock" is used:
// the latest time of day recorded, advancing in real time since it arrived.
import { DAY_MS, parseLocalDate, parseLocalDateTime } from '../../core/time/index.ts';
import type { RallyDefinition } from '../../core/model.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Epoch ms → rally-local ms in `timeZone` (IANA). */
export function toRallyLocalMs(epochMs: number, timeZone: string): number {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(epochMs))) parts[p.type] = p.value;
  const text = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
  const local = parseLocalDateTime(text);
  if (local === null) throw new Error(`cannot read the time in ${timeZone}: ${text}`);
  return local + (((epochMs % 1000) + 1000) % 1000);
}

/** Follows the latest time of day seen in a rally's log and when it arrived. */
export class RallyClock {
  private latestLocalMs: number | null = null;
  private seenAtEpochMs = 0;

  constructor(private readonly definition: RallyDefinition, private readonly now: () => number) {}

  /** Notes a recorded time of day (`2026-02-06T19:32:05.3`). */
  observe(at: string | undefined): void {
    if (!at) return;
    const local = parseLocalDateTime(at);
    if (local === null) return;
    // NOTE: only a later time moves the clock; a late-synced marshal phone must not turn it back.
    if (this.latestLocalMs === null || local > this.currentLogClock()) {
      this.latestLocalMs = local;
      this.seenAtEpochMs = this.now();
    }
  }

  private currentLogClock(): number {
    return (this.latestLocalMs ?? 0) + (this.now() - this.seenAtEpochMs);
  }

  /** Now, in rally-local ms. */
  nowLocalMs(): number {
    const wall = toRallyLocalMs(this.now(), this.definition.timeZone);
    const start = parseLocalDate(this.definition.startDate);
    const end = parseLocalDate(this.definition.endDate);
    const duringRally = start !== null && end !== null && wall >= start && wall < end + DAY_MS;
    if (duringRally || this.latestLocalMs === null) return wall;
    return this.currentLogClock();
  }
}
