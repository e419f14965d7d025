// Live rally page for fans and crews: overall and class tables, stage times,
// a crew's own page, and a gap chart to compare crews. Updates itself over
// Server-Sent Events; on a poor link it falls back to polling with ETags.
import { getJson, qs } from './lib/api.ts';
import { $, h, replace } from './lib/dom.ts';
import { formatDuration, formatGap } from '../core/time/duration.ts';
import { gapChart, type Series } from './lib/chart.ts';

interface Entry { car: number; driver: { name: string; nationality?: string }; codriver: { name: string; nationality?: string }; make: string; model: string; class: string }
interface Row { position: number | null; classPosition: number | null; car: number; entry: Entry; status: string; totalMs: number; penaltyMs: number; gapToLeaderMs: number | null; gapToPrevMs: number | null; positionChange: number | null; stagesCounted: number }
interface Classification { after: string | null; rows: Row[]; stageWinners: { stage: string; cars: number[]; timeMs: number }[]; retired: { car: number; where: string; reason: string }[]; excluded: { car: number; reason: string }[] }
interface StageRow { position: number | null; car: number; entry: Entry; status: string; timeMs: number | null; gapToWinnerMs: number | null; penaltyMs: number }
interface StageResult { stage: { code: string; name: string; distanceM: number }; rows: StageRow[]; cancelled: boolean; interrupted: boolean }
interface Rally { id: string; definition: { name: string; distanceUnit: 'mi' | 'km'; stages: { code: string; name: string; distanceM: number }[]; classes: { code: string; name: string }[]; startDate: string } }
interface CrewPoint { stage: string; position: number | null; gapToLeaderMs: number | null; gapToClassLeaderMs?: number | null; timeMs?: number | null; status?: string; totalMs?: number | null }
interface Crew { entry: Entry; stages?: CrewPoint[]; series?: CrewPoint[]; penalties?: { ms?: number; seconds?: number; reason: string; rule?: string }[] }
interface Publication { number: number; kind: 'provisional' | 'official'; publishedAt: string }

const params = new URLSearchParams(location.search);
const rallyId = params.get('id') ?? '';
const state = { view: params.get('view') ?? 'overall', cls: params.get('class') ?? '', stage: params.get('stage') ?? '', car: params.get('car') ?? '', compare: (params.get('compare') ?? '').split(',').filter(Boolean) };
let rally: Rally | null = null;
let lastRows = new Map<number, string>();

const api = (p: string) => `/api/rallies/${encodeURIComponent(rallyId)}${p}`;
const crewName = (e: Entry) => `${e.driver.name} / ${e.codriver.name}`;
const unitOf = () => rally?.definition.distanceUnit ?? 'km';
const dist = (m: number) => (unitOf() === 'mi' ? `${(m / 1609.344).toFixed(2)} mi` : `${(m / 1000).toFixed(2)} km`);

function setUrl(): void {
  const p = new URLSearchParams({ id: rallyId });
  if (state.view !== 'overall') p.set('view', state.view);
  if (state.cls) p.set('class', state.cls);
  if (state.stage) p.set('stage', state.stage);
  if (state.car) p.set('car', state.car);
  if (state.compare.length) p.set('compare', state.compare.join(','));
  history.replaceState(null, '', `?${p}`);
}

function change(n: number | null): Node | string {
  if (!n) return '';
  return n > 0 ? h('span', { class: 'up', title: `gained ${n}` }, `▲${n}`) : h('span', { class: 'down', title: `lost ${-n}` }, `▼${-n}`);
}

function crewLink(e: Entry): HTMLElement {
  return h('a', { href: '#', onclick: (ev: Event) => { ev.preventDefault(); state.view = 'crew'; state.car = String(e.car); void render(); } }, crewName(e));
}

