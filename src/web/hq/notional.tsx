// What the notional-time form shows beside its fields: the times rallyhq
// proposes for the interrupted stage by the preset's method (GET
// …/stages/:stage/notional-proposals), the candidates with their workings and
// the basis of each proposal. The proposed times are filled into the form; the
// Clerk confirms them or changes a line, and the form says which lines differ
// from the proposal so the reason can cover them. Confirming supersedes the
// interruption fact in effect, keeping its time of stoppage and responsible crews.
import { zoneNameOn } from '../lib/rally-time.ts';
import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { formatDuration, parseDuration } from '../../core/time/duration.ts';
import { formatTimeOfDay } from '../../core/time/local-time.ts';
import { crewLabel, definition, get } from './state.ts';
import type { Values } from './forms.ts';

export interface NotionalProposalsView {
  stage: string;
  method: { value: 'clerkFairest' | 'fastestAtInterruption' | 'worstBeforeStoppage'; rule: string; confirmed: boolean };
  interruptedAt: string | null;
  restartedAt: string | null;
  facts: string[];
  candidates: { car: number; timeMs: number; finishedAtMs: number | null; rank: number }[];
  proposals: { car: number; proposedMs: number | null; givenMs: number | null; responsible: boolean; basis: string }[];
  notes: string[];
}

const METHOD_NAMES: Record<NotionalProposalsView['method']['value'], string> = {
  clerkFairest: 'the Clerk gives the time judged fairest (no formula: candidates only)',
  fastestAtInterruption: 'the fastest time set at the interruption',
  worstBeforeStoppage: 'the worst time set before the stoppage',
};

/** The proposals of the stage last asked for (null while loading or when the stage has none to read). */
export const proposals = signal<NotionalProposalsView | null>(null);
const loadError = signal('');

/** One line a crew of the form's text: "23 4:12.0". */
export function proposalLines(p: NotionalProposalsView): string {
  return p.proposals.filter((x) => x.proposedMs !== null).map((x) => `${x.car} ${formatDuration(x.proposedMs as number)}`).join('\n');
}

/** The form's lines that differ from the proposal: what the reason has to cover. */
export function overrides(p: NotionalProposalsView, text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const m = /^(\d+)[\s,;:]+(\S+)$/.exec(line);
    if (!m) continue;
    const car = Number(m[1]);
    const ms = parseDuration(m[2] as string);
    const proposal = p.proposals.find((x) => x.car === car);
    if (!proposal || proposal.proposedMs === null) out.push(`car ${car}: ${m[2]} (no time proposed)`);
    else if (ms !== proposal.proposedMs) out.push(`car ${car}: ${m[2]} instead of the proposed ${formatDuration(proposal.proposedMs)}`);
  }
  return out;
}

/**
 * The values the proposals put into the form: the times (unless the Clerk has typed some) and the
 * interruption fact the confirmation supersedes (it keeps that fact's time of stoppage and responsible crews).
 */
export function valuesFrom(p: NotionalProposalsView, values: Values, filledBefore: string): Values {
  const last = p.facts.at(-1);
  const typed = (values.times ?? '').trim() !== '' && values.times !== filledBefore;
  return { ...values, ...(typed ? {} : { times: proposalLines(p) }), supersedes: last ?? '' };
}

/** The rally's zone as people read it (EST), for the rally-local times of day shown. */
function zoneName(): string {
  const d = definition.value;
  return d ? zoneNameOn(d.startDate, d.timeZone) : '';
}

const clock = (iso: string | null): string => (iso ? iso.replace('T', ' ').replace(/(\.\d)\d*$/, '$1') : '—');

/** The times the proposals last put into the form: a stage change refills them unless the Clerk typed others. */
let filled = '';

