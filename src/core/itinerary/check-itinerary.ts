// Checks on an itinerary as an organiser writes it: the same checks run in
// the editor as each field is typed and on the server before it is stored.
// An error is something the rally cannot run with (the server refuses it);
// a warning is only suspicious (stored, and shown).
// Each finding names the control or stage, the field, what is wrong and the fix.
import type { DistanceUnit, Leg, Stage } from '../model.ts';
import { METRES_PER_MILE, TIMED_ARRIVAL_KINDS } from '../model.ts';
import { child } from '../rallyfile/errors.ts';
import { formatLocalDateTime } from '../time/local-time.ts';
import { firstCarTimetable, type TimetableOptions, type TimedControl } from './timetable.ts';

export interface ItineraryFinding {
  level: 'error' | 'warning';
  /** JSON path of the field, from `base` (`$.legs[0].sections[1].controls[2].targetMs`). */
  path: string;
  /** The control id or stage code it is about. */
  subject: string;
  field: string;
  /** What is wrong, in words. */
  message: string;
  /** What to do about it. */
  fix: string;
}

export interface ItineraryInput {
  legs: readonly Leg[];
  stages: readonly Stage[];
  distanceUnit: DistanceUnit;
}

/**
 * Road-section averages, km/h. Above the plausible average a target is
 * suspicious (a warning): road sections run on open public roads under the
 * traffic laws, and route books set them well below the limits. Above the
 * impossible one no public road allows it (a 130 km/h motorway is the highest
 * limit in Europe; 80 mph in the United States): the distance or the target
 * was mistyped — a target in seconds for minutes, a distance in the wrong unit.
 */
export const PLAUSIBLE_ROAD_AVERAGE_KPH = 70;
export const IMPOSSIBLE_ROAD_AVERAGE_KPH = 130;

const STAGE_KINDS = new Set(['SS_START', 'SPLIT', 'SS_FINISH', 'STOP']);
/** Kinds whose target time is used (a check-in judged against it, or the gap to a stage start). */
const TARGETED_KINDS = new Set([...TIMED_ARRIVAL_KINDS, 'SS_START']);

const hhmm = (ms: number): string => formatLocalDateTime(ms).slice(11, 16);
const dayAndTime = (ms: number, than: number): string => (formatLocalDateTime(ms).slice(0, 10) === formatLocalDateTime(than).slice(0, 10) ? hhmm(ms) : `${hhmm(ms)} on ${formatLocalDateTime(ms).slice(0, 10)}`);

function speedText(kph: number, unit: DistanceUnit): string {
  return unit === 'mi' ? `${(kph * 1000 / METRES_PER_MILE).toFixed(0)} mph` : `${kph.toFixed(0)} km/h`;
}

function distanceText(m: number, unit: DistanceUnit): string {
  return unit === 'mi' ? `${(m / METRES_PER_MILE).toFixed(2)} mi` : `${(m / 1000).toFixed(2)} km`;
}

