// The audit view: every fact about a crew, a stage or the whole rally — who
// entered it, from which device, when (received by the server, and the
// device's own clock), why, what it superseded and what superseded it — and
// the audit trail's other lines: definition changes with their reason and
// diff, publications, protests, notices, tokens.
import { signal } from '@preact/signals';
import { Select } from '../lib/ui/field.tsx';
import { definition, facts, get, onRefresh, type StoredFactView, when, factTime } from './state.ts';

interface AuditLine { at: string; principal: string; action: string; detail: Record<string, unknown> }
const lines = signal<AuditLine[]>([]);
onRefresh(async () => { lines.value = (await get<{ audit: AuditLine[] }>('/audit')).audit; });

const scope = signal('all');

function about(f: StoredFactView['fact']): string {
  const x = f as Record<string, unknown>;
  return [x.car !== undefined ? `car ${String(x.car)}` : '', x.control ?? x.stage ?? x.where ?? x.section ?? '', typeof x.at === 'string' ? factTime(x.at) : x.time ?? '', x.seconds !== undefined ? `${String(x.seconds)} s` : '', x.rule ?? '']
    .filter((s) => s !== '').map(String).join(' · ');
}

function matches(sf: StoredFactView, byId: Map<string, StoredFactView>): boolean {
  const s = scope.value;
  if (s === 'all') return true;
  const f = sf.fact as Record<string, unknown>;
  const target = f.supersedes ? byId.get(String(f.supersedes))?.fact as Record<string, unknown> | undefined : undefined;
  const check = (x: Record<string, unknown> | undefined) => {
    if (!x) return false;
    if (s.startsWith('car:')) return String(x.car) === s.slice(4) || (Array.isArray(x.notionalTimes) && (x.notionalTimes as { car: number }[]).some((n) => String(n.car) === s.slice(4)));
    const stage = s.slice(6);
    const controls = new Set((definition.value?.legs ?? []).flatMap((l) => l.sections.flatMap((sec) => sec.controls)).filter((c) => c.stage === stage).map((c) => c.id));
    return x.stage === stage || x.where === stage || controls.has(String(x.control ?? x.where ?? ''));
  };
  return check(f) || check(target);
}

// A definition change keeps its reason and diff at the top of its detail; an entry-list change (add, edit, withdraw…) under `change`.
const why = (l: AuditLine): unknown => l.detail.reason ?? (l.detail.change as { reason?: unknown } | undefined)?.reason;
function changed(l: AuditLine): string[] {
  const d = l.detail.diff ?? (l.detail.change as { lines?: unknown } | undefined)?.lines;
  return Array.isArray(d) ? d.map(String) : [];
}

export function AuditPanel() {
  const all = facts.value;
  const byId = new Map(all.map((sf) => [sf.fact.id, sf]));
  const supersededBy = new Map<string, StoredFactView>();
  for (const sf of all) if (sf.fact.supersedes) supersededBy.set(sf.fact.supersedes, sf);
  const shown = all.filter((sf) => matches(sf, byId)).reverse();
  const MAX = 300;
  const defs = definition.value;
  const options = [{ value: 'all', label: 'the whole rally' }, ...(defs?.entries ?? []).map((e) => ({ value: `car:${e.car}`, label: `car ${e.car} — ${e.driver.name}` })), ...(defs?.stages ?? []).map((s) => ({ value: `stage:${s.code}`, label: `${s.code} — ${s.name}` }))];
  return (
    <div>
      <section aria-labelledby="audit-title">
        <h2 id="audit-title">Audit: facts</h2>
        <Select id="audit-scope" label="Facts about" value={scope.value} onChange={(v) => { scope.value = v; }} options={options} />
        <p class="sub">{shown.length} fact{shown.length === 1 ? '' : 's'}, newest first{shown.length > MAX ? ` (the last ${MAX} shown)` : ''}.</p>
        <div class="scroll">
          <table id="audit-facts">
            <thead><tr><th scope="col" class="num">#</th><th scope="col">Fact</th><th scope="col">Who · device</th><th scope="col">When</th><th scope="col">Why</th><th scope="col">Supersedes / superseded by</th></tr></thead>
            <tbody>
              {shown.slice(0, MAX).map((sf) => {
                const f = sf.fact;
                const old = f.supersedes ? byId.get(f.supersedes) : undefined;
                const later = supersededBy.get(f.id);
                return (
                  <tr key={sf.seq} data-fact={f.id} class={later ? 'muted' : undefined}>
                    <td class="num">{sf.seq}</td>
                    <td class="crew"><strong>{f.type}</strong> {about(f)}<div class="sub">{f.id}{(f as { raw?: string }).raw ? `, typed "${(f as { raw?: string }).raw}"` : ''}</div></td>
                    <td class="crew">{sf.principal}{(f as { by?: string }).by && (f as { by?: string }).by !== sf.principal ? ` (${(f as { by?: string }).by})` : ''}<div class="sub">{sf.device ?? (f as { device?: string }).device ?? '—'}</div></td>
                    <td>{when(sf.receivedAt)}{(f as { recordedAt?: string }).recordedAt ? <div class="sub">device clock {(f as { recordedAt?: string }).recordedAt}</div> : null}</td>
                    <td class="crew">{f.reason ?? '—'}</td>
                    <td class="crew">
                      {old ? <div>supersedes #{old.seq} {old.fact.type} {about(old.fact)}</div> : f.supersedes ? <div>supersedes {f.supersedes}</div> : null}
                      {later ? <div class="error small">superseded by #{later.seq} ({later.principal}): {later.fact.reason ?? ''}</div> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="trail-title">
        <h2 id="trail-title">Audit trail: definition changes, publications, protests, notices, tokens</h2>
        <ol class="list" id="audit-trail" reversed>
          {[...lines.value].reverse().filter((l) => !['correction', 'penalty', 'retirement', 'restart', 'exclusion', 'stageInterrupted', 'stageCancelled', 'retraction'].includes(l.action)).slice(0, 200).map((l, i) => (
            <li key={`${l.at}-${i}`} data-action={l.action}>
              <strong>{l.action}</strong> — {l.principal}, {when(l.at)}
              {typeof why(l) === 'string' ? <div>why: {why(l)}</div> : null}
              {changed(l).length ? <ul class="sub diff">{changed(l).slice(0, 30).map((d) => <li key={d}>{d}</li>)}</ul> : null}
              {typeof l.detail.override === 'string' ? <div class="error small">overrode: {(l.detail.overridden as { detail: string }[] | undefined)?.map((b) => b.detail).join(' ')} — because {l.detail.override}</div> : null}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
