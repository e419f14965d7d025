// Live rally page for fans and crews. The server sends the first view as HTML
// with the picture it was rendered from (readable without JavaScript); this
// script takes it over and follows the live stream from that very log
// position: each `delta` is applied here, with no request per change. A drop
// resumes with Last-Event-ID; from too far back the server sends `reset` (the
// whole picture). A stream the browser gave up on (an HTTP error while
// reconnecting) is opened again by the page, from the position it holds.
import { hydrate, render } from 'preact';
import { getJson } from './lib/api.ts';
import type { CrewAnswer, StageAnswer } from './lib/types.ts';
import { App } from './rally/app.tsx';
import { crews } from './rally/crew.tsx';
import { grid, type GridAnswer } from './rally/grid.tsx';
import { rallyClock } from './rally/format.ts';
import { applyDelta, fresh, picture, pictureOf, type LiveDelta, type LiveInit, type LiveStageTime } from './rally/model.ts';
import { announcement, connection, follow, followed, publication, route, routeFrom, routeQuery, stageLoading, type PublicationHead, type Route } from './rally/state.ts';
import { nav } from './rally/views.tsx';
import { inquiry, serverNow, type InquiryHead } from './rally/inquiry.tsx';

const params = new URLSearchParams(location.search);
const rallyId = params.get('id') ?? '';
const api = (p: string) => `/api/rallies/${encodeURIComponent(rallyId)}${p}`;
/** `?category=…` (or `&…`) for the category the page shows, so stage listings and the grid never mix categories. */
const catQuery = (sep: '?' | '&') => { const c = picture.value?.init.category; return c ? `${sep}category=${encodeURIComponent(c)}` : ''; };
route.value = routeFrom(params);

const followKey = `rallyhq:follow:${rallyId}`;
/** Followed crews kept on the phone; read after hydration, since the server's render knows none of them. */
function readFollowed(): void {
  try { followed.value = new Set((JSON.parse(localStorage.getItem(followKey) ?? '[]') as number[]).filter((n) => Number.isInteger(n))); } catch { /* private mode: nothing kept */ }
}

follow.toggle = (car: number) => {
  const next = new Set(followed.value);
  if (next.has(car)) next.delete(car); else next.add(car);
  followed.value = next;
  try { localStorage.setItem(followKey, JSON.stringify([...next])); } catch { /* private mode: kept for this visit only */ }
};

async function loadCrew(car: number): Promise<void> {
  try {
    const c = await getJson<CrewAnswer>(api(`/crews/${car}`));
    const m = new Map(crews.value);
    m.set(car, c);
    crews.value = m;
  } catch { /* not a car of this rally: the view says so */ }
}

/** A stage the live picture does not hold yet (an earlier one): its times, once; deltas keep it current after. */
async function loadStage(code: string): Promise<void> {
  const p = picture.value;
  if (!p || p.stageTimes.has(code) || !p.init.stages.some((s) => s.code === code)) return;
  stageLoading.value = true;
  try {
    const a = await getJson<StageAnswer>(api(`/stages/${encodeURIComponent(code)}${catQuery('?')}`));
    const rows: LiveStageTime[] = a.stage.rows.map((r) => ({ stage: code, car: r.car, status: r.status, timeMs: r.timeMs, position: r.position, classPosition: r.classPosition, gapToWinnerMs: r.gapToWinnerMs, penaltyMs: r.penaltyMs, ...(r.splitsMs ? { splitsMs: r.splitsMs } : {}) }));
    const cur = picture.value;
    if (cur && !cur.stageTimes.has(code)) {
      const stageTimes = new Map(cur.stageTimes);
      stageTimes.set(code, new Map(rows.map((r) => [r.car, r])));
      picture.value = { ...cur, stageTimes };
    }
  } catch { /* shown as an empty stage; the next visit asks again */ } finally { stageLoading.value = false; }
}

/** The stage-by-stage grid, when its view is open: once, then again only when a stage completes (the live table keeps its last column). */
async function loadGrid(): Promise<void> {
  try {
    const g = await getJson<GridAnswer>(api(`/grid${catQuery('?')}`));
    if (g.category !== picture.value?.init.category) return;
    grid.value = g;
  } catch { /* the view says loading; the next completed stage asks again */ }
}

/** Fetches what the current view needs beyond the live picture. */
function ensureData(): void {
  const r = route.value;
  if ((r.view === 'grid' || r.view === 'chart') && (!grid.value || grid.value.after !== picture.value?.after)) void loadGrid();
  if (r.view === 'stage' && r.stage) void loadStage(r.stage);
  if (r.view === 'crew' && r.car) void loadCrew(Number(r.car));
}

nav.go = (patch: Partial<Route>) => {
  const switched = patch.cat !== undefined && patch.cat !== route.value.cat;
  route.value = { ...route.value, ...patch };
  history.replaceState(null, '', routeQuery(rallyId, route.value));
  // Another category: its own picture, from the start of its own stream (no request besides it).
  if (switched) { grid.value = null; es?.close(); connectLive(true); return; }
  ensureData();
};

function announce(): void {
  const p = picture.value;
  announcement.value = `Updated ${rallyClock(new Date(), p?.init.timeZone ?? 'UTC')}`;
}

let freshTimer: ReturnType<typeof setTimeout> | null = null;
function onDelta(d: LiveDelta): void {
  const p = picture.value;
  if (!p) return;
  // Deltas the picture already holds (the first render was built at a later position) are skipped.
  if (d.seq <= p.seq) return;
  picture.value = applyDelta(p, d);
  const cars = new Set([...d.rows.map((r) => r.car), ...d.stageTimes.map((t) => t.car)]);
  fresh.value = cars;
  if (freshTimer) clearTimeout(freshTimer);
  freshTimer = setTimeout(() => { fresh.value = new Set(); }, 2600);
  if (cars.size || d.facts.length) announce();
  const r = route.value;
  if (d.after !== undefined && (r.view === 'grid' || r.view === 'chart')) void loadGrid();
  if (r.view === 'crew' && (cars.has(Number(r.car)) || d.facts.some((f) => f.car === Number(r.car)))) void loadCrew(Number(r.car));
}

