// The public history pages: an event's winners year by year with the crews
// excluded and why (the 1966 Monte Carlo, where the first four on the road
// were excluded over their headlamps), its winning streaks, and a driver's or
// co-driver's record. Reads GET /api/history/results and …/streaks; the
// choice is in the address (`?event=Monte Carlo`, `&person=Paddy Hopkirk`).
import { render } from 'preact';
import { signal } from '@preact/signals';
import { getJson } from './lib/api.ts';

interface Row { event: string; year: number; date: string; class: string; position: number | null; status: string; reason: string | null; driver: string; codriver: string | null; make: string; model: string | null }
interface Streak { event: string; class: string; winner: string; length: number; from: number; to: number; years: number[] }

const params = new URLSearchParams(location.search);
const state = signal({ event: params.get('event') ?? '', person: params.get('person') ?? '' });
const events = signal<string[] | null>(null);
const winners = signal<Row[] | null>(null);
const streaks = signal<{ by: string; list: Streak[] }[]>([]);
const record = signal<Row[] | null>(null);
const error = signal('');

const q = (o: Record<string, string | boolean>) => new URLSearchParams(Object.entries(o).filter(([, v]) => v !== '' && v !== false).map(([k, v]) => [k, String(v)])).toString();

async function load(): Promise<void> {
  const { event, person } = state.value;
  try {
    const w = await getJson<{ events: string[]; rows: Row[] }>(`/api/history/results?${q({ event, winners: true })}`);
    events.value = w.events;
    winners.value = event ? w.rows : null;
    streaks.value = event
      ? await Promise.all((['driver', 'make'] as const).map(async (by) => ({ by, list: await getJson<Streak[]>(`/api/history/streaks?${q({ by, event })}`) })))
      : [];
    record.value = person ? (await getJson<{ rows: Row[] }>(`/api/history/results?${q({ person })}`)).rows : null;
    error.value = '';
  } catch (e) {
    error.value = `Cannot read the history: ${(e as Error).message}`;
  }
}

function go(patch: Partial<{ event: string; person: string }>): void {
  state.value = { ...state.value, ...patch };
  history.replaceState(null, '', `?${q(state.value)}`);
  void load();
}

const crew = (r: Row) => `${r.driver}${r.codriver ? ` / ${r.codriver}` : ''}`;

function PersonLink({ name }: { name: string }) {
  return <a href={`?${q({ ...state.value, person: name })}`} onClick={(e) => { e.preventDefault(); go({ person: name }); }}>{name}</a>;
}

function Crew({ r }: { r: Row }) {
  return <><PersonLink name={r.driver} />{r.codriver ? <> / <PersonLink name={r.codriver} /></> : null}</>;
}

/** Winners by year; under each year, the crews excluded from that classification with the reason. */
function Winners({ rows }: { rows: Row[] }) {
  const years = [...new Set(rows.map((r) => `${r.year}\u0001${r.class}`))];
  return (
    <div class="scroll"><table id="winners">
      <caption class="sr">Winners of {state.value.event} by year, with the crews excluded</caption>
      <thead><tr><th scope="col" class="num">Year</th><th scope="col">Class</th><th scope="col">Winner</th><th scope="col">Car</th></tr></thead>
      <tbody>{years.map((k) => {
        const [year, cls] = k.split('\u0001');
        const these = rows.filter((r) => String(r.year) === year && r.class === cls);
        const win = these.filter((r) => r.position === 1);
        const out = these.filter((r) => r.status === 'excluded');
        return [
          <tr key={k} data-year={year}>
            <th scope="row" class="num">{year}</th><td>{cls}</td>
            <td>{win.length ? win.map((r, i) => <span key={i}><Crew r={r} />{win[i]?.reason ? <div class="sub">{r.reason}</div> : null}</span>) : <span class="muted">no winner recorded</span>}</td>
            <td>{win.map((r) => `${r.make}${r.model ? ` ${r.model}` : ''}`).join(', ')}</td>
          </tr>,
          ...out.map((r, i) => (
            <tr key={`${k}-x${i}`} class="excluded" data-year={year} data-excluded={r.driver}>
              <td /><td><span class="pill">excluded</span></td>
              <td><Crew r={r} /><div class="sub why-excluded">{r.reason ?? 'no reason recorded'}</div></td>
              <td>{r.make}{r.model ? ` ${r.model}` : ''}</td>
            </tr>
          )),
        ];
      })}</tbody>
    </table></div>
  );
}

