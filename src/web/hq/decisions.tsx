// The decision panel: pick a decision (or arrive from an anomaly's fix
// button, pre-filled), fill it in, see what it would change — positions
// overall and in class, the workings of the new total, new findings — and
// only then record it. The fact ids are made when the form opens and kept
// across retries, so a resend after a lost answer is stored once.
import { signal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { ApiError } from '../lib/api.ts';
import type { Issue, Workings } from '../lib/types.ts';
import { DiffTable, type DiffRow } from '../lib/ui/diff-table.tsx';
import { Field, Select } from '../lib/ui/field.tsx';
import { newId } from '../lib/ui/ids.ts';
import { FORM_ORDER, FORMS, factById, type FactBody, type Kind, type Values } from './forms.ts';
import { NotionalProposals } from './notional.tsx';
import { crewLabel, definition, post, refresh, say, factTime } from './state.ts';

export interface PreviewAnswer {
  seq: number;
  overall: (DiffRow & { class: string })[];
  classes: { class: string; rows: DiffRow[] }[];
  workings: { car: number; beforeMs: number | null; workings: Workings; text: string }[];
  newIssues: Issue[];
  clearedIssues: Issue[];
}

interface FormState {
  kind: Kind;
  values: Values;
  /** Fact id of this decision: made once, kept across retries. */
  id: string;
  preview: PreviewAnswer | null;
  /** The facts the preview was computed for (saving sends exactly these). */
  previewed: string;
  problems: string[];
  busy: boolean;
  saved: string;
}

const fresh = (kind: Kind, values: Values = {}): FormState => ({ kind, values: withDefaults(kind, values), id: newId('desk'), preview: null, previewed: '', problems: [], busy: false, saved: '' });

function withDefaults(kind: Kind, values: Values): Values {
  const out: Values = { ...values };
  for (const f of FORMS[kind].fields) {
    if (out[f.name] === undefined && f.type === 'select' && !f.optional) out[f.name] = f.options?.()[0]?.value ?? '';
  }
  if (kind === 'correct' && out.supersedes && out.car === undefined) out.car = String(factById(out.supersedes)?.fact.car ?? '');
  return out;
}

export const form = signal<FormState>(fresh('penalty'));
/** Moves the keyboard to the form when a fix button opened it. */
const focusForm = signal(0);

/** Opens a decision form pre-filled (the anomaly list's fix buttons call this). */
export function openForm(kind: Kind, values: Values = {}): void {
  form.value = fresh(kind, values);
  focusForm.value += 1;
}

function set(name: string, value: string): void {
  // A change makes the old preview stale: it must be seen again before saving.
  form.value = { ...form.value, values: { ...form.value.values, [name]: value }, preview: null, previewed: '', problems: [], saved: '' };
}

/** Values changed by the form itself (proposals read from the server): the preview goes stale only if they differ. */
function update(change: (v: Values) => Values): void {
  const cur = form.value;
  const values = change(cur.values);
  if (JSON.stringify(values) === JSON.stringify(cur.values)) return;
  form.value = { ...cur, values, preview: null, previewed: '', problems: [] };
}

function built(): FactBody[] | string[] {
  const f = form.value;
  return FORMS[f.kind].build(f.values, f.id);
}

const isFacts = (b: FactBody[] | string[]): b is FactBody[] => b.length > 0 && typeof b[0] === 'object';

async function preview(): Promise<void> {
  const b = built();
  if (!isFacts(b)) { form.value = { ...form.value, problems: b }; return; }
  form.value = { ...form.value, busy: true, problems: [] };
  try {
    const p = await post<PreviewAnswer>('/preview', { facts: b });
    form.value = { ...form.value, busy: false, preview: p, previewed: JSON.stringify(b) };
  } catch (e) {
    form.value = { ...form.value, busy: false, problems: [(e as Error).message] };
  }
}

async function save(): Promise<void> {
  const b = built();
  if (!isFacts(b)) { form.value = { ...form.value, problems: b }; return; }
  form.value = { ...form.value, busy: true, problems: [] };
  try {
    const r = await post<{ seq?: number; acks?: { seq: number }[] }>('/facts', b.length === 1 ? b[0] : { facts: b });
    const seq = r.seq ?? r.acks?.at(-1)?.seq;
    const title = FORMS[form.value.kind].title;
    const done = `${title}: recorded as fact ${b[0]?.id} (log #${seq ?? '?'}).`;
    // A new decision gets a new id; this one is done.
    form.value = { ...fresh(form.value.kind), saved: done };
    say(done);
    await refresh();
  } catch (e) {
    // NOTE: the id is kept: pressing Save again after a lost answer is stored once.
    const msg = e instanceof ApiError ? e.message : `Not sent (${(e as Error).message}); press Save again — it will be recorded once.`;
    form.value = { ...form.value, busy: false, problems: [msg] };
  }
}

function FactSummary(p: { id: string }) {
  const f = factById(p.id);
  if (!p.id) return null;
  if (!f) return <div class="sub error">No fact "{p.id}" in the log.</div>;
  const x = f.fact;
  const what = [x.type, x.car !== undefined ? `car ${x.car}` : '', (x.control ?? x.stage ?? '') as string, (typeof x.at === 'string' ? factTime(x.at) : x.time ?? '') as string].filter(Boolean).join(' · ');
  return <div class="sub">{what} — entered by {f.principal}{f.device ? ` (${f.device})` : ''}, log #{f.seq}{x.raw ? `, typed "${String(x.raw)}"` : ''}</div>;
}

function Fields() {
  const f = form.value;
  const spec = FORMS[f.kind];
  return (
    <>
      {spec.fields.map((fs) => {
        const id = `d-${f.kind}-${fs.name}`;
        const value = f.values[fs.name] ?? '';
        if (fs.type === 'select' && f.kind === 'notional' && fs.name === 'stage') {
          return (
            <div key={id}>
              <Select id={id} label={fs.label} value={value} onChange={(v) => set(fs.name, v)} options={fs.options?.() ?? []} hint={fs.hint} />
              <NotionalProposals stage={value} values={f.values} update={update} />
            </div>
          );
        }
        if (fs.type === 'select') return <Select key={id} id={id} label={fs.label} value={value} onChange={(v) => set(fs.name, v)} options={fs.options?.() ?? []} hint={fs.hint} />;
        if (fs.type === 'checkbox') {
          return (
            <div class="field" key={id}>
              <label><input id={id} type="checkbox" checked={value === 'true'} onChange={(e) => set(fs.name, (e.currentTarget as HTMLInputElement).checked ? 'true' : 'false')} /> {fs.label}</label>
            </div>
          );
        }
        return (
          <div key={id}>
            <Field id={id} label={fs.label} value={value} onInput={(v) => set(fs.name, v)} hint={fs.hint} placeholder={fs.placeholder}
              multiline={fs.type === 'textarea'} list={fs.type === 'car' ? 'desk-cars' : undefined} inputMode={fs.type === 'car' ? 'numeric' : undefined}
              required={!fs.optional && fs.name === 'reason'} width={fs.type === 'car' ? '8rem' : undefined} />
            {fs.type === 'car' && /^\d+$/.test(value) ? <div class="sub">{crewLabel(Number(value))}</div> : null}
            {fs.type === 'fact' ? <FactSummary id={value.trim()} /> : null}
          </div>
        );
      })}
    </>
  );
}

function Preview(p: { preview: PreviewAnswer }) {
  const v = p.preview;
  const cls = (c: string) => definition.value?.classes.find((x) => x.code === c)?.name ?? c;
  return (
    <section class="preview" aria-labelledby="preview-title" id="preview">
      <h3 id="preview-title">What this decision changes (not saved yet)</h3>
      <DiffTable caption="Overall" rows={v.overall} empty="Overall: no crew changes place or total." />
      {v.classes.map((c) => <DiffTable key={c.class} caption={`Class ${cls(c.class)}`} rows={c.rows.map((r) => ({ ...r, before: r.before && { ...r.before, position: (r.before as { classPosition?: number | null }).classPosition ?? null }, after: r.after && { ...r.after, position: (r.after as { classPosition?: number | null }).classPosition ?? null } }))} />)}
      {v.workings.map((w) => (
        <details key={w.car} open>
          <summary>Workings of car {w.car}'s new total</summary>
          <pre class="workings">{w.text}</pre>
        </details>
      ))}
      {v.newIssues.length > 0
        ? <><h4>New findings</h4><ul class="list">{v.newIssues.map((i) => <li key={`${i.code}${i.subject}`} class={i.severity === 'error' ? 'error' : undefined}>{i.subject}: {i.detail}</li>)}</ul></>
        : <p class="muted small">No new data-quality findings.</p>}
      {v.clearedIssues.length > 0 ? <p class="ok small">Clears: {v.clearedIssues.map((i) => `${i.subject} (${i.code})`).join('; ')}</p> : null}
    </section>
  );
}

export function DecisionPanel() {
  const f = form.value;
  const spec = FORMS[f.kind];
  const heading = useRef<HTMLHeadingElement>(null);
  const focusTick = focusForm.value;
  useEffect(() => { if (focusTick > 0) heading.current?.focus(); }, [focusTick]);
  const stale = f.preview !== null && f.previewed !== JSON.stringify(built());
  return (
    <section aria-labelledby="decision-title" class="panel" id="decision">
      <div class="row">
        <label for="decision-kind">Decision</label>
        <select id="decision-kind" value={f.kind} onChange={(e) => openForm((e.currentTarget as HTMLSelectElement).value as Kind)}>
          {FORM_ORDER.map((k) => <option key={k} value={k}>{FORMS[k].title}</option>)}
        </select>
      </div>
      <h2 id="decision-title" tabIndex={-1} ref={heading}>{spec.title}</h2>
      <p class="rule" id="decision-rule"><strong>Rule:</strong> {spec.rule}</p>
      <form onSubmit={(e) => { e.preventDefault(); void preview(); }} aria-describedby="decision-rule">
        <Fields />
        <datalist id="desk-cars">{(definition.value?.entries ?? []).map((e) => <option key={e.car} value={String(e.car)}>{`${e.driver.name} / ${e.codriver.name}`}</option>)}</datalist>
        {f.problems.length > 0 ? <ul class="list error" role="alert">{f.problems.map((p) => <li key={p}>{p}</li>)}</ul> : null}
        <div class="row">
          <button type="submit" disabled={f.busy}>Preview</button>
          <button type="button" class="primary" disabled={f.busy || f.preview === null || stale} onClick={() => void save()} aria-describedby="save-hint">Save decision</button>
          <span id="save-hint" class="sub">{f.preview === null ? 'Preview first: see what it changes before it is recorded.' : stale ? 'Changed since the preview: preview again.' : `Fact id ${f.id}`}</span>
        </div>
      </form>
      {f.saved ? <p class="ok" role="status">{f.saved}</p> : null}
      {f.preview && !stale ? <Preview preview={f.preview} /> : null}
    </section>
  );
}
