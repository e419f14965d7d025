// The itinerary editor: legs, sections, controls and stages with distances
// and target times. Every field is checked as it is typed, by the same core
// checks the server runs before storing (a due time before the previous one,
// a stage without a start, a target the distance makes implausible, a code
// used twice…), each shown in words beside its field; the first car's due
// times move as targets change. Saved whole with a reason and the version
// read: a change by someone else meanwhile is said plainly, with a reload.
import { useEffect, useState } from 'preact/hooks';
import type { ItineraryFinding } from '../../core/itinerary/check-itinerary.ts';
import { kindWords } from '../../core/itinerary/check-itinerary.ts';
import type { Control, ControlKind, Leg, Stage } from '../../core/model.ts';
import { formatLocalDateTime } from '../../core/time/local-time.ts';
import { ApiError, sendJson } from '../lib/api.ts';
import {
  addControl, addLeg, addSection, addStageBlock, changed, controlPath, draft, dueAt, editControl, editLeg, editSectionFields, editStage, findings, findingsAt,
  formatDistance, formatDue, formatTarget, loaded, moveControl, parseDistance, parseDue, parseTarget, removeControl, removeLeg, removeStage, typed, typos, type Loaded,
} from './itinerary-edit.ts';
import { rallyPath, read, say, token } from './state.ts';

const KINDS: ControlKind[] = ['TC', 'SS_START', 'SPLIT', 'SS_FINISH', 'STOP', 'SERVICE_IN', 'SERVICE_OUT', 'REGROUP_IN', 'REGROUP_OUT', 'PARC_FERME_IN', 'PARC_FERME_OUT', 'PASSAGE'];
const STAGE_KINDS = new Set<ControlKind>(['SS_START', 'SPLIT', 'SS_FINISH', 'STOP']);
const value = (e: Event): string => (e.currentTarget as HTMLInputElement).value;
const domId = (path: string): string => `f${path.replace(/[^A-Za-z0-9]+/g, '-')}`;

/** What is wrong with one field, in words, right under it; the field points at it (aria-describedby). */
function Notes(p: { path: string }) {
  const list: { level: string; text: string }[] = (findingsAt.value.get(p.path) ?? []).map((f: ItineraryFinding) => ({ level: f.level, text: `${f.message}: ${f.fix}.` }));
  const t = typed.value[p.path];
  if (t?.problem) list.unshift({ level: 'error', text: t.problem });
  if (list.length === 0) return null;
  return <div id={`${domId(p.path)}-note`} class="notes">{list.map((n, i) => <div key={i} class={`finding ${n.level}`}>{n.level === 'error' ? 'Error: ' : 'Warning: '}{n.text}</div>)}</div>;
}

function described(path: string): { 'aria-describedby'?: string; 'aria-invalid'?: boolean } {
  const f = findingsAt.value.get(path) ?? [];
  const bad = f.some((x) => x.level === 'error') || Boolean(typed.value[path]?.problem);
  return f.length || typed.value[path]?.problem ? { 'aria-describedby': `${domId(path)}-note`, ...(bad ? { 'aria-invalid': true } : {}) } : {};
}

/** A text field whose text is read into a value as it is typed; unreadable text stays as typed, with why. */
function ParsedInput<T>(p: { path: string; label: string; shown: string; parse: (t: string) => T | undefined | null; apply: (v: T | undefined) => void; problem: string; size?: number; placeholder?: string }) {
  const t = typed.value[p.path];
  return (
    <input id={domId(p.path)} aria-label={p.label} size={p.size ?? 6} placeholder={p.placeholder} value={t ? t.text : p.shown} {...described(p.path)}
      onInput={(e) => {
        const text = value(e);
        const v = p.parse(text);
        typed.value = { ...typed.value, [p.path]: { text, problem: v === null ? p.problem : null } };
        if (v !== null) p.apply(v);
      }}
      onBlur={() => {
        // Text that reads is shown the standard way once the field is left.
        const cur = typed.value[p.path];
        if (cur && cur.problem === null) { const { [p.path]: _gone, ...rest } = typed.value; typed.value = rest; }
      }} />
  );
}

