// Marshal time entry: car number, "Now", correct the tenth, save — in two
// seconds, with or without signal. Times wait in an outbox on the phone
// (lib/outbox.ts) until the server acknowledges them; "N waiting" says how many.
import { ApiError, getJson, sendJson } from './lib/api.ts';
import { $, h, replace } from './lib/dom.ts';
import { newDeviceId, normalizeTimeOfDay, Outbox, shiftTenths, type SendError } from './lib/outbox.ts';
import type { RallyDefinition } from './lib/types.ts';

interface Device { token: string; rallyId: string; deviceId: string; name: string; label: string; controls: string[] }
interface ControlInfo { id: string; label: string }
interface Itinerary { legs: RallyDefinition['legs']; stages: RallyDefinition['stages'] }

const KEY = 'rallyhq.marshal';
const read = <T>(k: string, d: T): T => { try { return (JSON.parse(localStorage.getItem(`${KEY}.${k}`) ?? 'null') as T) ?? d; } catch { return d; } };
const write = (k: string, v: unknown) => localStorage.setItem(`${KEY}.${k}`, JSON.stringify(v));

let device = read<Device | null>('device', null);
let outbox: Outbox | null = null;
let lastProblem = '';

const input = (sel: string) => $(sel) as HTMLInputElement;
const pad = (n: number) => String(n).padStart(2, '0');

