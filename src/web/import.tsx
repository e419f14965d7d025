// Timing import at HQ: a clock, photocell or tracking file is read, its
// columns mapped (the mapping is saved for the rally), and the preview shows
// what it adds, skips as already present, conflicts with, and cannot read —
// by line and why — before the officer confirms. Lines that cannot be read
// wait in the quarantine until the desk fixes or dismisses them.
import { render } from 'preact';
import { signal } from '@preact/signals';
import { ApiError, getJson, sendJson } from './lib/api.ts';

type Kind = 'times-of-day' | 'stage-times';
interface Mapping { car: string; control?: string; stage?: string; time: string; device?: string; marshal?: string; source?: string; separator?: string }
interface Line { line: number; text: string; why?: string }
interface Preview { lines: number; counts: { adds: number; skips: number; conflicts: number; unreadable: number }; adds: Line[]; skips: Line[]; conflicts: Line[]; unreadable: Line[] }
interface QItem { qid: string; file: string; line: number; text: string; why: string; kind: Kind; resolved: null | { by: string; reason: string } }

const KEY = 'rallyhq.hq';
const params = new URLSearchParams(location.search);
const rallyId = signal(params.get('rally') ?? localStorage.getItem(`${KEY}.rally`) ?? '');
const token = signal(sessionStorage.getItem(`${KEY}.token`) ?? '');
const kind = signal<Kind>('times-of-day');
const fileName = signal('');
const text = signal('');
const header = signal<string[]>([]);
const mapping = signal<Mapping>({ car: 'car', control: 'control', time: 'time' });
const progress = signal<{ label: string; value: number } | null>(null);
const preview = signal<Preview | null>(null);
const message = signal<{ text: string; error: boolean }>({ text: '', error: false });
const quarantine = signal<QItem[]>([]);

const api = (p: string) => `/api/rallies/${encodeURIComponent(rallyId.value)}${p}`;
const say = (t: string, error = false) => { message.value = { text: t, error }; };

function separatorOf(m: Mapping): string {
  return m.separator === 'tab' ? '\t' : m.separator || ',';
}

function readHeader(): void {
  const first = text.value.replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim() && !l.startsWith('#')) ?? '';
  header.value = first.split(separatorOf(mapping.value)).map((h) => h.replace(/^"|"$/g, '').trim());
}

async function loadMapping(): Promise<void> {
  if (!rallyId.value || !token.value) return;
  try {
    const r = await getJson<{ mapping: Mapping }>(api(`/imports/mapping?kind=${kind.value}`), token.value);
    mapping.value = r.mapping;
    readHeader();
  } catch (e) { say((e as Error).message, true); }
}

async function loadQuarantine(): Promise<void> {
  if (!rallyId.value || !token.value) return;
  try {
    quarantine.value = (await getJson<{ items: QItem[] }>(api('/imports/quarantine'), token.value)).items;
  } catch (e) { say((e as Error).message, true); }
}

/** POST with upload progress (a long file on a slow link shows how far it is). */
function postWithProgress<T>(path: string, body: unknown, label: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('content-type', 'application/json');
    xhr.setRequestHeader('authorization', `Bearer ${token.value}`);
    progress.value = { label: `${label}: sending`, value: 0 };
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) progress.value = { label: `${label}: sending`, value: e.loaded / e.total }; };
    xhr.upload.onload = () => { progress.value = { label: `${label}: the server is reading every line`, value: 1 }; };
    xhr.onload = () => {
      progress.value = null;
      const parsed = (() => { try { return JSON.parse(xhr.responseText); } catch { return null; } })();
      if (xhr.status >= 200 && xhr.status < 300) resolve(parsed as T);
      else reject(new ApiError(xhr.status, parsed?.detail ?? `HTTP ${xhr.status}`, parsed));
    };
    xhr.onerror = () => { progress.value = null; reject(new Error('the server could not be reached; nothing was imported')); };
    xhr.send(JSON.stringify(body));
  });
}

function body(confirm: boolean) {
  const m = { ...mapping.value };
  for (const k of Object.keys(m) as (keyof Mapping)[]) if (m[k] === '') delete m[k];
  if (kind.value === 'times-of-day') delete m.stage; else delete m.control;
  return { kind: kind.value, text: text.value, name: fileName.value || 'import.csv', mapping: m, ...(confirm ? { confirm: true } : {}) };
}

