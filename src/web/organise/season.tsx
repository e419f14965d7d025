// Season: the calendar (rounds with dates, venue, source, confirmed or not,
// and the rally on this server that scores each), the championships with
// their scheme and drops, and the standings with every round's points, the
// workings of each total and who can still win. Changes need an
// administrator token.
import { useEffect, useState } from 'preact/hooks';
import { getJson } from '../lib/api.ts';
import { listOf, type RallySummary } from '../lib/types.ts';
import { read, say, write } from './state.ts';
import { roundWorkings, type RoundDetail } from './standings-workings.ts';

interface Round { id: string; round: number; name: string; startDate: string | null; endDate: string | null; location?: string; rally?: string; confirmed: boolean; source: string; note?: string }
interface Champ { id: string; name: string; kind: string; scheme: string; class?: string | null; eligibility?: string | null; countBest?: { value: number; rule: string } }
interface SeasonDoc { id: string; name: string; year: number; rounds: Round[]; championships: Champ[]; note?: string }
interface StandingRow { rank: number; competitor: string; total: number; rounds: { round: string; points: number; counted: boolean; entered: boolean; detail?: RoundDetail }[] }
interface StandingsAnswer { standings: { rows: StandingRow[]; roundsRun: string[]; roundsRemaining: string[]; provisional: string[]; unconfirmed: string[] }; title: { leader: string | null; clinched: boolean; note: string; contenders: { competitor: string }[] }; notes: string[] }

const value = (e: Event): string => (e.currentTarget as HTMLInputElement).value;

function dates(r: Round): string {
  if (!r.startDate) return 'date not announced';
  return r.endDate && r.endDate !== r.startDate ? `${r.startDate} – ${r.endDate}` : r.startDate;
}

function NewSeason(p: { onDone: (id: string) => void }) {
  const [f, setF] = useState({ id: '', name: '', year: String(new Date().getFullYear()), series: '', body: '', classes: '' });
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: value(e) });
  async function submit(e: Event) {
    e.preventDefault();
    const classes = f.classes.split(/[,;]/).map((x) => x.trim()).filter(Boolean).map((x) => ({ code: x, name: x }));
    const seriesId = f.series.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || f.id;
    const r = await write('POST', '/api/championships', { id: f.id.trim(), name: f.name.trim(), year: Number(f.year), series: { id: seriesId, name: f.series.trim() || f.name.trim(), body: f.body.trim() || 'club' }, classes }, `Season ${f.id} created.`);
    if (r) p.onDone(f.id.trim());
  }
  return (
    <fieldset class="org"><legend>New season</legend>
      <form class="org-form" onSubmit={submit} aria-label="New season">
        <label>Id <input value={f.id} onInput={set('id')} placeholder="michigan-2026" required /></label>
        <label>Name <input class="wide" value={f.name} onInput={set('name')} placeholder="Michigan Rally Series 2026" required /></label>
        <label>Year <input value={f.year} onInput={set('year')} inputMode="numeric" required /></label>
        <label>Series <input value={f.series} onInput={set('series')} placeholder="Michigan Rally Series" /></label>
        <label>Sanctioning body <input value={f.body} onInput={set('body')} placeholder="ARA" /></label>
        <label>Classes <input class="wide" value={f.classes} onInput={set('classes')} placeholder="O4WD, L4WD, O2WD" /></label>
        <button type="submit">Create season</button>
      </form>
    </fieldset>
  );
}

