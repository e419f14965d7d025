// The itinerary editor's draft and what is worked out from it: the checks of
// src/core/itinerary (the same the server runs before storing), the first
// car's due times, and the text typed into fields that does not read yet.
import { computed, signal } from '@preact/signals';
import { checkItinerary, type ItineraryFinding } from '../../core/itinerary/check-itinerary.ts';
import { firstCarTimetable, type TimedControl } from '../../core/itinerary/timetable.ts';
import type { Control, DistanceUnit, Leg, Stage } from '../../core/model.ts';
import { METRES_PER_MILE } from '../../core/model.ts';
import type { StageLimit, TargetFrom } from '../../core/rules/types.ts';

export interface Loaded {
  version: number;
  timeZone: string;
  distanceUnit: DistanceUnit;
  startDate?: string;
  endDate?: string;
  rules: { targetFrom: TargetFrom; dueTimeMethod: string; bogey?: StageLimit };
  legs: Leg[];
  stages: Stage[];
}

export interface Draft { legs: Leg[]; stages: Stage[] }

export const loaded = signal<Loaded | null>(null);
export const draft = signal<Draft>({ legs: [], stages: [] });
/** Text typed into a field that does not read as a value yet, by the field's path; shown as typed, with why. */
export const typed = signal<Record<string, { text: string; problem: string | null }>>({});
export const changed = signal(false);

export const findings = computed<ItineraryFinding[]>(() => {
  const l = loaded.value;
  if (!l) return [];
  return checkItinerary({ legs: draft.value.legs, stages: draft.value.stages, distanceUnit: l.distanceUnit }, { targetFrom: l.rules.targetFrom, ...(l.rules.bogey ? { bogey: l.rules.bogey } : {}) });
});

export const findingsAt = computed(() => {
  const m = new Map<string, ItineraryFinding[]>();
  for (const f of findings.value) m.set(f.path, [...(m.get(f.path) ?? []), f]);
  return m;
});

/** Due times by control path (`$.legs[0].sections[1].controls[2]`). */
export const dueAt = computed(() => {
  const l = loaded.value;
  const m = new Map<string, TimedControl>();
  if (!l) return m;
  for (const t of firstCarTimetable(draft.value.legs, draft.value.stages, { targetFrom: l.rules.targetFrom, ...(l.rules.bogey ? { bogey: l.rules.bogey } : {}) })) {
    m.set(controlPath(t.legIndex, t.sectionIndex, t.controlIndex), t);
  }
  return m;
});

export const typos = computed(() => Object.entries(typed.value).filter(([, v]) => v.problem !== null));

export const controlPath = (l: number, s: number, c: number): string => `$.legs[${l}].sections[${s}].controls[${c}]`;

// ── text ↔ value ─────────────────────────────────────────────────────────

/** A target time as route books write it: `0:25`, `1:05`, `0:25:30`, or whole minutes `25`. Undefined when empty, null when unreadable. */
export function parseTarget(text: string): number | undefined | null {
  const t = text.trim();
  if (t === '') return undefined;
  if (/^\d+$/.test(t)) return Number(t) * 60_000;
  const m = /^(\d+):(\d{1,2})(?::(\d{1,2}))?$/.exec(t);
  if (!m) return null;
  const [h, mi, s] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (mi > 59 || s > 59) return null;
  return ((h * 60 + mi) * 60 + s) * 1000;
}

export function formatTarget(ms: number | undefined): string {
  if (ms === undefined) return '';
  const totalS = Math.round(ms / 1000);
  const h = Math.floor(totalS / 3600);
  const mi = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  return `${h}:${String(mi).padStart(2, '0')}${s ? `:${String(s).padStart(2, '0')}` : ''}`;
}

/** A first-car time: `18:00` on the leg's date, or a whole rally-local date and time. */
export function parseDue(text: string, legDate: string): string | undefined | null {
  const t = text.trim();
  if (t === '') return undefined;
  const hm = /^(\d{1,2})[:.](\d{2})$/.exec(t);
  if (hm) {
    const [h, m] = [Number(hm[1]), Number(hm[2])];
    if (h > 23 || m > 59) return null;
    return `${legDate}T${String(h).padStart(2, '0')}:${hm[2]}`;
  }
  const full = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})$/.exec(t);
  if (full && Number(full[2]) < 24 && Number(full[3]) < 60) return `${full[1]}T${full[2]}:${full[3]}`;
  return null;
}

