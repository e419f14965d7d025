// The official notice board at the desk: post a bulletin, turn a decision of
// the log into a numbered stewards' decision citing its rule, see which crews
// have not acknowledged each document, and issue crews their codes.
import { signal } from '@preact/signals';
import { Field, Select } from '../lib/ui/field.tsx';
import { newId } from '../lib/ui/ids.ts';
import { classificationPdf } from '../lib/documents.ts';
import { crewLabel, facts, get, onRefresh, post, rallyId, refresh, say, when, clockAt } from './state.ts';

interface NoticeAck { number: number; title: string; kind: string; acknowledged: { car: number; at: string }[]; missing: number[] }
export interface Notice { number: number; kind: string; kindName: string; title: string; body: string; rule?: string; about?: string; publication?: number; postedAt: string; postedBy: string }

/** The notice board as last loaded (the publication list shows which classifications are posted). */
export const notices = signal<Notice[]>([]);
const acks = signal<{ notices: NoticeAck[]; crewsWithCodes: number[] }>({ notices: [], crewsWithCodes: [] });
onRefresh(async () => {
  const [n, a] = await Promise.all([get<{ notices: Notice[] }>('/notices'), get<{ notices: NoticeAck[]; crewsWithCodes: number[] }>('/acknowledgments')]);
  notices.value = n.notices;
  acks.value = a;
});

const DECISION_TYPES = new Set(['penalty', 'exclusion', 'retirement', 'restart', 'stageInterrupted', 'stageCancelled', 'stageMaximumCharged', 'delayedStart', 'retraction', 'jumpStart']);
const draft = signal({ kind: 'bulletin', title: '', body: '', about: '', rule: '', id: newId('notice') });
const crewCode = signal<{ car: number; url: string; qrSvg: string } | null>(null);
const codeCar = signal('');

/** A decision fact as a document: title, text and rule drafted from the fact, editable before posting. */
function fromDecision(id: string): void {
  const f = facts.value.find((x) => x.fact.id === id)?.fact;
  if (!f) { draft.value = { ...draft.value, about: '' }; return; }
  const who = f.car !== undefined ? `car ${f.car} (${crewLabel(f.car as number).replace(/^\d+ — /, '')})` : String(f.stage ?? '');
  const what = f.type === 'penalty' ? `a time penalty of ${String(f.seconds)} s` : f.type === 'exclusion' ? 'exclusion' : f.type === 'stageCancelled' ? `cancellation of ${String(f.stage)}` : f.type === 'stageInterrupted' ? `notional times on ${String(f.stage)}` : f.type;
  draft.value = { ...draft.value, kind: 'decision', about: id, title: `${what.charAt(0).toUpperCase()}${what.slice(1)} — ${who}`, rule: String(f.rule ?? ''), body: `Decision: ${what} for ${who}.\nReason: ${f.reason ?? ''}` };
}

async function postNotice(): Promise<void> {
  const d = draft.value;
  if (!d.title.trim()) { say('Title: give the document a title.', true); return; }
  try {
    const n = await post<Notice>('/notices', { id: d.id, kind: d.kind, title: d.title.trim(), body: d.body, ...(d.about ? { about: d.about } : {}), ...(d.rule.trim() ? { rule: d.rule.trim() } : {}) });
    draft.value = { kind: 'bulletin', title: '', body: '', about: '', rule: '', id: newId('notice') };
    say(`Posted as document ${n.number} on the notice board.`);
    await refresh();
  } catch (e) {
    say((e as Error).message, true);
  }
}

async function issueCrewCode(): Promise<void> {
  try {
    const r = await post<{ car: number; url: string; qrSvg: string }>('/crew-codes', { car: Number(codeCar.value) });
    crewCode.value = { ...r, url: new URL(r.url, location.href).href };
    await refresh();
  } catch (e) {
    say((e as Error).message, true);
  }
}

