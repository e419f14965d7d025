// Entries: the list with each crew's car and categories, and every change to
// it as a form that needs a reason — add (late entry), edit, withdraw,
// substitute — plus a CSV import whose line-by-line plan is shown before
// anything is written.
import { useEffect, useState } from 'preact/hooks';
import { zoneDateTime } from '../lib/rally-time.ts';
import type { Category, Entry, RallyClass } from '../../core/model.ts';
import { rallyPath, read, say, write } from './state.ts';

interface EntryList { version: number; classes: RallyClass[]; categories?: Category[]; entries: Entry[]; withdrawn: Entry[]; started: number[] }
interface Change { kind: string; car: number; reason: string; at: string; by: string; lines: string[]; version: number }
type LinePlan =
  | { line: number; action: 'add' | 'change'; car: number; lines: string[] }
  | { line: number; action: 'unchanged'; car: number }
  | { line: number; action: 'refuse'; car: number | null; reasons: string[] };
interface Plan { fileErrors: string[]; lines: LinePlan[]; adds: number; changes: number; unchanged: number; refused: number }

const value = (e: Event): string => (e.currentTarget as HTMLInputElement).value;

function Text(p: { label: string; v: string; set: (v: string) => void; wide?: boolean; required?: boolean; placeholder?: string; name?: string; aria?: string }) {
  return (
    <label><span>{p.label}{p.required ? <span aria-hidden="true"> *</span> : null}</span>
      <input class={p.wide ? 'wide' : undefined} aria-label={p.aria} name={p.name} value={p.v} placeholder={p.placeholder} required={p.required} onInput={(e) => p.set(value(e))} />
    </label>
  );
}

/** The rally's zone, read with the list: change times are shown in it (`7 Feb 2026 16:00:05 EST`), never the browser's. */
let zone = 'UTC';
const when = (iso: string): string => zoneDateTime(iso, zone);

function person(p: Entry['driver']): string {
  return `${p.name}${p.nationality ? ` (${p.nationality})` : ''}`;
}

function AddForm(p: { classes: RallyClass[]; categories: Category[]; onDone: () => void }) {
  const blank = { car: '', driver: '', dnat: '', codriver: '', cnat: '', make: '', model: '', cls: p.classes[0]?.code ?? '', cat: p.categories[0]?.code ?? '', group: '', carGroup: '', registration: '', reason: '' };
  const [f, setF] = useState(blank);
  const [late, setLate] = useState(false);
  const set = (k: keyof typeof blank) => (v: string) => setF({ ...f, [k]: v });
  async function submit(e: Event) {
    e.preventDefault();
    const entry: Record<string, unknown> = {
      car: Number(f.car), driver: { name: f.driver.trim(), ...(f.dnat ? { nationality: f.dnat.trim().toUpperCase() } : {}) },
      codriver: { name: f.codriver.trim(), ...(f.cnat ? { nationality: f.cnat.trim().toUpperCase() } : {}) },
      make: f.make.trim(), model: f.model.trim(), class: f.cls, ...(p.categories.length ? { category: f.cat } : {}),
      ...(f.group ? { group: f.group.trim() } : {}), ...(f.carGroup ? { carGroup: f.carGroup.trim() } : {}), ...(f.registration ? { registration: f.registration.trim() } : {}),
      ...(late ? { late: true } : {}),
    };
    const r = await write('POST', rallyPath('/entries'), { entry, reason: f.reason }, `Car ${f.car} added${late ? ' as a late entry' : ''}.`);
    if (r) { setF(blank); setLate(false); p.onDone(); }
  }
  return (
    <fieldset class="org"><legend>Add a crew</legend>
      <form class="org-form" onSubmit={submit} aria-label="Add a crew">
        <Text label="Car" v={f.car} set={set('car')} required name="car" />
        <Text label="Driver" v={f.driver} set={set('driver')} required name="driver" />
        <Text label="Nat." v={f.dnat} set={set('dnat')} placeholder="USA" name="dnat" />
        <Text label="Co-driver" v={f.codriver} set={set('codriver')} required name="codriver" />
        <Text label="Nat." v={f.cnat} set={set('cnat')} placeholder="CAN" name="cnat" />
        <Text label="Make" v={f.make} set={set('make')} required name="make" />
        <Text label="Model" v={f.model} set={set('model')} required name="model" />
        <label>Class *
          <select name="class" value={f.cls} onChange={(e) => set('cls')(value(e))}>{p.classes.map((c) => <option key={c.code} value={c.code}>{c.code} — {c.name}</option>)}</select>
        </label>
        {p.categories.length ? (
          <label>Category *
            <select name="category" value={f.cat} onChange={(e) => set('cat')(value(e))}>{p.categories.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}</select>
          </label>
        ) : null}
        <Text label="Priority" v={f.group} set={set('group')} placeholder="P1" name="priority" />
        <Text label="Car group" v={f.carGroup} set={set('carGroup')} placeholder="Rally2" name="carGroup" />
        <Text label="Registration" v={f.registration} set={set('registration')} name="registration" />
        <label class="check"><input type="checkbox" checked={late} onChange={(e) => setLate((e.currentTarget as HTMLInputElement).checked)} /> Late entry</label>
        <Text label="Reason" v={f.reason} set={set('reason')} required wide placeholder="entry form received 2 Feb" name="reason" />
        <button type="submit">Add crew</button>
      </form>
    </fieldset>
  );
}

