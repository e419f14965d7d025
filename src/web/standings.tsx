// Public standings page. The server sends the first view as HTML with the
// answers it was rendered from (readable without JavaScript: the picker is a
// plain form, the workings are <details>); this script takes it over and
// draws the chart of positions.
// Without a first view (the page served as a file) it asks the public API v1.
import { hydrate, render } from 'preact';
import { getJson } from './lib/api.ts';
import { StandingsPage } from './standings/page.tsx';
import type { SeasonV1, StandingsPageData, StandingsV1 } from './standings/model.ts';

async function fromApi(): Promise<StandingsPageData> {
  const q = new URLSearchParams(location.search);
  const choice = { season: q.get('season') ?? '', championship: q.get('championship') ?? '', after: q.get('after') ?? '' };
  try {
    const list = (await getJson<{ seasons: { id: string; name: string }[] }>('/api/public/v1/seasons')).seasons;
    choice.season = list.some((s) => s.id === choice.season) ? choice.season : list[0]?.id ?? '';
    if (!choice.season) return { seasons: [], season: null, standings: null, choice, error: '' };
    const season = await getJson<SeasonV1>(`/api/public/v1/seasons/${encodeURIComponent(choice.season)}`);
    if (!season.championships.some((c) => c.id === choice.championship)) choice.championship = season.championships[0]?.id ?? '';
    const p = new URLSearchParams({ championship: choice.championship, ...(choice.after ? { after: choice.after } : {}) });
    const standings = choice.championship ? await getJson<StandingsV1>(`/api/public/v1/seasons/${encodeURIComponent(choice.season)}/standings?${p}`) : null;
    return { seasons: list, season, standings, choice, error: '' };
  } catch (e) {
    return { seasons: [], season: null, standings: null, choice, error: `Cannot read the standings: ${(e as Error).message}` };
  }
}

let data: StandingsPageData;
async function start(): Promise<void> {
  const root = document.getElementById('app')!;
  const embedded = document.getElementById('standings-data');
  if (embedded?.textContent) {
    data = JSON.parse(embedded.textContent) as StandingsPageData;
    hydrate(<StandingsPage data={data} />, root);
  } else {
    data = await fromApi();
    root.replaceChildren();
    render(<StandingsPage data={data} />, root);
  }
}

void start();
