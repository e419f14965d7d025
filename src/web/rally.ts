// Live rally page for fans and crews: overall and class tables, stage times,
// a crew's own page, and a gap chart comparing crews. Updates itself over
// Server-Sent Events (EventSource resumes with Last-Event-ID after a drop);
// every refetch carries an ETag, so an unchanged view costs a 304.
import { getJson, qs } from './lib/api.ts';
import { $, h, replace } from './lib/dom.ts';
import { gapChart } from './lib/chart.ts';
import { compareSeries, crewShort, crewView, distanceText, overallView, stageView, type ViewContext } from './lib/rally-views.ts';
import { listOf, type CrewAnswer, type LiveDelta, type LiveInit, type Publication, type RallyInfo, type ResultsAnswer, type StageAnswer } from './lib/types.ts';

type View = 'overall' | 'stage' | 'crew' | 'chart';
const params = new URLSearchParams(location.search);
const rallyId = params.get('id') ?? '';
const state = {
  view: (params.get('view') ?? 'overall') as View,
  cls: params.get('class') ?? '',
  stage: params.get('stage') ?? '',
  car: params.get('car') ?? '',
  compare: (params.get('compare') ?? '').split(',').filter(Boolean),
};
let rally: RallyInfo | null = null;
/** Cars changed by the last live update, highlighted on the next render only. */
let fresh = new Set<number>();

const api = (p: string) => `/api/rallies/${encodeURIComponent(rallyId)}${p}`;

function setUrl(): void {
  const p = new URLSearchParams({ id: rallyId });
  if (state.view !== 'overall') p.set('view', state.view);
  if (state.cls) p.set('class', state.cls);
  if (state.view === 'stage' && state.stage) p.set('stage', state.stage);
  if (state.view === 'crew' && state.car) p.set('car', state.car);
  if (state.view === 'chart' && state.compare.length) p.set('compare', state.compare.join(','));
  history.replaceState(null, '', `?${p}`);
}

function ctx(): ViewContext {
  if (!rally) throw new Error('rally not loaded');
  return { definition: rally.definition, fresh, openCrew: (car) => { state.view = 'crew'; state.car = String(car); void render(); } };
}

async function chartView(): Promise<Node[]> {
  const d = rally?.definition;
  if (!d) return [];
  const picker = (id: string, value: string) => {
    const s = h('select', { id, 'aria-label': id === 'compare-a' ? 'First crew' : 'Second crew' },
      h('option', { value: '' }, 'Choose a crew…'),
      [...d.entries].sort((a, b) => a.car - b.car).map((e) => h('option', { value: e.car }, `#${e.car} ${crewShort(e)}`)));
    s.value = value;
    s.onchange = () => {
      state.compare = [($('#compare-a') as HTMLSelectElement).value, ($('#compare-b') as HTMLSelectElement).value].filter(Boolean);
      void render();
    };
    return s;
  };
  const crews: CrewAnswer[] = [];
  for (const car of state.compare.slice(0, 4)) {
    try { crews.push(await getJson<CrewAnswer>(api(`/crews/${encodeURIComponent(car)}`))); } catch { /* not a car of this rally: left out */ }
  }
  return [
    h('div', { class: 'row' }, picker('compare-a', state.compare[0] ?? ''), h('span', { class: 'muted' }, 'vs'), picker('compare-b', state.compare[1] ?? '')),
    crews.length >= 2
      ? h('div', {}, h('h3', {}, 'Gap between the crews after each stage'), gapChart(compareSeries(crews), 'Gap between the crews after each stage'))
      : h('p', { class: 'muted' }, 'Choose two crews to compare their gap stage by stage.'),
  ];
}

async function viewNodes(): Promise<Node[]> {
  const c = ctx();
  if (state.view === 'stage' && state.stage) return stageView(c, (await getJson<StageAnswer>(api(`/stages/${encodeURIComponent(state.stage)}${qs({ class: state.cls })}`))).stage);
  if (state.view === 'crew' && state.car) return crewView(c, await getJson<CrewAnswer>(api(`/crews/${encodeURIComponent(state.car)}`)));
  if (state.view === 'chart') return chartView();
  return overallView(c, (await getJson<ResultsAnswer>(api(`/results${qs({ class: state.cls })}`))).classification, state.cls);
}

let rendering: Promise<void> | null = null;
/** Set by a `reset`: entries, classes or stages may have changed, so the next render fetches the definition first. */
let definitionStale = false;
let again = false;
/** One render at a time; a request during one runs once more after it. */
function render(): Promise<void> {
  if (rendering) { again = true; return rendering; }
  rendering = (async () => {
    if (definitionStale) {
      definitionStale = false;
      try {
        rally = await getJson<RallyInfo>(api(''));
        showDefinition(rally.definition);
      } catch { definitionStale = true; /* kept for the next render; the old menus stay meanwhile */ }
    }
    setUrl();
    for (const b of document.querySelectorAll<HTMLButtonElement>('#tabs button')) b.setAttribute('aria-pressed', String(b.dataset.view === state.view));
    ($('#stage-select') as HTMLSelectElement).value = state.view === 'stage' ? state.stage : '';
    try {
      replace($('#view'), await viewNodes());
      fresh = new Set();
      $('#status').textContent = `Updated ${new Date().toLocaleTimeString()}`;
      $('#status').classList.remove('error');
    } catch (e) {
      $('#status').textContent = `Could not load: ${(e as Error).message}`;
      $('#status').classList.add('error');
    }
  })().finally(() => {
    rendering = null;
    if (again) { again = false; void render(); }
  });
  return rendering;
}