async function doPreview(): Promise<void> {
  say('');
  try {
    preview.value = await postWithProgress<Preview>(api('/imports/preview'), body(false), 'Preview');
    const c = preview.value.counts;
    say(`Preview: ${c.adds} to add, ${c.skips} already present, ${c.conflicts} conflicts, ${c.unreadable} unreadable. Nothing is stored until you confirm.`);
  } catch (e) { say((e as Error).message, true); }
}

async function doConfirm(): Promise<void> {
  try {
    const r = await postWithProgress<{ stored: number; quarantined: number }>(api('/imports'), body(true), 'Import');
    say(`Stored ${r.stored} times; ${r.quarantined} lines kept in the quarantine for the desk.`);
    preview.value = null;
    await loadQuarantine();
  } catch (e) { say((e as Error).message, true); }
}

async function resolve(item: QItem, form: HTMLFormElement, fix: boolean): Promise<void> {
  const data = new FormData(form);
  const reason = String(data.get('reason') ?? '').trim();
  if (!reason) { say(`Line ${item.line}: give a reason first.`, true); return; }
  const car = Number(data.get('car'));
  const where = String(data.get('where') ?? '').trim();
  const time = String(data.get('time') ?? '').trim();
  const fact = item.kind === 'times-of-day'
    ? { id: `quarantine-fix:${item.qid}`, type: 'controlTime', car, control: where, at: time, source: 'manual', reason }
    : { id: `quarantine-fix:${item.qid}`, type: 'stageTime', car, stage: where, time, source: 'manual', reason };
  try {
    await sendJson('POST', api(`/imports/quarantine/${encodeURIComponent(item.qid)}/resolve`), fix ? { reason, fact } : { reason }, token.value);
    say(`Line ${item.line} of ${item.file} ${fix ? 'fixed' : 'dismissed'}.`);
    await loadQuarantine();
  } catch (e) { say((e as Error).message, true); }
}

function ColumnSelect({ field, label, optional }: { field: keyof Mapping; label: string; optional?: boolean }) {
  const saved = mapping.value[field] ?? '';
  // An optional column the file does not have reads as none (the import ignores it too).
  const value = optional && !header.value.includes(saved) ? '' : saved;
  const id = `map-${field}`;
  return (
    <span class="field"><label for={id}>{label}</label>{' '}
      <select id={id} value={value} onChange={(e) => { mapping.value = { ...mapping.value, [field]: (e.target as HTMLSelectElement).value }; }}>
        {optional && <option value="">(none)</option>}
        {header.value.map((h, i) => <option key={h + i} value={h}>{h || `column ${i + 1}`}</option>)}
        {value && !header.value.includes(value) && <option value={value}>{value} (not in this file)</option>}
      </select>
    </span>
  );
}

function LineTable({ title, lines }: { title: string; lines: Line[] }) {
  if (!lines.length) return null;
  return (
    <details open={title !== 'Added' && title !== 'Already present'}>
      <summary>{title} ({lines.length})</summary>
      <table class="small"><thead><tr><th scope="col">Line</th><th scope="col">Text</th><th scope="col">Why</th></tr></thead>
        <tbody>{lines.slice(0, 500).map((l) => <tr key={l.line}><td>{l.line}</td><td><code>{l.text}</code></td><td>{l.why ?? ''}</td></tr>)}</tbody>
      </table>
    </details>
  );
}

