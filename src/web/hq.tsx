// The officials' desk: what needs attention, every decision as a form with a
// what-if preview, publication with its safeguards, the inquiry clock and
// protests, the notice board, the audit trail and marshal phones. Preact with
// signals: live refreshes update only what changed, so focus and a half-typed
// reason survive them.
import { render } from 'preact';
import { signal } from '@preact/signals';
import { ApiError, getJson } from './lib/api.ts';
import { listOf, type RallySummary } from './lib/types.ts';
import { Anomalies, Conflicts, Overdue } from './hq/attention.tsx';
import { AuditPanel } from './hq/audit.tsx';
import { DecisionPanel } from './hq/decisions.tsx';
import { NoticesPanel } from './hq/notices.tsx';
import { PhonesPanel } from './hq/phones.tsx';
import { PublishPanel } from './hq/publish.tsx';
import { definition, forget, listen, liveState, message, rallyId, refresh, remember, signedIn, token, who } from './hq/state.ts';

type Tab = 'attention' | 'publish' | 'notices' | 'audit' | 'phones';
const TABS: { id: Tab; label: string }[] = [
  { id: 'attention', label: 'Attention & decisions' },
  { id: 'publish', label: 'Publication & inquiry' },
  { id: 'notices', label: 'Notice board' },
  { id: 'audit', label: 'Audit' },
  { id: 'phones', label: 'Marshal phones' },
];
const tab = signal<Tab>((new URLSearchParams(location.search).get('tab') as Tab | null) ?? 'attention');
const rallies = signal<RallySummary[]>([]);
const loginError = signal('');

async function open(): Promise<void> {
  loginError.value = '';
  try {
    const me = await getJson<{ role: string; rallyId?: string; label?: string }>('/api/whoami', token.value);
    if (me.role === 'public') throw new Error('Type the token the administrator gave you.');
    if (me.role === 'timekeeper') throw new Error('This is a timekeeper token: it enters times on the marshal page, it cannot open the HQ desk.');
    if (me.role === 'officer' && me.rallyId !== rallyId.value) throw new Error(`This token is for rally "${me.rallyId ?? ''}"; choose that rally.`);
    await refresh();
    remember();
    who.value = `${rallies.value.find((r) => r.id === rallyId.value)?.name ?? rallyId.value} · ${me.label ?? me.role}`;
    signedIn.value = true;
    listen();
  } catch (e) {
    loginError.value = e instanceof ApiError && e.status === 401 ? `Token not accepted: ${e.message}` : (e as Error).message;
  }
}

function Login() {
  return (
    <section id="login" aria-labelledby="login-title">
      <h2 id="login-title">Open the desk</h2>
      <p>The officials' desk. Open it with the officer token of the rally (or an administrator token).</p>
      <form class="row" onSubmit={(e) => { e.preventDefault(); void open(); }}>
        <select id="rally" aria-label="Rally" value={rallyId.value} onChange={(e) => { rallyId.value = (e.currentTarget as HTMLSelectElement).value; }}>
          {rallies.value.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
        </select>
        <input id="token" type="password" placeholder="officer token" aria-label="Token" autoComplete="off" value={token.value} onInput={(e) => { token.value = (e.currentTarget as HTMLInputElement).value.trim(); }} />
        <button id="go" type="submit">Open</button>
      </form>
      <p id="login-msg" class="error" role="alert">{loginError.value}</p>
    </section>
  );
}

function Desk() {
  const m = message.value;
  return (
    <section id="desk">
      <nav class="tabs" aria-label="Desk sections">
        {TABS.map((t) => <button key={t.id} type="button" id={`tab-${t.id}`} aria-pressed={tab.value === t.id} onClick={() => { tab.value = t.id; }}>{t.label}</button>)}
      </nav>
      <p id="desk-msg" class={m.error ? 'error' : 'muted'} role="status">{m.text}</p>
      {definition.value?.illustrativeTimesOfDay ? <p id="illustrative-times" class="muted small" role="note">{definition.value.illustrativeTimesOfDay}</p> : null}
      {tab.value === 'attention' ? (
        <div class="desk-grid">
          <div><Overdue /><Conflicts /><Anomalies /></div>
          <DecisionPanel />
        </div>
      ) : null}
      {tab.value === 'publish' ? <PublishPanel /> : null}
      {tab.value === 'notices' ? <NoticesPanel /> : null}
      {tab.value === 'audit' ? <AuditPanel /> : null}
      {tab.value === 'phones' ? <PhonesPanel /> : null}
      <p class="muted small">
        <a href={`/rally.html?id=${encodeURIComponent(rallyId.value)}`}>Results page</a> · <a href="/docs">API reference</a> ·{' '}
        <button id="logout" type="button" class="small" onClick={() => { forget(); location.reload(); }}>Close the desk</button>
      </p>
    </section>
  );
}

function App() {
  return signedIn.value ? <Desk /> : <Login />;
}

function Meta() {
  return <><span id="meta" class="meta">{who.value}</span> <span id="live" class="meta">{liveState.value}</span></>;
}

async function start(): Promise<void> {
  rallies.value = listOf<RallySummary>(await getJson<unknown>('/api/rallies'), 'rallies');
  if (!rallies.value.some((r) => r.id === rallyId.value)) rallyId.value = rallies.value[0]?.id ?? '';
  if (token.value && rallyId.value) await open();
}

render(<App />, document.getElementById('app') as HTMLElement);
render(<Meta />, document.getElementById('header-meta') as HTMLElement);
start().catch((e) => { loginError.value = `Could not reach the server: ${(e as Error).message}`; });
