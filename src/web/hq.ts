// The results officer's desk: overdue crews (pushed live — a safety matter),
// conflicts to resolve with a reason, data-quality anomalies, enrollment codes
// for marshal phones, and publication of provisional and official results.
import { ApiError, getJson, sendJson } from './lib/api.ts';
import { $, h, replace } from './lib/dom.ts';
import { formatDuration } from '../core/time/duration.ts';
import { listOf, type HqOverdue, type Issue, type OverdueCrew, type Publication, type RallySummary } from './lib/types.ts';

interface ConflictEntry { seq: number; id: string; principal?: string; device?: string; receivedAt?: string; fact: { at?: string; time?: string; control?: string; stage?: string; raw?: string } }
interface Conflict extends Issue { entries: ConflictEntry[] }

const KEY = 'rallyhq.hq';
let token = sessionStorage.getItem(`${KEY}.token`) ?? '';
let rallyId = localStorage.getItem(`${KEY}.rally`) ?? new URLSearchParams(location.search).get('rally') ?? '';
let stream: EventSource | null = null;
const api = (p: string) => `/api/rallies/${encodeURIComponent(rallyId)}${p}`;
const val = (sel: string) => ($(sel) as HTMLInputElement).value.trim();

function say(text: string, error = false): void {
  $('#desk-msg').textContent = text;
  $('#desk-msg').className = error ? 'error' : 'muted';
}

function showOverdue(items: OverdueCrew[]): void {
  $('#overdue-count').textContent = String(items.length);
  $('#overdue-count').className = items.length ? 'pill alert' : 'pill';
  replace($('#overdue'), items.length
    ? items.map((o) => h('li', { class: 'error', 'data-car': o.car }, `Car ${o.car} on ${o.stage}: +${formatDuration(o.overdueMs, 0)} overdue`, h('div', { class: 'sub' }, o.detail)))
    : [h('li', { class: 'muted' }, 'No crew overdue.')]);
}

async function resolve(c: Conflict, keep: ConflictEntry, reason: string): Promise<void> {
  if (!reason) { say('Give the reason first, e.g. "time card shows 09:03".', true); return; }
  try {
    for (const other of c.entries) {
      if (other.id === keep.id) continue;
      await sendJson('POST', api('/corrections'), { id: `hq-${other.id}-withdrawn`, supersedes: other.id, reason }, token);
    }
    say(`Kept ${keep.id}; the other time is withdrawn with your reason.`);
    await refresh();
  } catch (e) {
    say((e as Error).message, true);
  }
}

/** What the officer typed as a reason, by conflict: a live refresh must not wipe it. */
const reasons = new Map<string, string>();
const conflictKey = (c: Conflict) => c.facts.join('|');
let shownConflicts = '';

function conflictItem(c: Conflict): HTMLElement {
  const reason = h('input', { placeholder: 'reason, e.g. time card shows 09:03', 'aria-label': 'Reason', value: reasons.get(conflictKey(c)) ?? '' }) as HTMLInputElement;
  reason.oninput = () => reasons.set(conflictKey(c), reason.value);
  return h('li', {}, h('strong', {}, c.subject), ` ${c.detail}`,
    h('ul', { class: 'list' }, c.entries.map((e) => h('li', {},
      `${e.fact.at?.slice(11) ?? e.fact.time ?? ''} — ${e.id} by ${e.principal ?? '?'}${e.device ? ` (${e.device})` : ''}${e.fact.raw ? `, typed "${e.fact.raw}"` : ''} `,
      h('button', { onclick: () => void resolve(c, e, reason.value.trim()) }, 'Keep this')))),
    h('div', { class: 'row' }, reason));
}

function anomalyItems(issues: Issue[]): HTMLElement[] {
  if (issues.length === 0) return [h('li', { class: 'muted' }, 'No anomalies.')];
  const order = { error: 0, warning: 1, info: 2 } as const;
  const sorted = [...issues].sort((a, b) => order[a.severity] - order[b.severity]);
  const shown = sorted.slice(0, 50).map((i) => h('li', { class: i.severity === 'error' ? 'error' : undefined },
    h('strong', {}, `${i.subject}: `), i.detail, h('div', { class: 'sub' }, `${i.code} · ${i.severity} · fix: ${i.fix}`)));
  return sorted.length > 50 ? [...shown, h('li', { class: 'muted' }, `… and ${sorted.length - 50} more (GET ${api('/anomalies')}).`)] : shown;
}