function App() {
  const p = preview.value;
  const open = quarantine.value.filter((q) => !q.resolved);
  return (
    <>
      <p role="status" aria-live="polite" class={message.value.error ? 'error' : 'muted'}>{message.value.text}</p>
      <section aria-labelledby="who">
        <h2 id="who">Rally and token</h2>
        <label>Rally id <input value={rallyId.value} onInput={(e) => { rallyId.value = (e.target as HTMLInputElement).value.trim(); }} /></label>{' '}
        <label>Results officer token <input type="password" value={token.value} onInput={(e) => { token.value = (e.target as HTMLInputElement).value.trim(); }} /></label>{' '}
        <button type="button" onClick={() => { sessionStorage.setItem(`${KEY}.token`, token.value); localStorage.setItem(`${KEY}.rally`, rallyId.value); void loadMapping(); void loadQuarantine(); }}>Open</button>
      </section>
      <section aria-labelledby="file">
        <h2 id="file">File</h2>
        <label>What it holds{' '}
          <select value={kind.value} onChange={(e) => { kind.value = (e.target as HTMLSelectElement).value as Kind; preview.value = null; void loadMapping(); }}>
            <option value="times-of-day">Times of day (car, control, time)</option>
            <option value="stage-times">Stage times from a timing or tracking unit (car, stage, time)</option>
          </select>
        </label>{' '}
        <label>CSV file <input type="file" accept=".csv,.txt,text/csv" onChange={async (e) => {
          const f = (e.target as HTMLInputElement).files?.[0];
          if (!f) return;
          fileName.value = f.name;
          text.value = await f.text();
          preview.value = null;
          readHeader();
          say(`${f.name}: ${text.value.split(/\r?\n/).filter((l) => l.trim()).length} lines read. Map the columns, then preview.`);
        }} /></label>
        {header.value.length > 0 && (
          <fieldset>
            <legend>Columns (saved for this rally when you confirm)</legend>
            <label>Separator{' '}
              <select value={mapping.value.separator ?? ','} onChange={(e) => { mapping.value = { ...mapping.value, separator: (e.target as HTMLSelectElement).value }; readHeader(); }}>
                <option value=",">comma</option><option value=";">semicolon</option><option value="tab">tab</option>
              </select>
            </label>{' '}
            <ColumnSelect field="car" label="Car" />{' '}
            {kind.value === 'times-of-day' ? <ColumnSelect field="control" label="Control" /> : <ColumnSelect field="stage" label="Stage" />}{' '}
            <ColumnSelect field="time" label="Time" />{' '}
            <ColumnSelect field="device" label="Device" optional />{' '}
            <ColumnSelect field="marshal" label="Marshal" optional />
          </fieldset>
        )}
        <p>
          <button type="button" disabled={!text.value || !token.value} onClick={() => void doPreview()}>Preview</button>{' '}
          <button type="button" disabled={!p || p.counts.adds + p.counts.conflicts + p.counts.unreadable === 0} onClick={() => void doConfirm()}>Confirm import</button>
        </p>
        {progress.value && <p><label>{progress.value.label} <progress value={progress.value.value} max={1}>{Math.round(progress.value.value * 100)} %</progress></label></p>}
      </section>
      {p && (
        <section aria-labelledby="preview">
          <h2 id="preview">Preview: {p.lines} lines</h2>
          <LineTable title="Cannot be read" lines={p.unreadable} />
          <LineTable title="Conflicts with the log" lines={p.conflicts} />
          <LineTable title="Added" lines={p.adds} />
          <LineTable title="Already present" lines={p.skips} />
        </section>
      )}
      <section aria-labelledby="quarantine">
        <h2 id="quarantine">Quarantine ({open.length} open)</h2>
        {open.length === 0 ? <p class="muted">Nothing waiting.</p> : (
          <ul>
            {open.map((q) => (
              <li key={q.qid}>
                <p><strong>{q.file}, line {q.line}</strong>: <code>{q.text}</code> — {q.why}</p>
                <form onSubmit={(e) => { e.preventDefault(); void resolve(q, e.currentTarget as HTMLFormElement, true); }}>
                  <label>Car <input name="car" inputMode="numeric" size={4} /></label>{' '}
                  <label>{q.kind === 'times-of-day' ? 'Control' : 'Stage'} <input name="where" size={6} /></label>{' '}
                  <label>Time <input name="time" size={22} placeholder={q.kind === 'times-of-day' ? '2026-02-06T19:32:05.3' : '3:45.2'} /></label>{' '}
                  <label>Reason <input name="reason" required size={30} /></label>{' '}
                  <button type="submit">Store the fixed time</button>{' '}
                  <button type="button" onClick={(e) => void resolve(q, (e.currentTarget as HTMLButtonElement).form!, false)}>Dismiss</button>
                </form>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

render(<App />, document.getElementById('app')!);
if (rallyId.value && token.value) { void loadMapping(); void loadQuarantine(); }
