// An entry list from CSV: every line is read and judged before anything is
// written, so the organiser sees what will be added, changed, left alone and
// refused (and why) first. Crews not in the file are left as they are: an
// import never withdraws anyone (withdrawal has its own reason).
import { splitCsvLine } from '../championship/history-records.ts';
import type { Entry, Person, RallyDefinition } from '../model.ts';
import { entryDiff, entryLine } from './entry-changes.ts';

/** Columns, with the header names accepted for each (case, spaces and `-` ignored). */
const COLUMNS = {
  car: ['car', 'no', 'number', 'carno', 'door'],
  driver: ['driver', 'drivername'],
  driverNationality: ['drivernationality', 'drivernat', 'drvnat'],
  driverLicence: ['driverlicence', 'driverlicense'],
  driverClub: ['driverclub', 'drivermembership'],
  codriver: ['codriver', 'codrivername', 'navigator'],
  codriverNationality: ['codrivernationality', 'codrivernat', 'codrvnat'],
  codriverLicence: ['codriverlicence', 'codriverlicense'],
  codriverClub: ['codriverclub', 'codrivermembership'],
  make: ['make'],
  model: ['model'],
  class: ['class'],
  carGroup: ['group', 'cargroup'],
  registration: ['registration', 'reg', 'plate'],
  entrant: ['entrant', 'team'],
  priority: ['priority', 'seeding', 'seed'],
  eligibility: ['eligibility', 'championships', 'registrations'],
  category: ['category', 'championshipcategory'],
} as const;

type Column = keyof typeof COLUMNS;
const REQUIRED: Column[] = ['car', 'driver', 'codriver', 'make', 'model', 'class'];

export type LinePlan =
  | { line: number; action: 'add'; car: number; entry: Entry; lines: string[] }
  | { line: number; action: 'change'; car: number; entry: Entry; lines: string[] }
  | { line: number; action: 'unchanged'; car: number }
  | { line: number; action: 'refuse'; car: number | null; reasons: string[] };

export interface ImportPlan {
  /** Problems with the file as a whole (no header, a required column missing): nothing can be imported. */
  fileErrors: string[];
  lines: LinePlan[];
  adds: number;
  changes: number;
  unchanged: number;
  refused: number;
}

function norm(h: string): string {
  return h.trim().toLowerCase().replace(/[\s_\-.*]/g, '');
}

function person(name: string, nationality: string, licence: string, club: string): Person {
  return { name, ...(nationality ? { nationality } : {}), ...(licence ? { licence } : {}), ...(club ? { club } : {}) };
}

