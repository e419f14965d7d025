// What needs the officer now: overdue crews (a safety matter, pushed live),
// conflicts between two entries (keep one, with a reason), and data-quality
// findings, each with its suggested fix as a button that opens the decision
// form pre-filled.
import { signal } from '@preact/signals';
import { formatDuration } from '../../core/time/duration.ts';
import type { Issue } from '../lib/types.ts';
import { openForm } from './decisions.tsx';
import { fixFor } from './forms.ts';
import { anomalies, conflicts, overdue, post, refresh, say, factTime, type Conflict, type ConflictEntry } from './state.ts';

/** What the officer typed as a reason, by conflict: a live refresh must not wipe it. */
const reasons = signal<Record<string, string>>({});
const conflictKey = (c: Conflict) => c.facts.join('|');

async function keep(c: Conflict, chosen: ConflictEntry): Promise<void> {
  const reason = (reasons.value[conflictKey(c)] ?? '').trim();
  if (!reason) { say('Give the reason first, e.g. "time card shows 09:03".', true); return; }
  try {
    for (const other of c.entries) {
      if (other.id === chosen.id) continue;
      // NOTE: a fixed id per withdrawn fact: pressing again after a lost answer withdraws it once.
      await post('/corrections', { id: `hq-${other.id}-withdrawn`, supersedes: other.id, reason });
    }
    say(`Kept ${chosen.id}; the other time is withdrawn with your reason.`);
    await refresh();
  } catch (e) {
    say((e as Error).message, true);
  }
}

export function Overdue() {
  const list = overdue.value;
  return (
    <section aria-labelledby="overdue-title">
      <h2 id="overdue-title">Overdue crews <span id="overdue-count" class={list.length ? 'pill alert' : 'pill'}>{list.length}</span></h2>
      <ul id="overdue" class="list">
        {list.length === 0 ? <li class="muted">No crew overdue.</li> : list.map((o) => (
          <li key={`${o.car}-${o.stage}`} class="error" data-car={o.car}>Car {o.car} on {o.stage}: +{formatDuration(o.overdueMs, 0)} overdue<div class="sub">{o.detail}</div></li>
        ))}
      </ul>
    </section>
  );
}

export function Conflicts() {
  const list = conflicts.value;
  return (
    <section aria-labelledby="conflicts-title">
      <h2 id="conflicts-title">Conflicts <span id="conflict-count" class="pill">{list.length}</span></h2>
      <ul id="conflicts" class="list">
        {list.length === 0 ? <li class="muted">No conflicts.</li> : list.map((c) => {
          const key = conflictKey(c);
          return (
            <li key={key}>
              <strong>{c.subject}</strong> {c.detail}
              <ul class="list">
                {c.entries.map((e) => (
                  <li key={e.id}>
                    {`${e.fact.at ? factTime(e.fact.at) : e.fact.time ?? ''} — ${e.id} by ${e.principal ?? '?'}${e.device ? ` (${e.device})` : ''}${e.fact.raw ? `, typed "${e.fact.raw}"` : ''} `}
                    <button type="button" onClick={() => void keep(c, e)} aria-label={`Keep this: ${e.id}`}>Keep this</button>
                  </li>
                ))}
              </ul>
              <div class="row">
                <input aria-label="Reason" placeholder="reason, e.g. time card shows 09:03" value={reasons.value[key] ?? ''}
                  onInput={(ev) => { reasons.value = { ...reasons.value, [key]: (ev.currentTarget as HTMLInputElement).value }; }} />
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

const ORDER = { error: 0, warning: 1, info: 2 } as const;
const MAX = 60;

function AnomalyItem(p: { issue: Issue }) {
  const i = p.issue;
  const fix = fixFor(i);
  return (
    <li class={i.severity === 'error' ? 'error' : undefined} data-code={i.code}>
      <strong>{i.subject}: </strong>{i.detail}
      <div class="sub">{i.code} · {i.severity} · fix: {i.fix}</div>
      {fix ? <button type="button" class="small" onClick={() => openForm(fix.kind, fix.values)} aria-label={`${fix.label}: ${i.subject}`}>{fix.label}…</button> : null}
    </li>
  );
}

export function Anomalies() {
  const sorted = [...anomalies.value].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  return (
    <section aria-labelledby="anomalies-title">
      <h2 id="anomalies-title">Data-quality findings <span id="anomaly-count" class="pill">{sorted.length}</span></h2>
      <ul id="anomalies" class="list">
        {sorted.length === 0 ? <li class="muted">No findings.</li> : sorted.slice(0, MAX).map((i) => <AnomalyItem key={`${i.code}|${i.subject}|${i.facts.join(',')}`} issue={i} />)}
        {sorted.length > MAX ? <li class="muted">… and {sorted.length - MAX} more (GET …/anomalies).</li> : null}
      </ul>
    </section>
  );
}
