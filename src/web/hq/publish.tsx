// Publication with its safeguards: a reason always; an OFFICIAL classification
// first shows what stands in the way (stages running, crews overdue, open
// errors, inquiry window, protests) and goes out over them only with an
// override reason, which is recorded. Beside it: the inquiry clock and the
// protests and appeals received.
import { signal } from '@preact/signals';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../lib/api.ts';
import { ConfirmDialog } from '../lib/ui/confirm-dialog.tsx';
import { Field, Select } from '../lib/ui/field.tsx';
import { newId } from '../lib/ui/ids.ts';
import type { Publication } from '../lib/types.ts';
import { classificationPdf } from '../lib/documents.ts';
import { notices } from './notices.tsx';
import { crewLabel, definition, get, onRefresh, post, publications, rallyId, refresh, say, when, clockAt } from './state.ts';

interface Blocker { code: string; detail: string }
interface Protest { id: string; kind: 'protest' | 'appeal'; car: number; lodgedBy: string; receivedAt: string; grounds: string; decision?: { outcome: string; reason: string; at: string; by: string } }
export interface DeskStatus {
  seq: number;
  now: string;
  publication: { number: number; kind: string; uptoSeq: number } | null;
  liveSince: { number: number; kind: string } | null;
  inquiry: { windowMin: number; rule: string; confirmed: boolean; provisional: number | null; startedAt: string | null; endsAt: string | null; open: boolean; remainingMs: number };
  protests: { open: number; list: Protest[] };
}

export const status = signal<DeskStatus | null>(null);
/** Server clock minus this browser's, so the inquiry countdown reads the server's time. */
let skewMs = 0;
onRefresh(async () => {
  const s = await get<DeskStatus>('/status');
  skewMs = Date.parse(s.now) - Date.now();
  status.value = s;
});

const kind = signal<'provisional' | 'official'>('provisional');
const reason = signal('');
const blockers = signal<Blocker[] | null>(null);
const override = signal('');
/** One key per intended publication, kept across retries. */
let key = newId('pub');

async function publish(withOverride: boolean): Promise<void> {
  if (!reason.value.trim()) { say('Give the reason for this publication, e.g. "end of leg 1".', true); return; }
  try {
    const body = { kind: kind.value, reason: reason.value.trim(), ...(withOverride ? { override: { reason: override.value.trim() } } : {}) };
    const p = await post<Publication>('/publications', body, key);
    key = newId('pub');
    blockers.value = null;
    override.value = '';
    reason.value = '';
    say(`Published ${p.kind} results #${p.number}.`);
    await refresh();
  } catch (e) {
    const b = e instanceof ApiError ? (e.body as { blockers?: Blocker[] } | null)?.blockers : undefined;
    if (b) { blockers.value = b; return; }
    say(`Not published: ${(e as Error).message}`, true);
  }
}

async function start(): Promise<void> {
  if (!reason.value.trim()) { say('Give the reason for this publication, e.g. "end of leg 1".', true); return; }
  if (kind.value === 'official') {
    // The officer sees what stands in the way before confirming, not after.
    const check = await get<{ blockers: Blocker[] }>('/publication-check');
    blockers.value = check.blockers;
    return;
  }
  await publish(false);
}

function Countdown() {
  const s = status.value;
  const [, tick] = useState(0);
  useEffect(() => { const t = setInterval(() => tick((n) => n + 1), 1000); return () => clearInterval(t); }, []);
  if (!s) return null;
  const q = s.inquiry;
  const rule = <span class="rule"> ({q.windowMin} min — {q.rule}{q.confirmed ? '' : ', unconfirmed'})</span>;
  if (q.provisional === null || q.endsAt === null) return <p id="inquiry-clock">Inquiry window: starts when a provisional classification is published.{rule}</p>;
  const left = Date.parse(q.endsAt) - (Date.now() + skewMs);
  if (left <= 0) return <p id="inquiry-clock">Inquiry window after provisional #{q.provisional}: <strong>closed</strong> at {clockAt(q.endsAt)}.{rule}</p>;
  const m = Math.floor(left / 60_000);
  const sec = Math.floor((left % 60_000) / 1000);
  return <p id="inquiry-clock">Inquiry window after provisional #{q.provisional}: <span class="clock" role="timer" aria-label={`${m} minutes ${sec} seconds left`}>{m}:{String(sec).padStart(2, '0')}</span> left, until {clockAt(q.endsAt)}.{rule}</p>;
}