export function formatDue(due: string | undefined, legDate: string): string {
  if (!due) return '';
  return due.slice(0, 10) === legDate ? due.slice(11, 16) : due.slice(0, 16).replace('T', ' ');
}

export function parseDistance(text: string, unit: DistanceUnit): number | undefined | null {
  const t = text.trim().replace(',', '.');
  if (t === '') return undefined;
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  const v = Number(t);
  return Math.round(unit === 'mi' ? v * METRES_PER_MILE : v * 1000);
}

export function formatDistance(m: number | undefined, unit: DistanceUnit): string {
  if (m === undefined) return '';
  const v = unit === 'mi' ? m / METRES_PER_MILE : m / 1000;
  return String(Math.round(v * 100) / 100);
}

// ── edits ────────────────────────────────────────────────────────────────

function set(next: Draft, structural = false): void {
  draft.value = next;
  changed.value = true;
  // Rows moved: text typed for a path no longer belongs to the same field.
  if (structural) typed.value = {};
}

export function editControl(l: number, s: number, c: number, patch: Partial<Control>): void {
  const d = draft.value;
  set({
    ...d,
    legs: d.legs.map((leg, li) => (li !== l ? leg : {
      ...leg,
      sections: leg.sections.map((sec, si) => (si !== s ? sec : {
        ...sec,
        controls: sec.controls.map((ctl, ci) => (ci !== c ? ctl : withoutUndefined({ ...ctl, ...patch }))),
      })),
    })),
  });
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
}

function editSection(l: number, s: number, change: (controls: Control[]) => Control[]): void {
  const d = draft.value;
  set({ ...d, legs: d.legs.map((leg, li) => (li !== l ? leg : { ...leg, sections: leg.sections.map((sec, si) => (si !== s ? sec : { ...sec, controls: change(sec.controls) })) })) }, true);
}

export function editLeg(l: number, patch: Partial<Leg>): void {
  const d = draft.value;
  set({ ...d, legs: d.legs.map((leg, li) => (li !== l ? leg : { ...leg, ...patch })) });
}

export function editSectionFields(l: number, s: number, patch: { id?: string; name?: string }): void {
  const d = draft.value;
  set({ ...d, legs: d.legs.map((leg, li) => (li !== l ? leg : { ...leg, sections: leg.sections.map((sec, si) => (si !== s ? sec : withoutUndefined({ ...sec, ...patch }))) })) });
}

/** A stage's fields; a new code follows into the controls that name it. */
export function editStage(i: number, patch: Partial<Stage>): void {
  const d = draft.value;
  const old = d.stages[i]!;
  const stages = d.stages.map((s, k) => (k === i ? { ...s, ...patch } : s));
  const renamed = patch.code !== undefined && patch.code !== old.code;
  const legs = !renamed ? d.legs : d.legs.map((leg) => ({ ...leg, sections: leg.sections.map((sec) => ({ ...sec, controls: sec.controls.map((c) => (c.stage === old.code ? { ...c, stage: patch.code! } : c)) })) }));
  set({ legs, stages });
}

export function removeStage(i: number): void {
  const d = draft.value;
  const code = d.stages[i]!.code;
  set({ stages: d.stages.filter((_, k) => k !== i), legs: d.legs.map((leg) => ({ ...leg, sections: leg.sections.map((sec) => ({ ...sec, controls: sec.controls.filter((c) => c.stage !== code) })) })) }, true);
}

function allIds(): Set<string> {
  return new Set(draft.value.legs.flatMap((l) => l.sections.flatMap((s) => s.controls.map((c) => c.id))));
}

/** The first free code `prefix` + n (n from `from`). */
function nextFree(prefix: string, used: Set<string>, from = 1, suffix = ''): string {
  for (let n = from; ; n++) if (!used.has(`${prefix}${n}${suffix}`)) return `${prefix}${n}${suffix}`;
}

