// The organiser's pages: entries, start lists, itinerary and timetable, the
// season, tokens and people. One page with a view per task (`?view=`), each a
// Preact component reading the API the same way other tools do.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { getJson } from './lib/api.ts';
import { listOf, type RallySummary } from './lib/types.ts';
import { CreateRally } from './organise/create.tsx';
import { EntriesView } from './organise/entries.tsx';
import { ItineraryView } from './organise/itinerary.tsx';
import { PeopleView } from './organise/people.tsx';
import { RulesView } from './organise/rules.tsx';
import { SeasonView } from './organise/season.tsx';
import { StartListsView } from './organise/startlists.tsx';
import { forget, go, message, rallyId, remember, say, token, view } from './organise/state.ts';

const VIEWS: { id: string; label: string; needsRally: boolean }[] = [
  { id: 'entries', label: 'Entries', needsRally: true },
  { id: 'itinerary', label: 'Itinerary', needsRally: true },
  { id: 'startlists', label: 'Start lists', needsRally: true },
  { id: 'rules', label: 'Rules', needsRally: true },
  { id: 'season', label: 'Season', needsRally: false },
  { id: 'people', label: 'Tokens and people', needsRally: true },
];

function Login() {
  const [rallies, setRallies] = useState<RallySummary[]>([]);
  const [t, setT] = useState(token.value);
  const [r, setR] = useState(rallyId.value);
  const [loaded, setLoaded] = useState(false);
  const [creating, setCreating] = useState(false);
  const [seasonsOnly, setSeasonsOnly] = useState(false);
  useEffect(() => {
    void getJson<unknown>('/api/rallies').then((x) => {
      const list = listOf<RallySummary>(x, 'rallies');
      setRallies(list);
      setLoaded(true);
      if (!r && list[0]) setR(list[0].id);
    }).catch(() => setLoaded(true));
  }, []);
  // An empty database: the first thing to do is create the rally.
  const create = creating || (loaded && rallies.length === 0);
  return (
    <section>
      <p>Set up a rally and its season: entries, start lists, itinerary, championships and the people who work on it. Open with the rally's officer token or an administrator token; it is kept for this tab only.</p>
      {rallies.length > 0 ? (
        <form class="org-form" aria-label="Open a rally" onSubmit={(e) => { e.preventDefault(); remember(t.trim(), r); }}>
          <label>Rally
            <select value={r} onChange={(e) => setR((e.currentTarget as HTMLSelectElement).value)}>
              {rallies.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
            </select>
          </label>
          <label>Token <input type="password" value={t} autoComplete="off" onInput={(e) => setT((e.currentTarget as HTMLInputElement).value)} /></label>
          <button type="submit" disabled={!t.trim() || !r}>Open</button>
          {create ? null : <button type="button" class="small" onClick={() => setCreating(true)}>Create a new rally…</button>}
        </form>
      ) : loaded ? <p>There is no rally yet.</p> : null}
      {create ? <CreateRally token={t} onCreated={(id, tok) => { remember(tok, id); go('itinerary'); say(`Rally ${id} created. Next: its itinerary, then its entries.`); }} /> : null}
      {loaded && rallies.length === 0 ? <SeasonsOnly /> : seasonsOnly ? <SeasonsOnly />
        : loaded ? <p><button type="button" class="small" onClick={() => setSeasonsOnly(true)}>Seasons only…</button></p> : null}
    </section>
  );
}

/** A series coordinator's way in: seasons need no rally (a round run elsewhere has its results entered). */
function SeasonsOnly() {
  const [t, setT] = useState('');
  return (
    <form class="org-form" aria-label="Open the seasons" onSubmit={(e) => { e.preventDefault(); remember(t.trim(), ''); go('season'); }}>
      <p class="small">Seasons — calendars, championships, standings — need no rally on this server: open them with an administrator token.</p>
      <label>Administrator token <input type="password" value={t} autoComplete="off" onInput={(e) => setT((e.currentTarget as HTMLInputElement).value)} /></label>
      <button type="submit" disabled={!t.trim()}>Open the seasons</button>
    </form>
  );
}

function App() {
  // Without a rally only the season view is open.
  if (!token.value || (!rallyId.value && view.value !== 'season')) return <Login />;
  const m = message.value;
  return (
    <>
      <nav class="tabs" aria-label="Organiser tasks">
        {VIEWS.filter((v) => rallyId.value || !v.needsRally).map((v) => <button key={v.id} aria-pressed={view.value === v.id} onClick={() => go(v.id)}>{v.label}</button>)}
        <button class="small no-print" onClick={() => forget()}>Close</button>
      </nav>
      <p role="status" class={m.error ? 'error' : 'muted'}>{m.text}</p>
      {view.value === 'entries' ? <EntriesView key={rallyId.value} /> : view.value === 'itinerary' ? <ItineraryView key={rallyId.value} /> : view.value === 'season' ? <SeasonView /> : view.value === 'startlists' ? <StartListsView key={rallyId.value} /> : view.value === 'people' ? <PeopleView key={rallyId.value} /> : view.value === 'rules' ? <RulesView key={rallyId.value} /> : <p>Unknown view.</p>}
    </>
  );
}

const root = document.getElementById('app');
if (root) {
  root.replaceChildren();
  render(<App />, root);
}
