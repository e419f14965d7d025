// Checks on a rally definition that its shape alone cannot express: unique
// numbers and ids, references that resolve, dates in order, a known rules preset.
import type { RallyDefinition } from '../model.ts';
import { resolveRules } from '../rules/resolve.ts';
import { parseLocalDate } from '../time/index.ts';
import { child, show, type PathError } from './errors.ts';

/** Control kinds that belong to a special stage and must name it. */
const STAGE_KINDS = new Set(['SS_START', 'SPLIT', 'SS_FINISH', 'STOP']);

/** Where each id of the definition sits, so fact checks can resolve names. */
export interface DefinitionIndex {
  cars: Set<number>;
  classes: Set<string>;
  stages: Set<string>;
  legs: Set<string>;
  sections: Set<string>;
  /** Control id → its kind and stage. */
  controls: Map<string, { kind: string; stage?: string }>;
  /** First and last rally-local ms a time may fall in: a day before startDate to the end of the day after endDate. */
  window: { fromMs: number; toMs: number } | null;
}

const DAY_MS = 86_400_000;

export function indexDefinition(def: RallyDefinition): DefinitionIndex {
  const controls = new Map<string, { kind: string; stage?: string }>();
  const sections = new Set<string>();
  for (const leg of def.legs) for (const section of leg.sections) {
    sections.add(section.id);
    for (const c of section.controls) if (!controls.has(c.id)) controls.set(c.id, c.stage === undefined ? { kind: c.kind } : { kind: c.kind, stage: c.stage });
  }
  const start = parseLocalDate(def.startDate);
  const end = parseLocalDate(def.endDate);
  return {
    cars: new Set(def.entries.map((e) => e.car)),
    classes: new Set(def.classes.map((c) => c.code)),
    stages: new Set(def.stages.map((s) => s.code)),
    legs: new Set(def.legs.map((l) => l.id)),
    sections,
    controls,
    window: start !== null && end !== null ? { fromMs: start - DAY_MS, toMs: end + 2 * DAY_MS } : null,
  };
}