export function addControl(l: number, s: number): void {
  const id = nextFree('TC', allIds(), 1);
  editSection(l, s, (cs) => [...cs, { id, kind: 'TC', targetMs: 30 * 60_000 }]);
}

export function removeControl(l: number, s: number, c: number): void {
  editSection(l, s, (cs) => cs.filter((_, k) => k !== c));
}

export function moveControl(l: number, s: number, c: number, by: -1 | 1): void {
  editSection(l, s, (cs) => {
    const to = c + by;
    if (to < 0 || to >= cs.length) return cs;
    const next = [...cs];
    [next[c], next[to]] = [next[to]!, next[c]!];
    return next;
  });
}

/** A stage with its four controls: the time control before it, its start (3 minutes later), its flying finish and stop. */
export function addStageBlock(l: number, s: number): void {
  const d = draft.value;
  const leg = d.legs[l]!;
  const code = nextFree('SS', new Set(d.stages.map((x) => x.code)));
  const n = code.slice(2);
  const ids = allIds();
  const tc = ids.has(`TC${n}`) ? nextFree(`TC${n}`, ids, 1) : `TC${n}`;
  const stage: Stage = { code, name: `Stage ${n}`, distanceM: 10_000, type: 'special', leg: leg.id };
  const controls: Control[] = [
    { id: tc, kind: 'TC', name: `Before ${code}`, targetMs: 30 * 60_000 },
    { id: `${code}S`, kind: 'SS_START', stage: code, targetMs: 3 * 60_000 },
    { id: `${code}F`, kind: 'SS_FINISH', stage: code },
    { id: `${code}X`, kind: 'STOP', stage: code },
  ];
  // Stages are listed in running order: after the last stage of this leg or the legs before it.
  const legsUpTo = new Set(d.legs.slice(0, l + 1).map((x) => x.id));
  const at = d.stages.reduce((k, st, i) => (legsUpTo.has(st.leg) ? i + 1 : k), 0);
  const stages = [...d.stages.slice(0, at), stage, ...d.stages.slice(at)];
  set({ stages, legs: d.legs.map((lg, li) => (li !== l ? lg : { ...lg, sections: lg.sections.map((sec, si) => (si !== s ? sec : { ...sec, controls: [...sec.controls, ...controls] })) })) }, true);
}

export function addSection(l: number): void {
  const d = draft.value;
  const leg = d.legs[l]!;
  const used = new Set(d.legs.flatMap((x) => x.sections.map((s) => s.id)));
  let id = `${leg.id}${String.fromCharCode(65 + leg.sections.length)}`;
  if (used.has(id)) id = nextFree(`${leg.id}S`, used);
  set({ ...d, legs: d.legs.map((lg, li) => (li !== l ? lg : { ...lg, sections: [...lg.sections, { id, name: `Section ${lg.sections.length + 1}`, controls: [] }] })) }, true);
}

/** A new leg with its first section and a start control due at 09:00 on the day after the last leg (or the rally's first day). */
export function addLeg(): void {
  const d = draft.value;
  const l = loaded.value;
  const id = nextFree('L', new Set(d.legs.map((x) => x.id)));
  const last = d.legs.at(-1);
  const date = last ? nextDate(last.date) : l?.startDate ?? new Date().toISOString().slice(0, 10);
  const start = nextFree(d.legs.length === 0 ? 'TC' : `TC${id}`, allIds(), 0);
  set({ ...d, legs: [...d.legs, { id, name: `Leg ${d.legs.length + 1}`, date, sections: [{ id: `${id}A`, name: 'Section 1', controls: [{ id: start, kind: d.legs.length === 0 ? 'TC' : 'PARC_FERME_OUT', name: 'Start', firstCarDue: `${date}T09:00` }] }] }] }, true);
}

export function removeLeg(l: number): void {
  const d = draft.value;
  const id = d.legs[l]!.id;
  set({ legs: d.legs.filter((_, k) => k !== l), stages: d.stages.filter((s) => s.leg !== id) }, true);
}

function nextDate(date: string): string {
  const t = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(t) ? date : new Date(t + 86_400_000).toISOString().slice(0, 10);
}