function AddRound(p: { season: string; rallies: RallySummary[]; onDone: () => void }) {
  const blank = { id: '', name: '', startDate: '', endDate: '', location: '', rally: '', source: '', confirmed: true };
  const [f, setF] = useState(blank);
  const set = (k: keyof typeof blank) => (e: Event) => setF({ ...f, [k]: value(e) });
  async function submit(e: Event) {
    e.preventDefault();
    const body = { id: f.id.trim(), name: f.name.trim(), startDate: f.startDate || null, endDate: f.endDate || f.startDate || null, ...(f.location ? { location: f.location.trim() } : {}), ...(f.rally ? { rally: f.rally } : {}), confirmed: f.confirmed, source: f.source.trim() };
    const r = await write('POST', `/api/championships/${encodeURIComponent(p.season)}/rounds`, body, `Round ${f.name} added.`);
    if (r) { setF(blank); p.onDone(); }
  }
  return (
    <fieldset class="org"><legend>Add a round</legend>
      <form class="org-form" onSubmit={submit} aria-label="Add a round">
        <label>Id <input value={f.id} onInput={set('id')} placeholder="snodrift" required /></label>
        <label>Name <input value={f.name} onInput={set('name')} placeholder="Sno*Drift Rally" required /></label>
        <label>From <input type="date" value={f.startDate} onInput={set('startDate')} /></label>
        <label>To <input type="date" value={f.endDate} onInput={set('endDate')} /></label>
        <label>Venue <input value={f.location} onInput={set('location')} placeholder="Atlanta, Michigan" /></label>
        <label>Scored by rally <select value={f.rally} onChange={set('rally')}><option value="">— results entered separately —</option>{p.rallies.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}</select></label>
        <label class="check"><input type="checkbox" checked={f.confirmed} onChange={(e) => setF({ ...f, confirmed: (e.currentTarget as HTMLInputElement).checked })} /> Date confirmed</label>
        <label>Source of the date <input class="wide" value={f.source} onInput={set('source')} placeholder="series calendar, 10 Dec 2025" required /></label>
        <button type="submit">Add round</button>
      </form>
    </fieldset>
  );
}

