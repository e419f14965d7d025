// Historical results as records: one line of the history CSV each (layout in
// docs/championships.md). Reading a line checks what one line can show (fields,
// dates, class, position against status); checking a batch finds what only
// several lines show (duplicates, positions that do not fit). Bad lines are
// values with a line number and a reason; nothing here throws on data.
import { parseDuration } from '../time/index.ts';
import { isCalendarDate } from './season.ts';

export type HistoryKind = 'event' | 'championship' | 'stage';
export type HistoryStatus = 'finished' | 'retired' | 'excluded' | 'notStarted';

export interface HistoryRecord {
  line: number;
  kind: HistoryKind;
  event: string;
  year: number;
  /** A date the event ran (the finish date where known), `YYYY-MM-DD`; empty when no source gives it. */
  date: string;
  class: string;
  /** Place in the class's classification (stage rows: on the stage); null when not classified. */
  position: number | null;
  driver: string;
  codriver: string | null;
  make: string;
  model: string | null;
  status: HistoryStatus;
  reason: string | null;
  source: string | null;
  /** Stage rows: stage number (1-based) and time. */
  stage: number | null;
  timeMs: number | null;
}

export type RejectCode =
  | 'bad-header' | 'wrong-field-count' | 'missing-field' | 'unknown-kind' | 'unknown-class' | 'unknown-status'
  | 'impossible-date' | 'bad-year' | 'bad-position' | 'bad-stage' | 'bad-time' | 'control-character' | 'invalid-utf8'
  | 'duplicate-result' | 'position-does-not-fit' | 'conflicts-with-stored' | 'date-mismatch';

export interface Rejection {
  line: number;
  code: RejectCode;
  reason: string;
}

export const HISTORY_COLUMNS = ['kind', 'event', 'year', 'date', 'class', 'position', 'driver', 'codriver', 'make', 'model', 'status', 'reason', 'source', 'stage', 'time'] as const;
/** Columns the header must name. */
export const REQUIRED_COLUMNS = ['event', 'year', 'date', 'class', 'driver', 'make', 'status'] as const;
/** Columns every line must fill (`date` may stay empty when no source gives it). */
const REQUIRED_VALUES = ['event', 'year', 'class', 'driver', 'make', 'status'] as const;
type Column = (typeof HISTORY_COLUMNS)[number];

/** Largest number a stored whole-number field holds (stage, position, time in ms: 32-bit columns on every database). */
export const MAX_STORED_INT = 2_147_483_647;

/**
 * Characters no text field may hold: C0 controls (NUL among them) but the tab, DEL and the C1 controls
 * (PostgreSQL refuses NUL; the others are stray bytes, not names), and U+FFFD, which the UTF-8 decoder
 * puts where the file's bytes are not UTF-8.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const BAD_CHAR = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\uFFFD]/;

const STATUSES: Record<string, HistoryStatus> = {
  finished: 'finished', classified: 'finished', ret: 'retired', retired: 'retired', dnf: 'retired', otl: 'retired',
  exc: 'excluded', excluded: 'excluded', dsq: 'excluded', disqualified: 'excluded', dns: 'notStarted', notstarted: 'notStarted',
};

/** Splits one CSV line (RFC 4180 quoting, no line breaks inside fields). */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { out.push(field); field = ''; }
    else field += ch;
  }
  out.push(field);
  return out;
}

export interface ReaderContext {
  /** Class codes the history knows (case-insensitive match, stored as given here). */
  knownClasses: ReadonlySet<string>;
  /** Today's date `YYYY-MM-DD`: results cannot be dated later. */
  today: string;
}

/** Reads the history CSV line by line: give it the header first, then each line with its number. */
export class HistoryCsvReader {
  private index: Partial<Record<Column, number>> = {};
  private width = 0;
  private readonly classes = new Map<string, string>();

  constructor(private readonly ctx: ReaderContext) {
    for (const c of ctx.knownClasses) this.classes.set(c.toLowerCase(), c);
  }

  /** Returns a rejection when the header is unusable (then no line can be read). */
  header(line: string): Rejection | null {
    const names = splitCsvLine(line.replace(/^\uFEFF/, '')).map((h) => h.trim().toLowerCase());
    const unknown = names.filter((n) => n && !(HISTORY_COLUMNS as readonly string[]).includes(n));
    const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
    if (unknown.length || missing.length) {
      const parts = [missing.length ? `missing column(s) ${missing.join(', ')}` : '', unknown.length ? `unknown column(s) ${unknown.join(', ')}` : ''].filter(Boolean);
      return { line: 1, code: 'bad-header', reason: `${parts.join('; ')}; the header must name columns from: ${HISTORY_COLUMNS.join(',')}` };
    }
    names.forEach((n, i) => { this.index[n as Column] = i; });
    this.width = names.length;
    return null;
  }

  private get(fields: string[], col: Column): string {
    const i = this.index[col];
    const v = i === undefined ? undefined : fields[i];
    if (!v) return '';
    // NOTE: trim only when there is white space at an end (most fields have none).
    return v.charCodeAt(0) <= 32 || v.charCodeAt(v.length - 1) <= 32 ? v.trim() : v;
  }