/** Reads the CSV text and judges each line against the rally's current entry list. */
export function planEntryImport(def: RallyDefinition, text: string): ImportPlan {
  const rows = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const plan: ImportPlan = { fileErrors: [], lines: [], adds: 0, changes: 0, unchanged: 0, refused: 0 };
  const headerAt = rows.findIndex((r) => r.trim() !== '');
  if (headerAt < 0) {
    plan.fileErrors.push('the file is empty; the first line names the columns: car,driver,codriver,make,model,class');
    return plan;
  }
  const header = splitCsvLine(rows[headerAt]!).map(norm);
  const index: Partial<Record<Column, number>> = {};
  const unknown: string[] = [];
  header.forEach((h, i) => {
    const col = (Object.keys(COLUMNS) as Column[]).find((c) => (COLUMNS[c] as readonly string[]).includes(h));
    if (col) index[col] = i;
    else if (h) unknown.push(splitCsvLine(rows[headerAt]!)[i]!.trim());
  });
  const missing = REQUIRED.filter((c) => index[c] === undefined);
  if (missing.length) plan.fileErrors.push(`line ${headerAt + 1}: the header lacks ${missing.join(', ')}; the first line names the columns, e.g. car,driver,codriver,make,model,class`);
  if (unknown.length) plan.fileErrors.push(`line ${headerAt + 1}: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; known are ${Object.keys(COLUMNS).join(', ')}`);
  if (plan.fileErrors.length) return plan;

  const classes = new Map(def.classes.map((c) => [c.code.toLowerCase(), c.code]));
  // A rally that classifies by category (ARA National and Regional) needs each crew's; matched by code or name.
  const categories = new Map((def.categories ?? []).flatMap((c) => [[c.code.toLowerCase(), c.code], [c.name.toLowerCase(), c.code]] as const));
  const categoryList = (def.categories ?? []).map((c) => c.code).join(', ');
  const current = new Map(def.entries.map((e) => [e.car, e]));
  const withdrawn = new Set((def.withdrawn ?? []).map((e) => e.car));
  const seen = new Map<number, number>();
  for (let i = headerAt + 1; i < rows.length; i++) {
    const raw = rows[i]!;
    if (raw.trim() === '') continue;
    const lineNo = i + 1;
    const cells = splitCsvLine(raw);
    const get = (c: Column): string => (index[c] === undefined ? '' : (cells[index[c]!] ?? '').trim());
    const reasons: string[] = [];
    if (cells.length > header.length) reasons.push(`${cells.length} fields where the header has ${header.length}; quote a field that holds a comma`);
    const carText = get('car');
    const car = /^\d+$/.test(carText) ? Number(carText) : null;
    if (car === null) reasons.push(carText ? `car "${carText}" is not a car number (a whole number, e.g. 23)` : 'car is empty; give the door number');
    for (const c of ['driver', 'codriver', 'make', 'model'] as const) if (!get(c)) reasons.push(`${c === 'codriver' ? 'co-driver' : c} is empty`);
    const clsText = get('class');
    const cls = classes.get(clsText.toLowerCase());
    if (!clsText) reasons.push('class is empty');
    else if (!cls) reasons.push(`unknown class "${clsText}"; the rally's classes are ${def.classes.map((c) => c.code).join(', ') || '(none declared)'}`);
    for (const c of ['driverNationality', 'codriverNationality'] as const) {
      const v = get(c);
      if (v && !/^[A-Za-z]{3}$/.test(v)) reasons.push(`${c === 'driverNationality' ? 'driver' : 'co-driver'} nationality "${v}" is not a three-letter code like USA or CAN`);
    }
    const catText = get('category');
    const category = catText ? categories.get(catText.toLowerCase()) : undefined;
    if (catText && categories.size === 0) reasons.push(`category "${catText}" given, but this rally has one classification; leave the category column empty or remove it`);
    else if (catText && !category) reasons.push(`unknown category "${catText}"; the rally's categories are ${categoryList}`);
    else if (!catText && categories.size > 0 && (index.category !== undefined || (car !== null && current.get(car)?.category === undefined))) {
      reasons.push(`category is empty; this rally classifies its crews by category: give one of ${categoryList} (a category column)`);
    }
    if (car !== null) {
      const first = seen.get(car);
      if (first !== undefined) reasons.push(`car ${car} is already on line ${first} of this file`);
      else seen.set(car, lineNo);
      if (withdrawn.has(car)) reasons.push(`car ${car} belonged to a crew that withdrew; give this crew another number`);
    }
    if (reasons.length) {
      plan.lines.push({ line: lineNo, action: 'refuse', car, reasons });
      plan.refused++;
      continue;
    }
    const eligibility = get('eligibility').split(/[;\s]+/).filter(Boolean);
    const base = current.get(car!);
    const entry: Entry = {
      ...(base ?? {}),
      car: car!,
      driver: { ...(base?.driver ?? {}), ...person(get('driver'), get('driverNationality').toUpperCase(), get('driverLicence'), get('driverClub')) },
      codriver: { ...(base?.codriver ?? {}), ...person(get('codriver'), get('codriverNationality').toUpperCase(), get('codriverLicence'), get('codriverClub')) },
      make: get('make'),
      model: get('model'),
      class: cls!,
    };
    // Optional columns: present in the file = what the file says; absent = the entry keeps its value.
    const optional: [Column, keyof Entry][] = [['carGroup', 'carGroup'], ['registration', 'registration'], ['entrant', 'entrant'], ['priority', 'group']];
    for (const [col, field] of optional) {
      if (index[col] === undefined) continue;
      const v = get(col);
      if (v) (entry as unknown as Record<string, unknown>)[field] = v;
      else delete (entry as unknown as Record<string, unknown>)[field];
    }
    if (category) entry.category = category;
    if (index.eligibility !== undefined) {
      if (eligibility.length) entry.eligibility = eligibility;
      else delete entry.eligibility;
    }
    if (!base) {
      plan.lines.push({ line: lineNo, action: 'add', car: car!, entry, lines: [entryLine(entry)] });
      plan.adds++;
      continue;
    }
    if (base.driver.name !== entry.driver.name || base.codriver.name !== entry.codriver.name) {
      const who = base.driver.name !== entry.driver.name ? `driver ${base.driver.name} → ${entry.driver.name}` : `co-driver ${base.codriver.name} → ${entry.codriver.name}`;
      plan.lines.push({ line: lineNo, action: 'refuse', car, reasons: [`car ${car} has another crew on the entry list (${who}); a new crew member is a substitution approved by an official, recorded on the entry page`] });
      plan.refused++;
      continue;
    }
    const lines = entryDiff(base, entry);
    if (lines.length === 0) {
      plan.lines.push({ line: lineNo, action: 'unchanged', car: car! });
      plan.unchanged++;
    } else {
      plan.lines.push({ line: lineNo, action: 'change', car: car!, entry, lines });
      plan.changes++;
    }
  }
  if (plan.lines.length === 0) plan.fileErrors.push('the file has a header and no crews');
  return plan;
}

/** The definition with the plan's adds and changes applied (refused and unchanged lines change nothing). */
export function applyEntryImport(def: RallyDefinition, plan: ImportPlan): RallyDefinition {
  const byCar = new Map(def.entries.map((e) => [e.car, e]));
  for (const l of plan.lines) if (l.action === 'add' || l.action === 'change') byCar.set(l.car, l.entry);
  return { ...def, entries: [...byCar.values()].sort((a, b) => a.car - b.car) };
}