function ControlRow(p: { l: number; s: number; c: number; control: Control; leg: Leg; stages: Stage[]; count: number }) {
  const { l, s, c, control: ctl, leg } = p;
  const base = controlPath(l, s, c);
  const unit = loaded.value!.distanceUnit;
  const t = dueAt.value.get(base);
  const who = ctl.id || `control ${c + 1}`;
  const isSplit = ctl.kind === 'SPLIT';
  const distField = isSplit ? 'splitDistanceM' : 'distanceM';
  return (
    <tr data-control={ctl.id}>
      <td><input id={domId(`${base}.id`)} aria-label={`Code of control ${c + 1} in section ${leg.sections[s]!.id}`} size={6} value={ctl.id} {...described(`${base}.id`)} onInput={(e) => editControl(l, s, c, { id: value(e).trim() })} /><Notes path={`${base}.id`} /></td>
      <td><ParsedInput path={`${base}.targetMs`} label={`Target time to ${who}`} shown={formatTarget(ctl.targetMs)} placeholder="h:mm"
        parse={parseTarget} apply={(v) => editControl(l, s, c, { targetMs: v })} problem="not a target time: write hours and minutes, e.g. 0:25 (or 25 for minutes)" size={5} />
        <Notes path={`${base}.targetMs`} /></td>
      <td class="num due" data-due={t?.dueMs != null ? 'yes' : 'no'}>{t && t.dueMs !== null
        ? <span title={t.estimated ? 'counts the stage before at its bogey time' : undefined}>{t.estimated ? '≈ ' : ''}{formatDue(dueText(t.dueMs), leg.date)}</span>
        : <span class="muted">—</span>}</td>
      <td>
        <select id={domId(`${base}.kind`)} aria-label={`Kind of ${who}`} value={ctl.kind} {...described(`${base}.kind`)} onChange={(e) => editControl(l, s, c, { kind: value(e) as ControlKind, ...(STAGE_KINDS.has(value(e) as ControlKind) ? {} : { stage: undefined }) })}>
          {KINDS.map((k) => <option key={k} value={k}>{kindWords(k)}</option>)}
        </select><Notes path={`${base}.kind`} />
      </td>
      <td><input id={domId(`${base}.name`)} aria-label={`Name of ${who}`} size={14} value={ctl.name ?? ''} {...described(`${base}.name`)} onInput={(e) => editControl(l, s, c, { name: value(e) })} /><Notes path={`${base}.name`} /></td>
      <td>{STAGE_KINDS.has(ctl.kind)
        ? <select id={domId(`${base}.stage`)} aria-label={`Stage of ${who}`} value={ctl.stage ?? ''} {...described(`${base}.stage`)} onChange={(e) => editControl(l, s, c, { stage: value(e) || undefined })}>
            <option value="">—</option>{p.stages.map((x) => <option key={x.code} value={x.code}>{x.code}</option>)}
          </select>
        : null}<Notes path={`${base}.stage`} /></td>
      <td>{ctl.kind === 'SS_FINISH' || ctl.kind === 'STOP'
        ? <span class="muted small">stage</span>
        : <ParsedInput path={`${base}.${distField}`} label={isSplit ? `Distance of ${who} from the stage start (${unit})` : `Road distance to ${who} (${unit})`} shown={formatDistance(isSplit ? ctl.splitDistanceM : ctl.distanceM, unit)}
            parse={(x) => parseDistance(x, unit)} apply={(v) => editControl(l, s, c, isSplit ? { splitDistanceM: v } : { distanceM: v })} problem={`not a distance: write it in ${unit}, e.g. 12.4`} size={5} />}
        <Notes path={`${base}.${distField}`} /></td>
      <td><ParsedInput path={`${base}.firstCarDue`} label={`First-car time fixed at ${who}`} shown={formatDue(ctl.firstCarDue, leg.date)} placeholder={c === 0 && s === 0 ? '09:00' : ''}
        parse={(x) => parseDue(x, leg.date)} apply={(v) => editControl(l, s, c, { firstCarDue: v })} problem={`not a time of day: write 18:00 (on ${leg.date}) or ${leg.date} 18:00`} size={7} />
        <Notes path={`${base}.firstCarDue`} /></td>
      <td class="actions">
        <button type="button" class="small" aria-label={`Move ${who} up`} disabled={c === 0} onClick={() => moveControl(l, s, c, -1)}>↑</button>
        <button type="button" class="small" aria-label={`Move ${who} down`} disabled={c === p.count - 1} onClick={() => moveControl(l, s, c, 1)}>↓</button>
        <button type="button" class="small" aria-label={`Remove ${who}`} onClick={() => removeControl(l, s, c)}>✕</button>
      </td>
    </tr>
  );
}

const dueText = (ms: number): string => formatLocalDateTime(ms).slice(0, 16);

