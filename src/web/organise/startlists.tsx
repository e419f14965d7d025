// Start lists: pick the leg and how it is seeded (priority, class, or the
// classification after a leg with its top N reversed), the start intervals
// and the first car's due time; preview, then store with a reason and post
// it on the official notice board. A printable view prints the list alone.
import { useEffect, useState } from 'preact/hooks';
import type { Leg } from '../../core/model.ts';
import { rallyPath, read, say, write } from './state.ts';

interface Row { order: number; car: number; due: string; why: string }
interface List { leg: string; control: string; method: string; rows: Row[]; notStarting: { car: number; why: string }[]; reason?: string; at?: string; by?: string }
interface Itinerary { legs: Leg[] }
interface Crew { car: number; driver: { name: string }; codriver: { name: string }; class: string }

const value = (e: Event): string => (e.currentTarget as HTMLInputElement).value;

function firstDueOf(leg: Leg | undefined): string {
  for (const s of leg?.sections ?? []) for (const c of s.controls) if (c.firstCarDue) return c.firstCarDue;
  return leg ? `${leg.date}T09:00` : '';
}

export function StartListsView() {
  const [legs, setLegs] = useState<Leg[]>([]);
  const [crews, setCrews] = useState<Map<number, Crew>>(new Map());
  const [stored, setStored] = useState<List[]>([]);
  const [f, setF] = useState({ leg: '', method: 'priority', afterLeg: '', reverseTopN: '10', restarted: 'after', firstDue: '', interval: '60', groupFrom: '', groupInterval: '', reason: '' });
  const [preview, setPreview] = useState<List | null>(null);
  const set = (k: keyof typeof f) => (e: Event) => { setF({ ...f, [k]: value(e) }); setPreview(null); };
  async function load() {
    try {
      const it = await read<Itinerary>(rallyPath('/itinerary'));
      setLegs(it.legs);
      const en = await read<{ entries: Crew[] }>(rallyPath('/entries'));
      setCrews(new Map(en.entries.map((e) => [e.car, e])));
      setStored((await read<{ startLists: List[] }>(rallyPath('/start-lists'))).startLists);
      setF((old) => (old.leg ? old : { ...old, leg: it.legs[0]?.id ?? '', firstDue: firstDueOf(it.legs[0]) }));
    } catch (e) { say((e as Error).message, true); }
  }
  useEffect(() => { void load(); }, []);
  function body() {
    const intervals = [{ fromOrder: 1, intervalMs: Number(f.interval) * 1000 }];
    if (f.groupFrom && f.groupInterval) intervals.push({ fromOrder: Number(f.groupFrom), intervalMs: Number(f.groupInterval) * 1000 });
    return {
      method: f.method, intervals, firstDue: f.firstDue,
      ...(f.method === 'classification' ? { reverseTopN: Number(f.reverseTopN || 0), restarted: f.restarted, ...(f.afterLeg ? { afterLeg: f.afterLeg } : {}) } : {}),
    };
  }
  async function show(e: Event) {
    e.preventDefault();
    const r = await write<List>('POST', rallyPath(`/start-lists/${encodeURIComponent(f.leg)}/preview`), body());
    if (r) { setPreview(r); say(`Preview of the ${f.leg} start list: ${r.rows.length} crews, nothing stored yet.`); }
  }
  async function store() {
    const r = await write<{ version: number; startList: List }>('PUT', rallyPath(`/start-lists/${encodeURIComponent(f.leg)}`), { ...body(), reason: f.reason });
    if (!r) return;
    const text = r.startList.rows.map((x) => `${x.order}. car ${x.car} ${crews.get(x.car)?.driver.name ?? ''} — due ${x.due.slice(11, 16)}`).join('\n');
    const notice = await write('POST', rallyPath('/notices'), { id: `start-list-${f.leg}-v${r.version}`, kind: 'startList', title: `Start list ${f.leg}`, body: `${r.startList.method}. ${f.reason}\n${text}` });
    say(notice ? `Start list for ${f.leg} stored and posted on the notice board.` : `Start list for ${f.leg} stored; posting it on the notice board failed (see above).`, !notice);
    setPreview(null);
    await load();
  }
  const current = preview ?? stored.find((s) => s.leg === f.leg) ?? null;
  return (
    <section aria-label="Start lists">
      <form class="org-form no-print" onSubmit={show} aria-label="Build a start list">
        <label>Leg <select value={f.leg} onChange={(e) => { const leg = value(e); setF({ ...f, leg, firstDue: firstDueOf(legs.find((l) => l.id === leg)) }); setPreview(null); }}>{legs.map((l) => <option key={l.id} value={l.id}>{l.id} — {l.name}</option>)}</select></label>
        <label>Seeding <select value={f.method} onChange={set('method')}>
          <option value="priority">by priority</option><option value="class">by class</option><option value="classification">by the classification after a leg</option>
        </select></label>
        {f.method === 'classification' ? (
          <>
            <label>After leg <select value={f.afterLeg} onChange={set('afterLeg')}><option value="">the previous leg</option>{legs.filter((l) => l.id !== f.leg).map((l) => <option key={l.id} value={l.id}>{l.id}</option>)}</select></label>
            <label>Reverse the top <input value={f.reverseTopN} onInput={set('reverseTopN')} inputMode="numeric" /></label>
            <label>Restarted crews <select value={f.restarted} onChange={set('restarted')}><option value="after">after the classified</option><option value="before">before the classified</option></select></label>
          </>
        ) : null}
        <label>First car due <input value={f.firstDue} onInput={set('firstDue')} placeholder="2026-02-07T09:00" /></label>
        <label>Interval (s) <input value={f.interval} onInput={set('interval')} inputMode="numeric" /></label>
        <label>From position <input value={f.groupFrom} onInput={set('groupFrom')} inputMode="numeric" placeholder="11" /></label>
        <label>then interval (s) <input value={f.groupInterval} onInput={set('groupInterval')} inputMode="numeric" placeholder="30" /></label>
        <button type="submit">Preview</button>
      </form>
      {current ? (
        <>
          <h2>Start list {current.leg} {preview ? <span class="pill">preview, not stored</span> : <span class="pill">stored</span>}</h2>
          <p class="small">Due at {current.control}; {current.method}.{current.reason ? ` ${current.reason} (${current.by}).` : ''}</p>
          <div class="scroll">
            <table aria-label="Start list">
              <thead><tr><th class="num">Order</th><th class="num">Car</th><th>Crew</th><th>Class</th><th class="num">Due</th><th class="wide">Why here</th></tr></thead>
              <tbody>{current.rows.map((r) => {
                const c = crews.get(r.car);
                return <tr key={r.car} data-order={r.order}><td class="num">{r.order}</td><td class="num">{r.car}</td><td>{c ? `${c.driver.name} / ${c.codriver.name}` : ''}</td><td>{c?.class ?? ''}</td><td class="num">{r.due.slice(11, 19)}</td><td class="wide small">{r.why}</td></tr>;
              })}</tbody>
            </table>
          </div>
          {current.notStarting.length ? <p class="small muted">Not starting: {current.notStarting.map((n) => `#${n.car} ${n.why}`).join('; ')}</p> : null}
          {preview ? (
            <div class="org-form no-print">
              <label>Reason <input class="wide" aria-label="Reason for the start list" value={f.reason} onInput={(e) => setF({ ...f, reason: value(e) })} placeholder="leg 2 seeding per SR 5.3" /></label>
              <button type="button" onClick={store} disabled={!f.reason.trim()}>Store and post the start list</button>
            </div>
          ) : <p class="no-print"><button type="button" onClick={() => window.print()}>Print</button></p>}
        </>
      ) : <p class="muted">No start list for this leg yet: choose how it is seeded and preview it.</p>}
    </section>
  );
}