async function loadPublication(): Promise<void> {
  try {
    const list = listOf<Publication>(await getJson<unknown>(api('/publications')), 'publications');
    const last = list.reduce<Publication | null>((a, p) => (!a || p.number > a.number ? p : a), null);
    const stamp = $('#stamp');
    if (!last) return;
    const at = new Date(last.publishedAt);
    stamp.className = `stamp ${last.kind}`;
    stamp.textContent = `${last.kind} #${last.number}`;
    stamp.title = `${last.kind} results published ${Number.isNaN(at.getTime()) ? last.publishedAt : at.toLocaleString()}${last.reason ? ` — ${last.reason}` : ''}`;
  } catch { /* no publications yet: the stamp stays "live" */ }
}

let pending: ReturnType<typeof setTimeout> | null = null;
function scheduleRender(cars: number[] = []): void {
  for (const c of cars) fresh.add(c);
  // NOTE: coalesce a burst of deltas (a batch from a marshal coming back online) into one refetch.
  if (pending) return;
  pending = setTimeout(() => { pending = null; void render(); }, 250);
}

/** Whether the live picture has the stages and crews the page shows (classes and dates are not in it). */
function sameDefinition(init: LiveInit): boolean {
  const d = rally?.definition;
  if (!d) return false;
  const key = (stages: LiveInit['stages'], entries: LiveInit['entries']) => JSON.stringify([
    stages.map((s) => [s.code, s.name, s.distanceM]),
    entries.map((e) => [e.car, e.driver, e.codriver, e.class, e.make, e.model]),
  ]);
  return key(d.stages, d.entries.map((e) => ({ ...e, driver: e.driver.name, codriver: e.codriver.name }))) === key(init.stages ?? [], init.entries ?? []);
}

function connectLive(): void {
  if (!('EventSource' in window)) { setInterval(() => scheduleRender(), 15000); return; }
  const es = new EventSource(api('/live'));
  let seenInit = false;
  es.addEventListener('init', (ev) => {
    // A later init follows a reconnect the server could not resume; the first may be newer than the definition fetched before it.
    if (seenInit || !sameDefinition(JSON.parse((ev as MessageEvent<string>).data) as LiveInit)) { definitionStale = true; scheduleRender(); }
    seenInit = true;
    $('#live').textContent = '';
  });
  es.addEventListener('delta', (ev) => {
    const d = JSON.parse((ev as MessageEvent<string>).data) as LiveDelta;
    const cars = [...(d.rows ?? []).map((r) => r.car), ...(d.stageTimes ?? []).map((s) => s.car)];
    if (cars.length || (d.facts ?? []).length) scheduleRender(cars);
  });
  // A reset follows a change of the definition (entries, itinerary, rules) or a resume from too far back.
  es.addEventListener('reset', () => { definitionStale = true; scheduleRender(); });
  es.addEventListener('publication', () => void loadPublication());
  // NOTE: also asked every minute, so a stamp changes even where a proxy drops the event.
  setInterval(() => void loadPublication(), 60_000);
  es.onopen = () => { $('#live').textContent = ''; };
  es.onerror = () => { $('#live').textContent = 'no connection — retrying…'; };
}

/** Keeps a menu's choice when it still exists; else falls back to the first option ("All classes", "Stage times…"). */
function fillMenu(sel: HTMLSelectElement, options: HTMLOptionElement[], value: string): string {
  replace(sel, sel.options[0] ?? null, options);
  sel.value = options.some((o) => o.value === value) ? value : '';
  return sel.value;
}

/** Header, menus and crews from the definition; a view whose stage, class or crew is gone falls back to the overall table. */
function showDefinition(d: RallyInfo['definition']): void {
  $('#title').textContent = d.name;
  $('#title').title = d.name;
  document.title = `${d.name} — rallyhq`;
  const km = d.stages.reduce((a, s) => a + s.distanceM, 0);
  $('#meta').textContent = `${d.startDate}${d.endDate !== d.startDate ? ` – ${d.endDate}` : ''} · ${d.stages.length} stages · ${distanceText(d, km)} · ${d.entries.length} crews`;
  state.cls = fillMenu($('#class-select') as HTMLSelectElement, d.classes.map((c) => h('option', { value: c.code }, c.name)), state.cls);
  const stage = fillMenu($('#stage-select') as HTMLSelectElement, d.stages.map((s) => h('option', { value: s.code }, `${s.code} ${s.name}`)), state.stage);
  if (state.view === 'stage' && state.stage && !stage) state.view = 'overall';
  state.stage = stage;
  const cars = new Set(d.entries.map((e) => String(e.car)));
  if (state.view === 'crew' && state.car && !cars.has(state.car)) state.view = 'overall';
  state.compare = state.compare.filter((c) => cars.has(c));
}

async function start(): Promise<void> {
  if (!rallyId) { location.href = '/'; return; }
  rally = await getJson<RallyInfo>(api(''));
  showDefinition(rally.definition);
  const cs = $('#class-select') as HTMLSelectElement;
  cs.onchange = () => { state.cls = cs.value; if (state.view !== 'stage') state.view = 'overall'; void render(); };
  const ss = $('#stage-select') as HTMLSelectElement;
  ss.onchange = () => { state.stage = ss.value; state.view = ss.value ? 'stage' : 'overall'; void render(); };
  for (const b of document.querySelectorAll<HTMLButtonElement>('#tabs button')) b.onclick = () => { state.view = (b.dataset.view ?? 'overall') as View; void render(); };
  await render();
  void loadPublication();
  connectLive();
}

start().catch((e) => { $('#status').textContent = `Could not load the rally: ${(e as Error).message}`; $('#status').classList.add('error'); });