function RoundRow(p: { season: string; r: Round; rallies: RallySummary[]; onDone: () => void }) {
  const [rally, setRally] = useState(p.r.rally ?? '');
  async function link() {
    const res = await write('PATCH', `/api/championships/${encodeURIComponent(p.season)}/rounds/${encodeURIComponent(p.r.id)}`, { rally: rally || null }, rally ? `Round ${p.r.round} is scored by ${rally}.` : `Round ${p.r.round} is no longer linked to a rally.`);
    if (res) p.onDone();
  }
  return (
    <tr data-round={p.r.id}>
      <td class="num">{p.r.round}</td>
      <td>{p.r.name}<div class="sub">{p.r.location ?? ''}</div></td>
      <td>{dates(p.r)}</td>
      <td>{p.r.confirmed ? 'confirmed' : <span class="warn">unconfirmed</span>}<div class="sub">{p.r.source}</div></td>
      <td class="no-print">
        <select aria-label={`Rally scoring round ${p.r.round}`} value={rally} onChange={(e) => setRally(value(e))}>
          <option value="">— none —</option>
          {p.rallies.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
          {p.r.rally && !p.rallies.some((x) => x.id === p.r.rally) ? <option value={p.r.rally}>{p.r.rally} (not on this server)</option> : null}
        </select>
        {rally !== (p.r.rally ?? '') ? <button type="button" onClick={link}>Save link</button> : null}
      </td>
    </tr>
  );
}

function AddChampionship(p: { season: string; schemes: { id: string; name: string }[]; onDone: () => void }) {
  const blank = { id: '', name: '', kind: 'drivers', scheme: p.schemes[0]?.id ?? '', eligibility: '', cls: '', best: '', bestRule: '' };
  const [f, setF] = useState(blank);
  const set = (k: keyof typeof blank) => (e: Event) => setF({ ...f, [k]: value(e) });
  async function submit(e: Event) {
    e.preventDefault();
    const body = { name: f.name.trim(), kind: f.kind, scheme: f.scheme, ...(f.eligibility ? { eligibility: f.eligibility.trim() } : {}), ...(f.cls ? { class: f.cls.trim() } : {}),
      ...(f.best ? { countBest: { value: Number(f.best), rule: f.bestRule.trim() || 'series regulations', confirmed: Boolean(f.bestRule.trim()) } } : {}) };
    const r = await write('PUT', `/api/championships/${encodeURIComponent(p.season)}/championships/${encodeURIComponent(f.id.trim())}`, body, `Championship ${f.name} saved.`);
    if (r) { setF(blank); p.onDone(); }
  }
  return (
    <fieldset class="org"><legend>Add or change a championship</legend>
      <form class="org-form" onSubmit={submit} aria-label="Add a championship">
        <label>Id <input value={f.id} onInput={set('id')} placeholder="drivers" required /></label>
        <label>Name <input class="wide" value={f.name} onInput={set('name')} placeholder="Drivers" required /></label>
        <label>For <select value={f.kind} onChange={set('kind')}><option value="drivers">drivers</option><option value="codrivers">co-drivers</option><option value="manufacturers">manufacturers</option></select></label>
        <label>Points scheme <select value={f.scheme} onChange={set('scheme')}>{p.schemes.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}</select></label>
        <label>Eligibility code <input value={f.eligibility} onInput={set('eligibility')} placeholder="ara-national" /></label>
        <label>Class <input value={f.cls} onInput={set('cls')} placeholder="L4WD" /></label>
        <label>Best N rounds <input value={f.best} onInput={set('best')} inputMode="numeric" placeholder="all" /></label>
        <label>Rule for best N <input value={f.bestRule} onInput={set('bestRule')} placeholder="series regulations 4.1" /></label>
        <button type="submit">Save championship</button>
      </form>
    </fieldset>
  );
}

function Standings(p: { season: SeasonDoc }) {
  const [champ, setChamp] = useState(p.season.championships[0]?.id ?? '');
  const [s, setS] = useState<StandingsAnswer | null>(null);
  const [err, setErr] = useState('');
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!champ) return;
    setErr('');
    void read<StandingsAnswer>(`/api/championships/${encodeURIComponent(p.season.id)}/standings?championship=${encodeURIComponent(champ)}`).then(setS, (e: Error) => { setS(null); setErr(e.message); });
  }, [champ, p.season, tick]);
  if (!p.season.championships.length) return <p class="muted">No championship yet: add one to see standings.</p>;
  const run = s?.standings.roundsRun ?? [];
  const name = (id: string) => p.season.rounds.find((r) => r.id === id)?.round ?? id;
  return (
    <section aria-label="Standings">
      <div class="org-form"><label>Championship <select value={champ} onChange={(e) => setChamp(value(e))}>{p.season.championships.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}</select></label>
        <button type="button" onClick={() => setTick(tick + 1)}>Refresh</button></div>
      {err ? <p class="error">{err}</p> : null}
      {s ? (
        <>
          <p aria-label="Standings status">{s.standings.rows.length === 0 ? 'No round with results yet.' : `After round ${name(run.at(-1) ?? '')}: `}
            {s.standings.provisional.length ? <strong class="warn">provisional (round {s.standings.provisional.map(name).join(', ')} not yet official)</strong> : s.standings.rows.length ? <strong>every round official</strong> : null}
            {s.title.leader ? ` · ${s.title.clinched ? (s.standings.provisional.length ? `${s.title.leader} wins the title if the provisional results stand` : `${s.title.leader} has won the title`) : `${s.title.contenders.length} can still win`}` : ''}</p>
          {s.standings.rows.length ? <div class="scroll">
            <table aria-label="Championship standings">
              <thead><tr><th class="num">Pos</th><th>Competitor</th>{run.map((id) => <th key={id} class="num">R{name(id)}</th>)}<th class="num">Total</th></tr></thead>
              <tbody>{s.standings.rows.map((row) => (
                <tr key={row.competitor}>
                  <td class="num">{row.rank}</td><td>{row.competitor}</td>
                  {run.map((id) => {
                    const c = row.rounds.find((x) => x.round === id);
                    const why = roundWorkings(c?.detail);
                    return <td key={id} class="num" title={why}>{c ? (c.entered ? (c.counted ? c.points : `(${c.points})`) : '—') : '—'}</td>;
                  })}
                  <td class="num"><strong>{row.total}</strong></td>
                </tr>
              ))}</tbody>
            </table>
          </div> : null}
          <p class="small"><a href={`/standings.html?season=${encodeURIComponent(p.season.id)}&championship=${encodeURIComponent(champ)}`}>Public standings page</a> (no token needed: fans and crews)</p>
          <p class="small">Download: {(() => {
            const path = `/api/public/v1/seasons/${encodeURIComponent(p.season.id)}/standings?championship=${encodeURIComponent(champ)}`;
            const what = `${p.season.championships.find((c) => c.id === champ)?.name ?? champ} standings`;
            return <><a href={`${path}&format=csv`} download aria-label={`${what} as CSV`}>CSV</a>{' · '}<a href={path} download aria-label={`${what} as JSON`}>JSON</a></>;
          })()}</p>
          {s.standings.rows.length ? <p class="small muted">{s.title.note} Points in brackets are dropped; hover a number for its workings. {s.standings.unconfirmed.length ? `Unconfirmed: ${s.standings.unconfirmed.join(' ')}` : ''}</p> : null}
        </>
      ) : null}
    </section>
  );
}

