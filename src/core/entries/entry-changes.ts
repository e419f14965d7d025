// Changes to a rally's entry list, one crew at a time: add (or late entry),
// edit, withdraw, substitute a driver or co-driver. Each takes the definition
// and returns the new one with a change record that says what changed and why,
// or a refusal naming the field and the fix. Nothing here reads a clock: the
// caller passes when and by whom.
import type { Entry, Person, RallyDefinition, Substitution } from '../model.ts';

/** What one change did, as people read it in the entry list's history. */
export interface EntryChange {
  kind: 'add' | 'edit' | 'withdraw' | 'substitute' | 'import';
  car: number;
  reason: string;
  at: string;
  by: string;
  /** One line per changed field, `class: L4WD → O4WD`. */
  lines: string[];
}

export type ChangeOutcome =
  | { ok: true; definition: RallyDefinition; change: EntryChange; entry: Entry }
  | { ok: false; field: string; message: string; status?: 404 | 409 };

export interface Who { reason: string; at: string; by: string }

function refuse(field: string, message: string, status?: 404 | 409): ChangeOutcome {
  return status ? { ok: false, field, message, status } : { ok: false, field, message };
}

function needsReason(who: Who): ChangeOutcome | null {
  return who.reason.trim() ? null : refuse('reason', 'say why the entry list changes (e.g. "entry received 2 Feb, fee paid"); every change keeps its reason');
}

const PERSON_FIELDS = ['name', 'nationality', 'licence', 'club'] as const;
/** Fields of an entry a change may set, in the order people read them. */
export const EDITABLE_FIELDS = ['class', 'category', 'make', 'model', 'carGroup', 'registration', 'entrant', 'group', 'eligibility', 'support', 'late'] as const;

function show(v: unknown): string {
  if (v === undefined || v === null || v === '') return '—';
  if (Array.isArray(v)) return v.length ? v.join(' ') : '—';
  return String(v);
}

/** `field: before → after` for every field that differs (people, car, categories). */
export function entryDiff(before: Entry, after: Entry): string[] {
  const lines: string[] = [];
  for (const role of ['driver', 'codriver'] as const) {
    for (const f of PERSON_FIELDS) {
      const a = before[role][f];
      const b = after[role][f];
      if (show(a) !== show(b)) lines.push(`${role === 'driver' ? 'driver' : 'co-driver'} ${f === 'name' ? 'name' : f}: ${show(a)} → ${show(b)}`);
    }
  }
  for (const f of EDITABLE_FIELDS) {
    if (show(before[f]) !== show(after[f])) lines.push(`${f}: ${show(before[f])} → ${show(after[f])}`);
  }
  return lines;
}

/** A short line describing a crew, for an add. */
export function entryLine(e: Entry): string {
  return `#${e.car} ${e.driver.name} / ${e.codriver.name}, ${e.make} ${e.model}, class ${e.class}${e.category ? `, ${e.category}` : ''}${e.late ? ' (late entry)' : ''}`;
}

function checkClass(def: RallyDefinition, cls: string, field: string): ChangeOutcome | null {
  if (def.classes.some((c) => c.code === cls)) return null;
  return refuse(field, `unknown class "${cls}"; use one of ${def.classes.map((c) => c.code).join(', ') || '(none declared: add classes first)'}`);
}

/** A rally classified by category (ARA National and Regional) places every crew in one of its own; one without categories takes none. */
function checkCategory(def: RallyDefinition, category: string | undefined): ChangeOutcome | null {
  const known = (def.categories ?? []).map((c) => c.code);
  if (known.length === 0) return category === undefined ? null : refuse('category', `this rally has one classification; leave the category out (got "${category}")`);
  if (category === undefined) return refuse('category', `this rally classifies its crews by category: give one of ${known.join(', ')}`);
  return known.includes(category) ? null : refuse('category', `unknown category "${category}"; use one of ${known.join(', ')}`);
}

function findEntry(def: RallyDefinition, car: number): Entry | null {
  return def.entries.find((e) => e.car === car) ?? null;
}

export function addEntry(def: RallyDefinition, entry: Entry, who: Who): ChangeOutcome {
  const r = needsReason(who);
  if (r) return r;
  if (findEntry(def, entry.car)) return refuse('car', `car ${entry.car} is already entered (${findEntry(def, entry.car)!.driver.name}); pick a free number or edit that entry`, 409);
  if ((def.withdrawn ?? []).some((e) => e.car === entry.car)) return refuse('car', `car ${entry.car} belonged to a crew that withdrew; give the new crew another number`, 409);
  const bad = checkClass(def, entry.class, 'class') ?? checkCategory(def, entry.category);
  if (bad) return bad;
  const entries = [...def.entries, entry].sort((a, b) => a.car - b.car);
  return { ok: true, entry, definition: { ...def, entries }, change: { kind: 'add', car: entry.car, reason: who.reason, at: who.at, by: who.by, lines: [entryLine(entry)] } };
}

/** Fields of an entry a patch may carry (absent = unchanged; `null` clears an optional one). */
export type EntryPatch = Partial<Record<(typeof EDITABLE_FIELDS)[number], unknown>> & {
  driver?: Partial<Person>;
  codriver?: Partial<Person>;
};