export function NoticesPanel() {
  const d = draft.value;
  const set = (k: string, v: string) => { draft.value = { ...draft.value, [k]: v }; };
  const decisions = facts.value.filter((f) => DECISION_TYPES.has(f.fact.type)).slice().reverse();
  const byNumber = new Map(acks.value.notices.map((a) => [a.number, a]));
  const cc = crewCode.value;
  return (
    <div class="desk-grid">
      <section aria-labelledby="board-title">
        <h2 id="board-title">Official notice board</h2>
        <p class="small"><a href={`/notices.html?rally=${encodeURIComponent(rallyId.value)}`}>Public notice board</a></p>
        <ol class="list" id="notice-list">
          {notices.value.length === 0 ? <li class="muted">No documents posted yet.</li> : [...notices.value].reverse().map((n) => {
            const a = byNumber.get(n.number);
            return (
              <li key={n.number} data-notice={n.number}>
                <strong>{n.number}. {n.kindName}: {n.title}</strong> <span class="sub">posted {when(n.postedAt)} by {n.postedBy}{n.rule ? ` · ${n.rule}` : ''}</span>
                {n.publication ? <div class="small"><a href={classificationPdf(rallyId.value, n.publication)} target="_blank" rel="noopener">Classification overall and by class (PDF)</a></div> : null}
                <div class="sub ack-line">Acknowledged by {a?.acknowledged.length ?? 0}: {a?.acknowledged.map((x) => `car ${x.car} (${clockAt(x.at, true)})`).join(', ') || '—'}.
                  {' '}Not yet: {a ? (a.missing.length > 12 ? `${a.missing.length} crews` : a.missing.map((c) => `car ${c}`).join(', ') || 'none') : '—'}.</div>
              </li>
            );
          })}
        </ol>
      </section>
      <section aria-labelledby="post-title" class="panel">
        <h2 id="post-title">Post a document</h2>
        <form onSubmit={(e) => { e.preventDefault(); void postNotice(); }}>
          <Select id="notice-decision" label="From a decision in the log" value={d.about} onChange={fromDecision}
            options={[{ value: '', label: '— none: a bulletin or other document —' }, ...decisions.map((f) => ({ value: f.fact.id, label: `#${f.seq} ${f.fact.type}${f.fact.car !== undefined ? ` car ${f.fact.car}` : ''} — ${f.fact.reason ?? ''}`.slice(0, 90) }))]} />
          <Select id="notice-kind" label="Kind" value={d.kind} onChange={(v) => set('kind', v)} options={[{ value: 'bulletin', label: 'Bulletin' }, { value: 'decision', label: 'Stewards\' decision' }, { value: 'classification', label: 'Classification' }, { value: 'startList', label: 'Start list' }, { value: 'other', label: 'Other document' }]} />
          <Field id="notice-title" label="Title" value={d.title} onInput={(v) => set('title', v)} required />
          <Field id="notice-rule" label="Rule cited" value={d.rule} onInput={(v) => set('rule', v)} placeholder="e.g. FMU26 Art 48.6" />
          <Field id="notice-body" label="Text" value={d.body} onInput={(v) => set('body', v)} multiline />
          <button type="submit" class="primary">Post on the notice board</button>
        </form>
        <h2 id="codes-title">Crew codes</h2>
        <p class="sub">A crew signs for documents with its code: give it the link or QR code (a new code replaces the old one). Crews with a code: {acks.value.crewsWithCodes.join(', ') || 'none'}.</p>
        <form class="row" onSubmit={(e) => { e.preventDefault(); void issueCrewCode(); }}>
          <Field id="code-car" label="Car" value={codeCar.value} onInput={(v) => { codeCar.value = v; }} inputMode="numeric" width="6rem" />
          <button type="submit">Issue crew code</button>
        </form>
        {cc ? (
          <div class="enroll-card" id="crew-code-out">
            <div class="qr" role="img" aria-label={`QR code for car ${cc.car}`} dangerouslySetInnerHTML={{ __html: cc.qrSvg }} />
            <div><strong>Car {cc.car}</strong><div><a href={cc.url} id="crew-link">{cc.url}</a></div></div>
          </div>
        ) : null}
      </section>
    </div>
  );
}
