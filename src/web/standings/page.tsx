// The public standings page of one championship: the season and championship
// picked in a plain form (the same with or without JavaScript), who can still win, the
// table with the workings of every total, and the position after each round
// (a table, and a uPlot chart once the script has run). Rendered by the
// server for the first view (src/server/web/standings-ssr.ts) and hydrated.
import { useEffect, useRef } from 'preact/hooks';
import { lineText, pageHref, roundDates, titleLines, type RoundV1, type StandingsPageData, type StandingsV1, type StandingRowV1 } from './model.ts';

/** The chart's part, fetched only once the page runs (the first view and readers without JavaScript get the table). */
function PositionChart({ s, label }: { s: StandingsV1; label: (round: string) => string }) {
  const box = useRef<HTMLDivElement>(null);
  const h = s.history!;
  const top = h.rows.slice(0, 5);
  useEffect(() => {
    let gone = false;
    let destroy: (() => void) | null = null;
    void import('../rally/uplot-chart.ts').then((m) => {
      if (gone || !box.current) return;
      box.current.replaceChildren();
      destroy = m.drawChart(box.current, {
        stages: h.rounds.map((r) => label(r.round)), xLabel: 'After',
        series: top.map((r) => ({ label: r.competitor, values: r.ranks })), format: (v) => `P${v}`, axis: 'position', whole: true,
      });
    });
    return () => { gone = true; destroy?.(); };
  }, [s]);
  return (
    <figure class="chart-fig" id="position-chart">
      <figcaption>Position after each round, the first {top.length} now (1 at the top)</figcaption>
      <div ref={box} class="uchart" role="img" aria-label={`Position after each round: ${top.map((r) => r.competitor).join(', ')}. Every value is in the table below.`} />
    </figure>
  );
}

function Workings({ row, label }: { row: StandingRowV1; label: (round: string) => string }) {
  const entered = row.rounds.filter((c) => !row.notEntered.includes(c.round));
  return (
    <details class="workings">
      <summary>{row.competitor}</summary>
      <ul>
        {entered.map((c) => (
          <li key={c.round}>
            <strong>{label(c.round)}</strong> {c.counted ? `${c.points} counted` : `${c.points} dropped`}
            {c.lines.length ? `: ${c.lines.map(lineText).join(' + ')}` : c.points === 0 ? ': no points (not classified in a scoring place)' : ''}
          </li>
        ))}
        {row.notEntered.length ? <li>Not entered or not started: {row.notEntered.map(label).join(', ')}</li> : null}
        <li>Total {row.total} = {row.rounds.filter((c) => c.counted).map((c) => c.points).join(' + ') || '0'}</li>
        {row.tieBreak ? <li>Ahead of the next on equal points: {row.tieBreak}</li> : null}
      </ul>
    </details>
  );
}

function Table({ s, label, name }: { s: StandingsV1; label: (round: string) => string; name: (round: string) => string }) {
  return (
    <div class="scroll">
      <table id="standings">
        <caption class="sr">{s.championship.name} standings: position, competitor (open for the workings), total, points per round</caption>
        <thead><tr>
          <th scope="col" class="num">Pos</th><th scope="col">Competitor</th><th scope="col" class="num">Total</th>
          {s.roundsRun.map((id) => <th key={id} scope="col" class="num" title={name(id)} data-round={id}>{label(id)}{s.provisional.includes(id) ? <div class="sub">prov.</div> : null}</th>)}
        </tr></thead>
        <tbody>{s.rows.map((row) => (
          <tr key={row.competitor} data-competitor={row.competitor}>
            <td class="num pos">{row.rank}</td>
            <td class="crew">{<Workings row={row} label={label} />}</td>
            <td class="num"><strong>{row.total}</strong></td>
            {s.roundsRun.map((id) => {
              const c = row.rounds.find((x) => x.round === id);
              const shown = !c || row.notEntered.includes(id) ? '—' : c.counted ? String(c.points) : `(${c.points})`;
              return <td key={id} class="num" title={c && c.lines.length ? c.lines.map(lineText).join(' + ') : undefined}>{shown}</td>;
            })}
          </tr>
        ))}</tbody>
      </table>
    </div>
  );
}

function History({ s, label, name, data }: { s: StandingsV1; label: (round: string) => string; name: (round: string) => string; data: StandingsPageData }) {
  const h = s.history;
  if (!h || h.rounds.length === 0) return null;
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">After each round</h2>
      {h.rounds.length > 1 ? <PositionChart s={s} label={label} /> : null}
      <div class="scroll">
        <table id="history">
          <caption class="sr">Position and points after each round</caption>
          <thead><tr><th scope="col">Competitor</th>{h.rounds.map((r) => (
            <th key={r.round} scope="col" class="num" title={name(r.round)}><a href={pageHref({ season: data.choice.season, championship: s.championship.id, after: r.round })}>after {label(r.round)}</a></th>
          ))}</tr></thead>
          <tbody>{h.rows.map((row) => (
            <tr key={row.competitor}>
              <th scope="row" class="crew">{row.competitor}</th>
              {row.ranks.map((rank, i) => <td key={i} class="num">{rank === null ? '—' : `P${rank}`}<div class="sub">{row.totals[i] === null ? '' : `${row.totals[i]} pts`}</div></td>)}
            </tr>
          ))}</tbody>
        </table>
      </div>
      <p class="small muted">Each column is the standings as they stood after that round (tap its heading to see them then).</p>
    </section>
  );
}