const pForm = signal({ kind: 'protest', car: '', lodgedBy: '', grounds: '', id: newId('protest') });
const decisionReason = signal<Record<string, string>>({});

async function recordProtest(): Promise<void> {
  const f = pForm.value;
  const problems = [!/^\d+$/.test(f.car) ? 'About car: type the door number.' : '', !f.lodgedBy.trim() ? 'Lodged by: who lodged it.' : '', !f.grounds.trim() ? 'Grounds: what it is about.' : ''].filter(Boolean);
  if (problems.length) { say(problems.join(' '), true); return; }
  try {
    await post('/protests', { id: f.id, kind: f.kind, car: Number(f.car), lodgedBy: f.lodgedBy.trim(), grounds: f.grounds.trim() });
    pForm.value = { kind: 'protest', car: '', lodgedBy: '', grounds: '', id: newId('protest') };
    say(`${f.kind === 'appeal' ? 'Appeal' : 'Protest'} recorded; the official classification waits for its decision.`);
    await refresh();
  } catch (e) {
    say((e as Error).message, true);
  }
}

async function decide(p: Protest, outcome: string): Promise<void> {
  const r = (decisionReason.value[p.id] ?? '').trim();
  if (!r) { say('Give the reason for the decision first.', true); return; }
  try {
    await post(`/protests/${encodeURIComponent(p.id)}/decision`, { outcome, reason: r });
    say(`${p.kind} about car ${p.car}: ${outcome}.`);
    await refresh();
  } catch (e) {
    say((e as Error).message, true);
  }
}

function Protests() {
  const list = status.value?.protests.list ?? [];
  const f = pForm.value;
  const set = (k: string, v: string) => { pForm.value = { ...pForm.value, [k]: v }; };
  return (
    <section aria-labelledby="protests-title">
      <h2 id="protests-title">Protests and appeals <span class={status.value?.protests.open ? 'pill alert' : 'pill'} id="protest-count">{status.value?.protests.open ?? 0} open</span></h2>
      <ul class="list" id="protests">
        {list.length === 0 ? <li class="muted">None received.</li> : list.map((p) => (
          <li key={p.id} data-protest={p.id}>
            <strong>{p.kind} about car {crewLabel(p.car)}</strong> — by {p.lodgedBy}, received {when(p.receivedAt)}<div class="sub">{p.grounds}</div>
            {p.decision ? <div class="ok small">{p.decision.outcome}: {p.decision.reason} ({p.decision.by}, {when(p.decision.at)})</div> : (
              <div class="row">
                <input aria-label={`Reason for the decision on the ${p.kind} about car ${p.car}`} placeholder="reason for the decision" value={decisionReason.value[p.id] ?? ''} onInput={(e) => { decisionReason.value = { ...decisionReason.value, [p.id]: (e.currentTarget as HTMLInputElement).value }; }} />
                {['upheld', 'rejected', 'withdrawn'].map((o) => <button key={o} type="button" class="small" onClick={() => void decide(p, o)}>{o === 'upheld' ? 'Uphold' : o === 'rejected' ? 'Reject' : 'Withdrawn'}</button>)}
              </div>
            )}
          </li>
        ))}
      </ul>
      <form onSubmit={(e) => { e.preventDefault(); void recordProtest(); }}>
        <h3>Record one received</h3>
        <div class="row">
          <Select id="protest-kind" label="Kind" value={f.kind} onChange={(v) => set('kind', v)} options={[{ value: 'protest', label: 'protest' }, { value: 'appeal', label: 'appeal' }]} />
          <Field id="protest-car" label="About car" value={f.car} onInput={(v) => set('car', v)} inputMode="numeric" width="6rem" list="desk-cars-p" />
          <Field id="protest-by" label="Lodged by" value={f.lodgedBy} onInput={(v) => set('lodgedBy', v)} placeholder="e.g. entrant of car 7" />
        </div>
        <Field id="protest-grounds" label="Grounds" value={f.grounds} onInput={(v) => set('grounds', v)} placeholder="what it is about" />
        <datalist id="desk-cars-p">{(definition.value?.entries ?? []).map((e) => <option key={e.car} value={String(e.car)} />)}</datalist>
        <button type="submit">Record as received now</button>
      </form>
    </section>
  );
}