  /** One data line: a record, or why the line is rejected. */
  read(line: string, lineNo: number): HistoryRecord | Rejection {
    const f = splitCsvLine(line);
    const reject = rejectAt(lineNo);
    if (f.length !== this.width) return reject('wrong-field-count', `${f.length} fields where the header has ${this.width}; quote fields that hold commas`);
    if (BAD_CHAR.test(line)) return this.badCharacter(f, reject);
    for (const col of REQUIRED_VALUES) if (!this.get(f, col)) return reject('missing-field', `'${col}' is empty`);
    const kindText = this.get(f, 'kind').toLowerCase() || 'event';
    if (kindText !== 'event' && kindText !== 'championship' && kindText !== 'stage') return reject('unknown-kind', `kind '${kindText}': use event, championship or stage`);
    const kind = kindText as HistoryKind;
    const yearText = this.get(f, 'year');
    const year = Number(yearText);
    if (!/^\d{4}$/.test(yearText) || year < 1894) return reject('bad-year', `year '${yearText}': four digits, 1894 or later (the first motoring competition)`);
    const date = this.get(f, 'date');
    if (date) {
      if (!isCalendarDate(date)) return reject('impossible-date', `date '${date}' is not a calendar date (YYYY-MM-DD)`);
      if (Number(date.slice(0, 4)) !== year) return reject('impossible-date', `date ${date} is not in year ${year}`);
      if (date > this.ctx.today) return reject('impossible-date', `date ${date} is after today (${this.ctx.today})`);
    } else if (year > Number(this.ctx.today.slice(0, 4))) {
      return reject('impossible-date', `year ${year} is after this year`);
    }
    const classText = this.get(f, 'class');
    const cls = this.classes.get(classText.toLowerCase());
    if (!cls) return reject('unknown-class', `class '${classText}' is not known; add it to the history's classes first (known: ${[...this.classes.values()].slice(0, 12).join(', ')}${this.classes.size > 12 ? ', …' : ''})`);
    const statusText = this.get(f, 'status');
    const status = STATUSES[statusText.toLowerCase().replace(/[\s_-]/g, '')];
    if (!status) return reject('unknown-status', `status '${statusText}': use finished, retired, excluded or dns`);
    const posText = this.get(f, 'position');
    let position: number | null = null;
    if (posText) {
      position = Number(posText);
      if (!Number.isInteger(position) || position < 1) return reject('bad-position', `position '${posText}' must be a whole number ≥ 1`);
      if (position > MAX_STORED_INT) return reject('bad-position', `position ${posText} is above ${MAX_STORED_INT}, the largest position stored; give the place in the classification`);
    }
    if (status === 'finished' && position === null && kind !== 'stage') return reject('bad-position', 'a finished crew needs a position');
    if (status !== 'finished' && position !== null && kind !== 'stage') return reject('bad-position', `position ${position} given for a crew that is ${status}: only classified crews have positions`);
    let stage: number | null = null;
    let timeMs: number | null = null;
    if (kind === 'stage') {
      const stageText = this.get(f, 'stage');
      stage = Number(stageText);
      if (!stageText || !Number.isInteger(stage) || stage < 1) return reject('bad-stage', `stage '${stageText}' must be a whole number ≥ 1 on a stage row`);
      if (stage > MAX_STORED_INT) return reject('bad-stage', `stage ${stageText} is above ${MAX_STORED_INT}, the largest stage number stored; give the stage's number in the itinerary (1, 2, 3 …)`);
      const timeText = this.get(f, 'time');
      if (timeText) {
        timeMs = parseDuration(timeText);
        if (timeMs === null) return reject('bad-time', `time '${timeText}' does not read as a stage time (e.g. 3:45.2)`);
        if (timeMs > MAX_STORED_INT) return reject('bad-time', `time '${timeText}' is longer than the longest stage time stored (596:31:23.647); check the time's unit`);
      }
    }
    return {
      line: lineNo, kind, event: this.get(f, 'event'), year, date, class: cls, position,
      driver: this.get(f, 'driver'), codriver: this.get(f, 'codriver') || null, make: this.get(f, 'make'), model: this.get(f, 'model') || null,
      status, reason: this.get(f, 'reason') || null, source: this.get(f, 'source') || null, stage, timeMs,
    };
  }

  /** Why a line with a forbidden character is rejected, naming the column. */
  private badCharacter(f: string[], reject: (code: RejectCode, reason: string) => Rejection): Rejection {
    const i = f.findIndex((v) => BAD_CHAR.test(v));
    const col = Object.entries(this.index).find(([, at]) => at === i)?.[0] ?? `field ${i + 1}`;
    const ch = f[i]!.match(BAD_CHAR)![0];
    if (ch === '\uFFFD') return reject('invalid-utf8', `'${col}' holds bytes that are not UTF-8 (read as U+FFFD); save the file as UTF-8`);
    return reject('control-character', `'${col}' holds the control character ${charName(ch)}; remove it (text fields take no control characters but the tab)`);
  }
}

const charName = (ch: string): string => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