function Title({ s }: { s: StandingsV1 }) {
  const t = titleLines(s);
  return (
    <section aria-labelledby="title-title" id="title-maths">
      <h2 id="title-title">Who can still win</h2>
      <p>{t.leader}</p>
      {t.rivals.length ? <ul id="contenders">{t.rivals.slice(0, 5).map((r) => <li key={r}>{r}</li>)}{t.rivals.length > 5 ? <li>and {t.rivals.length - 5} more can still win</li> : null}</ul> : null}
      {t.out > 0 && !s.title.clinched ? <p class="small muted">{t.out} other{t.out === 1 ? '' : 's'} can no longer catch the leader.</p> : null}
      {t.clinch.map((c) => <p key={c} class="small">{c}</p>)}
    </section>
  );
}

/** A plain form: nothing happens until Show (a choice made with the arrow keys does not reload the page under the reader). */
function Picker({ data }: { data: StandingsPageData }) {
  return (
    <form class="pick" method="get" action="/standings.html" aria-label="Choose a championship">
      <div class="field">
        <label for="pick-season">Season</label>
        <select id="pick-season" name="season" value={data.choice.season}>{data.seasons.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}</select>
      </div>
      <div class="field">
        <label for="pick-championship">Championship</label>
        <select id="pick-championship" name="championship" value={data.choice.championship}>{(data.season?.championships ?? []).map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}</select>
      </div>
      <button type="submit">Show</button>
    </form>
  );
}

export function StandingsPage({ data }: { data: StandingsPageData }) {
  const season = data.season;
  const s = data.standings;
  const round = (id: string): RoundV1 | undefined => season?.rounds.find((r) => r.id === id);
  // Rounds by their number in the season's calendar (R3 = Sno*Drift in ARA 2026).
  const label = (id: string) => { const r = round(id); return r ? `R${r.round}` : id; };
  const name = (id: string) => { const r = round(id); return r ? `Round ${r.round}: ${r.name}, ${roundDates(r)}` : id; };
  const last = s?.roundsRun.at(-1);
  const api = season && s ? `/api/public/v1/seasons/${encodeURIComponent(season.season.id)}/standings?championship=${encodeURIComponent(s.championship.id)}${data.choice.after ? `&after=${encodeURIComponent(data.choice.after)}` : ''}` : '';
  return (
    <>
      <header>
        <a href="#main" class="skip">Skip to the standings</a>
        <a href="/" class="home">rallyhq</a>
        <a href="/history.html" class="meta">History</a>
        <h1>{season ? `${season.season.name}: standings` : 'Championship standings'}</h1>
      </header>
      <main id="main" tabIndex={-1}>
        {data.seasons.length ? <Picker data={data} /> : <p class="muted">No season on this server yet (organisers create one on the organiser page).</p>}
        {data.note ? <p class="small muted" role="note" id="standings-note">{data.note}</p> : null}
        {data.error ? <p class="error" role="alert">{data.error}</p> : null}
        {season && s ? (
          <>
            <h2 id="standings-title">{s.championship.name}</h2>
            <p id="standings-status">
              {s.rows.length === 0 ? 'No round with results yet.' : <>After {last ? name(last) : ''}{data.choice.after ? <> (<a href={pageHref({ season: season.season.id, championship: s.championship.id })}>latest</a>)</> : null}{' '}
                {s.provisional.length
                  ? <span class="stamp provisional" title="Points may still change until the results are declared official">provisional: {s.provisional.map(label).join(', ')} not yet official</span>
                  : <span class="stamp official">official results</span>}</>}
            </p>
            <p class="small muted">{s.scheme.name}. {s.roundsRun.length} round{s.roundsRun.length === 1 ? '' : 's'} counted, {s.roundsRemaining.length} to come.</p>
            {s.rows.length ? <Title s={s} /> : null}
            {s.rows.length ? (
              <section aria-labelledby="table-title">
                <h2 id="table-title">Standings</h2>
                <Table s={s} label={label} name={name} />
                <p class="small muted">Open a name for the workings of the total. Points in brackets are dropped (only the best results count); — not entered or not started; prov.: that round's results are not yet official.</p>
                <p class="small">Download: <a href={`${api}&format=csv`} download aria-label={`${s.championship.name} standings as CSV`}>CSV</a>{' · '}<a href={api} aria-label={`${s.championship.name} standings as JSON`}>JSON</a></p>
              </section>
            ) : null}
            <History s={s} label={label} name={name} data={data} />
            <section aria-labelledby="calendar-title">
              <h2 id="calendar-title">Calendar</h2>
              <ul class="list" id="calendar">{season.rounds.map((r) => (
                <li key={r.id}>
                  <strong>R{r.round}</strong> {r.rally ? <a href={`/rally.html?id=${encodeURIComponent(r.rally)}`}>{r.name}</a> : r.name}
                  <div class="sub">{roundDates(r)}{r.confirmed ? '' : ' (unconfirmed)'}{r.location ? ` · ${r.location}` : ''}{s.roundsRun.includes(r.id) ? ' · counted' : s.roundsRemaining.includes(r.id) ? '' : ` · not a round of ${s.championship.name}`}</div>
                </li>
              ))}</ul>
            </section>
            {s.unconfirmed.length || s.notes.length ? (
              <section aria-labelledby="notes-title">
                <h2 id="notes-title">Notes</h2>
                <ul class="small muted">{[...s.notes, ...s.unconfirmed.map((u) => `Not confirmed: ${u}`)].map((n) => <li key={n}>{n}</li>)}</ul>
              </section>
            ) : null}
          </>
        ) : null}
      </main>
    </>
  );
}