/** An unknown category (or one a new definition dropped) is shown as the first: the address says so too. */
function keepCategoryOf(init: LiveInit): void {
  const r = route.value;
  if (r.cat && r.cat !== init.category) {
    route.value = { ...r, cat: '' };
    history.replaceState(null, '', routeQuery(rallyId, route.value));
  }
}

function onPicture(init: LiveInit): void {
  picture.value = pictureOf(init);
  // A new definition (a reset): keep the chosen class, stage and crew while they still exist, else fall back.
  const r = route.value;
  const patch: Partial<Route> = {};
  keepCategoryOf(init);
  if (r.cls && !(init.classes ?? []).some((c) => c.code === r.cls)) patch.cls = '';
  if (r.stage && !init.stages.some((s) => s.code === r.stage)) Object.assign(patch, { stage: '', ...(r.view === 'stage' ? { view: 'overall' } : {}) });
  const cars = new Set(init.entries.map((e) => String(e.car)));
  if (r.view === 'crew' && !cars.has(r.car)) patch.view = 'overall';
  if (r.ref && !cars.has(r.ref)) patch.ref = '';
  if (r.compare.some((c) => !cars.has(c))) patch.compare = r.compare.filter((c) => cars.has(c));
  // Crew answers and the grid were for the old definition (or an older position).
  crews.value = new Map();
  grid.value = null;
  announce();
  if (Object.keys(patch).length) nav.go!(patch);
  else ensureData();
}

/** The server's clock minus this phone's, so the inquiry countdown reads the server's time. */
let skewMs = 0;
function tick(): void { serverNow.value = Date.now() + skewMs; }
interface StatusHead { now: string; inquiry: InquiryHead }
function takeStatus(s: StatusHead): void {
  const t = Date.parse(s.now);
  if (!Number.isNaN(t)) skewMs = t - Date.now();
  inquiry.value = s.inquiry;
  tick();
}

/** The latest publication and the inquiry clock after it (GET …/status). */
async function loadPublication(): Promise<void> {
  try {
    const s = await getJson<StatusHead & { publication: PublicationHead | null }>(api('/status'));
    publication.value = s.publication;
    takeStatus(s);
  } catch { /* none yet: the stamp says live */ }
}

let es: EventSource | null = null;
let reopen: ReturnType<typeof setTimeout> | null = null;
function connectLive(fresh = false): void {
  if (!('EventSource' in window)) return;
  const held = fresh ? undefined : picture.value?.seq;
  const q = new URLSearchParams();
  if (held !== undefined) q.set('lastEventId', String(held));
  if (route.value.cat) q.set('category', route.value.cat);
  es = new EventSource(api(`/live${q.size ? `?${q}` : ''}`));
  es.addEventListener('init', (ev) => onPicture(JSON.parse((ev as MessageEvent<string>).data) as LiveInit));
  es.addEventListener('reset', (ev) => onPicture(JSON.parse((ev as MessageEvent<string>).data) as LiveInit));
  es.addEventListener('delta', (ev) => onDelta(JSON.parse((ev as MessageEvent<string>).data) as LiveDelta));
  es.addEventListener('publication', (ev) => {
    const h = JSON.parse((ev as MessageEvent<string>).data) as PublicationHead;
    if (!publication.value || h.number >= publication.value.number) publication.value = h;
    // A new publication starts (or ends) the inquiry window: its clock comes with the status. Asked
    // within 3 s, not at once: every open page hears the event at the same moment.
    setTimeout(() => void loadPublication(), Math.random() * 3000);
  });
  es.onopen = () => { connection.value = 'live'; };
  es.onerror = () => {
    connection.value = 'retrying';
    // The browser retries a dropped stream by itself, but gives up after an HTTP error (a proxy's 502, a restart's 503):
    // then the page opens a new one, resuming from the position it holds.
    if (es?.readyState === EventSource.CLOSED && !reopen) {
      reopen = setTimeout(() => { reopen = null; connectLive(); }, 3000);
    }
  };
}

function start(): void {
  if (!rallyId) { location.href = '/'; return; }
  const root = document.getElementById('app')!;
  const embedded = document.getElementById('rally-init');
  if (embedded?.textContent) {
    picture.value = pictureOf(JSON.parse(embedded.textContent) as LiveInit);
    keepCategoryOf(picture.value.init);
    const pub = document.getElementById('rally-publication');
    if (pub?.textContent) publication.value = JSON.parse(pub.textContent) as PublicationHead | null;
    const q = document.getElementById('rally-inquiry');
    if (q?.textContent) takeStatus(JSON.parse(q.textContent) as StatusHead);
    const g = document.getElementById('rally-grid');
    if (g?.textContent) grid.value = JSON.parse(g.textContent) as GridAnswer;
    hydrate(<App />, root);
  } else {
    root.replaceChildren();
    render(<App />, root);
  }
  readFollowed();
  ensureData();
  connectLive();
  void loadPublication();
  // NOTE: also asked every minute, so a stamp changes even where a proxy drops the event.
  setInterval(() => void loadPublication(), 60_000);
  // The minutes left of an open inquiry window count down between those.
  setInterval(() => { if (inquiry.value?.endsAt && Date.parse(inquiry.value.endsAt) > serverNow.value) tick(); }, 15_000);
  addEventListener('storage', (e) => {
    if (e.key === followKey) readFollowed();
  });
}

start();
