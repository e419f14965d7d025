// Marshal time entry: car number, "Now", correct the tenth, save — in two
// seconds, with or without signal. Times wait in an outbox on the phone
// (lib/outbox.ts) until the server acknowledges them; "N waiting" says how many.
// A marshal corrects or withdraws its own entry (with a reason); entries HQ
// withdrew or corrected show why; a rejected one is fixed and sent again.
// Preact with signals: the running clock and live updates never move focus.
import { render } from 'preact';
import { signal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { ApiError, getJson, sendJson } from './lib/api.ts';
import { newDeviceId, normalizeTimeOfDay, Outbox, shiftTenths, type OutboxEntry, type SendError } from './lib/outbox.ts';
import type { Entry, RallyDefinition } from './lib/types.ts';

interface Device { token: string; rallyId: string; deviceId: string; name: string; label: string; controls: string[] }
interface ControlInfo { id: string; label: string }
interface Itinerary { legs: RallyDefinition['legs']; stages: RallyDefinition['stages']; timeZone?: string }

const KEY = 'rallyhq.marshal';
const read = <T,>(k: string, d: T): T => { try { return (JSON.parse(localStorage.getItem(`${KEY}.${k}`) ?? 'null') as T) ?? d; } catch { return d; } };
const write = (k: string, v: unknown) => localStorage.setItem(`${KEY}.${k}`, JSON.stringify(v));
const pad = (n: number) => String(n).padStart(2, '0');

const device = signal<Device | null>(read<Device | null>('device', null));
let outbox: Outbox | null = null;
/** Bumped whenever the outbox changes, so the lists re-render. */
const version = signal(0);
const problem = signal('');
const warn = signal('');
const clockWarn = signal('');
const controls = signal<ControlInfo[]>([]);
const control = signal(read<string>('control', ''));
const entries = signal<Entry[]>([]);
const car = signal('');
const time = signal('');
const now = signal(Date.now());
const online = signal(navigator.onLine);
const enrollMsg = signal('');
/** The entry being corrected or fixed, and how. */
const editing = signal<{ entry: OutboxEntry; mode: 'correct' | 'withdraw' | 'fix'; car: string; time: string; reason: string } | null>(null);
let confirmDup = '';

/** The phone's wall clock as rally-local text: the phone is at the rally, in its time zone. */
function phoneNow(d = new Date()): { date: string; time: string } {
  return { date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`, time: `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${Math.floor(d.getMilliseconds() / 100)}` };
}

/** ISO 8601 with the phone's offset, as recordedAt. */
function isoWithOffset(d = new Date()): string {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const { date, time: t } = phoneNow(d);
  return `${date}T${t.slice(0, 8)}${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

/** A server message in words: the JSON path in front ("$.facts[0].car: …") becomes the field's name. */
export function inWords(message: string): string {
  const names: Record<string, string> = { car: 'Car', control: 'Control', at: 'Time', supersedes: 'Corrected entry', reason: 'Reason', id: 'Entry' };
  return message
    .replace(/\$(?:\.facts\[\d+\])?\.(\w+)(?:\[\d+\])?:\s*/g, (_m, f: string) => `${names[f] ?? f}: `)
    .replace(/\$:\s*/g, '')
    .replace(/ \(and \d+ more problems?, listed in errors\)/, '');
}

function controlsOf(it: Itinerary | null, allowed: string[]): ControlInfo[] {
  if (!it) return allowed.map((id) => ({ id, label: id }));
  const kinds: Record<string, string> = { SS_START: 'start', SS_FINISH: 'finish', SPLIT: 'split', STOP: 'stop', TC: 'time control' };
  const all = it.legs.flatMap((l) => l.sections.flatMap((s) => s.controls));
  // Matched without regard to case: a code issued for "ss7f" is SS7F.
  const mine = new Set(allowed.map((c) => c.toUpperCase()));
  const wanted = allowed.length === 0 ? () => true : (c: (typeof all)[number]) => mine.has(c.id.toUpperCase()) || (c.stage !== undefined && mine.has(c.stage.toUpperCase()) && c.kind !== 'STOP');
  return all.filter(wanted).map((c) => ({ id: c.id, label: `${c.id} — ${c.name ?? `${c.stage ?? ''} ${kinds[c.kind] ?? c.kind}`.trim()}` }));
}

/** The phone's clock and zone against the server's and the rally's: a wrong clock makes every time wrong. */
function checkClock(it: Itinerary | null, serverDate: string | null): void {
  const notes: string[] = [];
  const dates = (it?.legs ?? []).map((l) => l.date).sort();
  const first = dates[0];
  const last = dates.at(-1);
  const today = phoneNow().date;
  if (first && last) {
    // NOTE: the day after the last leg still counts: a night stage runs past midnight.
    const after = new Date(Date.parse(`${last}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    if (today < first || today > after) notes.push(`This phone's date is ${today}, but the rally runs ${first} to ${last}: check the phone's date and time before entering times.`);
  }
  if (serverDate) {
    const skew = Date.now() - Date.parse(serverDate);
    const a = Math.abs(skew);
    const by = a >= 86_400_000 ? `${Math.round(a / 86_400_000)} days` : a >= 3_600_000 ? `${Math.round(a / 3_600_000)} h` : a >= 60_000 ? `${Math.round(a / 60_000)} min` : `${Math.round(a / 1000)} s`;
    if (a > 5_000) notes.push(`This phone's clock is ${by} ${skew > 0 ? 'ahead of' : 'behind'} the server's: set it right (or type the time from the official clock).`);
  }
  if (it?.timeZone) {
    const rally = new Intl.DateTimeFormat('en-GB', { timeZone: it.timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date());
    const here = `${pad(new Date().getHours())}:${pad(new Date().getMinutes())}`;
    if (rally !== here) notes.push(`This phone is set to another time zone (${Intl.DateTimeFormat().resolvedOptions().timeZone}, ${here}) than the rally (${it.timeZone}, ${rally}): set the phone to the rally's zone, or times will be recorded wrong.`);
  }
  clockWarn.value = notes.join(' ');
}

let syncing = false;
async function sync(): Promise<void> {
  const d = device.value;
  if (syncing || !d || !outbox || outbox.count('waiting') === 0) return;
  syncing = true;
  try {
    const r = await outbox.sync(async (facts) => {
      try {
        // One fact goes bare, several as an atomic batch: both are idempotent on the fact ids.
        await sendJson('POST', `/api/rallies/${encodeURIComponent(d.rallyId)}/facts`, facts.length === 1 ? facts[0] : { facts }, d.token);
      } catch (e) {
        // NOTE: fetch fails with a TypeError offline; only an ApiError carries an HTTP status.
        throw (e instanceof ApiError ? { status: e.status, message: inWords(e.message) } : { message: (e as Error).message }) satisfies SendError;
      }
    });
    problem.value = r.stoppedBy === 'auth' ? `The server no longer accepts this phone (${r.message ?? ''}). Times are kept; ask HQ for a new code.`
      : r.stoppedBy === 'server' ? `The server had a problem; retrying. (${r.message ?? ''})` : '';
  } finally {
    syncing = false;
    version.value += 1;
  }
}

let seenSeq = 0;
/** What HQ did to this phone's entries: read from the log after the last position seen. */
async function watchHq(): Promise<void> {
  const d = device.value;
  if (!d || !outbox || !navigator.onLine) return;
  try {
    for (;;) {
      const r = await getJson<{ lastSeq: number; facts: { seq: number; principal: string; fact: { id: string; type: string; supersedes?: string; reason?: string } }[] }>(`/api/rallies/${encodeURIComponent(d.rallyId)}/facts?after=${seenSeq}&limit=2000`);
      const mine = new Set(outbox.entries().map((e) => e.id));
      let changed = false;
      for (const sf of r.facts) {
        const f = sf.fact;
        if (f.supersedes && mine.has(f.supersedes) && !mine.has(f.id)) {
          changed = outbox.noteHq(f.supersedes, { action: f.type === 'retraction' ? 'withdrawn' : 'corrected', reason: f.reason ?? '', by: sf.principal }) || changed;
        }
        seenSeq = Math.max(seenSeq, sf.seq);
      }
      write(`seen.${d.rallyId}`, seenSeq);
      if (changed) version.value += 1;
      if (r.facts.length < 2000) break;
    }
  } catch { /* offline or busy: asked again later */ }
}

let controlsAt = 0;
async function loadRally(d: Device): Promise<void> {
  controlsAt = Date.now();
  let it = read<Itinerary | null>(`itinerary.${d.rallyId}`, null);
  let serverDate: string | null = null;
  try {
    const res = await fetch(`/api/rallies/${encodeURIComponent(d.rallyId)}/itinerary`, { headers: { accept: 'application/json' } });
    serverDate = res.headers.get('date');
    if (res.ok) {
      it = (await res.json()) as Itinerary;
      write(`itinerary.${d.rallyId}`, { legs: it.legs, stages: it.stages, timeZone: it.timeZone });
    }
    const en = await getJson<{ entries: Entry[] }>(`/api/rallies/${encodeURIComponent(d.rallyId)}/entries`);
    entries.value = en.entries;
    write(`entries.${d.rallyId}`, en.entries);
  } catch {
    entries.value = read<Entry[]>(`entries.${d.rallyId}`, []);
  }
  const list = controlsOf(it, d.controls);
  checkClock(it, serverDate);
  if (JSON.stringify(list) !== JSON.stringify(controls.value)) controls.value = list;
  if (!list.some((c) => c.id === control.value)) control.value = list[0]?.id ?? '';
}

function duplicateWarning(): boolean {
  const n = Number(car.value.trim());
  const dup = Number.isInteger(n) && n > 0 ? outbox?.duplicateOf(n, control.value) : undefined;
  warn.value = dup ? `Car ${n} is already recorded at ${control.value} (${dup.at.slice(11)}). Check the number; press Save again to record it a second time.` : '';
  return dup !== undefined;
}

function carProblem(text: string): string {
  if (!/^\d+$/.test(text) || Number(text) <= 0) return 'Type the car number first.';
  if (entries.value.length > 0 && !entries.value.some((e) => e.car === Number(text))) return `Car ${text} is not on the entry list: check the number on the door.`;
  return '';
}

function record(carInput: HTMLInputElement | null): void {
  if (!outbox) return;
  const carText = car.value.trim();
  const typed = time.value.trim();
  const t = typed ? normalizeTimeOfDay(typed) : phoneNow().time;
  const bad = carProblem(carText);
  if (bad) { warn.value = bad; carInput?.focus(); return; }
  if (!t) { warn.value = `"${typed}" is not a time of day like 10:14:22.3 — correct it, or clear it and press Save to use the time now.`; return; }
  const n = Number(carText);
  // The duplicate warning is shown while typing; saving anyway takes a second, deliberate press.
  if (outbox.duplicateOf(n, control.value) && confirmDup !== `${n}@${control.value}`) {
    duplicateWarning();
    confirmDup = `${n}@${control.value}`;
    return;
  }
  confirmDup = '';
  warn.value = '';
  outbox.add({ car: n, control: control.value, at: `${phoneNow().date}T${t}`, raw: `${carText} ${typed || `now ${t}`}`, recordedAt: isoWithOffset() });
  car.value = '';
  time.value = '';
  carInput?.focus();
  version.value += 1;
  void sync();
}

/** Saves the correction, withdrawal or fix being edited, as a new entry of the outbox. */
function saveEdit(): void {
  const ed = editing.value;
  if (!ed || !outbox) return;
  if (ed.mode !== 'fix' && !ed.reason.trim()) { warn.value = 'Reason: say why, e.g. "wrong car number, it was 32".'; return; }
  const e = ed.entry;
  if (ed.mode === 'withdraw') {
    outbox.add({ car: e.car, control: e.control, at: e.at, raw: `withdraw ${e.id}`, recordedAt: isoWithOffset(), supersedes: e.id, reason: ed.reason.trim(), withdraw: true });
  } else {
    const bad = carProblem(ed.car.trim());
    const t = normalizeTimeOfDay(ed.time);
    if (bad) { warn.value = bad; return; }
    if (!t) { warn.value = `"${ed.time}" is not a time of day like 10:14:22.3.`; return; }
    outbox.add({ car: Number(ed.car), control: e.control, at: `${e.at.slice(0, 10)}T${t}`, raw: `${ed.car} ${ed.time}`, recordedAt: isoWithOffset(),
      ...(ed.mode === 'correct' ? { supersedes: e.id, reason: ed.reason.trim() } : {}) });
    if (ed.mode === 'fix') outbox.dismiss(e.id);
  }
  warn.value = '';
  editing.value = null;
  version.value += 1;
  void sync();
}

function Clock() {
  useEffect(() => { const t = setInterval(() => { now.value = Date.now(); }, 100); return () => clearInterval(t); }, []);
  return <p class="running-clock" aria-hidden="true">{phoneNow(new Date(now.value)).time}</p>;
}

function EditForm() {
  const ed = editing.value;
  if (!ed) return null;
  const set = (k: 'car' | 'time' | 'reason', v: string) => { editing.value = { ...ed, [k]: v }; };
  const title = ed.mode === 'withdraw' ? `Withdraw car ${ed.entry.car} at ${ed.entry.control}` : ed.mode === 'correct' ? `Correct car ${ed.entry.car} at ${ed.entry.control}` : `Fix and send again: car ${ed.entry.car}`;
  return (
    <form id="edit" class="edit" onSubmit={(e) => { e.preventDefault(); saveEdit(); }} aria-labelledby="edit-title">
      <h3 id="edit-title">{title}</h3>
      {ed.mode !== 'withdraw' ? (
        <div class="row">
          <label>Car <input id="edit-car" inputMode="numeric" value={ed.car} onInput={(e) => set('car', (e.currentTarget as HTMLInputElement).value)} /></label>
          <label>Time <input id="edit-time" inputMode="decimal" value={ed.time} onInput={(e) => set('time', (e.currentTarget as HTMLInputElement).value)} /></label>
        </div>
      ) : null}
      {ed.mode !== 'fix' ? <label class="block">Reason <input id="edit-reason" value={ed.reason} placeholder="e.g. wrong car number, it was 32" onInput={(e) => set('reason', (e.currentTarget as HTMLInputElement).value)} /></label> : null}
      <div class="row"><button type="submit" class="primary">{ed.mode === 'withdraw' ? 'Withdraw it' : ed.mode === 'correct' ? 'Save the correction' : 'Send again'}</button><button type="button" onClick={() => { editing.value = null; }}>Cancel</button></div>
    </form>
  );
}

function Recent() {
  void version.value;
  const list = [...(outbox?.entries() ?? [])].slice(-15).reverse();
  const corrected = new Set(list.filter((e) => e.supersedes).map((e) => e.supersedes));
  const start = (entry: OutboxEntry, mode: 'correct' | 'withdraw' | 'fix') => { editing.value = { entry, mode, car: String(entry.car), time: entry.at.slice(11), reason: '' }; };
  return (
    <table>
      <thead><tr><th class="num">Car</th><th>Control</th><th class="num">Time</th><th>State</th></tr></thead>
      <tbody id="recent">
        {list.map((e) => (
          <tr key={e.id} data-state={e.state} data-car={e.car} data-id={e.id}>
            <td class="num">{e.withdraw ? '—' : e.car}</td><td>{e.control}</td><td class="num">{e.withdraw ? '' : e.at.slice(11)}</td>
            <td class={e.state === 'rejected' || e.hq ? 'error' : 'muted'}>
              {e.state === 'rejected' ? <>rejected<div class="sub">{e.message ?? ''}</div><button type="button" class="small" onClick={() => start(e, 'fix')} aria-label={`Fix car ${e.car} and send again`}>Fix</button></>
                : e.state === 'sent' ? '✓ sent' : 'waiting'}
              {e.withdraw ? <div class="sub">withdraws {e.supersedes}: {e.reason}</div> : e.supersedes ? <div class="sub">corrects {e.supersedes}: {e.reason}</div> : null}
              {e.hq ? <div class="sub hq-note">{e.hq.action} by HQ ({e.hq.by}): {e.hq.reason}</div> : null}
              {e.state === 'sent' && !e.withdraw && !e.hq && !corrected.has(e.id) ? (
                <div class="row tight">
                  <button type="button" class="small" onClick={() => start(e, 'correct')} aria-label={`Correct car ${e.car} at ${e.at.slice(11)}`}>Correct</button>
                  <button type="button" class="small" onClick={() => start(e, 'withdraw')} aria-label={`Withdraw car ${e.car} at ${e.at.slice(11)}`}>Withdraw</button>
                </div>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function EntryView() {
  const d = device.value as Device;
  const carRef = useRef<HTMLInputElement>(null);
  void version.value;
  const waiting = outbox?.count('waiting') ?? 0;
  const rejected = outbox?.count('rejected') ?? 0;
  useEffect(() => { carRef.current?.focus(); }, []);
  useEffect(() => {
    const w = document.getElementById('waiting');
    if (w) {
      w.textContent = `${waiting} waiting${rejected ? ` · ${rejected} rejected` : ''}${online.value ? '' : ' · offline'}`;
      w.className = rejected ? 'meta bad' : waiting ? 'meta pending' : 'meta';
    }
    const title = document.getElementById('control-title');
    if (title) title.textContent = control.value || d.label;
  });
  const typedCar = car.value.trim();
  const crew = /^\d+$/.test(typedCar) ? entries.value.find((e) => e.car === Number(typedCar)) : undefined;
  return (
    <section id="entry">
      <Clock />
      <div class="row">
        <label class="block">Control
          <select id="control" aria-label="Control" value={control.value} onChange={(e) => { control.value = (e.currentTarget as HTMLSelectElement).value; write('control', control.value); duplicateWarning(); }}>
            {controls.value.map((c) => <option key={c.id} value={c.id}>{c.label}</option>)}
          </select>
        </label>
      </div>
      <div class="row">
        <input id="car" ref={carRef} inputMode="numeric" pattern="[0-9]*" placeholder="car" aria-label="Car number" autoComplete="off" value={car.value}
          onInput={(e) => { car.value = (e.currentTarget as HTMLInputElement).value; confirmDup = ''; duplicateWarning(); }}
          onKeyDown={(e) => { if (e.key === 'Enter') record(carRef.current); }} />
        <button id="now" type="button" onClick={() => { time.value = phoneNow().time; }}>Now</button>
      </div>
      <p class="sub crew-check" aria-live="polite">{crew ? `${crew.driver.name} / ${crew.codriver.name}` : typedCar && entries.value.length > 0 && /^\d+$/.test(typedCar) ? `Car ${typedCar} is not on the entry list.` : ''}</p>
      <div class="row">
        <button id="minus" type="button" aria-label="Tenth earlier" onClick={() => { const t = normalizeTimeOfDay(time.value); if (t) time.value = shiftTenths(t, -1); }}>−.1</button>
        <input id="time" placeholder="hh:mm:ss.t" aria-label="Time of day" inputMode="decimal" autoComplete="off" value={time.value}
          onInput={(e) => { time.value = (e.currentTarget as HTMLInputElement).value; }} onKeyDown={(e) => { if (e.key === 'Enter') record(carRef.current); }} />
        <button id="plus" type="button" aria-label="Tenth later" onClick={() => { const t = normalizeTimeOfDay(time.value); if (t) time.value = shiftTenths(t, 1); }}>+.1</button>
      </div>
      <div class="row"><button id="save" type="button" onClick={() => record(carRef.current)}>Save</button></div>
      <p id="clock" class="error" role="alert">{clockWarn.value}</p>
      <p id="warn" class="error" role="alert">{warn.value}</p>
      <p id="problem" class="error" role="alert">{problem.value}</p>
      <EditForm />
      <h3>Recent</h3>
      <Recent />
      <p class="muted small">Times stay on this phone until the server has them: nothing is lost without signal. An empty time means "now". Correct or withdraw a time of yours with its buttons (a reason is needed); HQ sees the correction and why.</p>
      <p class="muted small"><span id="who">{d.label} · {d.name}</span> · <button id="forget" type="button" class="small" onClick={() => {
        if (outbox && outbox.count('waiting') > 0 && !confirm(`${outbox.count('waiting')} times have not reached the server yet. They stay on this phone; enroll again to send them. Continue?`)) return;
        localStorage.removeItem(`${KEY}.device`);
        location.href = location.pathname;
      }}>Use another code</button></p>
    </section>
  );
}

const code = signal(new URLSearchParams(location.search).get('code') ?? '');
const phoneName = signal('');

async function enroll(): Promise<void> {
  enrollMsg.value = '';
  if (!code.value.trim()) { enrollMsg.value = 'Type the enrollment code first (ABCD-EFGH-JKLM).'; return; }
  try {
    const deviceName = phoneName.value.trim() || 'marshal phone';
    const r = await sendJson<{ token: string; rallyId: string; controls?: string[]; label: string }>('POST', '/api/enroll', { code: code.value.trim(), device: deviceName });
    // A fresh random id per enrollment: two phones named alike never share fact ids.
    const d: Device = { token: r.token, rallyId: r.rallyId, controls: r.controls ?? [], label: r.label, name: deviceName, deviceId: newDeviceId((b) => crypto.getRandomValues(b)) };
    write('device', d);
    history.replaceState(null, '', location.pathname);
    await open(d);
  } catch (e) {
    enrollMsg.value = `Enrollment failed: ${inWords((e as Error).message)}`;
  }
}

function EnrollView() {
  const hasCode = code.value !== '';
  return (
    <section id="enroll">
      <h2>Enroll this phone</h2>
      <p>Type the code the results officer gave you, or scan its QR code.</p>
      <form class="row" onSubmit={(e) => { e.preventDefault(); void enroll(); }}>
        <input id="code" autoComplete="off" autoCapitalize="characters" placeholder="ABCD-EFGH-JKLM" aria-label="Enrollment code" value={code.value} autoFocus={!hasCode} onInput={(e) => { code.value = (e.currentTarget as HTMLInputElement).value; }} />
        <input id="device-name" placeholder="phone name, e.g. SS7 finish A" aria-label="Phone name" value={phoneName.value} autoFocus={hasCode} onInput={(e) => { phoneName.value = (e.currentTarget as HTMLInputElement).value; }} />
        <button id="enroll-btn" type="submit">Enroll</button>
      </form>
      <p id="enroll-msg" class="error">{enrollMsg.value}</p>
    </section>
  );
}

const opened = signal(false);
function App() {
  return opened.value && device.value ? <EntryView /> : <EnrollView />;
}

async function open(d: Device): Promise<void> {
  outbox = new Outbox(localStorage, `${KEY}.${d.rallyId}.${d.deviceId}`, { id: d.deviceId, name: d.name });
  seenSeq = read<number>(`seen.${d.rallyId}`, 0);
  device.value = d;
  await loadRally(d);
  opened.value = true;
  void sync();
  void watchHq();
}

/** HQ may change the itinerary during the day: asked again when the phone wakes or comes back online, at most once a minute. */
function refreshRally(): void {
  const d = device.value;
  if (d && opened.value && document.visibilityState === 'visible' && Date.now() - controlsAt > 60_000) void loadRally(d);
}

function start(): void {
  render(<App />, document.getElementById('app') as HTMLElement);
  const d = device.value;
  if (d && !new URLSearchParams(location.search).get('code')) void open(d);
  // Keeps this page on the phone for a reload without signal (HTTPS or localhost only; elsewhere the open tab must stay open).
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(() => {});
  addEventListener('online', () => { online.value = true; void sync(); refreshRally(); });
  addEventListener('offline', () => { online.value = false; });
  document.addEventListener('visibilitychange', refreshRally);
  setInterval(() => void sync(), 3000);
  setInterval(() => void watchHq(), 15_000);
}

start();
