// The rally page's components, rendered by the server for the first view
// (src/server/web/rally-ssr.ts) and by the page afterwards from the same code.
// Live views (overall table, stages held in the live picture) read the
// picture; the crew page and charts read their own answers (crew.tsx).
import { apiPath, TableDownloads } from './table-downloads.tsx';
import type { ComponentChildren } from 'preact';
import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { getJson } from '../lib/api.ts';
import { CAR_STATUS_SHORT, STAGE_STATUS_LABELS } from '../../core/status-labels.ts';
import { splitCells, type SplitCell } from '../../core/live/honest.ts';
import { crewShort, distanceText, formatDuration, gap, ordinal, penalty, speedText } from './format.ts';
import { fresh, isOut, orderedRows, picture, predictFor, runningStages, type EntryInfo, type LiveRow, type LiveStageTime, type Picture, type StageInfo } from './model.ts';
import { stampFor } from './stamp.ts';
import { InquiryLine } from './inquiry.tsx';
import { announcement, connection, followed, publication, route, routeQuery, type Route } from './state.ts';

/** Navigation inside the page: the page sets it to a client-side handler; the server render leaves plain links. */
export const nav = { go: null as null | ((patch: Partial<Route>) => void) };

export function Link(props: { patch: Partial<Route>; children: ComponentChildren; title?: string; class?: string; current?: boolean }) {
  const p = picture.value;
  const href = routeQuery(p?.init.rallyId ?? '', { ...route.value, ...props.patch });
  return (
    <a href={`/rally.html${href}`} title={props.title} class={props.class} aria-current={props.current ? 'true' : undefined}
      onClick={(ev) => { if (nav.go) { ev.preventDefault(); nav.go(props.patch); } }}>{props.children}</a>
  );
}

const crewLink = (e: EntryInfo | undefined, car: number) => (
  <Link patch={{ view: 'crew', car: String(car) }} title={e ? `${e.driver} / ${e.codriver}` : undefined}>{e ? crewShort(e) : `Car ${car}`}</Link>
);

function Change({ n }: { n: number | null }) {
  if (!n) return null;
  return n > 0 ? <span class="up" title={`gained ${n}`}>▲{n}</span> : <span class="down" title={`lost ${-n}`}>▼{-n}</span>;
}

/** Followed crews first (in table order), then the rest: the phone keeps its favourites on top. */
function pinned<T extends { car: number }>(rows: T[]): T[] {
  const f = followed.value;
  if (!f.size) return rows;
  return [...rows.filter((r) => f.has(r.car)), ...rows.filter((r) => !f.has(r.car))];
}

export function Header() {
  const p = picture.value;
  const s = stampFor(p?.seq ?? 0, publication.value);
  const stamp = s.kind === 'live' && s.text !== 'live' ? s.text : s.text;
  return (
    <header>
      <a href="#main" class="skip">Skip to results</a>
      <a href="/" class="home">rallyhq</a>
      <a href="/history.html" class="meta">History</a>
      {p ? <a href={`/standings.html?rally=${encodeURIComponent(p.init.rallyId)}`} class="meta">Standings</a> : null}
      <div class="badges">
        <span id="stamp" class={`stamp ${s.kind}`} title={s.title}>{stamp}</span>{' '}
        <span id="live" class="meta">{connection.value === 'retrying' ? 'no connection — retrying…' : ''}</span>
      </div>
      <h1 id="title">{p?.init.name ?? 'Loading…'}</h1>
      <span id="meta" class="meta">{p ? metaLine(p) : ''}</span>
      {p?.init.illustrativeTimesOfDay ? <p id="illustrative-times" class="meta" role="note">{p.init.illustrativeTimesOfDay}</p> : null}
      {p ? <InquiryLine timeZone={p.init.timeZone} /> : null}
    </header>
  );
}