function StagesTable() {
  const unit = loaded.value!.distanceUnit;
  const d = draft.value;
  return (
    <fieldset class="org"><legend>Stages</legend>
      {d.stages.length === 0 ? <p class="muted small">No stages yet: add one in a section below (“Add a stage”), with the time control before it, its start, flying finish and stop.</p> : (
        <div class="scroll"><table aria-label="Stages" class="itinerary">
          <thead><tr><th scope="col">Code</th><th scope="col">Name</th><th scope="col">Leg</th><th scope="col">Length ({unit})</th><th scope="col">Type</th><th scope="col"><span class="sr">Remove</span></th></tr></thead>
          <tbody>{d.stages.map((st, i) => {
            const base = `$.stages[${i}]`;
            return (
              <tr key={i} data-stage={st.code}>
                <td><input id={domId(`${base}.code`)} aria-label={`Code of stage ${i + 1}`} size={5} value={st.code} {...described(`${base}.code`)} onInput={(e) => editStage(i, { code: value(e).trim() })} /><Notes path={`${base}.code`} /></td>
                <td><input aria-label={`Name of ${st.code}`} size={18} value={st.name} onInput={(e) => editStage(i, { name: value(e) })} /></td>
                <td><select id={domId(`${base}.leg`)} aria-label={`Leg of ${st.code}`} value={st.leg} {...described(`${base}.leg`)} onChange={(e) => editStage(i, { leg: value(e) })}>{d.legs.map((lg) => <option key={lg.id} value={lg.id}>{lg.id}</option>)}</select><Notes path={`${base}.leg`} /></td>
                <td><ParsedInput path={`${base}.distanceM`} label={`Length of ${st.code} (${unit})`} shown={formatDistance(st.distanceM, unit)} parse={(x) => parseDistance(x, unit)}
                  apply={(v) => { if (v !== undefined) editStage(i, { distanceM: v }); }} problem={`not a length: write it in ${unit}, e.g. 6.2`} size={5} /><Notes path={`${base}.distanceM`} /></td>
                <td><select aria-label={`Type of ${st.code}`} value={st.type} onChange={(e) => editStage(i, { type: value(e) as Stage['type'] })}>
                  <option value="special">special stage</option><option value="superSpecial">super special</option><option value="power">power stage</option>
                </select></td>
                <td><button type="button" class="small" aria-label={`Remove ${st.code} and its controls`} onClick={() => removeStage(i)}>✕</button></td>
              </tr>
            );
          })}</tbody>
        </table></div>
      )}
    </fieldset>
  );
}

function LegBlock(p: { l: number; leg: Leg }) {
  const { l, leg } = p;
  const unit = loaded.value!.distanceUnit;
  return (
    <fieldset class="org leg" data-leg={leg.id}><legend>Leg {leg.id}</legend>
      <div class="org-form">
        <label>Leg code <input size={4} value={leg.id} onInput={(e) => editLeg(l, { id: value(e).trim() })} /></label>
        <label>Name <input size={16} value={leg.name} onInput={(e) => editLeg(l, { name: value(e) })} /></label>
        <label>Date <input type="date" value={leg.date} onInput={(e) => editLeg(l, { date: value(e) })} /></label>
        <button type="button" class="small" onClick={() => removeLeg(l)}>Remove leg {leg.id}</button>
      </div>
      {leg.sections.map((sec, s) => (
        <section key={s} class="section" aria-label={`Section ${sec.id}`}>
          <div class="org-form">
            <label>Section code <input size={5} value={sec.id} onInput={(e) => editSectionFields(l, s, { id: value(e).trim() })} /></label>
            <label>Name <input size={16} value={sec.name ?? ''} onInput={(e) => editSectionFields(l, s, { name: value(e) })} /></label>
          </div>
          <div class="scroll"><table class="itinerary" aria-label={`Controls of section ${sec.id}`}>
            <thead><tr>
              <th scope="col">Code</th><th scope="col">Target</th><th scope="col" class="num">First car due</th><th scope="col">Kind</th><th scope="col">Name</th><th scope="col">Stage</th>
              <th scope="col">Distance ({unit})</th><th scope="col">Fixed time</th><th scope="col"><span class="sr">Order</span></th>
            </tr></thead>
            <tbody>{sec.controls.map((ctl, c) => <ControlRow key={c} l={l} s={s} c={c} control={ctl} leg={leg} stages={draft.value.stages} count={sec.controls.length} />)}</tbody>
          </table></div>
          <div class="actions">
            <button type="button" class="small" onClick={() => addControl(l, s)}>Add a control to {sec.id}</button>
            <button type="button" class="small" onClick={() => addStageBlock(l, s)}>Add a stage to {sec.id}</button>
          </div>
        </section>
      ))}
      <button type="button" class="small" onClick={() => addSection(l)}>Add a section to leg {leg.id}</button>
    </fieldset>
  );
}

