// The inquiry clock on the public page: after a provisional classification,
// the rules' inquiryWindowMin runs (SEE: rally-rules §5; core/inquiry-window.ts
// works it out on the server, GET …/status serves it). One small line, read on
// a phone: "Provisional #2 posted 16:00 EST · inquiry window closes 16:30 EST
// (28 min left)", in the rally's zone. Not a live region: a countdown
// announced every minute would drown the results.
import { signal } from '@preact/signals';
import { zoneTime } from '../lib/rally-time.ts';

/** The `inquiry` of GET …/status: the window after the latest provisional publication (null when none is running). */
export interface InquiryHead { windowMin: number; rule: string; confirmed: boolean; provisional: number | null; startedAt: string | null; endsAt: string | null }

export const inquiry = signal<InquiryHead | null>(null);
/** The server's time now, epoch ms, as the page last worked it out (its clock corrected by the server's). */
export const serverNow = signal(0);

export function InquiryLine({ timeZone }: { timeZone: string }) {
  const q = inquiry.value;
  if (!q || q.provisional === null || !q.startedAt || !q.endsAt || q.windowMin <= 0) return null;
  const left = Date.parse(q.endsAt) - serverNow.value;
  const title = `${q.windowMin} min inquiry window after a provisional classification (${q.rule}${q.confirmed ? '' : ', unconfirmed'})`;
  return (
    <p id="inquiry" class={`meta inquiry${left > 0 ? ' open' : ''}`} role="timer" title={title}>
      Provisional #{q.provisional} posted {zoneTime(q.startedAt, timeZone)} · {left > 0
        ? `inquiry window closes ${zoneTime(q.endsAt, timeZone)} (${Math.ceil(left / 60_000)} min left)`
        : `inquiry window closed ${zoneTime(q.endsAt, timeZone)}`}
    </p>
  );
}