function EditForm(p: { entry: Entry; classes: RallyClass[]; categories: Category[]; onDone: () => void }) {
  const e = p.entry;
  const init = {
    cls: e.class, cat: e.category ?? '', make: e.make, model: e.model, carGroup: e.carGroup ?? '', registration: e.registration ?? '', group: e.group ?? '', entrant: e.entrant ?? '',
    dnat: e.driver.nationality ?? '', dlic: e.driver.licence ?? '', dclub: e.driver.club ?? '',
    cnat: e.codriver.nationality ?? '', clic: e.codriver.licence ?? '', cclub: e.codriver.club ?? '', reason: '',
  };
  const [f, setF] = useState(init);
  const set = (k: keyof typeof init) => (v: string) => setF({ ...f, [k]: v });
  async function submit(ev: Event) {
    ev.preventDefault();
    const changes: Record<string, unknown> = {};
    const opt = (k: string, now: string, before: string) => { if (now.trim() !== before) changes[k] = now.trim() || null; };
    if (f.cls !== init.cls) changes.class = f.cls;
    if (f.cat !== init.cat) changes.category = f.cat;
    if (f.make.trim() !== init.make) changes.make = f.make.trim();
    if (f.model.trim() !== init.model) changes.model = f.model.trim();
    opt('carGroup', f.carGroup, init.carGroup); opt('registration', f.registration, init.registration); opt('group', f.group, init.group); opt('entrant', f.entrant, init.entrant);
    const who = (a: string, b: string, c: string, ia: string, ib: string, ic: string) => {
      const o: Record<string, unknown> = {};
      if (a.trim() !== ia) o.nationality = a.trim().toUpperCase() || null;
      if (b.trim() !== ib) o.licence = b.trim() || null;
      if (c.trim() !== ic) o.club = c.trim() || null;
      return Object.keys(o).length ? o : null;
    };
    const d = who(f.dnat, f.dlic, f.dclub, init.dnat, init.dlic, init.dclub);
    const c = who(f.cnat, f.clic, f.cclub, init.cnat, init.clic, init.cclub);
    if (d) changes.driver = d;
    if (c) changes.codriver = c;
    const r = await write('PATCH', rallyPath(`/entries/${e.car}`), { changes, reason: f.reason }, `Car ${e.car} changed.`);
    if (r) p.onDone();
  }
  return (
    <form class="org-form" onSubmit={submit} aria-label={`Edit car ${e.car}`}>
      <label>Class <select value={f.cls} onChange={(ev) => set('cls')(value(ev))}>{p.classes.map((c) => <option key={c.code} value={c.code}>{c.code}</option>)}</select></label>
      {p.categories.length ? <label>Category <select value={f.cat} onChange={(ev) => set('cat')(value(ev))}>{p.categories.map((c) => <option key={c.code} value={c.code}>{c.name}</option>)}</select></label> : null}
      <Text label="Make" v={f.make} set={set('make')} />
      <Text label="Model" v={f.model} set={set('model')} />
      <Text label="Car group" v={f.carGroup} set={set('carGroup')} />
      <Text label="Registration" v={f.registration} set={set('registration')} />
      <Text label="Priority" v={f.group} set={set('group')} />
      <Text label="Entrant" v={f.entrant} set={set('entrant')} />
      <Text label="Driver nat." v={f.dnat} set={set('dnat')} />
      <Text label="Driver licence" v={f.dlic} set={set('dlic')} />
      <Text label="Driver club no." v={f.dclub} set={set('dclub')} />
      <Text label="Co-driver nat." v={f.cnat} set={set('cnat')} />
      <Text label="Co-driver licence" v={f.clic} set={set('clic')} />
      <Text label="Co-driver club no." v={f.cclub} set={set('cclub')} />
      <Text label="Reason" v={f.reason} set={set('reason')} required wide placeholder="scrutineering sheet" />
      <button type="submit">Save changes</button>
    </form>
  );
}

