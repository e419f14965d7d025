// The organiser's pages: entries, start lists, itinerary and timetable, the
// season, tokens and people. One page with a view per task (`?view=`), each a
// Preact component reading the API the same way other tools do.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { getJson } from './lib/api.ts';
import { listOf, type RallySummary } from './lib/types.ts';
import { EntriesView } from './organise/entries.tsx';
import { SeasonView } from './organise/season.tsx';
import { StartListsView } from './organise/startlists.tsx';
import { forget, go, message, rallyId, remember, token, view } from './organise/state.ts';

const VIEWS: { id: string; label: string; needsRally: boolean }[] = [
  { id: 'entries', label: 'Entries', needsRally: true },
  { id: 'startlists', label: 'Start lists', needsRally: true },
  { id: 'season', label: 'Season', needsRally: false },
];

function Login() {
  const [rallies, setRallies] = useState<RallySummary[]>([]);
  const [t, setT] = useState(token.value);
  const [r, setR] = useState(rallyId.value);
  useEffect(() => {
    void getJson<unknown>('/api/rallies').then((x) => {
      const list = listOf<RallySummary>(x, 'rallies');
      setRallies(list);
      if (!r && list[0]) setR(list[0].id);
    }).catch(() => {});
  }, []);
  return (
    <section>
      <p>Set up a rally and its season: entries, start lists, itinerary, championships and the people who work on it. Open with the rally's officer token or an administrator token; it is kept for this tab only.</p>
      <form class="org-form" onSubmit={(e) => { e.preventDefault(); remember(t.trim(), r); }}>
        <label>Rally
          <select value={r} onChange={(e) => setR((e.currentTarget as HTMLSelectElement).value)}>
            {rallies.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
          </select>
        </label>
        <label>Token <input type="password" value={t} autoComplete="off" onInput={(e) => setT((e.currentTarget as HTMLInputElement).value)} /></label>
        <button type="submit" disabled={!t.trim() || !r}>Open</button>
      </form>
    </section>
  );
}

function App() {
  if (!token.value || !rallyId.value) return <Login />;
  const m = message.value;
  return (
    <>
      <nav class="tabs" aria-label="Organiser tasks">
        {VIEWS.map((v) => <button key={v.id} aria-pressed={view.value === v.id} onClick={() => go(v.id)}>{v.label}</button>)}
        <button class="small no-print" onClick={() => forget()}>Close</button>
      </nav>
      <p role="status" class={m.error ? 'error' : 'muted'}>{m.text}</p>
      {view.value === 'entries' ? <EntriesView key={rallyId.value} /> : view.value === 'season' ? <SeasonView /> : view.value === 'startlists' ? <StartListsView key={rallyId.value} /> : <p>Unknown view.</p>}
    </>
  );
}

const root = document.getElementById('app');
if (root) {
  root.replaceChildren();
  render(<App />, root);
}