function minutesText(ms: number): string {
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}${s ? `:${String(s).padStart(2, '0')}` : ''}`;
}

/** Every error and warning of an itinerary, in itinerary order (stages after controls). `base` is the JSON path of the object holding legs and stages. */
export function checkItinerary(it: ItineraryInput, opts: TimetableOptions, base = '$'): ItineraryFinding[] {
  const out: ItineraryFinding[] = [];
  const unit = it.distanceUnit;
  const cPath = (t: { legIndex: number; sectionIndex: number; controlIndex: number }, field: string) =>
    child(child(child(child(child(child(base, 'legs'), t.legIndex), 'sections'), t.sectionIndex), 'controls'), t.controlIndex) + (field ? `.${field}` : '');
  const sPath = (i: number, field: string) => child(child(child(base, 'stages'), i), field);
  const add = (level: ItineraryFinding['level'], path: string, subject: string, field: string, message: string, fix: string) => out.push({ level, path, subject, field, message, fix });

  const timetable = firstCarTimetable(it.legs, it.stages, opts);
  const stageIndex = new Map(it.stages.map((s, i) => [s.code, i]));
  const firstId = new Map<string, TimedControl>();
  const startOf = new Map<string, TimedControl>();
  const finishOf = new Map<string, TimedControl>();
  const namesInSection = new Map<string, string>();
  // A stage with no start at all is reported once, on the stage; a finish before its start, on the finish.
  const startedSomewhere = new Set(timetable.filter((t) => t.control.kind === 'SS_START' && t.control.stage).map((t) => t.control.stage!));

  timetable.forEach((t, n) => {
    const c = t.control;
    const leg = it.legs[t.legIndex]!;
    const id = c.id.trim();
    // The control's code: on the board, the time card and every marshal's phone.
    if (id === '') add('error', cPath(t, 'id'), `control ${n + 1}`, 'id', `control ${n + 1} of leg ${leg.id} has no code`, 'give it the code on its board, e.g. TC3');
    const seen = firstId.get(id);
    if (id !== '' && seen) add('error', cPath(t, 'id'), id, 'id', `${id} is used twice: already the ${ordinal(seen.controlIndex + 1)} control of section ${it.legs[seen.legIndex]!.sections[seen.sectionIndex]!.id}`, `rename one of them (e.g. ${id}A), each control has its own code`);
    else if (id !== '') firstId.set(id, t);
    if (c.name) {
      const key = `${t.legIndex}/${t.sectionIndex}/${c.name.trim().toLowerCase()}`;
      const other = namesInSection.get(key);
      if (other !== undefined) add('warning', cPath(t, 'name'), id, 'name', `${id} has the same name as ${other} in this section ("${c.name}")`, 'name each control of a section apart so marshals and crews cannot mix them up');
      else namesInSection.set(key, id);
    }

    // Stage controls: they name their stage, in the order start, splits, finish, stop.
    const stage = c.stage !== undefined ? it.stages[stageIndex.get(c.stage) ?? -1] : undefined;
    if (STAGE_KINDS.has(c.kind)) {
      if (c.stage === undefined || c.stage === '') add('error', cPath(t, 'stage'), id, 'stage', `${id} is a ${kindWords(c.kind)} but names no stage`, `choose its stage (${it.stages.slice(0, 3).map((s) => s.code).join(', ') || 'add the stage first'})`);
      else if (!stage) add('error', cPath(t, 'stage'), id, 'stage', `${id} names stage ${c.stage}, which is not in the stage list`, `add stage ${c.stage} or choose one of ${it.stages.map((s) => s.code).join(', ') || '(none yet)'}`);
      else {
        if (stage.leg !== leg.id) add('error', cPath(t, 'stage'), id, 'stage', `${id} is in leg ${leg.id} but stage ${stage.code} belongs to leg ${stage.leg}`, `move ${id} to leg ${stage.leg} or set stage ${stage.code}'s leg to ${leg.id}`);
        if (c.kind === 'SS_START') {
          if (startOf.has(stage.code)) add('error', cPath(t, 'kind'), id, 'kind', `stage ${stage.code} has two starts: ${startOf.get(stage.code)!.control.id} and ${id}`, `keep one start for ${stage.code}`);
          else startOf.set(stage.code, t);
        }
        if (c.kind === 'SS_FINISH') {
          if (!startOf.has(stage.code) && startedSomewhere.has(stage.code)) add('error', cPath(t, 'kind'), id, 'kind', `${id} finishes stage ${stage.code} before any start of it`, `put ${stage.code}'s start (SS_START) before its finish`);
          if (finishOf.has(stage.code)) add('error', cPath(t, 'kind'), id, 'kind', `stage ${stage.code} has two flying finishes: ${finishOf.get(stage.code)!.control.id} and ${id}`, `keep one finish for ${stage.code}`);
          else finishOf.set(stage.code, t);
        }
        if (c.kind === 'SPLIT' && c.splitDistanceM !== undefined && c.splitDistanceM >= stage.distanceM) {
          add('error', cPath(t, 'splitDistanceM'), id, 'splitDistanceM', `split ${id} is ${distanceText(c.splitDistanceM, unit)} from the start, at or beyond the end of ${stage.code} (${distanceText(stage.distanceM, unit)})`, `give its distance from the start, less than ${distanceText(stage.distanceM, unit)}`);
        }
      }
    }

    // Target times: used at time controls and stage starts, nowhere else.
    if (c.targetMs !== undefined && !TARGETED_KINDS.has(c.kind)) {
      add('warning', cPath(t, 'targetMs'), id, 'targetMs', `${id} is a ${kindWords(c.kind)}: its target time is not used`, 'move the target to the time control that ends the road section');
    }
    const legStart = t.sectionIndex === 0 && t.controlIndex === 0;
    if (legStart && c.firstCarDue === undefined) {
      add('warning', cPath(t, 'firstCarDue'), id, 'firstCarDue', `leg ${leg.id} starts at ${id} with no first-car time, so no due time of the leg can be worked out`, `give ${id} the first car's due time, e.g. ${leg.date}T09:00`);
    }
    if (!legStart && TIMED_ARRIVAL_KINDS.has(c.kind) && c.targetMs === undefined && c.firstCarDue === undefined) {
      add('warning', cPath(t, 'targetMs'), id, 'targetMs', `${id} has no target time, so crews are not judged here`, `give the time allowed from ${t.from ?? 'the control before'} (e.g. 0:30)`);
    }
    if (c.firstCarDue !== undefined && t.dueMs !== null && formatLocalDateTime(t.dueMs).slice(0, 10) !== leg.date && legStart) {
      add('warning', cPath(t, 'firstCarDue'), id, 'firstCarDue', `${id} starts leg ${leg.id} on ${formatLocalDateTime(t.dueMs).slice(0, 10)}, but the leg is dated ${leg.date}`, `check the date of the first-car time or of the leg`);
    }

    // A due time before the previous one: a fixed time earlier than the schedule before it.
    if (t.basis === 'fixed' && t.dueMs !== null && t.previous && t.dueMs < t.previous.dueMs) {
      const where = t.previous && legStart ? `the end of the leg before (${t.previous.id} at ${dayAndTime(t.previous.dueMs, t.dueMs)})` : `${t.previous.id} before it (${dayAndTime(t.previous.dueMs, t.dueMs)})`;
      add(t.previous.estimated ? 'warning' : 'error', cPath(t, 'firstCarDue'), id, 'firstCarDue', `${id} is due at ${dayAndTime(t.dueMs, t.previous.dueMs)}, before ${where}`, `make it ${dayAndTime(t.previous.dueMs, t.dueMs)} or later, or shorten the target times before it`);
    }

    // The target against the distance it covers: the average a crew must hold.
    if (t.basis === 'target' && c.targetMs !== undefined && TIMED_ARRIVAL_KINDS.has(c.kind) && c.distanceM !== undefined && t.spanM !== null && t.spanM > 0) {
      const from = t.from ?? 'the control before';
      if (c.targetMs === 0) {
        add('error', cPath(t, 'targetMs'), id, 'targetMs', `${id} allows no time for the ${distanceText(t.spanM, unit)} from ${from}`, `give the target time for the road section (e.g. ${minutesText(Math.ceil(t.spanM / 1000 / 50 * 60) * 60_000)} at 50 km/h)`);
      } else {
        const kph = t.spanM / 1000 / (c.targetMs / 3_600_000);
        const at = (limit: number) => minutesText(Math.ceil(t.spanM! / 1000 / limit * 60) * 60_000);
        if (kph > IMPOSSIBLE_ROAD_AVERAGE_KPH) {
          add('error', cPath(t, 'targetMs'), id, 'targetMs', `${id}: ${distanceText(t.spanM, unit)} from ${from} in ${minutesText(c.targetMs)} is an average of ${speedText(kph, unit)}, faster than any public road allows`, `check the distance and the target; at ${speedText(PLAUSIBLE_ROAD_AVERAGE_KPH, unit)} it needs at least ${at(PLAUSIBLE_ROAD_AVERAGE_KPH)}`);
        } else if (kph > PLAUSIBLE_ROAD_AVERAGE_KPH) {
          add('warning', cPath(t, 'targetMs'), id, 'targetMs', `${id}: ${distanceText(t.spanM, unit)} from ${from} in ${minutesText(c.targetMs)} is an average of ${speedText(kph, unit)}, above a plausible road-section average (${speedText(PLAUSIBLE_ROAD_AVERAGE_KPH, unit)})`, `check the distance; a target of ${at(PLAUSIBLE_ROAD_AVERAGE_KPH)} or more keeps the average at ${speedText(PLAUSIBLE_ROAD_AVERAGE_KPH, unit)} or below`);
        }
      }
    }
  });

  // Stages: each has a start in the itinerary (once the itinerary has controls), in running order.
  const hasControls = timetable.length > 0;
  const codes = new Set<string>();
  let lastStartPos = -1;
  const position = new Map(timetable.map((t, i) => [t, i]));
  it.stages.forEach((s, i) => {
    if (codes.has(s.code)) add('error', sPath(i, 'code'), s.code, 'code', `stage ${s.code} is listed twice`, `give each stage its own code (SS1, SS2, …)`);
    codes.add(s.code);
    if (!it.legs.some((l) => l.id === s.leg)) add('error', sPath(i, 'leg'), s.code, 'leg', `stage ${s.code} belongs to leg ${s.leg || '(none)'}, which is not in the itinerary`, `choose one of ${it.legs.map((l) => l.id).join(', ') || '(add a leg first)'}`);
    const start = startOf.get(s.code);
    if (hasControls && !start) add('error', sPath(i, 'code'), s.code, 'code', `stage ${s.code} has no start in the itinerary`, `add a stage start (SS_START) naming ${s.code} where the stage begins, after the time control before it`);
    if (start && !finishOf.has(s.code)) add('warning', sPath(i, 'code'), s.code, 'code', `stage ${s.code} has a start (${start.control.id}) but no flying finish`, `add a flying finish (SS_FINISH) naming ${s.code}, or stage times must be entered whole`);
    if (start) {
      const p = position.get(start)!;
      if (p < lastStartPos) add('warning', sPath(i, 'code'), s.code, 'code', `stage ${s.code} starts earlier in the itinerary than the stage listed before it`, 'list the stages in running order');
      lastStartPos = Math.max(lastStartPos, p);
    }
  });
  return out;
}

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${s}`;
}

const KIND_WORDS: Record<string, string> = {
  TC: 'time control', SS_START: 'stage start', SPLIT: 'split', SS_FINISH: 'flying finish', STOP: 'stop control',
  SERVICE_IN: 'service in', SERVICE_OUT: 'service out', REGROUP_IN: 'regroup in', REGROUP_OUT: 'regroup out',
  PARC_FERME_IN: 'parc fermé in', PARC_FERME_OUT: 'parc fermé out', PASSAGE: 'passage control',
};

export function kindWords(kind: string): string {
  return KIND_WORDS[kind] ?? kind;
}