function WithdrawForm(p: { entry: Entry; started: boolean; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [where, setWhere] = useState('');
  async function submit(ev: Event) {
    ev.preventDefault();
    const r = await write('POST', rallyPath(`/entries/${p.entry.car}/withdrawal`), { reason, ...(p.started ? { where } : {}) },
      p.started ? `Car ${p.entry.car} withdrawn and retired at ${where}.` : `Car ${p.entry.car} withdrawn before the start: off the entry list.`);
    if (r) p.onDone();
  }
  return (
    <form class="org-form" onSubmit={submit} aria-label={`Withdraw car ${p.entry.car}`}>
      <p class="small">{p.started
        ? 'This crew has started: its times stay, and it is retired for good where it withdrew.'
        : 'This crew has not started: it leaves the entry list and the results, and is kept among the withdrawn with your reason.'}</p>
      {p.started ? <Text label="Where (control or stage)" v={where} set={setWhere} required placeholder="SS5" /> : null}
      <Text label="Reason" v={reason} set={setReason} required wide placeholder="engine failure in shakedown" />
      <button type="submit">Withdraw car {p.entry.car}</button>
    </form>
  );
}

function SubstituteForm(p: { entry: Entry; onDone: () => void }) {
  const [f, setF] = useState({ role: 'codriver', name: '', nat: '', licence: '', approvedBy: '', reason: '' });
  const set = (k: keyof typeof f) => (v: string) => setF({ ...f, [k]: v });
  async function submit(ev: Event) {
    ev.preventDefault();
    const personBody = { name: f.name.trim(), ...(f.nat ? { nationality: f.nat.trim().toUpperCase() } : {}), ...(f.licence ? { licence: f.licence.trim() } : {}) };
    const r = await write('POST', rallyPath(`/entries/${p.entry.car}/substitution`), { role: f.role, person: personBody, approvedBy: f.approvedBy, reason: f.reason }, `Car ${p.entry.car}: ${f.role === 'driver' ? 'driver' : 'co-driver'} is now ${f.name}.`);
    if (r) p.onDone();
  }
  return (
    <form class="org-form" onSubmit={submit} aria-label={`Substitute in car ${p.entry.car}`}>
      <label>Replace <select value={f.role} onChange={(e) => set('role')(value(e))}>
        <option value="driver">driver ({p.entry.driver.name})</option><option value="codriver">co-driver ({p.entry.codriver.name})</option>
      </select></label>
      <Text label="New name" v={f.name} set={set('name')} required />
      <Text label="Nat." v={f.nat} set={set('nat')} />
      <Text label="Licence" v={f.licence} set={set('licence')} />
      <Text label="Approved by" v={f.approvedBy} set={set('approvedBy')} required placeholder="Clerk of the Course" />
      <Text label="Reason" v={f.reason} set={set('reason')} required wide />
      <button type="submit">Record substitution</button>
    </form>
  );
}

function PlanTable(p: { plan: Plan }) {
  return (
    <div class="scroll">
      <table aria-label="Import plan">
        <thead><tr><th class="num">Line</th><th>Will be</th><th class="num">Car</th><th>What, or why not</th></tr></thead>
        <tbody>
          {p.plan.lines.map((l) => (
            <tr key={l.line} class={l.action} data-line={l.line}>
              <td class="num">{l.line}</td>
              <td>{l.action === 'add' ? 'added' : l.action === 'change' ? 'changed' : l.action === 'unchanged' ? 'unchanged' : 'refused'}</td>
              <td class="num">{l.car ?? '—'}</td>
              <td>{l.action === 'refuse' ? <ul class="why">{l.reasons.map((x) => <li key={x}>{x}</li>)}</ul>
                : l.action === 'unchanged' ? <span class="muted">as on the entry list</span>
                : <ul class="why">{l.lines.map((x) => <li key={x}>{x}</li>)}</ul>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ImportPanel(p: { onDone: () => void }) {
  const [csv, setCsv] = useState('');
  const [plan, setPlan] = useState<{ version: number; plan: Plan } | null>(null);
  const [reason, setReason] = useState('');
  async function check() {
    const r = await write<{ version: number; plan: Plan }>('POST', rallyPath('/entries/import'), { csv });
    if (r) { setPlan(r); say(`Checked: ${r.plan.adds} to add, ${r.plan.changes} to change, ${r.plan.unchanged} unchanged, ${r.plan.refused} refused. Nothing written yet.`, r.plan.refused > 0); }
  }
  async function apply() {
    if (!plan) return;
    const r = await write('POST', rallyPath('/entries/import'), { csv, apply: true, version: plan.version, reason }, `Imported ${plan.plan.adds} new crews and ${plan.plan.changes} changes; refused lines were not imported.`);
    if (r) { setPlan(null); setCsv(''); setReason(''); p.onDone(); }
  }
  async function file(e: Event) {
    const f = (e.currentTarget as HTMLInputElement).files?.[0];
    if (f) { setCsv(await f.text()); setPlan(null); }
  }
  const writable = plan && plan.plan.fileErrors.length === 0 && plan.plan.adds + plan.plan.changes > 0;
  return (
    <fieldset class="org"><legend>Import from CSV</legend>
      <p class="small muted">First line names the columns: car, driver, codriver, make, model, class (required); driver nationality, driver licence, driver club, the same for codriver, group, registration, entrant, priority, eligibility. Crews not in the file stay as they are.</p>
      <div class="org-form">
        <label>CSV file <input type="file" accept=".csv,text/csv" onChange={file} /></label>
      </div>
      <textarea class="csv" aria-label="CSV text" value={csv} onInput={(e) => { setCsv((e.currentTarget as HTMLTextAreaElement).value); setPlan(null); }} />
      <div class="org-form"><button type="button" onClick={check} disabled={!csv.trim()}>Check the file</button></div>
      {plan ? (
        <>
          {plan.plan.fileErrors.map((x) => <p key={x} class="error">{x}</p>)}
          <p role="status" aria-label="Import summary"><strong>{plan.plan.adds}</strong> to add · <strong>{plan.plan.changes}</strong> to change · {plan.plan.unchanged} unchanged · <strong class={plan.plan.refused ? 'error' : ''}>{plan.plan.refused} refused</strong> — nothing is written until you import.</p>
          <PlanTable plan={plan.plan} />
          {writable ? (
            <div class="org-form">
              <Text label="Reason" aria="Reason for the import" v={reason} set={setReason} required wide placeholder="entries received by 30 Jan" />
              <button type="button" onClick={apply} disabled={!reason.trim()}>Import {plan.plan.adds} new and {plan.plan.changes} changed{plan.plan.refused ? ` (leave ${plan.plan.refused} refused out)` : ''}</button>
            </div>
          ) : null}
        </>
      ) : null}
    </fieldset>
  );
}

export function EntriesView() {
  const [list, setList] = useState<EntryList | null>(null);
  const [changes, setChanges] = useState<Change[]>([]);
  const [open, setOpen] = useState<{ car: number; kind: 'edit' | 'withdraw' | 'substitute' } | null>(null);
  async function load() {
    try {
      zone = (await read<{ definition: { timeZone: string } }>(rallyPath(''))).definition.timeZone;
      setList(await read<EntryList>(rallyPath('/entries')));
      setChanges((await read<{ changes: Change[] }>(rallyPath('/entries/changes'))).changes);
    } catch (e) {
      say((e as Error).message, true);
    }
  }
  useEffect(() => { void load(); }, []);
  if (!list) return <p class="muted">Loading the entry list…</p>;
  const started = new Set(list.started);
  const done = () => { setOpen(null); void load(); };
  const openEntry = open ? list.entries.find((e) => e.car === open.car) ?? null : null;
  return (
    <section aria-label="Entries">
      <h2>Entry list <span class="pill">{list.entries.length}</span> <a class="small no-print" href={`${rallyPath('/entries')}`}>JSON</a></h2>
      <div class="scroll">
        <table aria-label="Entry list">
          <thead><tr><th class="num">Car</th><th>Driver</th><th class="wide">Co-driver</th><th class="wide">Car</th><th>Class</th><th class="wide">Group · priority · reg.</th><th>Status</th><th class="no-print">Change</th></tr></thead>
          <tbody>
            {list.entries.map((e) => (
              <tr key={e.car} data-car={e.car} class={e.withdrawal ? 'withdrawn' : undefined}>
                <td class="num">{e.car}</td>
                <td>{person(e.driver)}{e.driver.licence ? <div class="sub">lic. {e.driver.licence}</div> : null}</td>
                <td class="wide">{person(e.codriver)}{e.codriver.licence ? <div class="sub">lic. {e.codriver.licence}</div> : null}</td>
                <td class="wide">{e.make} {e.model}</td>
                <td>{e.class}</td>
                <td class="wide">{[e.carGroup, e.group, e.registration].filter(Boolean).join(' · ') || '—'}</td>
                <td class="status">{e.withdrawal ? `withdrawn: ${e.withdrawal.reason}` : started.has(e.car) ? 'started' : 'not yet started'}{e.late ? <div class="sub">late entry</div> : null}{e.substitutions?.length ? <div class="sub">{e.substitutions.map((s) => `${s.from} → ${s.to}`).join('; ')}</div> : null}</td>
                <td class="actions no-print">
                  <button type="button" onClick={() => setOpen({ car: e.car, kind: 'edit' })} aria-label={`Edit car ${e.car}`}>Edit</button>
                  <button type="button" onClick={() => setOpen({ car: e.car, kind: 'substitute' })} aria-label={`Substitute in car ${e.car}`}>Substitute</button>
                  {e.withdrawal ? null : <button type="button" onClick={() => setOpen({ car: e.car, kind: 'withdraw' })} aria-label={`Withdraw car ${e.car}`}>Withdraw</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {openEntry && open ? (
        <fieldset class="org" ref={(el) => (el?.querySelector('input, select') as HTMLElement | null)?.focus()}>
          <legend>{open.kind === 'edit' ? 'Edit' : open.kind === 'withdraw' ? 'Withdraw' : 'Substitute in'} car {openEntry.car} — {openEntry.driver.name} / {openEntry.codriver.name}</legend>
          {open.kind === 'edit' ? <EditForm key={`e${openEntry.car}`} entry={openEntry} classes={list.classes} categories={list.categories ?? []} onDone={done} />
            : open.kind === 'withdraw' ? <WithdrawForm key={`w${openEntry.car}`} entry={openEntry} started={started.has(openEntry.car)} onDone={done} />
            : <SubstituteForm key={`s${openEntry.car}`} entry={openEntry} onDone={done} />}
          <button type="button" class="small" onClick={() => setOpen(null)}>Cancel</button>
        </fieldset>
      ) : null}
      {list.withdrawn.length ? (
        <>
          <h2>Withdrawn before the start</h2>
          <ul class="list" aria-label="Withdrawn crews">{list.withdrawn.map((e) => <li key={e.car} data-car={e.car}>#{e.car} {e.driver.name} / {e.codriver.name} — {e.withdrawal?.reason} <span class="sub">({e.withdrawal ? when(e.withdrawal.at) : ''})</span></li>)}</ul>
        </>
      ) : null}
      <div class="no-print">
        <AddForm classes={list.classes} categories={list.categories ?? []} onDone={() => void load()} />
        <ImportPanel onDone={() => void load()} />
      </div>
      <h2>Changes</h2>
      <ul class="list" aria-label="Entry changes">
        {changes.length === 0 ? <li class="muted">No change since the rally was created.</li> : [...changes].reverse().map((c) => (
          <li key={`${c.version}-${c.car}`}><strong>{c.kind}</strong> #{c.car} — {c.reason} <span class="sub">{c.by}, {when(c.at)}</span>
            <div class="sub">{c.lines.join(' · ')}</div></li>
        ))}
      </ul>
    </section>
  );
}
