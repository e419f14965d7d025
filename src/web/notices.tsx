// The public official notice board: numbered documents (bulletins, stewards'
// decisions, classifications, start lists) with their time of posting, new
// ones arriving on the live stream. A crew that opened its link (car and crew
// code) acknowledges each document with one button; the time is recorded.
import { render } from 'preact';
import { signal } from '@preact/signals';
import { getJson, sendJson } from './lib/api.ts';
import { zoneDateTime } from './lib/rally-time.ts';
import { classificationPdf } from './lib/documents.ts';

interface Notice { number: number; kind: string; kindName: string; title: string; body: string; rule?: string; publication?: number; postedAt: string }

const params = new URLSearchParams(location.search);
const rally = params.get('rally') ?? params.get('id') ?? '';
const KEY = `rallyhq.crew.${rally}`;
// The crew link carries car and code in the fragment (#car=7&code=…), which the browser never sends: the code
// reaches no access log. Links made before carried them in the query: they are moved into the fragment.
const fragment = new URLSearchParams(location.hash.slice(1));
for (const k of ['car', 'code']) {
  const v = params.get(k);
  if (v !== null) { if (!fragment.has(k)) fragment.set(k, v); params.delete(k); }
}
if (fragment.get('code') && fragment.get('car')) {
  history.replaceState(null, '', `${location.pathname}?${params}#${fragment}`);
  // The phone keeps them too, so the board opened later without the link still signs in.
  try { localStorage.setItem(KEY, JSON.stringify({ car: Number(fragment.get('car')), code: fragment.get('code') })); } catch { /* private mode: the fragment still holds them */ }
}
const crew = ((): { car: number; code: string } | null => {
  if (fragment.get('code') && fragment.get('car')) return { car: Number(fragment.get('car')), code: fragment.get('code') as string };
  try { return JSON.parse(localStorage.getItem(KEY) ?? 'null') as { car: number; code: string } | null; } catch { return null; }
})();

const notices = signal<Notice[] | null>(null);
const error = signal('');
const acked = signal<Record<number, string>>(JSON.parse(localStorage.getItem(`${KEY}.acks`) ?? '{}') as Record<number, string>);
const zone = signal('');

async function load(): Promise<void> {
  try {
    const r = await getJson<{ notices: Notice[] }>(`/api/rallies/${encodeURIComponent(rally)}/notices`);
    notices.value = r.notices;
    error.value = '';
  } catch (e) {
    error.value = `Could not load the notice board: ${(e as Error).message}`;
  }
}

async function acknowledge(n: number): Promise<void> {
  if (!crew) return;
  try {
    const r = await sendJson<{ at: string }>('POST', `/api/rallies/${encodeURIComponent(rally)}/notices/${n}/acknowledgments`, { car: crew.car, code: crew.code });
    acked.value = { ...acked.value, [n]: r.at };
    localStorage.setItem(`${KEY}.acks`, JSON.stringify(acked.value));
  } catch (e) {
    error.value = `Not acknowledged: ${(e as Error).message}`;
  }
}

/** Rally-local, 24-hour, with the zone (`7 Feb 2026 16:05:00 EST`); UTC until the rally's zone is known. */
const when = (iso: string): string => zoneDateTime(iso, zone.value || 'UTC');

function Board() {
  const list = notices.value;
  if (!rally) return <p class="error">Open this page from a rally (…/notices.html?rally=&lt;id&gt;).</p>;
  return (
    <>
      {crew ? <p class="muted" id="crew">Signed in as the crew of car {crew.car}: acknowledge each document once you have read it.</p> : null}
      <p role="alert" class="error">{error.value}</p>
      {list === null ? <p class="muted">Loading…</p> : list.length === 0 ? <p class="muted">No documents posted yet.</p> : (
        <ol class="list" reversed aria-live="polite">
          {[...list].reverse().map((n) => (
            <li key={n.number} data-notice={n.number}>
              <h2 style={{ fontSize: '1.05rem', margin: '0 0 .2rem' }}>{n.number}. {n.kindName}: {n.title}</h2>
              <div class="sub">Posted {when(n.postedAt)}{n.rule ? ` · ${n.rule}` : ''}</div>
              {n.body ? <p style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{n.body}</p> : null}
              {n.publication ? <p><a href={classificationPdf(rally, n.publication)}>Document {n.number}: classification overall and by class (PDF)</a></p> : null}
              {crew ? (acked.value[n.number]
                ? <p class="small" data-acked>Acknowledged by car {crew.car} at {when(acked.value[n.number] as string)}.</p>
                : <button type="button" onClick={() => void acknowledge(n.number)}>Acknowledge document {n.number}</button>) : null}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

async function start(): Promise<void> {
  try {
    const r = await getJson<{ definition: { name: string; timeZone: string } }>(`/api/rallies/${encodeURIComponent(rally)}`);
    zone.value = r.definition.timeZone;
    const meta = document.getElementById('header-meta');
    if (meta) meta.textContent = r.definition.name;
  } catch { /* the board still loads; times then show in UTC, named so */ }
  await load();
  const live = new EventSource(`/api/rallies/${encodeURIComponent(rally)}/live`);
  live.addEventListener('notice', () => void load());
}

const app = document.getElementById('app') as HTMLElement;
app.replaceChildren();
render(<Board />, app);
if (rally) void start();