function Record({ rows, name }: { rows: Row[]; name: string }) {
  const wins = rows.filter((r) => r.position === 1).length;
  const out = rows.filter((r) => r.status === 'excluded').length;
  return (
    <section aria-labelledby="record-title">
      <h2 id="record-title">{name}: the record</h2>
      <p class="muted">{rows.length} results · {wins} {wins === 1 ? 'win' : 'wins'}{out ? ` · excluded ${out}×` : ''}</p>
      {rows.length === 0 ? <p class="muted">No stored result for that name.</p> : (
        <div class="scroll"><table id="record">
          <thead><tr><th scope="col" class="num">Year</th><th scope="col">Event</th><th scope="col">Class</th><th scope="col">Result</th><th scope="col">Crew</th><th scope="col">Car</th></tr></thead>
          <tbody>{rows.map((r, i) => (
            <tr key={i} data-year={r.year}>
              <td class="num">{r.year}</td><td>{r.event}</td><td>{r.class}</td>
              <td>{r.position !== null ? <strong>{r.position === 1 ? 'Won' : `P${r.position}`}</strong> : <span class="pill">{r.status}</span>}{r.reason ? <div class="sub">{r.reason}</div> : null}</td>
              <td>{crew(r)}</td><td>{r.make}{r.model ? ` ${r.model}` : ''}</td>
            </tr>
          ))}</tbody>
        </table></div>
      )}
    </section>
  );
}

function App() {
  const s = state.value;
  const ev = events.value;
  return (
    <>
      {error.value ? <p class="error" role="alert">{error.value}</p> : null}
      <form class="row" onSubmit={(e) => { e.preventDefault(); const f = e.currentTarget as HTMLFormElement; go({ event: (f.elements.namedItem('event') as HTMLSelectElement).value, person: (f.elements.namedItem('person') as HTMLInputElement).value.trim() }); }}>
        <label class="inline">Event{' '}
          <select id="event" name="event" value={s.event} onChange={(e) => go({ event: (e.target as HTMLSelectElement).value })}>
            <option value="">Choose an event…</option>
            {(ev ?? []).map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        <label class="inline">Driver or co-driver{' '}<input id="person" name="person" defaultValue={s.person} placeholder="Full name" /></label>
        <button type="submit">Show</button>
      </form>
      {ev && ev.length === 0 ? <p class="muted">No history is stored on this server yet (administrators import it: docs/championships.md).</p> : null}
      {winners.value ? (
        <section aria-labelledby="winners-title">
          <h2 id="winners-title">{s.event}: winners by year</h2>
          <Winners rows={winners.value} />
          <h3>Streaks</h3>
          {streaks.value.every((x) => x.list.length === 0) ? <p class="muted">No one has won it in consecutive editions.</p> : (
            <ul class="list" id="streaks">{streaks.value.flatMap((x) => x.list.map((st, i) => (
              <li key={`${x.by}${i}`}><strong>{st.winner}</strong> ({x.by}) — {st.length} in a row, {st.years.join(', ')}{st.class !== 'overall' ? ` · ${st.class}` : ''}</li>
            )))}</ul>
          )}
          <p class="muted small">A streak counts the editions held with a recorded winner; a crew excluded after the finish did not win that edition.</p>
        </section>
      ) : null}
      {record.value && s.person ? <Record rows={record.value} name={s.person} /> : null}
    </>
  );
}

const root = document.getElementById('app')!;
root.replaceChildren();
render(<App />, root);
void load();
