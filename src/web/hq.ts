// The results officer's desk: overdue crews (pushed live), conflicts to
// resolve, anomalies, and publication of provisional and official results.
import { getJson, sendJson } from './lib/api.ts';
import { $, h, replace } from './lib/dom.ts';

interface Issue { code: string; severity: string; subject: string; detail: string; fix: string; facts: string[] }
interface Overdue { car: number; stage: string; overdueMs: number; detail: string }
interface Publication { number: number; kind: string; publishedAt: string; reason?: string; principal?: string }

const KEY = 'rallyhq.hq';
let token = localStorage.getItem(`${KEY}.token`) ?? '';
let rallyId = localStorage.getItem(`${KEY}.rally`) ?? '';
const api = (p: string) => `/api/rallies/${encodeURIComponent(rallyId)}${p}`;
const list = <T>(body: T[] | Record<string, T[]>, key: string): T[] => (Array.isArray(body) ? body : (body[key] ?? []));

function issueItem(i: Issue): HTMLElement {
  return h('li', {}, h('strong', {}, `${i.subject}: `), i.detail, h('div', { class: 'muted' }, `${i.code} · ${i.severity} · fix: ${i.fix} · facts ${i.facts.join(', ')}`));
}

function showOverdue(items: Overdue[]): void {
  $('#overdue-count').textContent = String(items.length);
  replace($('#overdue'), items.length ? items.map((o) => h('li', { class: 'error' }, o.detail)) : [h('li', { class: 'muted' }, 'No crew overdue.')]);
}

async function refresh(): Promise<void> {
  const [conflicts, anomalies, overdue, pubs] = await Promise.all([
    getJson<Issue[] | Record<string, Issue[]>>(api('/conflicts'), token),
    getJson<Issue[] | Record<string, Issue[]>>(api('/anomalies'), token),
    getJson<Overdue[] | Record<string, Overdue[]>>(api('/overdue'), token),
    getJson<Publication[] | Record<string, Publication[]>>(api('/publications'), token),
  ]);
  const c = list(conflicts, 'conflicts'), a = list(anomalies, 'anomalies'), p = list(pubs, 'publications');
  $('#conflict-count').textContent = String(c.length);
  replace($('#conflicts'), c.length ? c.map(issueItem) : [h('li', { class: 'muted' }, 'No conflicts.')]);
  $('#anomaly-count').textContent = String(a.length);
  replace($('#anomalies'), a.length ? a.map(issueItem) : [h('li', { class: 'muted' }, 'No anomalies.')]);
  showOverdue(list(overdue, 'overdue'));
  replace($('#publications'), p.map((x) => h('li', {}, `#${x.number} ${x.kind} — ${x.publishedAt}${x.reason ? ` — ${x.reason}` : ''}`)));
}

function live(): void {
  const es = new EventSource(`${api('/live/hq')}?token=${encodeURIComponent(token)}`);
  es.addEventListener('overdue', (ev) => {
    const body = JSON.parse((ev as MessageEvent<string>).data) as Overdue[] | { overdue: Overdue[] };
    showOverdue(Array.isArray(body) ? body : body.overdue);
  });
  es.addEventListener('delta', () => void refresh().catch(() => {}));
}

async function open(): Promise<void> {
  token = ($('#token') as HTMLInputElement).value.trim() || token;
  rallyId = ($('#rally') as HTMLSelectElement).value;
  try {
    await refresh();
    localStorage.setItem(`${KEY}.token`, token);
    localStorage.setItem(`${KEY}.rally`, rallyId);
    $('#login').hidden = true;
    $('#desk').hidden = false;
    $('#meta').textContent = rallyId;
    live();
  } catch (e) {
    $('#login-msg').textContent = (e as Error).message;
  }
}

async function start(): Promise<void> {
  const body = await getJson<{ id: string; name?: string; definition?: { name: string } }[] | { rallies: { id: string; name?: string; definition?: { name: string } }[] }>('/api/rallies');
  const rallies = Array.isArray(body) ? body : body.rallies;
  replace($('#rally'), rallies.map((r) => h('option', { value: r.id }, r.name ?? r.definition?.name ?? r.id)));
  if (rallyId) ($('#rally') as HTMLSelectElement).value = rallyId;
  $('#go').onclick = () => void open();
  $('#publish').onclick = async () => {
    try {
      await sendJson('POST', api('/publications'), { kind: ($('#pub-kind') as HTMLSelectElement).value, reason: ($('#pub-reason') as HTMLInputElement).value.trim() || undefined }, token);
      await refresh();
    } catch (e) {
      alert((e as Error).message);
    }
  };
  if (token && rallyId) await open();
}

void start();