export function NotionalProposals(p: { stage: string; values: Values; update: (change: (v: Values) => Values) => void }) {
  useEffect(() => {
    if (!p.stage) return;
    let live = true;
    proposals.value = null;
    loadError.value = '';
    get<{ proposals: NotionalProposalsView }>(`/stages/${encodeURIComponent(p.stage)}/notional-proposals`)
      .then((r) => {
        if (!live) return;
        proposals.value = r.proposals;
        p.update((values) => {
          const next = valuesFrom(r.proposals, values, filled);
          if (next.times !== values.times) filled = next.times ?? '';
          return next;
        });
      })
      .catch((e: unknown) => { if (live) loadError.value = `Proposals for ${p.stage} not read: ${(e as Error).message}`; });
    return () => { live = false; };
  }, [p.stage]);
  const v = proposals.value;
  if (loadError.value) return <p class="error small" role="alert">{loadError.value}</p>;
  if (!v || v.stage !== p.stage) return <p class="muted small" aria-live="polite">Reading the proposals for {p.stage}…</p>;
  const changed = overrides(v, p.values.times ?? '');
  const zone = zoneName();
  const affected = v.proposals.filter((x) => !x.responsible).map((x) => x.car);
  const giveAll = (ms: number) => p.update((values) => ({ ...values, times: affected.map((car) => `${car} ${formatDuration(ms)}`).join('\n') }));
  return (
    <section class="notional" aria-labelledby="notional-title" id="notional-proposals">
      <h3 id="notional-title">Proposed by the rules for {v.stage}</h3>
      <p class="small">
        Method: {METHOD_NAMES[v.method.value]} <span class="muted">({v.method.rule}{v.method.confirmed ? '' : '; not confirmed in the rule text'})</span>.
        {' '}{v.interruptedAt ? `Stopped at ${clock(v.interruptedAt)} ${zone}` : 'Time of stoppage not recorded'}{v.restartedAt ? `, restarted at ${clock(v.restartedAt)} ${zone}` : ''}
        {v.facts.length ? `; confirming supersedes ${v.facts.at(-1)}` : '; no interruption recorded yet: saving records it'}.
      </p>
      {v.notes.length ? <ul class="list small">{v.notes.map((n) => <li key={n}>{n}</li>)}</ul> : null}
      <table class="diff" id="notional-candidates">
        <caption>Candidates, in the order the method takes them</caption>
        <thead><tr><th scope="col">Rank</th><th scope="col">Crew</th><th scope="col">Stage time</th><th scope="col">Finished at ({zone})</th>{v.method.value === 'clerkFairest' ? <th scope="col"><span class="sr-only">Use</span></th> : null}</tr></thead>
        <tbody>
          {v.candidates.length === 0 ? <tr><td colSpan={4}>No time set on the stage that the method can take.</td></tr> : null}
          {v.candidates.map((c) => (
            <tr key={c.car} data-car={c.car}>
              <td>{c.rank}</td><td>{crewLabel(c.car)}</td><td class="num">{formatDuration(c.timeMs)}</td><td class="num">{c.finishedAtMs === null ? '—' : formatTimeOfDay(c.finishedAtMs)}</td>
              {v.method.value === 'clerkFairest' ? <td><button type="button" class="small" onClick={() => giveAll(c.timeMs)} aria-label={`Give ${formatDuration(c.timeMs)} (car ${c.car}) to every affected crew`}>Give to all</button></td> : null}
            </tr>
          ))}
        </tbody>
      </table>
      <table class="diff" id="notional-proposed">
        <caption>Affected crews and the time proposed</caption>
        <thead><tr><th scope="col">Crew, and why</th><th scope="col">Proposed</th><th scope="col">Given now</th></tr></thead>
        <tbody>
          {v.proposals.map((x) => (
            <tr key={x.car} data-car={x.car} class={x.responsible ? 'muted' : undefined}>
              <td>{crewLabel(x.car)}<div class="sub">{x.basis}</div></td><td class="num">{x.proposedMs === null ? '—' : formatDuration(x.proposedMs)}</td>
              <td class="num">{x.givenMs === null ? '—' : formatDuration(x.givenMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {changed.length
        ? <p class="warn small" id="notional-overrides" role="status">Differs from the proposal — say why in the reason: {changed.join('; ')}.</p>
        : <p class="ok small" id="notional-overrides" role="status">{v.proposals.some((x) => x.proposedMs !== null) ? 'The times below are the proposal: confirm them with a reason, or change a line.' : 'No time is proposed: give each affected crew its time.'}</p>}
    </section>
  );
}