function patched(e: Entry, patch: EntryPatch): Entry {
  const out: Record<string, unknown> = { ...e };
  for (const f of EDITABLE_FIELDS) {
    if (!(f in patch)) continue;
    const v = patch[f];
    if (v === null || v === '' || (Array.isArray(v) && v.length === 0) || v === false) delete out[f];
    else out[f] = v;
  }
  for (const role of ['driver', 'codriver'] as const) {
    const p = patch[role];
    if (!p) continue;
    const person: Record<string, unknown> = { ...e[role] };
    for (const f of PERSON_FIELDS) {
      if (!(f in p)) continue;
      const v = p[f];
      if (v === null || v === undefined || v === '') delete person[f];
      else person[f] = v;
    }
    out[role] = person;
  }
  return out as unknown as Entry;
}

export function editEntry(def: RallyDefinition, car: number, patch: EntryPatch, who: Who): ChangeOutcome {
  const r = needsReason(who);
  if (r) return r;
  const before = findEntry(def, car);
  if (!before) return refuse('car', `car ${car} is not on the entry list`, 404);
  if (patch.driver?.name !== undefined && patch.driver.name !== before.driver.name) return refuse('driver.name', 'a new driver is a substitution: record it with who approved it (substitute), not as an edit');
  if (patch.codriver?.name !== undefined && patch.codriver.name !== before.codriver.name) return refuse('codriver.name', 'a new co-driver is a substitution: record it with who approved it (substitute), not as an edit');
  const after = patched(before, patch);
  const bad = checkClass(def, after.class, 'class') ?? checkCategory(def, after.category);
  if (bad) return bad;
  const lines = entryDiff(before, after);
  if (lines.length === 0) return refuse('patch', `nothing to change: car ${car} already reads so`);
  return { ok: true, entry: after, definition: { ...def, entries: def.entries.map((e) => (e.car === car ? after : e)) }, change: { kind: 'edit', car, reason: who.reason, at: who.at, by: who.by, lines } };
}

/**
 * Withdraws a crew. Before it started, the entry leaves the entry list (and so
 * the results) for `withdrawn`; after it started, the entry stays with its
 * times and the caller records a retirement where it withdrew.
 */
export function withdrawEntry(def: RallyDefinition, car: number, started: boolean, who: Who): ChangeOutcome {
  const r = needsReason(who);
  if (r) return r;
  const before = findEntry(def, car);
  if (!before) {
    if ((def.withdrawn ?? []).some((e) => e.car === car)) return refuse('car', `car ${car} has already withdrawn`, 409);
    return refuse('car', `car ${car} is not on the entry list`, 404);
  }
  if (before.withdrawal) return refuse('car', `car ${car} has already withdrawn (${before.withdrawal.reason})`, 409);
  const entry: Entry = { ...before, withdrawal: { reason: who.reason, at: who.at, by: who.by, afterStart: started } };
  const lines = [started ? `withdrawn after the start: ${who.reason}` : `withdrawn before the start: ${who.reason}`];
  const change: EntryChange = { kind: 'withdraw', car, reason: who.reason, at: who.at, by: who.by, lines };
  if (started) return { ok: true, entry, change, definition: { ...def, entries: def.entries.map((e) => (e.car === car ? entry : e)) } };
  const withdrawn = [...(def.withdrawn ?? []), entry].sort((a, b) => a.car - b.car);
  return { ok: true, entry, change, definition: { ...def, entries: def.entries.filter((e) => e.car !== car), withdrawn } };
}

export interface SubstitutionRequest { role: 'driver' | 'codriver'; person: Person; approvedBy: string }

export function substitute(def: RallyDefinition, car: number, req: SubstitutionRequest, who: Who): ChangeOutcome {
  const r = needsReason(who);
  if (r) return r;
  if (!req.approvedBy.trim()) return refuse('approvedBy', 'say who approved the substitution (e.g. "Clerk of the Course")');
  const before = findEntry(def, car);
  if (!before) return refuse('car', `car ${car} is not on the entry list`, 404);
  const old = before[req.role];
  if (old.name === req.person.name) return refuse('person.name', `${req.person.name} is already the ${req.role === 'driver' ? 'driver' : 'co-driver'} of car ${car}`);
  const other = req.role === 'driver' ? before.codriver : before.driver;
  if (other.name === req.person.name) return refuse('person.name', `${req.person.name} is already in car ${car} as ${req.role === 'driver' ? 'co-driver' : 'driver'}`);
  const record: Substitution = { role: req.role, from: old.name, to: req.person.name, at: who.at, approvedBy: req.approvedBy, reason: who.reason };
  const entry: Entry = { ...before, [req.role]: req.person, substitutions: [...(before.substitutions ?? []), record] };
  const lines = [`${req.role === 'driver' ? 'driver' : 'co-driver'}: ${old.name} → ${req.person.name} (approved by ${req.approvedBy})`];
  return { ok: true, entry, definition: { ...def, entries: def.entries.map((e) => (e.car === car ? entry : e)) }, change: { kind: 'substitute', car, reason: who.reason, at: who.at, by: who.by, lines } };
}