async function renderOverall(view: HTMLElement): Promise<void> {
  const c = await getJson<Classification>(api(`/results${qs({ class: state.cls })}`));
  const rows = c.rows.map((r) => {
    const sig = `${r.position}|${r.totalMs}`;
    const changed = lastRows.has(r.car) && lastRows.get(r.car) !== sig;
    lastRows.set(r.car, sig);
    const pos = state.cls ? r.classPosition : r.position;
    return h('tr', { class: changed ? 'flash' : undefined, 'data-car': r.car },
      h('td', { class: 'num' }, pos ?? r.status),
      h('td', { class: 'num' }, `#${r.car}`),
      h('td', { class: 'crew' }, crewLink(r.entry), h('div', { class: 'muted' }, `${r.entry.make} ${r.entry.model}`)),
      h('td', { class: 'wide' }, r.entry.class),
      h('td', { class: 'num' }, formatDuration(r.totalMs)),
      h('td', { class: 'num' }, r.gapToLeaderMs ? formatGap(r.gapToLeaderMs) : ''),
      h('td', { class: 'num wide' }, r.gapToPrevMs ? formatGap(r.gapToPrevMs) : ''),
      h('td', { class: 'num wide' }, r.penaltyMs ? formatDuration(r.penaltyMs, 0) : ''),
      h('td', {}, change(r.positionChange)));
  });
  replace(view,
    h('p', { class: 'muted' }, c.after ? `After ${c.after}` : 'No stage run yet', state.cls ? ` · class ${state.cls}` : ''),
    h('table', { id: 'leaderboard' },
      h('thead', {}, h('tr', {}, h('th', { class: 'num' }, 'Pos'), h('th', { class: 'num' }, 'Car'), h('th', {}, 'Crew'), h('th', { class: 'wide' }, 'Class'), h('th', { class: 'num' }, 'Total'), h('th', { class: 'num' }, 'Gap'), h('th', { class: 'num wide' }, 'Diff'), h('th', { class: 'num wide' }, 'Pen.'), h('th', {}, ''))),
      h('tbody', {}, rows)),
    c.retired.length ? h('section', {}, h('h3', {}, 'Retired'), h('ul', { class: 'list' }, c.retired.map((r) => h('li', {}, `#${r.car} at ${r.where}: ${r.reason}`)))) : null,
    c.excluded.length ? h('section', {}, h('h3', {}, 'Excluded'), h('ul', { class: 'list' }, c.excluded.map((r) => h('li', {}, `#${r.car}: ${r.reason}`)))) : null);
}

async function renderStage(view: HTMLElement): Promise<void> {
  const s = await getJson<StageResult>(api(`/stages/${encodeURIComponent(state.stage)}${qs({ class: state.cls })}`));
  replace(view,
    h('h2', {}, `${s.stage.code} ${s.stage.name}`, ' ', h('span', { class: 'muted' }, dist(s.stage.distanceM)), s.cancelled ? h('span', { class: 'pill' }, 'cancelled') : null, s.interrupted ? h('span', { class: 'pill' }, 'interrupted') : null),
    h('table', { id: 'stage-table' },
      h('thead', {}, h('tr', {}, h('th', { class: 'num' }, 'Pos'), h('th', { class: 'num' }, 'Car'), h('th', {}, 'Crew'), h('th', { class: 'num' }, 'Time'), h('th', { class: 'num' }, 'Gap'), h('th', {}, ''))),
      h('tbody', {}, s.rows.map((r) => h('tr', {},
        h('td', { class: 'num' }, r.position ?? ''),
        h('td', { class: 'num' }, `#${r.car}`),
        h('td', { class: 'crew' }, crewLink(r.entry)),
        h('td', { class: 'num' }, r.timeMs === null ? '—' : formatDuration(r.timeMs)),
        h('td', { class: 'num' }, r.gapToWinnerMs ? formatGap(r.gapToWinnerMs) : ''),
        h('td', {}, r.status !== 'ok' ? h('span', { class: 'pill' }, r.status) : '', r.penaltyMs ? h('span', { class: 'pill' }, `+${formatDuration(r.penaltyMs, 0)} pen.`) : ''))))));
}

async function renderCrew(view: HTMLElement): Promise<void> {
  const c = await getJson<Crew>(api(`/crews/${encodeURIComponent(state.car)}`));
  const points = c.stages ?? c.series ?? [];
  replace(view,
    h('h2', {}, `#${c.entry.car} ${crewName(c.entry)}`),
    h('p', { class: 'muted' }, `${c.entry.make} ${c.entry.model} · ${c.entry.class}`),
    h('table', { id: 'crew-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Stage'), h('th', { class: 'num' }, 'Time'), h('th', { class: 'num' }, 'Pos after'), h('th', { class: 'num' }, 'Gap to leader'), h('th', { class: 'num' }, 'Gap to class leader'))),
      h('tbody', {}, points.map((p) => h('tr', {},
        h('td', {}, p.stage),
        h('td', { class: 'num' }, p.timeMs == null ? '—' : formatDuration(p.timeMs)),
        h('td', { class: 'num' }, p.position ?? ''),
        h('td', { class: 'num' }, p.gapToLeaderMs == null ? '' : formatGap(p.gapToLeaderMs || null)),
        h('td', { class: 'num' }, p.gapToClassLeaderMs == null ? '' : formatGap(p.gapToClassLeaderMs || null)))))),
    (c.penalties ?? []).length ? h('section', {}, h('h3', {}, 'Penalties'), h('ul', { class: 'list' }, (c.penalties ?? []).map((p) => h('li', {}, `+${formatDuration(p.ms ?? (p.seconds ?? 0) * 1000, 0)} ${p.reason}`, p.rule ? h('span', { class: 'muted' }, ` (${p.rule})`) : null)))) : null,
    gapChart([{ label: `#${c.entry.car}`, points: points.map((p) => ({ x: p.stage, y: p.gapToClassLeaderMs ?? p.gapToLeaderMs ?? null })) }], 'Gap to class leader'));
}

