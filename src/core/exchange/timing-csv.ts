// Timing files in: times of day from clocks, photocells and marshals'
// sheets (car, control, time, optional device and marshal), and stage times
// from a timing or tracking unit's export (car, stage, time). Columns are
// mapped by the user (header name or 1-based column number). Planning an
// import writes nothing: it sorts every line into adds, skips (already in the
// log), conflicts (a different time is in the log) and unreadable lines, each
// with its line number and why. Pure.
// NOTE: lines are read one by one (not with a CSV library) because every
// physical line must get its own fate and line number: a quoted field may not
// span lines in these files, and such a line is reported as unreadable.
import type { ControlTimeRecorded, Fact, StageTimeRecorded, TimeSource } from '../facts.ts';
import type { RallyDefinition } from '../model.ts';
import { validateFact } from '../rallyfile/parse.ts';
import { formatLocalDateTime, parseDuration, parseLocalDateTime } from '../time/index.ts';

export type ImportKind = 'times-of-day' | 'stage-times';

/** Which column holds what: a header name (case-insensitive) or a 1-based column number. */
export interface ColumnMapping {
  car: string;
  /** times-of-day: the control id column. */
  control?: string;
  /** stage-times: the stage code column. */
  stage?: string;
  time: string;
  device?: string;
  marshal?: string;
  /** The time source recorded on every fact (default: marshalClock for times of day, timecard for stage times). */
  source?: TimeSource;
  /** Field separator (default: `,`; `;` and tab are common in spreadsheets set to other locales). */
  separator?: string;
}

export const DEFAULT_MAPPINGS: Record<ImportKind, ColumnMapping> = {
  'times-of-day': { car: 'car', control: 'control', time: 'time', device: 'device', marshal: 'marshal' },
  'stage-times': { car: 'car', stage: 'stage', time: 'time' },
};

export interface ImportLine { line: number; text: string }
export interface PlannedAdd extends ImportLine { fact: ControlTimeRecorded | StageTimeRecorded }
export interface PlannedSkip extends ImportLine { factId: string; why: string }
export interface PlannedConflict extends ImportLine { fact: ControlTimeRecorded | StageTimeRecorded; existing: { id: string; time: string }; why: string }
export interface Unreadable extends ImportLine { why: string }

export interface ImportPlan {
  kind: ImportKind;
  lines: number;
  adds: PlannedAdd[];
  skips: PlannedSkip[];
  conflicts: PlannedConflict[];
  unreadable: Unreadable[];
}

/** Splits one line into fields: RFC 4180 quoting within the line. Null when a quote is left open. */
export function splitLine(text: string, sep: string): string[] | null {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === sep) { out.push(field); field = ''; }
    else field += ch;
  }
  if (quoted) return null;
  out.push(field);
  return out.map((f) => f.trim());
}

function columnIndex(header: string[] | null, ref: string | undefined): number | null {
  if (ref === undefined || ref === '') return null;
  if (/^\d+$/.test(ref)) return Number(ref) - 1;
  if (!header) return null;
  const i = header.findIndex((h) => h.toLowerCase() === ref.toLowerCase());
  return i < 0 ? null : i;
}

/** A stable fact id from what the line says: the same line imported again gets the same id (and is skipped). */
function importId(kind: ImportKind, car: number, where: string, time: string): string {
  return `${kind === 'times-of-day' ? 'csv-tod' : 'csv-st'}:${where}:${car}:${time}`;
}

