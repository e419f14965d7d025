// A new rally from nothing: its name, dates, time zone, distance unit, rules
// preset and classes (POST /api/rallies, an administrator's token). The
// itinerary and the entries follow in their own views.
import { useEffect, useState } from 'preact/hooks';
import { getJson, sendJson } from '../lib/api.ts';

interface Preset { id: string; version: string; name: string }

const value = (e: Event): string => (e.currentTarget as HTMLInputElement).value;

/** A rally id from its name and year: `Sno*Drift Rally 2026` → `sno-drift-rally-2026`. */
export function slug(name: string, startDate: string): string {
  const base = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const year = startDate.slice(0, 4);
  return base && year && !base.includes(year) ? `${base}-${year}` : base;
}

/** Classes typed one a line, `O4WD Open 4WD`: the code, then the name. */
export function parseClasses(text: string): { classes: { code: string; name: string }[]; problem: string | null } {
  const classes: { code: string; name: string }[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    const t = line.trim();
    if (!t) continue;
    const m = /^(\S+)\s+(.+)$/.exec(t);
    if (!m) return { classes, problem: `line ${i + 1} of the classes: write the code, a space, then the name (e.g. "O4WD Open 4WD")` };
    if (classes.some((c) => c.code === m[1])) return { classes, problem: `line ${i + 1} of the classes: ${m[1]} is already listed` };
    classes.push({ code: m[1]!, name: m[2]!.trim() });
  }
  return { classes, problem: classes.length ? null : 'give at least one class, one a line (e.g. "O4WD Open 4WD")' };
}

function zones(): string[] {
  const f = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf;
  return f ? f('timeZone') : ['UTC', 'Europe/London', 'America/Detroit'];
}

export function CreateRally(p: { token: string; onCreated: (id: string, token: string) => void }) {
  const [presets, setPresets] = useState<Preset[]>([]);
  const [f, setF] = useState({
    name: '', id: '', idTouched: false, startDate: '', endDate: '', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, unit: 'mi',
    preset: '', classes: '', interval: '60', token: p.token,
  });
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void getJson<Preset[]>('/api/presets').then((list) => {
      setPresets(list);
      setF((old) => (old.preset || !list[0] ? old : { ...old, preset: `${list[0].id}@${list[0].version}` }));
    }).catch((e: Error) => setError(e.message));
  }, []);
  const set = (k: keyof typeof f) => (e: Event) => {
    const v = value(e);
    setF((old) => {
      const next = { ...old, [k]: v };
      if (k === 'id') next.idTouched = true;
      if ((k === 'name' || k === 'startDate') && !old.idTouched) next.id = slug(k === 'name' ? v : old.name, k === 'startDate' ? v : old.startDate);
      if (k === 'startDate' && (!old.endDate || old.endDate < v)) next.endDate = v;
      return next;
    });
  };
  const cls = parseClasses(f.classes);
  async function submit(e: Event) {
    e.preventDefault();
    if (cls.problem) { setError(cls.problem); return; }
    const [preset, version] = f.preset.split('@');
    const definition = {
      id: f.id.trim(), name: f.name.trim(), timeZone: f.timeZone, distanceUnit: f.unit, startDate: f.startDate, endDate: f.endDate,
      rules: { preset, version }, legs: [], stages: [], classes: cls.classes, entries: [],
      ...(f.interval ? { startIntervalMs: Math.round(Number(f.interval) * 1000) } : {}),
    };
    try {
      const r = await sendJson<{ id: string }>('POST', '/api/rallies', definition, f.token.trim());
      setError(null);
      p.onCreated(r.id, f.token.trim());
    } catch (err) { setError((err as Error).message); }
  }
  const presetLabel = (x: Preset) => `${x.name} (${x.id} ${x.version})`;
  return (
    <fieldset class="org"><legend>Create a rally</legend>
      <p class="small">From nothing: the rally, its dates and rules and its classes. The itinerary and the entries come next, each on its own page. Creating a rally needs an administrator token.</p>
      <form class="org-form create" aria-label="Create a rally" onSubmit={submit}>
        <label>Name * <input class="wide" required value={f.name} placeholder="Sno*Drift Rally 2027" onInput={set('name')} /></label>
        <label>Rally id * <input required value={f.id} onInput={set('id')} aria-describedby="rally-id-hint" /><span id="rally-id-hint" class="sub">in its address; cannot change later</span></label>
        <label>First day * <input type="date" required value={f.startDate} onInput={set('startDate')} /></label>
        <label>Last day * <input type="date" required value={f.endDate} onInput={set('endDate')} /></label>
        <label>Time zone * <select value={f.timeZone} onChange={set('timeZone')}>{zones().map((z) => <option key={z} value={z}>{z}</option>)}</select></label>
        <label>Distances in <select value={f.unit} onChange={set('unit')}><option value="mi">miles</option><option value="km">kilometres</option></select></label>
        <label>Rules * <select value={f.preset} onChange={set('preset')}>{presets.map((x) => <option key={`${x.id}@${x.version}`} value={`${x.id}@${x.version}`}>{presetLabel(x)}</option>)}</select></label>
        <label>Start interval (s) <input size={4} inputMode="numeric" value={f.interval} onInput={set('interval')} /></label>
        <label class="wide-block">Classes * (one a line: code, then name)
          <textarea class="csv" required value={f.classes} placeholder={'O4WD Open 4WD\nL4WD Limited 4WD\nO2WD Open 2WD'} onInput={set('classes')} aria-describedby={cls.problem && f.classes ? 'classes-problem' : undefined} />
          {cls.problem && f.classes ? <span id="classes-problem" class="error small">{cls.problem}</span> : null}
        </label>
        <label>Administrator token * <input type="password" required autoComplete="off" value={f.token} onInput={set('token')} /></label>
        <button type="submit">Create the rally</button>
      </form>
      {error ? <p role="alert" class="error">{error}</p> : null}
    </fieldset>
  );
}