/** Posts publication `p`'s classification on the notice board (one notice per publication: a resend is the same notice). */
async function postClassification(p: Publication): Promise<void> {
  const kind = p.kind === 'official' ? 'Official' : 'Provisional';
  try {
    const n = await post<{ number: number }>('/notices', {
      id: `classification-publication-${p.number}`, kind: 'classification', publication: p.number,
      title: `${kind} classification (publication ${p.number})`,
      body: `${kind} classification overall and by class${p.reason ? `: ${p.reason}` : ''}.${p.hash ? `\nSeal ${p.hash}` : ''}`,
    });
    say(`${kind} classification posted as document ${n.number} on the notice board.`);
    await refresh();
  } catch (e) {
    say(`Not posted: ${(e as Error).message}`, true);
  }
}

/** Print (the PDF, to print from the browser) and post a publication's classification. */
function PrintAndPost({ p }: { p: Publication }) {
  const posted = notices.value.find((n) => n.kind === 'classification' && n.publication === p.number);
  const what = `${p.kind} classification #${p.number}`;
  return (
    <div class="row small">
      <a href={classificationPdf(rallyId.value, p.number)} target="_blank" rel="noopener" aria-label={`Print the ${what} (PDF)`}>Print (PDF)</a>
      {posted ? <span>posted on the notice board as document {posted.number}</span>
        : <button type="button" class="small" onClick={() => void postClassification(p)} aria-label={`Post the ${what} on the notice board`}>Post on the notice board</button>}
    </div>
  );
}

export function PublishPanel() {
  const list = publications.value;
  const b = blockers.value;
  const s = status.value;
  return (
    <div class="desk-grid">
      <section aria-labelledby="publish-title">
        <h2 id="publish-title">Publication</h2>
        <Countdown />
        {s?.liveSince ? <p class="sub" id="live-since">The live results have moved on since {s.liveSince.kind} #{s.liveSince.number} (log #{s.publication?.uptoSeq} → #{s.seq}).</p> : null}
        <form class="row" onSubmit={(e) => { e.preventDefault(); void start(); }}>
          <div class="field">
            <label for="pub-kind">Kind</label>
            <select id="pub-kind" value={kind.value} onChange={(e) => { kind.value = (e.currentTarget as HTMLSelectElement).value as 'provisional' | 'official'; }}>
              <option value="provisional">provisional</option>
              <option value="official">official</option>
            </select>
          </div>
          <Field id="pub-reason" label="Reason" value={reason.value} onInput={(v) => { reason.value = v; }} placeholder="e.g. end of leg 1" required />
          <button id="publish" type="submit" class="primary">Publish…</button>
        </form>
        <ConfirmDialog open={b !== null} title={b && b.length > 0 ? 'Not ready for the official classification' : 'Publish the official classification?'}
          confirmLabel={b && b.length > 0 ? 'Publish anyway (override)' : 'Publish official'} canConfirm={b === null || b.length === 0 || override.value.trim() !== ''}
          onConfirm={() => void publish((b?.length ?? 0) > 0)} onCancel={() => { blockers.value = null; }}>
          {b && b.length > 0 ? (
            <>
              <p>What stands in the way:</p>
              <ul class="blockers" id="blockers">{b.map((x) => <li key={x.code + x.detail} data-code={x.code}>{x.detail}</li>)}</ul>
              <Field id="pub-override" label="Override reason" value={override.value} onInput={(v) => { override.value = v; }} hint="Why it goes out anyway; recorded with the publication." required />
            </>
          ) : <p>Nothing stands in the way. The official classification is final once posted.</p>}
        </ConfirmDialog>
        <ul id="publications" class="list">
          {list.length === 0 ? <li class="muted">Nothing published yet: the public pages show live, unofficial results.</li>
            : [...list].reverse().map((x) => (
              <li key={x.number} data-kind={x.kind}>
                <span class={`stamp ${x.kind}`}>{x.kind} #{x.number}</span>{` ${when(x.publishedAt)}${x.reason ? ` — ${x.reason}` : ''}${x.principal ? ` (${x.principal})` : ''}`}
                {x.uptoSeq !== undefined ? <span class="sub"> · holds the log up to #{x.uptoSeq}</span> : null}
                <PrintAndPost p={x} />
              </li>
            ))}
        </ul>
      </section>
      <Protests />
    </div>
  );
}