async function renderChart(view: HTMLElement): Promise<void> {
  const cars = state.compare.length ? state.compare : [];
  const picker = h('input', { id: 'compare', placeholder: 'car numbers, e.g. 23,41', value: cars.join(','), inputmode: 'numeric' }) as HTMLInputElement;
  const go = h('button', { onclick: () => { state.compare = picker.value.split(/[ ,]+/).filter(Boolean); void render(); } }, 'Compare');
  const series: Series[] = [];
  for (const car of cars) {
    try {
      const c = await getJson<Crew>(api(`/crews/${encodeURIComponent(car)}`));
      series.push({ label: `#${c.entry.car} ${c.entry.driver.name}`, points: (c.stages ?? c.series ?? []).map((p) => ({ x: p.stage, y: p.gapToLeaderMs ?? null })) });
    } catch { /* unknown car: the chart simply omits it */ }
  }
  replace(view, h('p', {}, picker, ' ', go), series.length ? gapChart(series, 'Gap to the overall leader after each stage') : h('p', { class: 'muted' }, 'Enter two or more car numbers to compare their gap to the leader.'));
}

async function render(): Promise<void> {
  setUrl();
  for (const b of document.querySelectorAll<HTMLButtonElement>('#tabs button')) b.setAttribute('aria-pressed', String(b.dataset.view === state.view));
  const view = $('#view');
  try {
    if (state.view === 'stage' && state.stage) await renderStage(view);
    else if (state.view === 'crew' && state.car) await renderCrew(view);
    else if (state.view === 'chart') await renderChart(view);
    else await renderOverall(view);
    $('#status').textContent = `Updated ${new Date().toLocaleTimeString()}`;
  } catch (e) {
    $('#status').textContent = `Could not load: ${(e as Error).message}. Retrying…`;
  }
}

async function loadPublication(): Promise<void> {
  try {
    const pubs = await getJson<Publication[] | { publications: Publication[] }>(api('/publications'));
    const list = Array.isArray(pubs) ? pubs : pubs.publications;
    const last = list[list.length - 1];
    const stamp = $('#stamp');
    if (last) {
      stamp.className = `stamp ${last.kind}`;
      stamp.textContent = `${last.kind} #${last.number}`;
      stamp.title = `published ${last.publishedAt}`;
    }
  } catch { /* no publications yet: stays "live" */ }
}

let pending: ReturnType<typeof setTimeout> | null = null;
function scheduleRender(): void {
  // Coalesce bursts of deltas into one refresh a second: cheap on one bar.
  if (pending) return;
  pending = setTimeout(() => { pending = null; void render(); void loadPublication(); }, 1000);
}

function connectLive(): void {
  if (!('EventSource' in window)) { setInterval(scheduleRender, 15000); return; }
  const es = new EventSource(api('/live'));
  es.addEventListener('delta', scheduleRender);
  es.addEventListener('reset', scheduleRender);
  es.addEventListener('publication', scheduleRender);
  es.onerror = () => { $('#status').textContent = 'Connection lost — reconnecting…'; };
}

async function start(): Promise<void> {
  if (!rallyId) { location.href = '/'; return; }
  rally = await getJson<Rally>(api(''));
  const d = rally.definition;
  $('#title').textContent = d.name;
  document.title = `${d.name} — rallyhq`;
  $('#meta').textContent = `${d.startDate} · ${d.stages.length} stages · ${dist(d.stages.reduce((a, s) => a + s.distanceM, 0))}`;
  const cs = $('#class-select') as HTMLSelectElement;
  for (const c of d.classes) cs.append(h('option', { value: c.code }, `${c.code} — ${c.name}`));
  cs.value = state.cls;
  cs.onchange = () => { state.cls = cs.value; if (state.view !== 'stage') state.view = 'overall'; void render(); };
  const ss = $('#stage-select') as HTMLSelectElement;
  for (const s of d.stages) ss.append(h('option', { value: s.code }, `${s.code} ${s.name}`));
  ss.value = state.stage;
  ss.onchange = () => { state.stage = ss.value; state.view = ss.value ? 'stage' : 'overall'; void render(); };
  for (const b of document.querySelectorAll<HTMLButtonElement>('#tabs button')) b.onclick = () => { state.view = b.dataset.view ?? 'overall'; void render(); };
  await render();
  void loadPublication();
  connectLive();
}

start().catch((e) => { $('#status').textContent = `Could not load the rally: ${(e as Error).message}`; });