function metaLine(p: Picture): string {
  const i = p.init;
  const m = i.stages.reduce((a, s) => a + s.distanceM, 0);
  // With categories, the crews of the one shown.
  const crews = i.category !== undefined ? i.entries.filter((e) => e.category === undefined || e.category === i.category).length : i.entries.length;
  const dates = i.startDate ? `${i.startDate}${i.endDate && i.endDate !== i.startDate ? ` – ${i.endDate}` : ''} · ` : '';
  return `${dates}${i.stages.length} stages · ${distanceText(i.distanceUnit, m)} · ${crews} crews`;
}

export function Tabs() {
  const p = picture.value;
  const r = route.value;
  const go = (patch: Partial<Route>) => nav.go?.(patch);
  return (
    <nav class="tabs" id="tabs" aria-label="Views">
      <CategoryPicker />
      <Link patch={{ view: 'overall', stage: '' }} class={`tab${r.view === 'overall' ? ' on' : ''}`}>Overall</Link>
      <Link patch={{ view: 'grid' }} class={`tab${r.view === 'grid' ? ' on' : ''}`}>Stage by stage</Link>
      <Link patch={{ view: 'chart' }} class={`tab${r.view === 'chart' ? ' on' : ''}`}>Compare</Link>
      <Link patch={{ view: 'timetable' }} class={`tab${r.view === 'timetable' ? ' on' : ''}`}>Timetable</Link>
      <Link patch={{ view: 'entries' }} class={`tab${r.view === 'entries' ? ' on' : ''}`}>Entry list</Link>
      <select id="class-select" aria-label="Class" value={r.cls} onChange={(e) => go({ cls: (e.target as HTMLSelectElement).value })}>
        <option value="">All classes</option>
        {(p?.init.classes ?? []).map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}
      </select>
      <form class="jump" role="search" action="/rally.html" onSubmit={(e) => { e.preventDefault(); const v = ((e.currentTarget as HTMLFormElement).elements.namedItem('car') as HTMLInputElement).value; const car = findCar(p, v); if (car !== null) go({ view: 'crew', car: String(car) }); }}>
        <input type="hidden" name="id" value={p?.init.rallyId ?? ''} /><input type="hidden" name="view" value="crew" />
        <input id="jump" name="car" list="jump-list" inputMode="search" placeholder="Car or name" aria-label="Jump to a car or crew" size={10} />
        <datalist id="jump-list">{[...(p?.entries.values() ?? [])].map((e) => <option key={e.car} value={`${e.car} ${e.driver}`} />)}</datalist>
        <button type="submit">Go</button>
      </form>
      <select id="stage-select" aria-label="Stage" value={r.view === 'stage' ? r.stage : ''}
        onChange={(e) => { const v = (e.target as HTMLSelectElement).value; go(v ? { view: 'stage', stage: v } : { view: 'overall', stage: '' }); }}>
        <option value="">Stage times…</option>
        {(p?.init.stages ?? []).map((s) => <option key={s.code} value={s.code}>{s.code} {s.name}</option>)}
      </select>
    </nav>
  );
}

/**
 * The category shown, for a rally that classifies several on the same roads
 * (ARA National and Regional): links, so it works without JavaScript and
 * sits in the address (`&category=Regional`).
 */
function CategoryPicker() {
  const p = picture.value;
  const cats = p?.init.categories ?? [];
  if (cats.length < 2) return null;
  const current = p?.init.category ?? cats[0]!.code;
  return (
    <span class="cats" role="group" aria-labelledby="cats-label">
      <span id="cats-label" class="cats-label">Category</span>
      {cats.map((c) => (
        <Link key={c.code} patch={{ cat: c.code === cats[0]!.code ? '' : c.code, ref: '', compare: [] }} class={`tab cat${c.code === current ? ' on' : ''}`} current={c.code === current}>{c.name}</Link>
      ))}
    </span>
  );
}

/** A car number, or a name (driver or co-driver, any part), typed in the jump box → the car; null when none matches. */
export function findCar(p: Picture | null, text: string): number | null {
  if (!p) return null;
  const t = text.trim().toLowerCase();
  const n = /^#?(\d+)/.exec(t);
  if (n && p.entries.has(Number(n[1]))) return Number(n[1]);
  const hit = [...p.entries.values()].find((e) => `${e.driver} ${e.codriver}`.toLowerCase().includes(t));
  return t && hit ? hit.car : null;
}