/** Reports each repeated value after its first occurrence. */
function duplicates<T>(items: readonly T[], key: (t: T) => string | number, path: (i: number) => string, what: string): PathError[] {
  const first = new Map<string | number, number>();
  const out: PathError[] = [];
  items.forEach((item, i) => {
    const k = key(item);
    const seen = first.get(k);
    if (seen === undefined) first.set(k, i);
    else out.push({ path: path(i), message: `duplicate ${what} ${show(k)}: already used at index ${seen}; each ${what} must be unique` });
  });
  return out;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Every semantic error in a definition whose shape is already valid. `base` is its JSON path. */
export function checkDefinition(def: RallyDefinition, base = '$.rally'): PathError[] {
  const errors: PathError[] = [];
  const at = (...steps: (string | number)[]): string => steps.reduce<string>((p, s) => child(p, s), base);

  if (!isTimeZone(def.timeZone)) errors.push({ path: at('timeZone'), message: `unknown time zone ${show(def.timeZone)}; use an IANA name such as America/Detroit or Europe/London` });
  const start = parseLocalDate(def.startDate);
  const end = parseLocalDate(def.endDate);
  if (start !== null && end !== null && end < start) errors.push({ path: at('endDate'), message: `endDate ${def.endDate} is before startDate ${def.startDate}` });

  // Rules: a known preset at a known version, overrides that name rule values
  // of the right type. SEE: src/core/rules/resolve.ts.
  for (const e of resolveRules(def.rules).errors) errors.push({ path: `${base}.${e.path}`, message: e.message });

  errors.push(...duplicates(def.classes, (c) => c.code, (i) => at('classes', i, 'code'), 'class code'));
  errors.push(...duplicates(def.legs, (l) => l.id, (i) => at('legs', i, 'id'), 'leg id'));
  errors.push(...duplicates(def.stages, (s) => s.code, (i) => at('stages', i, 'code'), 'stage code'));
  errors.push(...duplicates(def.entries, (e) => e.car, (i) => at('entries', i, 'car'), 'car number'));
  // A withdrawn crew keeps its number: reusing it would make its recorded changes read as another crew's.
  const entered = new Set(def.entries.map((e) => e.car));
  (def.withdrawn ?? []).forEach((e, i) => {
    if (entered.has(e.car)) errors.push({ path: at('withdrawn', i, 'car'), message: `car ${e.car} is both entered and withdrawn; give the new crew another number` });
    if (!e.withdrawal) errors.push({ path: at('withdrawn', i, 'withdrawal'), message: `withdrawn car ${e.car} must say why and when (withdrawal: { reason, at, by, afterStart })` });
  });
  const legIds = new Set(def.legs.map((l) => l.id));
  (def.startLists ?? []).forEach((sl, i) => {
    if (!legIds.has(sl.leg)) { errors.push({ path: at('startLists', i, 'leg'), message: `start list for unknown leg ${show(sl.leg)}; legs are ${[...legIds].join(', ') || '(none)'}` }); return; }
    // The scoring takes each crew's due time at the leg start from it (core/start-order.ts): one list per leg, each car once, at a control of that leg.
    if ((def.startLists ?? []).findIndex((x) => x.leg === sl.leg) !== i) errors.push({ path: at('startLists', i, 'leg'), message: `a second start list for leg ${show(sl.leg)}; keep one list per leg (the newest)` });
    const legControls = def.legs.find((l) => l.id === sl.leg)!.sections.flatMap((s) => s.controls.map((c) => c.id));
    if (!legControls.includes(sl.control)) errors.push({ path: at('startLists', i, 'control'), message: `control ${show(sl.control)} is not in leg ${sl.leg}; give the leg's first control (${legControls[0] ?? 'none yet'})` });
    const seen = new Set<number>();
    sl.rows.forEach((r, k) => {
      if (seen.has(r.car)) errors.push({ path: at('startLists', i, 'rows', k, 'car'), message: `car ${r.car} is listed twice in the start list of ${sl.leg}; a crew has one place` });
      seen.add(r.car);
    });
  });

  const classes = new Set(def.classes.map((c) => c.code));
  def.entries.forEach((e, i) => {
    if (!classes.has(e.class)) errors.push({ path: at('entries', i, 'class'), message: `car ${e.car} is in unknown class ${show(e.class)}; declare it under rally.classes or use one of ${[...classes].join(', ') || '(none declared)'}` });
  });

  // Categories: each crew in one declared category, each stage run by declared ones.
  const categories = new Set((def.categories ?? []).map((c) => c.code));
  errors.push(...duplicates(def.categories ?? [], (c) => c.code, (i) => at('categories', i, 'code'), 'category code'));
  const known = [...categories].join(', ') || '(none declared)';
  def.entries.forEach((e, i) => {
    if (categories.size > 0 && e.category === undefined) errors.push({ path: at('entries', i, 'category'), message: `car ${e.car} has no category; this rally classifies its crews by category: give one of ${known}` });
    if (e.category !== undefined && !categories.has(e.category)) errors.push({ path: at('entries', i, 'category'), message: `car ${e.car} is in unknown category ${show(e.category)}; declare it under rally.categories or use one of ${known}` });
  });
  def.stages.forEach((s, i) => {
    (s.runBy ?? []).forEach((c, k) => {
      if (!categories.has(c)) errors.push({ path: at('stages', i, 'runBy', k), message: `stage ${s.code} is run by unknown category ${show(c)}; declare it under rally.categories or use one of ${known}` });
    });
  });

  const legs = new Set(def.legs.map((l) => l.id));
  def.stages.forEach((s, i) => {
    if (!legs.has(s.leg)) errors.push({ path: at('stages', i, 'leg'), message: `stage ${s.code} names unknown leg ${show(s.leg)}; use one of ${[...legs].join(', ') || '(no legs declared)'}` });
  });

  const stages = new Set(def.stages.map((s) => s.code));
  const sectionIds = new Map<string, string>();
  const controlIds = new Map<string, string>();
  def.legs.forEach((leg, l) => {
    const legDate = parseLocalDate(leg.date);
    if (legDate !== null && start !== null && end !== null && (legDate < start || legDate > end)) {
      errors.push({ path: at('legs', l, 'date'), message: `leg ${leg.id} is dated ${leg.date}, outside the rally's ${def.startDate} to ${def.endDate}` });
    }
    leg.sections.forEach((section, s) => {
      const sPath = at('legs', l, 'sections', s);
      const prev = sectionIds.get(section.id);
      if (prev !== undefined) errors.push({ path: child(sPath, 'id'), message: `duplicate section id ${show(section.id)}: already used at ${prev}` });
      else sectionIds.set(section.id, child(sPath, 'id'));
      section.controls.forEach((c, k) => {
        const cPath = child(child(sPath, 'controls'), k);
        const seen = controlIds.get(c.id);
        if (seen !== undefined) errors.push({ path: child(cPath, 'id'), message: `duplicate control id ${show(c.id)}: already used at ${seen}` });
        else controlIds.set(c.id, child(cPath, 'id'));
        if (c.stage !== undefined && !stages.has(c.stage)) {
          errors.push({ path: child(cPath, 'stage'), message: `control ${c.id} names unknown stage ${show(c.stage)}; use one of ${[...stages].join(', ') || '(no stages declared)'}` });
        } else if (c.stage === undefined && STAGE_KINDS.has(c.kind)) {
          errors.push({ path: child(cPath, 'stage'), message: `control ${c.id} is a ${c.kind} and must name its stage (e.g. "SS1")` });
        }
        if (c.kind === 'SPLIT' && c.splitDistanceM === undefined) {
          errors.push({ path: child(cPath, 'splitDistanceM'), message: `split ${c.id} must give its distance from the stage start in metres` });
        }
      });
    });
  });
  return errors;
}
