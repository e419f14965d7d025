// Landing page: the rallies this server holds, newest first.
// Pages are Preact components with signals: updates are keyed and local, so a
// live refresh never rebuilds an area (focus and screen-reader position stay).
import { render } from 'preact';
import { signal } from '@preact/signals';
import { getJson } from './lib/api.ts';
import { listOf, type RallySummary } from './lib/types.ts';

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; rallies: RallySummary[] };
const load = signal<Load>({ state: 'loading' });

function RallyList() {
  const l = load.value;
  if (l.state === 'loading') return <li class="muted">Loading…</li>;
  if (l.state === 'error') return <li class="error">Could not load rallies: {l.message}</li>;
  if (l.rallies.length === 0) {
    return <li class="muted">No rallies yet. An administrator imports one with POST /api/rallies/import or `rallyhq serve`.</li>;
  }
  return (
    <>
      {l.rallies.map((r) => (
        <li key={r.id} data-rally={r.id}>
          <a href={`/rally.html?id=${encodeURIComponent(r.id)}`}>{r.name}</a>
          <div class="sub">
            {r.startDate}{r.endDate && r.endDate !== r.startDate ? ` – ${r.endDate}` : ''} · {r.stages} stages · {r.entries} crews
          </div>
        </li>
      ))}
    </>
  );
}

async function fetchRallies(): Promise<void> {
  try {
    const rallies = listOf<RallySummary>(await getJson<unknown>('/api/rallies'), 'rallies').sort((a, b) => b.startDate.localeCompare(a.startDate));
    load.value = { state: 'ready', rallies };
  } catch (e) {
    load.value = { state: 'error', message: (e as Error).message };
  }
}

const list = document.getElementById('rallies');
if (list) {
  list.replaceChildren();
  render(<RallyList />, list);
}
void fetchRallies();