function rejectAt(line: number): (code: RejectCode, reason: string) => Rejection {
  return (code, reason) => ({ line, code, reason });
}

export function isRejection(x: HistoryRecord | Rejection): x is Rejection {
  return 'code' in x;
}

/**
 * The classification a record places a crew in, within one event edition:
 * the class (and the stage, for stage rows). Batches hold one edition each,
 * so the edition itself is left out of the key.
 */
export function groupKey(r: Pick<HistoryRecord, 'kind' | 'class' | 'stage'>): string {
  return r.kind === 'stage' ? `s\u0001${r.class}\u0001${r.stage}` : `${r.kind === 'championship' ? 'c' : 'e'}\u0001${r.class}`;
}

/** Natural key of one result within its edition: a driver appears once per classification. Re-importing it adds nothing. */
export function resultKey(r: Pick<HistoryRecord, 'kind' | 'class' | 'stage' | 'driver'>): string {
  return `${groupKey(r)}\u0001${r.driver}`;
}

/** What a stored result says, to tell a re-import (same) from a conflict (different). */
export function fingerprint(r: Pick<HistoryRecord, 'kind' | 'position' | 'codriver' | 'make' | 'status' | 'timeMs'>): string {
  // NOTE: a stage row is stored as place and time only; the crew's car is on its event row.
  if (r.kind === 'stage') return `${r.position ?? ''}|${r.timeMs ?? ''}`;
  return `${r.position ?? ''}|${r.codriver ?? ''}|${r.make}|${r.status}`;
}

export interface StoredResult {
  position: number | null;
  fingerprint: string;
}

export interface BatchOutcome {
  accepted: HistoryRecord[];
  alreadyStored: number;
  rejected: Rejection[];
}

/**
 * Checks the records of one event edition (one batch) against each
 * other and against what is stored: a second result for the same driver in
 * the same classification is a duplicate; a position taken by another crew or
 * beyond a gap does not fit (positions run 1, 2, 3 … without holes).
 */
export function checkBatch(records: readonly HistoryRecord[], stored: ReadonlyMap<string, StoredResult>, storedPositions: ReadonlyMap<string, ReadonlySet<number>>): BatchOutcome {
  const rejected: Rejection[] = [];
  let alreadyStored = 0;
  const seen = new Map<string, number>();
  const first = records[0];
  const candidates: HistoryRecord[] = [];
  for (const r of records) {
    const key = resultKey(r);
    if (first && first.date !== r.date) {
      rejected.push({ line: r.line, code: 'date-mismatch', reason: `date ${r.date || '(empty)'} differs from ${first.date || '(empty)'} on line ${first.line} for ${r.event} ${r.year}` });
      continue;
    }
    const firstLine = seen.get(key);
    if (firstLine !== undefined) {
      rejected.push({ line: r.line, code: 'duplicate-result', reason: `duplicate result: line ${firstLine} already has ${r.driver} in ${describeGroup(r)}` });
      continue;
    }
    seen.set(key, r.line);
    const old = stored.get(key);
    if (old) {
      if (old.fingerprint === fingerprint(r)) alreadyStored++;
      else rejected.push({ line: r.line, code: 'conflicts-with-stored', reason: `${r.driver} in ${describeGroup(r)} is already stored with a different result; correct the stored result instead` });
      continue;
    }
    candidates.push(r);
  }
  // Positions per classification: stored ones plus the new ones, which must not collide and must leave no gap.
  const byGroup = new Map<string, HistoryRecord[]>();
  for (const r of candidates) {
    const g = groupKey(r);
    let list = byGroup.get(g);
    if (!list) byGroup.set(g, (list = []));
    list.push(r);
  }
  const accepted: HistoryRecord[] = [];
  for (const [g, list] of byGroup) {
    const taken = new Map<number, number | null>();
    for (const p of storedPositions.get(g) ?? []) taken.set(p, null);
    const placed: HistoryRecord[] = [];
    for (const r of list) {
      if (r.position === null) { accepted.push(r); continue; }
      const holder = taken.get(r.position);
      if (holder !== undefined) {
        rejected.push({ line: r.line, code: 'position-does-not-fit', reason: `position ${r.position} in ${describeGroup(r)} is already taken${holder === null ? ' by a stored result' : ` on line ${holder}`}` });
        continue;
      }
      taken.set(r.position, r.line);
      placed.push(r);
    }
    let firstGap = 1;
    while (taken.has(firstGap)) firstGap++;
    for (const r of placed) {
      if (r.position! > firstGap) rejected.push({ line: r.line, code: 'position-does-not-fit', reason: `position ${r.position} in ${describeGroup(r)} leaves a gap: no crew in position ${firstGap}` });
      else accepted.push(r);
    }
  }
  accepted.sort((a, b) => a.line - b.line);
  rejected.sort((a, b) => a.line - b.line);
  return { accepted, alreadyStored, rejected };
}

function describeGroup(r: HistoryRecord): string {
  return `${r.event} ${r.year} ${r.class}${r.kind === 'stage' ? ` stage ${r.stage}` : r.kind === 'championship' ? ' (championship)' : ''}`;
}