/** The phone's wall clock as rally-local text: the phone is at the rally, in its time zone. */
function phoneNow(d = new Date()): { date: string; time: string } {
  return { date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`, time: `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${Math.floor(d.getMilliseconds() / 100)}` };
}

/** ISO 8601 with the phone's offset, as recordedAt. */
function isoWithOffset(d = new Date()): string {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const { date, time } = phoneNow(d);
  return `${date}T${time.slice(0, 8)}${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

/** A token's controls in running order with readable names; a stage code stands for its timing points. */
function controlsOf(it: Itinerary | null, allowed: string[]): ControlInfo[] {
  if (!it) return allowed.map((id) => ({ id, label: id }));
  const kinds: Record<string, string> = { SS_START: 'start', SS_FINISH: 'finish', SPLIT: 'split', STOP: 'stop', TC: 'time control' };
  const all = it.legs.flatMap((l) => l.sections.flatMap((s) => s.controls));
  const mine = new Set(allowed);
  // An officer's phone has no list of its own: every control of the rally.
  const wanted = allowed.length === 0 ? () => true : (c: (typeof all)[number]) => mine.has(c.id) || (c.stage !== undefined && mine.has(c.stage) && c.kind !== 'STOP');
  return all
    .filter(wanted)
    .map((c) => ({ id: c.id, label: `${c.id} — ${c.name ?? `${c.stage ?? ''} ${kinds[c.kind] ?? c.kind}`.trim()}` }));
}

/** The server refuses times outside the rally's dates: say so before the first time is typed, not after. */
function checkPhoneDate(it: Itinerary | null): void {
  const dates = (it?.legs ?? []).map((l) => l.date).sort();
  const first = dates[0];
  const last = dates.at(-1);
  if (!first || !last) return;
  // NOTE: the day after the last leg still counts: a night stage runs past midnight.
  const after = new Date(Date.parse(`${last}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const today = phoneNow().date;
  $('#clock').textContent = today < first || today > after ? `This phone's date is ${today}, but the rally runs ${first} to ${last}: check the phone's date and time before entering times.` : '';
}

function renderCount(): void {
  if (!outbox) return;
  const waiting = outbox.count('waiting');
  const rejected = outbox.count('rejected');
  $('#waiting').textContent = `${waiting} waiting${rejected ? ` · ${rejected} rejected` : ''}${navigator.onLine ? '' : ' · offline'}`;
  $('#waiting').className = rejected ? 'meta bad' : waiting ? 'meta pending' : 'meta';
  $('#problem').textContent = lastProblem;
  replace($('#recent'), [...outbox.entries()].slice(-15).reverse().map((e) => h('tr', { 'data-state': e.state, 'data-car': e.car },
    h('td', { class: 'num' }, e.car), h('td', {}, e.control), h('td', { class: 'num' }, e.at.slice(11)),
    h('td', { class: e.state === 'rejected' ? 'error' : 'muted' }, e.state === 'rejected' ? ['rejected', h('div', { class: 'sub' }, e.message ?? '')] : e.state === 'sent' ? '✓ sent' : 'waiting'))));
}

let syncing = false;
async function sync(): Promise<void> {
  if (syncing || !device || !outbox || outbox.count('waiting') === 0) return;
  syncing = true;
  const d = device;
  try {
    const r = await outbox.sync(async (facts) => {
      try {
        // One fact goes bare, several as an atomic batch: both are idempotent on the fact ids.
        await sendJson('POST', `/api/rallies/${encodeURIComponent(d.rallyId)}/facts`, facts.length === 1 ? facts[0] : { facts }, d.token);
      } catch (e) {
        // NOTE: fetch fails with a TypeError offline; only an ApiError carries an HTTP status.
        throw (e instanceof ApiError ? { status: e.status, message: e.message } : { message: (e as Error).message }) satisfies SendError;
      }
    });
    lastProblem = r.stoppedBy === 'auth' ? `The server no longer accepts this phone (${r.message ?? ''}). Times are kept; ask HQ for a new code.`
      : r.stoppedBy === 'server' ? `The server had a problem; retrying. (${r.message ?? ''})` : '';
  } finally {
    syncing = false;
    renderCount();
  }
}

function checkDuplicate(): boolean {
  const warn = $('#warn');
  const car = Number(input('#car').value.trim());
  const control = ($('#control') as HTMLSelectElement).value;
  const dup = Number.isInteger(car) && car > 0 ? outbox?.duplicateOf(car, control) : undefined;
  if (dup) {
    warn.textContent = `Car ${car} is already recorded at ${control} (${dup.at.slice(11)}). Check the number; press Save again to record it a second time.`;
    warn.dataset.dup = `${car}@${control}`;
  } else if (warn.dataset.dup) {
    warn.textContent = '';
    delete warn.dataset.dup;
  }
  return dup !== undefined;
}

function record(): void {
  if (!outbox) return;
  const warn = $('#warn');
  const carText = input('#car').value.trim();
  const car = Number(carText);
  const control = ($('#control') as HTMLSelectElement).value;
  const typed = input('#time').value.trim();
  const time = typed ? normalizeTimeOfDay(typed) : phoneNow().time;
  if (!/^\d+$/.test(carText) || car <= 0) { warn.textContent = 'Type the car number first.'; input('#car').focus(); return; }
  if (!time) { warn.textContent = `"${typed}" is not a time of day like 10:14:22.3 — correct it, or clear it and press Save to use the time now.`; input('#time').focus(); return; }
  // The duplicate warning is shown while typing; saving anyway takes a second, deliberate press.
  if (outbox.duplicateOf(car, control) && warn.dataset.confirm !== `${car}@${control}`) {
    checkDuplicate();
    warn.dataset.confirm = `${car}@${control}`;
    return;
  }
  warn.textContent = '';
  delete warn.dataset.confirm;
  delete warn.dataset.dup;
  outbox.add({ car, control, at: `${phoneNow().date}T${time}`, raw: `${carText} ${typed || `now ${time}`}`, recordedAt: isoWithOffset() });
  input('#car').value = '';
  input('#time').value = '';
  input('#car').focus();
  renderCount();
  void sync();
}

let shownControls = '';
let controlsAt = 0;
/** The control menu from the server's itinerary (kept for offline use), keeping the marshal's choice while it still exists. */
async function loadControls(d: Device): Promise<void> {
  controlsAt = Date.now();
  let it = read<Itinerary | null>(`itinerary.${d.rallyId}`, null);
  try {
    it = await getJson<Itinerary>(`/api/rallies/${encodeURIComponent(d.rallyId)}/itinerary`);
    write(`itinerary.${d.rallyId}`, { legs: it.legs, stages: it.stages });
  } catch { /* offline: the copy kept at enrollment will do */ }
  const controls = controlsOf(it, d.controls);
  checkPhoneDate(it);
  // NOTE: rebuilt only when the list changed, so a refresh never closes the menu under the marshal's thumb.
  const signature = JSON.stringify(controls);
  if (signature === shownControls) return;
  shownControls = signature;
  const sel = $('#control') as HTMLSelectElement;
  const current = sel.value || read<string>('control', '');
  replace(sel, controls.map((c) => h('option', { value: c.id }, c.label)));
  if (controls.some((c) => c.id === current)) sel.value = current;
  $('#control-title').textContent = sel.value || d.label;
}

/** HQ may change the itinerary during the day: asked again when the phone wakes or comes back online, at most once a minute. */
function refreshControls(): void {
  if (device && outbox && document.visibilityState === 'visible' && Date.now() - controlsAt > 60_000) void loadControls(device);
}

async function showEntry(d: Device): Promise<void> {
  outbox = new Outbox(localStorage, `${KEY}.${d.rallyId}.${d.deviceId}`, { id: d.deviceId, name: d.name });
  $('#enroll').hidden = true;
  $('#entry').hidden = false;
  await loadControls(d);
  const sel = $('#control') as HTMLSelectElement;
  sel.onchange = () => { write('control', sel.value); $('#control-title').textContent = sel.value || d.label; checkDuplicate(); };
  $('#who').textContent = `${d.label} · ${d.name}`;
  $('#now').onclick = () => { input('#time').value = phoneNow().time; };
  $('#minus').onclick = () => { const t = normalizeTimeOfDay(input('#time').value); if (t) input('#time').value = shiftTenths(t, -1); };
  $('#plus').onclick = () => { const t = normalizeTimeOfDay(input('#time').value); if (t) input('#time').value = shiftTenths(t, 1); };
  $('#save').onclick = record;
  input('#car').oninput = () => { delete $('#warn').dataset.confirm; checkDuplicate(); };
  input('#car').onkeydown = (e) => { if (e.key === 'Enter') record(); };
  input('#time').onkeydown = (e) => { if (e.key === 'Enter') record(); };
  $('#forget').onclick = () => {
    if (outbox && outbox.count('waiting') > 0 && !confirm(`${outbox.count('waiting')} times have not reached the server yet. They stay on this phone; enroll again to send them. Continue?`)) return;
    localStorage.removeItem(`${KEY}.device`);
    location.href = location.pathname;
  };
  renderCount();
  input('#car').focus();
  void sync();
}

async function enroll(code: string, name: string): Promise<void> {
  const msg = $('#enroll-msg');
  msg.textContent = '';
  if (!code) { msg.textContent = 'Type the enrollment code first (ABCD-EFGH).'; return; }
  try {
    const deviceName = name || 'marshal phone';
    const r = await sendJson<{ token: string; rallyId: string; controls?: string[]; label: string }>('POST', '/api/enroll', { code, device: deviceName });
    // A fresh random id per enrollment: two phones named alike never share fact ids.
    device = { token: r.token, rallyId: r.rallyId, controls: r.controls ?? [], label: r.label, name: deviceName, deviceId: newDeviceId((b) => crypto.getRandomValues(b)) };
    write('device', device);
    history.replaceState(null, '', location.pathname);
    await showEntry(device);
  } catch (e) {
    msg.textContent = `Enrollment failed: ${(e as Error).message}`;
  }
}

function start(): void {
  const code = new URLSearchParams(location.search).get('code');
  if (device && !code) void showEntry(device);
  else {
    $('#enroll').hidden = false;
    if (code) input('#code').value = code;
    (code ? input('#device-name') : input('#code')).focus();
    $('#enroll-btn').onclick = () => void enroll(input('#code').value.trim(), input('#device-name').value.trim());
  }
  // Keeps this page on the phone for a reload without signal (HTTPS or localhost only; elsewhere the open tab must stay open).
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(() => {});
  addEventListener('online', () => { void sync(); refreshControls(); });
  document.addEventListener('visibilitychange', refreshControls);
  addEventListener('offline', renderCount);
  setInterval(() => void sync(), 3000);
}

start();
