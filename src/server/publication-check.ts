// What stands in the way of an OFFICIAL classification: stages still running
// or not run, crews overdue, open conflicts and errors, the inquiry window
// still open after the last provisional classification, protests not decided.
// SEE: FMU26 Art 64.2 (provisional, then final once approved by the stewards)
// and the preset's inquiryWindowMin (cited where it is used).
import { classifyEveryCategory, dataIssues, overdueCrews, stageResults } from '../core/scoring/index.ts';
import type { PublicationRecord } from '../store/contract.ts';
import type { DeskState } from './desk-records.ts';
import type { RallyEntry } from './rally-states.ts';
import { rallyLocalMs } from './rally-time.ts';
import { inquiryWindow } from '../core/inquiry-window.ts';
// The same rally-local, 24-hour time with its zone (16:30 EST) the desk shows beside it.
import { zoneTime } from '../web/lib/rally-time.ts';

export interface Blocker { code: 'stage-running' | 'stage-not-run' | 'crew-overdue' | 'open-errors' | 'no-provisional' | 'inquiry-open' | 'protest-open'; detail: string }

export interface InquiryClock {
  /** Minutes, from the rally's rules, with the rule that sets it. */
  windowMin: number;
  rule: string;
  confirmed: boolean;
  /** The provisional publication it runs after, or null when none has been published since the last official one. */
  provisional: number | null;
  startedAt: string | null;
  endsAt: string | null;
  open: boolean;
  remainingMs: number;
}

/** The inquiry clock: it starts at the latest provisional publication (if none is official after it); worked out by core/inquiry-window.ts. */
/** Only the latest publication decides it: the list may hold just that one. */
export function inquiryClock(e: Pick<RallyEntry, 'rules'>, publications: readonly Pick<PublicationRecord, 'number' | 'kind' | 'publishedAt'>[], nowMs: number): InquiryClock {
  const w = inquiryWindow(e.rules.inquiryWindowMin, publications.map((p) => ({ number: p.number, kind: p.kind, atMs: Date.parse(p.publishedAt) })), nowMs);
  const prov = w.provisional === null ? undefined : publications.find((p) => p.number === w.provisional);
  return {
    windowMin: w.windowMin, rule: w.rule, confirmed: w.confirmed,
    provisional: w.provisional,
    startedAt: prov?.publishedAt ?? null,
    endsAt: w.endsAtMs === null ? null : new Date(w.endsAtMs).toISOString(),
    open: w.open,
    remainingMs: w.remainingMs,
  };
}

export function officialBlockers(e: RallyEntry, publications: readonly PublicationRecord[], desk: DeskState, nowMs: number): Blocker[] {
  const out: Blocker[] = [];
  // A crew that retired (or was excluded) on a stage keeps the status `running` there: it is not on the stage.
  // Every category counts: a Regional crew retired on a stage holds it open no more than a National one.
  const gone = new Set(classifyEveryCategory(e.state).flatMap((c) => [...c.retired.filter((r) => !r.restartedAt).map((r) => r.car), ...c.excluded.map((x) => x.car)]));
  for (const s of e.definition.stages) {
    const r = stageResults(e.state, s.code);
    if (r.cancelled) continue;
    const running = r.rows.filter((row) => row.status === 'running' && !gone.has(row.car)).map((row) => row.car);
    if (running.length > 0) out.push({ code: 'stage-running', detail: `${s.code} is still running: car${running.length > 1 ? 's' : ''} ${running.join(', ')} started and ha${running.length > 1 ? 've' : 's'} no finish (record the finish or the retirement).` });
    else if (r.rows.every((row) => row.status === 'notRun')) out.push({ code: 'stage-not-run', detail: `${s.code} has no times at all (run it, or cancel it with a reason).` });
  }
  const overdue = overdueCrews(e.state, rallyLocalMs(nowMs, e.definition.timeZone));
  if (overdue.length > 0) out.push({ code: 'crew-overdue', detail: `Overdue: ${overdue.map((o) => `car ${o.car} on ${o.stage}`).join(', ')}.` });
  const errors = dataIssues(e.state).filter((i) => i.severity === 'error');
  if (errors.length > 0) out.push({ code: 'open-errors', detail: `${errors.length} open conflict${errors.length > 1 ? 's' : ''} or error${errors.length > 1 ? 's' : ''}: ${errors.slice(0, 5).map((i) => i.subject).join('; ')}${errors.length > 5 ? '; …' : ''}.` });
  const clock = inquiryClock(e, publications, nowMs);
  if (clock.provisional === null) out.push({ code: 'no-provisional', detail: 'No provisional classification has been published since the last official one: publish it first so the inquiry window can run (FMU26 Art 64.2).' });
  else if (clock.open) out.push({ code: 'inquiry-open', detail: `The inquiry window after provisional #${clock.provisional} is open until ${zoneTime(clock.endsAt as string, e.definition.timeZone)} (${clock.windowMin} min, ${clock.rule}${clock.confirmed ? '' : ', unconfirmed'}).` });
  const open = desk.protests.filter((p) => !p.decision);
  if (open.length > 0) out.push({ code: 'protest-open', detail: `Open ${open.map((p) => `${p.kind} about car ${p.car} by ${p.lodgedBy}`).join('; ')}: decide ${open.length > 1 ? 'them' : 'it'} first.` });
  return out;
}