export function ItineraryView() {
  const [reason, setReason] = useState('');
  const [conflict, setConflict] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function load() {
    try {
      const it = await read<Loaded>(rallyPath('/itinerary'));
      loaded.value = it;
      draft.value = { legs: it.legs, stages: it.stages };
      typed.value = {};
      changed.value = false;
      setConflict(null);
    } catch (e) { say((e as Error).message, true); }
  }
  useEffect(() => { loaded.value = null; void load(); }, []);
  const l = loaded.value;
  if (!l) return <p class="muted">Loading the itinerary…</p>;
  const errors = findings.value.filter((f) => f.level === 'error').length + typos.value.length;
  const warnings = findings.value.filter((f) => f.level === 'warning').length;
  const method = l.rules.targetFrom === 'stageStart'
    ? 'a target after a stage counts from the stage start (US and FIA practice)'
    : 'a target after a stage counts from its finish, estimated at the stage’s bogey time (≈)';
  async function save(e: Event) {
    e.preventDefault();
    setBusy(true);
    try {
      const r = await sendJson<{ version: number; legs: Leg[]; stages: Stage[]; warnings: unknown[] }>('PUT', rallyPath('/itinerary'), { version: l!.version, legs: draft.value.legs, stages: draft.value.stages, reason: reason.trim() }, token.value);
      loaded.value = { ...l!, version: r.version, legs: r.legs, stages: r.stages };
      draft.value = { legs: r.legs, stages: r.stages };
      changed.value = false;
      setReason('');
      say(`Itinerary saved (version ${r.version})${r.warnings.length ? ` with ${r.warnings.length} warning${r.warnings.length > 1 ? 's' : ''} shown beside the fields` : ''}.`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setConflict(`Someone else saved the itinerary after you opened it (you had version ${l!.version}). Your changes were not saved. Reload to see theirs, then make your change again.`);
        say('Not saved: the itinerary changed meanwhile.', true);
      } else say((err as Error).message, true);
    } finally { setBusy(false); }
  }
  return (
    <section aria-labelledby="itinerary-title">
      <h2 id="itinerary-title">Itinerary</h2>
      <p class="small muted">Times of day in rally time ({l.timeZone}); distances in {l.distanceUnit === 'mi' ? 'miles' : 'kilometres'}; {method}. Checked as you type; the server refuses what is marked as an error.</p>
      <form class="org-form save" aria-label="Save the itinerary" onSubmit={save}>
        <p role="status" class={errors ? 'error' : warnings ? 'warn' : 'muted'} id="itinerary-summary">
          {errors ? `${errors} error${errors > 1 ? 's' : ''} to fix before saving` : 'No errors'}{warnings ? ` · ${warnings} warning${warnings > 1 ? 's' : ''}` : ''}{changed.value ? ' · not saved yet' : ''}
        </p>
        <label>Reason for the change <input class="wide" value={reason} required placeholder="route book v2: SS3 shortened" onInput={(e) => setReason(value(e))} /></label>
        <button type="submit" disabled={busy || errors > 0 || !changed.value || reason.trim() === ''}>Save itinerary</button>
        <button type="button" class="small" onClick={() => void load()}>{changed.value ? 'Discard changes and reload' : 'Reload'}</button>
      </form>
      {findings.value.length ? (
        <details class="findings">
          <summary>Every finding, in itinerary order</summary>
          <ul>{findings.value.map((f, i) => (
            <li key={i} class={`finding ${f.level}`}>
              <button type="button" class="link" onClick={() => document.getElementById(domId(f.path))?.focus()}>{f.subject}</button>{' '}
              {f.level === 'error' ? 'Error: ' : 'Warning: '}{f.message}: {f.fix}.
            </li>
          ))}</ul>
        </details>
      ) : null}
      {conflict ? <div role="alert" class="conflict"><p>{conflict}</p><button type="button" onClick={() => void load()}>Reload the itinerary</button></div> : null}
      <StagesTable />
      {draft.value.legs.map((leg, i) => <LegBlock key={i} l={i} leg={leg} />)}
      <button type="button" onClick={() => addLeg()}>Add a leg</button>
    </section>
  );
}