/** Reads a time of day: a full rally-local date-time, or a time of day on the control's leg date (after midnight of a leg that runs into the night: the next day). */
function readTimeOfDay(def: RallyDefinition, control: string, text: string): string | null {
  const t = text.replace(' ', 'T');
  if (/^\d{4}-\d{2}-\d{2}T/.test(t)) return parseLocalDateTime(t) === null ? null : t;
  if (!/^\d{1,2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(text)) return null;
  const leg = def.legs.find((l) => l.sections.some((s) => s.controls.some((c) => c.id === control)));
  if (!leg) return null;
  const padded = text.length < 5 || text.indexOf(':') === 1 ? `0${text}` : text;
  let at = parseLocalDateTime(`${leg.date}T${padded}`);
  if (at === null) return null;
  const firstDue = leg.sections.flatMap((s) => s.controls).find((c) => c.firstCarDue)?.firstCarDue;
  const start = firstDue ? parseLocalDateTime(firstDue) : null;
  if (start !== null && at < start - 2 * 3_600_000) at += 24 * 3_600_000;
  return formatLocalDateTime(at).replace(/\.?0+$/, '');
}

/** Effective times already in the log, by car and control (or stage): the latest not superseded. */
function existingTimes(facts: readonly Fact[], kind: ImportKind): Map<string, { id: string; time: string }> {
  const superseded = new Set(facts.map((f) => f.supersedes).filter((x): x is string => !!x));
  const m = new Map<string, { id: string; time: string }[]>();
  for (const f of facts) {
    if (superseded.has(f.id)) continue;
    const key = kind === 'times-of-day' && f.type === 'controlTime' ? `${f.car}@${f.control}` : kind === 'stage-times' && f.type === 'stageTime' ? `${f.car}@${f.stage}` : null;
    if (!key) continue;
    const time = f.type === 'controlTime' ? f.at : f.type === 'stageTime' ? f.time : '';
    m.set(key, [...(m.get(key) ?? []), { id: f.id, time }]);
  }
  return new Map([...m].map(([k, v]) => [k, v.at(-1)!]));
}

function sameTime(kind: ImportKind, a: string, b: string): boolean {
  if (kind === 'times-of-day') return parseLocalDateTime(a) === parseLocalDateTime(b);
  return parseDuration(a) === parseDuration(b);
}

export function planImport(def: RallyDefinition, facts: readonly Fact[], kind: ImportKind, text: string, mapping: ColumnMapping): ImportPlan {
  const sep = mapping.separator === 'tab' ? '\t' : mapping.separator || ',';
  const physical = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const plan: ImportPlan = { kind, lines: 0, adds: [], skips: [], conflicts: [], unreadable: [] };
  const byNumber = Object.values(mapping).every((v) => typeof v !== 'string' || /^\d+$/.test(v) || v === mapping.source || v === mapping.separator);
  let header: string[] | null = null;
  const existing = existingTimes(facts, kind);
  const inFile = new Map<string, { line: number; time: string }>();
  const whereRef = kind === 'times-of-day' ? mapping.control : mapping.stage;
  const whereName = kind === 'times-of-day' ? 'control' : 'stage';

  for (let i = 0; i < physical.length; i++) {
    const raw = physical[i]!;
    const line = i + 1;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) continue;
    const cells = splitLine(raw, sep);
    if (!header && !byNumber) {
      if (!cells) { plan.unreadable.push({ line, text: raw, why: 'the header line has an unclosed quote' }); continue; }
      header = cells;
      const missing = (['car', whereName, 'time'] as const).filter((k) => columnIndex(header, (mapping as unknown as Record<string, string>)[k]) === null);
      if (missing.length) {
        // Without these columns no line can be read: every line is reported, nothing is planned.
        const why = `the header has no column ${missing.map((k) => `"${(mapping as unknown as Record<string, string>)[k] ?? k}" for the ${k}`).join(', ')}; columns are ${header.map((h) => `"${h}"`).join(', ')} — map them`;
        plan.unreadable.push({ line, text: raw, why });
        return plan;
      }
      continue;
    }
    plan.lines++;
    if (!cells) { plan.unreadable.push({ line, text: raw, why: 'a quote is opened and not closed on this line' }); continue; }
    const get = (ref: string | undefined) => { const idx = columnIndex(header, ref); return idx === null ? undefined : cells[idx]; };
    const carText = get(mapping.car) ?? '';
    const where = get(whereRef) ?? '';
    const timeText = get(mapping.time) ?? '';
    if (!/^\d+$/.test(carText)) { plan.unreadable.push({ line, text: raw, why: carText ? `car "${carText}" is not a car number` : 'no car number' }); continue; }
    if (!where) { plan.unreadable.push({ line, text: raw, why: `no ${whereName}` }); continue; }
    if (!timeText) { plan.unreadable.push({ line, text: raw, why: 'no time' }); continue; }
    const car = Number(carText);
    const device = get(mapping.device) || undefined;
    const marshal = get(mapping.marshal) || undefined;
    let fact: ControlTimeRecorded | StageTimeRecorded;
    if (kind === 'times-of-day') {
      const at = readTimeOfDay(def, where, timeText);
      if (!at) { plan.unreadable.push({ line, text: raw, why: `time "${timeText}" is not a time of day (write 2026-02-06T19:32:05.3, or 19:32:05.3 on the control's leg date)${def.legs.some((l) => l.sections.some((s) => s.controls.some((c) => c.id === where))) ? '' : `; and there is no control "${where}"`}` }); continue; }
      fact = { id: importId(kind, car, where, at), type: 'controlTime', car, control: where, at, source: mapping.source ?? 'marshalClock', raw: raw.slice(0, 200), ...(device ? { device } : {}), ...(marshal ? { by: marshal } : {}) };
    } else {
      if (parseDuration(timeText) === null) { plan.unreadable.push({ line, text: raw, why: `time "${timeText}" is not a stage time (write 3:45.2 or 1:02:03.4)` }); continue; }
      fact = { id: importId(kind, car, where, timeText), type: 'stageTime', car, stage: where, time: timeText, source: mapping.source ?? 'timecard', raw: raw.slice(0, 200), ...(device ? { device } : {}), ...(marshal ? { by: marshal } : {}) };
    }
    const checked = validateFact(def, fact);
    if (!checked.ok) { plan.unreadable.push({ line, text: raw, why: checked.errors.map((e) => e.message).join('; ') }); continue; }
    const key = `${car}@${where}`;
    const time = fact.type === 'controlTime' ? fact.at : fact.time;
    const have = existing.get(key);
    if (have && sameTime(kind, have.time, time)) { plan.skips.push({ line, text: raw, factId: have.id, why: `already in the log (fact ${have.id})` }); continue; }
    if (have) { plan.conflicts.push({ line, text: raw, fact, existing: have, why: `the log has ${have.time} for car ${car} at ${where} (fact ${have.id}); this line says ${time}` }); continue; }
    const earlier = inFile.get(key);
    if (earlier && sameTime(kind, earlier.time, time)) { plan.skips.push({ line, text: raw, factId: fact.id, why: `the same time as line ${earlier.line}` }); continue; }
    if (earlier) { plan.conflicts.push({ line, text: raw, fact, existing: { id: `line ${earlier.line}`, time: earlier.time }, why: `line ${earlier.line} has ${earlier.time} for car ${car} at ${where}; this line says ${time}` }); continue; }
    inFile.set(key, { line, time });
    plan.adds.push({ line, text: raw, fact });
  }
  return plan;
}

/** Every effective time of day in the log as the generic import format: `car,control,time,device,marshal`. */
export function timesOfDayCsv(facts: readonly Fact[]): string {
  const superseded = new Set(facts.map((f) => f.supersedes).filter((x): x is string => !!x));
  const q = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ['car,control,time,device,marshal'];
  for (const f of facts) {
    if (f.type !== 'controlTime' || superseded.has(f.id)) continue;
    lines.push([String(f.car), f.control, f.at, f.device ?? '', f.by ?? ''].map(q).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