export function SeasonView() {
  const [seasons, setSeasons] = useState<{ id: string; name: string }[]>([]);
  const [current, setCurrent] = useState(new URLSearchParams(location.search).get('season') ?? '');
  const [season, setSeason] = useState<SeasonDoc | null>(null);
  const [rallies, setRallies] = useState<RallySummary[]>([]);
  const [schemes, setSchemes] = useState<{ id: string; name: string }[]>([]);
  async function loadList(pick?: string) {
    const list = await getJson<{ id: string; name: string }[]>('/api/championships');
    setSeasons(list);
    const id = pick ?? (current || list[0]?.id || '');
    setCurrent(id);
    if (id) await loadSeason(id);
  }
  async function loadSeason(id: string) {
    try {
      setSeason((await getJson<{ season: SeasonDoc }>(`/api/championships/${encodeURIComponent(id)}`)).season);
    } catch (e) { say((e as Error).message, true); }
  }
  useEffect(() => {
    void loadList();
    void getJson<unknown>('/api/rallies').then((x) => setRallies(listOf<RallySummary>(x, 'rallies')), () => {});
    void getJson<{ id: string; name: string }[]>('/api/points-schemes').then(setSchemes, () => {});
  }, []);
  const reload = () => { if (current) void loadSeason(current); };
  return (
    <section aria-label="Season">
      <div class="org-form">
        <label>Season <select value={current} onChange={(e) => { setCurrent(value(e)); void loadSeason(value(e)); }}>{seasons.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}</select></label>
      </div>
      {season ? (
        <>
          <h2>{season.name} — calendar</h2>
          {season.note ? <p class="small muted">{season.note}</p> : null}
          <div class="scroll">
            <table aria-label="Calendar">
              <thead><tr><th class="num">Round</th><th>Event</th><th>Dates</th><th>Date source</th><th class="no-print">Scored by rally</th></tr></thead>
              <tbody>{season.rounds.map((r) => <RoundRow key={`${r.id}-${r.rally ?? ''}`} season={season.id} r={r} rallies={rallies} onDone={reload} />)}</tbody>
            </table>
          </div>
          <h2>Championships</h2>
          <ul class="list" aria-label="Championships">{season.championships.map((c) => <li key={c.id}>{c.name} <span class="sub">{c.kind} · {c.scheme}{c.class ? ` · class ${c.class}` : ''}{c.eligibility ? ` · ${c.eligibility}` : ''}{c.countBest ? ` · best ${c.countBest.value} (${c.countBest.rule})` : ' · every round counts'}</span></li>)}</ul>
          <h2>Standings</h2>
          <Standings season={season} />
          <div class="no-print">
            <AddRound season={season.id} rallies={rallies} onDone={reload} />
            <AddChampionship season={season.id} schemes={schemes} onDone={reload} />
          </div>
        </>
      ) : <p class="muted">No season yet.</p>}
      <div class="no-print"><NewSeason onDone={(id) => void loadList(id)} /></div>
    </section>
  );
}