/** The one polite live region: "Updated 15:28:03 EST". */
export function Status() {
  return <p id="status" class="muted small" role="status" aria-live="polite">{announcement.value}</p>;
}

/** Gaps relative to a chosen crew (rebase): the picker. */
export function RefPicker({ cars }: { cars: number[] }) {
  const p = picture.value;
  const r = route.value;
  return (
    <label class="inline">Gaps to{' '}
      <select id="ref-select" value={r.ref} onChange={(e) => nav.go?.({ ref: (e.target as HTMLSelectElement).value })}>
        <option value="">{r.view === 'stage' ? 'the stage winner' : r.view === 'grid' ? 'nobody (totals)' : 'the leader'}</option>
        {cars.map((car) => <option key={car} value={String(car)}>#{car} {p?.entries.get(car) ? crewShort(p.entries.get(car)!) : ''}</option>)}
      </select>
    </label>
  );
}

/** A signed difference to the reference crew: `-4.5` ahead of it, `+12.3` behind. */
export const relative = (ms: number): string => (ms === 0 ? '=' : ms < 0 ? `-${formatDuration(-ms)}` : `+${formatDuration(ms)}`);

/** The cell of the running stage in the overall table: time and stage position, or "on stage" with the last split. */
function RunningCell({ p, stage, car }: { p: Picture; stage: StageInfo; car: number }) {
  const t = p.stageTimes.get(stage.code)?.get(car);
  if (!t || t.status === 'notRun') return <td class="num run" />;
  if (t.timeMs !== null) return <td class="num run">{formatDuration(t.timeMs)}{t.position ? <div class="sub">{ordinal(t.position)}</div> : null}</td>;
  if (isOut(p, car)) return <td class="num run"><span class="sub">out</span></td>;
  const split = lastSplit(t, stage);
  const pred = predictFor(p, stage, car);
  return (
    <td class="num run"><span class="pill onstage">on stage</span>{split ? <div class="sub">{split}</div> : null}
      {pred ? <div class="sub pred" title={`Predicted from ${pred.basis === 'split' ? 'its splits' : 'its pace on earlier stages'} against ${pred.n} crews through the stage`}>≈{formatDuration(pred.timeMs)}{pred.position ? ` → P${pred.position}` : ''}</div> : null}
    </td>
  );
}

function lastSplit(t: LiveStageTime, stage: StageInfo): string {
  const ids = (stage.splits ?? []).map((s) => s.id).filter((id) => t.splitsMs?.[id] !== undefined);
  const id = ids.at(-1);
  return id ? `${id} ${formatDuration(t.splitsMs![id]!)}` : '';
}

export function Overall() {
  const p = picture.value;
  if (!p) return <p class="muted">Loading…</p>;
  const r = route.value;
  const rows = pinned(orderedRows(p, r.cls));
  const run = runningStages(p);
  const stage = run[0];
  const ref = r.ref ? p.rows.get(Number(r.ref)) : undefined;
  const className = p.init.classes?.find((c) => c.code === r.cls)?.name;
  const catName = (p.init.categories?.length ?? 0) > 1 ? p.init.categories?.find((c) => c.code === p.init.category)?.name : undefined;
  const through = stage ? [...(p.stageTimes.get(stage.code)?.values() ?? [])].filter((t) => t.timeMs !== null).length : 0;
  const onStage = stage ? [...(p.stageTimes.get(stage.code)?.values() ?? [])].filter((t) => t.timeMs === null && t.status === 'running' && !isOut(p, t.car)).length : 0;
  const out = [...p.retired.values()].filter((x) => !x.restartedAt);
  const back = [...p.retired.values()].filter((x) => x.restartedAt);
  const f = fresh.value;
  const fol = followed.value;
  return (
    <>
      <h2 id="after" class="after">{p.after ? `After ${p.after}` : 'No stage complete yet'}{catName ? ` · ${catName}` : ''}{className ? ` · ${className}` : ''}</h2>
      <p class="muted small" id="table-rule">
        {p.after ? `Every crew still running has finished ${p.after}.` : 'No stage has every running crew through yet.'}
        {stage ? <> <strong id="running-note">{stage.code} running: {through} through, {onStage} on the stage</strong> — shown in the {stage.code} column, not ranked overall until every running crew is through.</> : null}
      </p>
      <div class="row"><RefPicker cars={orderedRows(p).filter((x) => x.position !== null).map((x) => x.car)} /></div>
      <div class="scroll">
        <table id="leaderboard">
          <caption class="sr">Overall classification {p.after ? `after ${p.after}` : ''}</caption>
          <thead><tr>
            <th class="num" scope="col">Pos</th><th class="num" scope="col">Car</th><th scope="col">Crew</th>
            <th class="num" scope="col">Total</th><th class="num" scope="col">{ref ? `To #${ref.car}` : 'Gap'}</th>
            <th class="num wide" scope="col">Diff</th><th class="num wide" scope="col">Pen.</th>
            {stage ? <th class="num" scope="col">{stage.code}</th> : null}
          </tr></thead>
          <tbody>
            {rows.map((row) => <OverallRow key={row.car} p={p} row={row} cls={r.cls} ref_={ref} stage={stage} flash={f.has(row.car)} followed={fol.has(row.car)} />)}
          </tbody>
        </table>
      </div>
      <TableDownloads path={apiPath(p.init.rallyId, 'results', r.cls, p.init.category)} what={r.cls ? `Class ${r.cls} classification` : 'Overall classification'} />
      {out.length ? <section><h3>Retired</h3><ul class="list" id="retired">{out.map((x) => <li key={x.car}>#{x.car} at {x.where}: {x.reason}</li>)}</ul></section> : null}
      {back.length ? <section><h3>Restarted under Super Rally</h3><ul class="list" id="restarted">{back.map((x) => <li key={x.car}>#{x.car} retired at {x.where} ({x.reason}), restarted at {x.restartedAt}</li>)}</ul></section> : null}
      {p.excluded.size ? <section><h3>Excluded</h3><ul class="list" id="excluded">{[...p.excluded.values()].map((x) => <li key={x.car}>#{x.car}: {x.reason}{x.rule ? ` (${x.rule})` : ''}</li>)}</ul></section> : null}
    </>
  );
}

function OverallRow({ p, row, cls, ref_, stage, flash, followed: isFollowed }: { p: Picture; row: LiveRow; cls: string; ref_: LiveRow | undefined; stage: StageInfo | undefined; flash: boolean; followed: boolean }) {
  const e = p.entries.get(row.car);
  const pos = cls ? row.classPosition : row.position;
  const noTotal = row.status === 'excluded' || row.status === 'retired' || (row.position === null && row.stagesCounted === 0);
  const gapText = row.position === null ? '' : ref_ && ref_.position !== null ? relative(row.totalMs - ref_.totalMs) : gap(row.gapToLeaderMs);
  const cl = [flash ? 'flash' : '', isFollowed ? 'fav' : ''].filter(Boolean).join(' ') || undefined;
  return (
    <tr class={cl} data-car={row.car}>
      <td class="num pos">{pos ?? CAR_STATUS_SHORT[row.status] ?? row.status}{row.positionChange ? <div class="sub"><Change n={row.positionChange} /></div> : null}</td>
      <td class="num car">{row.car}{isFollowed ? <span class="star" title="followed">★</span> : null}</td>
      <td class="crew">{crewLink(e, row.car)}<div class="sub">{e ? `${e.make} ${e.model}` : ''}{cls || !e ? '' : ` · ${e.class}`}</div>
        {row.penaltyMs ? <div class="sub pen narrow">{penalty(row.penaltyMs)} pen.</div> : null}</td>
      <td class="num total">{noTotal ? '' : formatDuration(row.totalMs)}</td>
      <td class="num gap">{gapText}</td>
      <td class="num wide">{row.position === null ? '' : gap(row.gapToPrevMs)}</td>
      <td class="num wide">{row.penaltyMs ? penalty(row.penaltyMs) : ''}</td>
      {stage ? <RunningCell p={p} stage={stage} car={row.car} /> : null}
    </tr>
  );
}

/** Stage rows in stage order: timed by position, then crews on the stage. */
export function stageRowsOf(p: Picture, code: string, cls = ''): LiveStageTime[] {
  const rows = [...(p.stageTimes.get(code)?.values() ?? [])].filter((t) => t.status !== 'notRun' && (!cls || p.entries.get(t.car)?.class === cls));
  return rows.sort((a, b) => (a.timeMs === null ? 1 : 0) - (b.timeMs === null ? 1 : 0) || (a.position ?? Infinity) - (b.position ?? Infinity) || (a.timeMs ?? 0) - (b.timeMs ?? 0) || a.car - b.car);
}

export function StageView({ loading }: { loading?: boolean }) {
  const p = picture.value;
  const r = route.value;
  if (!p) return <p class="muted">Loading…</p>;
  const stage = p.init.stages.find((s) => s.code === r.stage);
  if (!stage) return <p class="muted">Choose a stage.</p>;
  const rows = stageRowsOf(p, stage.code, r.cls);
  const splitIds = (stage.splits ?? []).map((s) => s.id);
  const cells = splitCells(rows.map((t) => ({ car: t.car, splitsMs: t.splitsMs })), splitIds);
  const ref = r.ref ? p.stageTimes.get(stage.code)?.get(Number(r.ref)) : undefined;
  const f = fresh.value;
  const timed = rows.filter((t) => t.timeMs !== null);
  const onAny = rows.some((t) => t.timeMs === null && t.status === 'running');
  const acc = p.init.accuracy?.find((a) => a.stage === stage.code);
  return (
    <>
      <h2 id="stage-title">{stage.code} {stage.name} <span class="muted">{distanceText(p.init.distanceUnit, stage.distanceM)}</span></h2>
      {loading ? <p class="muted">Loading…</p> : null}
      <div class="row"><RefPicker cars={timed.map((t) => t.car)} /></div>
      <div class="scroll">
        <table id="stage-table">
          <caption class="sr">{stage.code} stage times</caption>
          <thead><tr>
            <th class="num" scope="col">Pos</th><th class="num" scope="col">Car</th><th scope="col">Crew</th>
            {splitIds.map((id) => <th key={id} class="num" scope="col">{id}</th>)}
            <th class="num" scope="col">Time</th><th class="num" scope="col">{ref ? `To #${ref.car}` : 'Gap'}</th>
            <th class="num wide" scope="col">Diff</th><th class="num wide" scope="col">Speed</th><th scope="col">{onAny ? 'Predicted' : <span class="sr">Notes</span>}</th>
          </tr></thead>
          <tbody>
            {pinned(rows).map((t, n, all) => (
              <StageRowView key={t.car} p={p} t={t} stage={stage} cells={cells.get(t.car) ?? []} splitIds={splitIds}
                ahead={all.slice(0, n).reverse().find((x) => x.timeMs !== null && (x.position ?? 0) < (t.position ?? 0))} ref_={ref} flash={f.has(t.car)} />
            ))}
          </tbody>
        </table>
      </div>
      <TableDownloads path={apiPath(p.init.rallyId, `stages/${encodeURIComponent(stage.code)}`, r.cls, p.init.category)} what={`${stage.code} stage times`} />
      {onAny ? <p class="muted small" id="prediction-note">Predicted: the likely stage time of a crew on the stage, with its range, from its splits against the crews through (or, before its first split, its pace against theirs on the three stages before); then the overall place that time would take, against the totals of the crews through and the predicted totals of the crews still to finish.</p> : null}
      {acc ? <p class="muted small" id="accuracy">How good the predictions at the start of {stage.code} were: mean error {formatDuration(acc.meanErrorMs)} s over {acc.n} crews, {Math.round(acc.inRange * 100)} % inside the predicted range.</p> : null}
      {splitIds.length ? <p class="muted small">Splits: time from the start, with the rank at that split (among crews through it) and the gap to the fastest there.</p> : null}
    </>
  );
}

function StageRowView({ p, t, stage, cells, splitIds, ahead, ref_, flash }: { p: Picture; t: LiveStageTime; stage: StageInfo; cells: SplitCell[]; splitIds: string[]; ahead: LiveStageTime | undefined; ref_: LiveStageTime | undefined; flash: boolean }) {
  const e = p.entries.get(t.car);
  const byId = new Map(cells.map((c) => [c.control, c]));
  const onStage = t.timeMs === null && t.status === 'running';
  const out = onStage && isOut(p, t.car);
  const note = t.status === 'ok' || t.status === 'notRun' || onStage ? '' : STAGE_STATUS_LABELS[t.status];
  const provisional = onStage && !out ? cells.at(-1)?.rank ?? null : null;
  const gapText = t.timeMs === null ? '' : ref_ && ref_.timeMs !== null ? relative(t.timeMs - ref_.timeMs) : gap(t.gapToWinnerMs);
  return (
    <tr class={flash ? 'flash' : undefined} data-car={t.car}>
      <td class="num pos">{t.position ?? (provisional ? <span title="provisional position at the last split">({provisional})</span> : '')}</td>
      <td class="num car">{t.car}</td>
      <td class="crew">{crewLink(e, t.car)}</td>
      {splitIds.map((id) => {
        const c = byId.get(id);
        return <td key={id} class="num split">{c ? <>{formatDuration(c.ms)}<div class="sub">{ordinal(c.rank)}{c.gapMs ? ` ${gap(c.gapMs)}` : ''}</div></> : ''}</td>;
      })}
      <td class="num time">{t.timeMs === null ? '—' : formatDuration(t.timeMs)}</td>
      <td class="num gap">{gapText}</td>
      <td class="num wide">{t.timeMs !== null && ahead?.timeMs != null ? gap(t.timeMs - ahead.timeMs) : ''}</td>
      <td class="num wide">{t.timeMs !== null ? speedText(p.init.distanceUnit, stage.distanceM, t.timeMs) : ''}</td>
      <td>{out ? <span class="pill">out</span> : onStage ? <><span class="pill onstage">on stage</span><Predicted p={p} stage={stage} car={t.car} /></> : note ? <span class="pill">{note}</span> : ''}
        {t.penaltyMs ? <span class="pill pen">{penalty(t.penaltyMs)} pen.</span> : ''}</td>
    </tr>
  );
}

function Predicted({ p, stage, car }: { p: Picture; stage: StageInfo; car: number }) {
  const pred = predictFor(p, stage, car);
  if (!pred) return null;
  return (
    <div class="sub pred">
      ≈{formatDuration(pred.timeMs)} <span class="nw">({formatDuration(pred.lowMs)}–{formatDuration(pred.highMs)})</span>
      {pred.position ? <>{' '}<span class="nw">{`→ P${pred.position}${pred.positionRange && (pred.positionRange[0] !== pred.positionRange[1]) ? ` (P${pred.positionRange[0]}–${pred.positionRange[1]})` : ''}`}</span></> : ''}
    </div>
  );
}

/** The entry list: every crew by car number, grouped by class, with who is out and why. */
export function EntryList() {
  const p = picture.value;
  if (!p) return <p class="muted">Loading…</p>;
  const classes = p.init.classes ?? [];
  // A rally with categories: the crews of the category shown (the picker switches).
  const cat = p.init.category;
  const catName = (p.init.categories?.length ?? 0) > 1 ? p.init.categories?.find((c) => c.code === cat)?.name : undefined;
  const mine = [...p.entries.values()].filter((e) => cat === undefined || e.category === undefined || e.category === cat);
  const groups = classes.map((c) => ({ c, list: mine.filter((e) => e.class === c.code).sort((a, b) => a.car - b.car) })).filter((g) => g.list.length);
  return (
    <>
      <h2 id="entries-title">Entry list{catName ? ` · ${catName}` : ''} · {mine.length} crews</h2>
      <TableDownloads path={apiPath(p.init.rallyId, 'entries')} what="Entry list" />
      {groups.map(({ c, list }) => (
        <section key={c.code}>
          <h3>{c.name} <span class="muted">({list.length})</span></h3>
          <div class="scroll"><table class="entries">
            <thead><tr><th class="num" scope="col">Car</th><th scope="col">Driver / co-driver</th><th scope="col">Car</th><th scope="col"><span class="sr">Status</span></th></tr></thead>
            <tbody>{list.map((e) => {
              const ret = p.retired.get(e.car);
              const exc = p.excluded.get(e.car);
              return (
                <tr key={e.car} data-car={e.car}>
                  <td class="num car">{e.car}</td>
                  <td class="crew"><Link patch={{ view: 'crew', car: String(e.car) }}>{e.driver} / {e.codriver}</Link></td>
                  <td>{e.make} {e.model}</td>
                  <td>{exc ? <span class="pill">excluded</span> : ret && !ret.restartedAt ? <span class="pill">retired at {ret.where}</span> : ret ? <span class="pill">restarted</span> : ''}</td>
                </tr>
              );
            })}</tbody>
          </table></div>
        </section>
      ))}
    </>
  );
}

/** GET …/timetable (docs/api.md): each control's first-car due time and each stage's state. */
interface TimetableAnswer {
  rallyId: string;
  seq: number;
  timeZone: string;
  legs: { id: string; name: string; date: string }[];
  controls: { id: string; kind: string; kindText: string; leg: string; name?: string; stage?: string; due: string | null; offset?: string; dueText?: string; estimated?: boolean }[];
  stages: { code: string; name: string; leg: string; distanceM: number; start?: string; due: string | null; dueText?: string; estimated?: boolean; state: StageState; stateText: string }[];
}
type StageState = 'notStarted' | 'running' | 'finished' | 'interrupted' | 'cancelled';
const STATE_WORDS: Record<StageState, string> = { notStarted: 'not started', running: 'running', finished: 'finished', interrupted: 'interrupted', cancelled: 'cancelled' };
/** Controls a timetable lists: those a crew is due at (a stage's finish and splits have no due time). */
const LISTED = new Set(['TC', 'SS_START', 'SERVICE_IN', 'SERVICE_OUT', 'REGROUP_IN', 'REGROUP_OUT', 'PARC_FERME_IN', 'PARC_FERME_OUT']);

/** The answer, asked again whenever the live picture moves on (the server render shows the picture's own view). */
const timetableAnswer = signal<TimetableAnswer | null>(null);

/** The zone's offset as people read it: `UTC−05:00`. */
const utc = (offset: string | undefined): string => (offset ? `UTC${offset.replace('-', '−')}` : '');

/**
 * The timetable: each leg's controls with the first car's due time, in rally
 * time with the zone, and each stage's state (not started, running,
 * finished, interrupted, cancelled) with its winner once finished.
 */
export function Timetable() {
  const p = picture.value;
  const id = p?.init.rallyId ?? '';
  useEffect(() => {
    if (!id) return;
    let gone = false;
    getJson<TimetableAnswer>(`/api/rallies/${encodeURIComponent(id)}/timetable`).then((t) => { if (!gone) timetableAnswer.value = t; }).catch(() => {});
    return () => { gone = true; };
  }, [id, p?.seq]);
  if (!p) return <p class="muted">Loading…</p>;
  const t = timetableAnswer.value?.rallyId === id ? timetableAnswer.value : null;
  // Until the answer comes: the states the live picture knows, without due times.
  const order = p.init.stages.map((s) => s.code);
  const afterIdx = p.after === null ? -1 : order.indexOf(p.after);
  const running = new Map(runningStages(p).map((s) => [s.code, s]));
  const interrupted = new Set((p.init.running ?? []).filter((r) => r.interrupted).map((r) => r.stage));
  const stateOf = (s: StageInfo): StageState => t?.stages.find((x) => x.code === s.code)?.state
    ?? (s.cancelled ? 'cancelled' : interrupted.has(s.code) ? 'interrupted' : order.indexOf(s.code) <= afterIdx ? 'finished' : running.has(s.code) ? 'running' : 'notStarted');
  const legs = p.init.legs?.length ? p.init.legs : [{ id: '', name: 'Stages', date: '' }];
  const offset = t?.controls.find((c) => c.offset)?.offset;
  const stageCell = (s: StageInfo) => {
    const state = stateOf(s);
    const w = p.winners.get(s.code);
    const through = [...(p.stageTimes.get(s.code)?.values() ?? [])].filter((x) => x.timeMs !== null).length;
    return state === 'finished' && w ? <>finished · won by #{w.cars.join(', #')} in {formatDuration(w.timeMs)}</>
      : state === 'running' ? <span class="pill onstage">running · {through} through</span>
      : state === 'interrupted' || state === 'cancelled' ? <span class="pill">{STATE_WORDS[state]}</span>
      : STATE_WORDS[state];
  };
  return (
    <section data-source={t ? 'timetable' : 'live'}>
      <h2 id="timetable-title">Timetable</h2>
      <p class="muted small">{t ? <>Due times are the first car's, in rally time ({p.init.timeZone}{offset ? `, ${utc(offset)}` : ''}); later cars are due their start interval after. {t.controls.some((c) => c.estimated) ? '≈ counts a stage at its bogey time.' : ''}</> : null}</p>
      {legs.map((l) => {
        const stages = p.init.stages.filter((s) => !l.id || s.leg === l.id);
        const controls = t ? t.controls.filter((c) => c.leg === l.id && LISTED.has(c.kind)) : [];
        const byStart = new Map(stages.map((s) => [s.code, s]));
        return (
          <section key={l.id}>
            <h3>{l.name}{l.date ? ` · ${l.date}` : ''}</h3>
            <div class="scroll"><table class="timetable" aria-label={`Timetable of ${l.name}`}>
              <thead><tr><th scope="col">Control</th><th class="num" scope="col">First car</th><th scope="col">Stage</th><th scope="col">State</th></tr></thead>
              <tbody>{controls.length ? controls.map((c) => {
                const s = c.kind === 'SS_START' && c.stage ? byStart.get(c.stage) : undefined;
                return s ? (
                  <tr key={c.id} data-control={c.id} data-stage={s.code} data-state={stateOf(s)}>
                    <td>{c.id}</td>
                    <td class="num due">{c.dueText ? `${c.estimated ? '≈ ' : ''}${c.dueText}` : ''}</td>
                    <td class="crew"><Link patch={{ view: 'stage', stage: s.code }}>{s.code} {s.name}</Link> <span class="muted small">{distanceText(p.init.distanceUnit, s.distanceM)}</span></td>
                    <td>{stageCell(s)}</td>
                  </tr>
                ) : (
                  <tr key={c.id} data-control={c.id}>
                    <td>{c.id}</td>
                    <td class="num due">{c.dueText ? `${c.estimated ? '≈ ' : ''}${c.dueText}` : ''}</td>
                    <td colSpan={2} class="muted">{c.name ?? c.kindText}</td>
                  </tr>
                );
              }) : null}{stages.filter((s) => !controls.some((c) => c.kind === 'SS_START' && c.stage === s.code)).map((s) => (
                <tr key={s.code} data-stage={s.code} data-state={stateOf(s)}>
                  <td />
                  <td class="num due" />
                  <td class="crew"><Link patch={{ view: 'stage', stage: s.code }}>{s.code} {s.name}</Link> <span class="muted small">{distanceText(p.init.distanceUnit, s.distanceM)}</span></td>
                  <td>{stageCell(s)}</td>
                </tr>
              ))}</tbody>
            </table></div>
          </section>
        );
      })}
    </section>
  );
}
