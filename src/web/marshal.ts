// Marshal time entry: car number, "now", correct the tenth, save — in two
// seconds, with or without signal. Entries wait in an outbox on the phone
// (localStorage, written before anything is sent) with ids of their own, so a
// resend after a lost answer is acknowledged once by the server and never doubled.
import { ApiError, sendJson } from './lib/api.ts';
import { $, h, replace } from './lib/dom.ts';

interface Device { token: string; rallyId: string; controls: string[]; deviceId: string; label: string }
interface Pending { id: string; car: number; control: string; at: string; raw: string; state: 'waiting' | 'sent' | 'rejected'; message?: string }

const KEY = 'rallyhq.marshal';
const load = <T>(k: string, d: T): T => { try { return (JSON.parse(localStorage.getItem(`${KEY}.${k}`) ?? 'null') as T) ?? d; } catch { return d; } };
const save = (k: string, v: unknown) => localStorage.setItem(`${KEY}.${k}`, JSON.stringify(v));

let device = load<Device | null>('device', null);
let entries = load<Pending[]>('entries', []);

function pad(n: number, w = 2): string { return String(n).padStart(w, '0'); }
/** The phone's wall clock as rally-local text; the phone is at the rally, in its time zone. */
function localNow(d = new Date()): { date: string; time: string } {
  return {
    date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
    time: `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${Math.floor(d.getMilliseconds() / 100)}`,
  };
}

function nextId(): string {
  const seq = load<number>('seq', 0) + 1;
  save('seq', seq);
  return `${device?.deviceId ?? 'device'}-${String(seq).padStart(6, '0')}`;
}

function renderCount(): void {
  const waiting = entries.filter((e) => e.state === 'waiting').length;
  const rejected = entries.filter((e) => e.state === 'rejected').length;
  $('#waiting').textContent = `${waiting} waiting${rejected ? ` · ${rejected} rejected` : ''}${navigator.onLine ? '' : ' · offline'}`;
  replace($('#recent'), entries.slice(-15).reverse().map((e) => h('tr', { 'data-state': e.state },
    h('td', {}, e.car), h('td', {}, e.control), h('td', {}, e.at.slice(11)),
    h('td', { class: e.state === 'rejected' ? 'error' : 'muted' }, e.state === 'rejected' ? `rejected: ${e.message ?? ''}` : e.state))));
}

function persist(): void {
  // Keep the last 500 acknowledged entries for the duplicate check; never drop waiting ones.
  const sent = entries.filter((e) => e.state !== 'waiting');
  entries = [...sent.slice(-500), ...entries.filter((e) => e.state === 'waiting')];
  save('entries', entries);
  renderCount();
}

function toFact(e: Pending) {
  return { id: e.id, type: 'controlTime', car: e.car, control: e.control, at: e.at, source: 'marshalClock', device: device?.label, raw: e.raw };
}

let syncing = false;
async function sync(): Promise<void> {
  if (syncing || !device) return;
  const waiting = entries.filter((e) => e.state === 'waiting');
  if (waiting.length === 0) return;
  syncing = true;
  const path = `/api/rallies/${encodeURIComponent(device.rallyId)}/facts`;
  try {
    for (let i = 0; i < waiting.length; i += 100) {
      const chunk = waiting.slice(i, i + 100);
      try {
        await sendJson('POST', path, { facts: chunk.map(toFact) }, device.token);
        for (const e of chunk) e.state = 'sent';
      } catch (err) {
        if (!(err instanceof ApiError) || err.status >= 500 || err.status === 0) throw err;
        // The batch is atomic: find the bad entries one by one, keep the good ones.
        for (const e of chunk) {
          try {
            await sendJson('POST', path, toFact(e), device.token);
            e.state = 'sent';
          } catch (one) {
            if (one instanceof ApiError && one.status < 500) { e.state = 'rejected'; e.message = one.message; } else throw one;
          }
        }
      }
      persist();
    }
  } catch {
    /* offline or server down: entries stay waiting and are retried */
  } finally {
    syncing = false;
    persist();
  }
}

function record(): void {
  const warn = $('#warn');
  const car = Number(($('#car') as HTMLInputElement).value.trim());
  const control = ($('#control') as HTMLSelectElement).value;
  const timeText = ($('#time') as HTMLInputElement).value.trim() || localNow().time;
  if (!Number.isInteger(car) || car <= 0) { warn.textContent = 'Type the car number first.'; return; }
  if (!/^\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(timeText)) { warn.textContent = `"${timeText}" is not a time of day like 10:14:22.3`; return; }
  const dup = entries.find((e) => e.car === car && e.control === control && e.state !== 'rejected');
  if (dup && warn.dataset.confirm !== `${car}@${control}`) {
    warn.textContent = `Car ${car} is already recorded at ${control} (${dup.at.slice(11)}). Press Save again to record a second time.`;
    warn.dataset.confirm = `${car}@${control}`;
    return;
  }
  warn.textContent = '';
  delete warn.dataset.confirm;
  const at = `${localNow().date}T${timeText}`;
  entries.push({ id: nextId(), car, control, at, raw: `${car} ${timeText}`, state: 'waiting' });
  persist();
  ($('#car') as HTMLInputElement).value = '';
  ($('#time') as HTMLInputElement).value = '';
  ($('#car') as HTMLInputElement).focus();
  void sync();
}

function showEntry(): void {
  if (!device) return;
  $('#enroll').hidden = true;
  $('#entry').hidden = false;
  const sel = $('#control') as HTMLSelectElement;
  replace(sel, device.controls.map((c) => h('option', { value: c }, c)));
  sel.value = load<string>('control', device.controls[0] ?? '');
  sel.onchange = () => { save('control', sel.value); $('#control-title').textContent = sel.value; };
  $('#control-title').textContent = sel.value;
  $('#now').onclick = () => { ($('#time') as HTMLInputElement).value = localNow().time; };
  $('#save').onclick = record;
  ($('#car') as HTMLInputElement).onkeydown = (e) => { if (e.key === 'Enter') record(); };
  ($('#time') as HTMLInputElement).onkeydown = (e) => { if (e.key === 'Enter') record(); };
  renderCount();
}

async function enroll(code: string, name: string): Promise<void> {
  const msg = $('#enroll-msg');
  msg.textContent = '';
  try {
    const r = await sendJson<{ token: string; rallyId: string; controls?: string[]; label?: string; device?: string; tokenId?: string; id?: string }>('POST', '/api/enroll', { code, device: name || 'marshal phone' });
    device = { token: r.token, rallyId: r.rallyId, controls: r.controls ?? [], label: r.label ?? name, deviceId: (r.tokenId ?? r.id ?? name ?? 'device').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 24) || 'device' };
    save('device', device);
    history.replaceState(null, '', location.pathname);
    showEntry();
  } catch (e) {
    msg.textContent = `Enrollment failed: ${(e as Error).message}`;
  }
}

function start(): void {
  const code = new URLSearchParams(location.search).get('code');
  if (device && !code) showEntry();
  else {
    $('#enroll').hidden = false;
    if (code) ($('#code') as HTMLInputElement).value = code;
    $('#enroll-btn').onclick = () => void enroll(($('#code') as HTMLInputElement).value.trim(), ($('#device-name') as HTMLInputElement).value.trim());
  }
  addEventListener('online', () => void sync());
  addEventListener('offline', renderCount);
  setInterval(() => void sync(), 3000);
  void sync();
}

start();