async function refresh(): Promise<void> {
  const [conflicts, anomalies, overdue, pubs] = await Promise.all([
    getJson<unknown>(api('/conflicts'), token),
    getJson<unknown>(api('/anomalies'), token),
    getJson<unknown>(api('/overdue'), token),
    getJson<unknown>(api('/publications'), token),
  ]);
  const c = listOf<Conflict>(conflicts, 'conflicts');
  const a = listOf<Issue>(anomalies, 'issues').filter((i) => i.code !== 'conflict' && i.code !== 'two-times-one-control' && i.code !== 'overdue');
  const p = listOf<Publication>(pubs, 'publications');
  $('#conflict-count').textContent = String(c.length);
  // NOTE: rebuilt only when the conflicts changed, so a refresh never steals the focus from a reason being typed.
  const signature = JSON.stringify(c.map((x) => x.entries.map((e) => e.seq)));
  if (signature !== shownConflicts) {
    shownConflicts = signature;
    replace($('#conflicts'), c.length ? c.map(conflictItem) : [h('li', { class: 'muted' }, 'No conflicts.')]);
  }
  $('#anomaly-count').textContent = String(a.length);
  replace($('#anomalies'), anomalyItems(a));
  if (!stream) showOverdue(listOf<OverdueCrew>(overdue, 'overdue'));
  replace($('#publications'), p.length
    ? [...p].reverse().map((x) => h('li', { 'data-kind': x.kind }, h('span', { class: `stamp ${x.kind}` }, `${x.kind} #${x.number}`), ` ${new Date(x.publishedAt).toLocaleString()}${x.reason ? ` — ${x.reason}` : ''}${x.principal ? ` (${x.principal})` : ''}`))
    : [h('li', { class: 'muted' }, 'Nothing published yet: the public pages show live, unofficial results.')]);
}

function live(): void {
  stream?.close();
  stream = new EventSource(`${api('/live/hq')}?token=${encodeURIComponent(token)}`);
  stream.addEventListener('overdue', (ev) => showOverdue((JSON.parse((ev as MessageEvent<string>).data) as HqOverdue).overdue));
  let pending: ReturnType<typeof setTimeout> | null = null;
  const later = () => { if (!pending) pending = setTimeout(() => { pending = null; void refresh().catch(() => {}); }, 500); };
  stream.addEventListener('delta', later);
  stream.addEventListener('counts', later);
  stream.addEventListener('publication', later);
  // A changed entry list or itinerary changes what the conflicts and anomalies are about.
  stream.addEventListener('reset', later);
  stream.onopen = () => { $('#live').textContent = 'live'; };
  stream.onerror = () => { $('#live').textContent = 'reconnecting…'; };
}

async function open(): Promise<void> {
  token = val('#token') || token;
  rallyId = ($('#rally') as HTMLSelectElement).value || rallyId;
  $('#login-msg').textContent = '';
  try {
    const who = await getJson<{ role: string; rallyId?: string; label?: string }>('/api/whoami', token);
    if (who.role === 'public') throw new Error('Type the token the administrator gave you.');
    if (who.role === 'timekeeper') throw new Error('This is a timekeeper token: it enters times on the marshal page, it cannot open the HQ desk.');
    if (who.role === 'officer' && who.rallyId !== rallyId) throw new Error(`This token is for rally "${who.rallyId ?? ''}"; choose that rally.`);
    await refresh();
    sessionStorage.setItem(`${KEY}.token`, token);
    localStorage.setItem(`${KEY}.rally`, rallyId);
    $('#login').hidden = true;
    $('#desk').hidden = false;
    $('#meta').textContent = `${($('#rally') as HTMLSelectElement).selectedOptions[0]?.textContent ?? rallyId} · ${who.label ?? who.role}`;
    $('#results-link').setAttribute('href', `/rally.html?id=${encodeURIComponent(rallyId)}`);
    live();
  } catch (e) {
    $('#login-msg').textContent = e instanceof ApiError && e.status === 401 ? `Token not accepted: ${e.message}` : (e as Error).message;
  }
}

async function publish(): Promise<void> {
  const kind = ($('#pub-kind') as HTMLSelectElement).value;
  const reason = val('#pub-reason');
  try {
    const p = await sendJson<Publication>('POST', api('/publications'), { kind, ...(reason ? { reason } : {}) }, token);
    say(`Published ${p.kind} results #${p.number}.`);
    ($('#pub-reason') as HTMLInputElement).value = '';
    await refresh();
  } catch (e) {
    say(`Not published: ${(e as Error).message}`, true);
  }
}

async function issueCode(): Promise<void> {
  const controls = val('#enr-controls').split(/[\s,]+/).filter(Boolean);
  try {
    const r = await sendJson<{ code: string; url: string; expiresAt: string }>('POST', api('/enrollments'), { label: val('#enr-label') || 'marshal', controls }, token);
    const link = new URL(r.url, location.href).href;
    replace($('#enr-out'), h('strong', { class: 'big', id: 'enr-code' }, r.code), h('div', {}, h('a', { href: link }, link)), h('div', { class: 'sub' }, `works once, until ${new Date(r.expiresAt).toLocaleString()}`));
  } catch (e) {
    replace($('#enr-out'), h('span', { class: 'error' }, (e as Error).message));
  }
}

async function start(): Promise<void> {
  const rallies = listOf<RallySummary>(await getJson<unknown>('/api/rallies'), 'rallies');
  replace($('#rally'), rallies.map((r) => h('option', { value: r.id }, r.name)));
  if (rallyId && rallies.some((r) => r.id === rallyId)) ($('#rally') as HTMLSelectElement).value = rallyId;
  $('#go').onclick = () => void open();
  ($('#token') as HTMLInputElement).onkeydown = (e) => { if (e.key === 'Enter') void open(); };
  $('#publish').onclick = () => void publish();
  $('#enr-btn').onclick = () => void issueCode();
  $('#logout').onclick = () => { sessionStorage.removeItem(`${KEY}.token`); location.reload(); };
  if (token && rallyId) await open();
}

start().catch((e) => { $('#login-msg').textContent = `Could not reach the server: ${(e as Error).message}`; });
