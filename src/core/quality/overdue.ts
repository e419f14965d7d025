// Safety for events without trackers: crews that started a stage and have not
// reached its finish within the window the field's pace makes likely — possibly
// off the road. The list is for the rally's safety officer; it decides nothing.
import type { OverdueCrew } from '../results.ts';
import type { Stage } from '../model.ts';
import { formatDuration } from '../time/duration.ts';
import { formatLocalDateTime, formatTimeOfDay } from '../time/local-time.ts';
import type { QualityInput } from './input.ts';
import { indexItinerary } from './input.ts';

export type PaceBasis = 'stage' | 'earlierStages' | 'default';

export interface OverdueFinding extends OverdueCrew {
  startedAtLocalMs: number;
  /** Expected stage time at the field's pace, ms. */
  expectedMs: number;
  basis: PaceBasis;
}

const FINISHED: ReadonlySet<string> = new Set(['ok', 'notional', 'assessed', 'restartCharged', 'maxTime', 'cancelled']);

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : Math.round((v[mid - 1]! + v[mid]!) / 2);
}

/**
 * Expected time on `stage`: the median of the crews that finished it; else the
 * median average speed of the field on the stages before it; else the preset's
 * default speed.
 */
function expectedStageMs(input: QualityInput, stage: Stage): { ms: number; basis: PaceBasis; phrase: string } {
  const done = input.stageTimes.filter((t) => t.stage === stage.code && t.status === 'ok' && t.ms > 0).map((t) => t.ms);
  if (done.length > 0) return { ms: median(done), basis: 'stage', phrase: `at field pace (${done.length} finished)` };
  const order = input.def.stages.map((s) => s.code);
  const before = new Map(input.def.stages.slice(0, order.indexOf(stage.code)).map((s) => [s.code, s]));
  // Speeds as metres per ms; the median keeps one wrong time from moving the window.
  const speeds = input.stageTimes
    .filter((t) => t.status === 'ok' && t.ms > 0 && (before.get(t.stage)?.distanceM ?? 0) > 0)
    .map((t) => (before.get(t.stage) as Stage).distanceM / t.ms);
  if (speeds.length > 0) {
    const sorted = speeds.sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const speed = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    return { ms: Math.round(stage.distanceM / speed), basis: 'earlierStages', phrase: `at the field's pace on earlier stages (${(speed * 3600).toFixed(0)} km/h)` };
  }
  const kph = input.rules.overdueDefaultSpeedKph.value;
  return { ms: Math.round((stage.distanceM * 3600) / kph), basis: 'default', phrase: `at the assumed ${kph} km/h (no stage times yet)` };
}

/** Overdue crews at `nowLocalMs` (rally-local ms), most overdue first. */
export function findOverdue(input: QualityInput, nowLocalMs: number): OverdueFinding[] {
  const itinerary = indexItinerary(input.def);
  const retired = new Set(input.retiredCars);
  const finished = new Set<string>();
  const key = (car: number, stage: string) => `${car}|${stage}`;
  for (const [stage, cars] of Object.entries(input.finishedStages)) for (const car of cars) finished.add(key(car, stage));
  for (const t of input.stageTimes) if (FINISHED.has(t.status)) finished.add(key(t.car, t.stage));

  // Latest start per car and stage; and how far along the itinerary each car has been seen.
  const starts = new Map<string, { car: number; stage: string; atMs: number }>();
  const furthest = new Map<number, number>();
  for (const t of input.controlTimes) {
    const ic = itinerary.byId.get(t.control);
    if (t.superseded || !ic) continue;
    if (ic.control.kind === 'SS_START' && ic.control.stage) {
      const k = key(t.car, ic.control.stage);
      const prev = starts.get(k);
      if (!prev || t.atMs > prev.atMs) starts.set(k, { car: t.car, stage: ic.control.stage, atMs: t.atMs });
    }
    if (ic.control.kind === 'SS_FINISH' && ic.control.stage) finished.add(key(t.car, ic.control.stage));
    furthest.set(t.car, Math.max(furthest.get(t.car) ?? -1, ic.index));
  }

  const stages = new Map(input.def.stages.map((s) => [s.code, s]));
  const expected = new Map<string, ReturnType<typeof expectedStageMs>>();
  const factor = input.rules.overdueFactor.value;
  const minMs = input.rules.overdueMinMs.value;
  const out: OverdueFinding[] = [];
  for (const s of starts.values()) {
    const stage = stages.get(s.stage);
    if (!stage || retired.has(s.car) || finished.has(key(s.car, s.stage))) continue;
    // Seen at the finish or any control after it: not on the stage any more.
    const finishIndex = itinerary.stageBounds.get(s.stage)?.finish;
    if (finishIndex !== undefined && (furthest.get(s.car) ?? -1) >= finishIndex) continue;
    if (!expected.has(s.stage)) expected.set(s.stage, expectedStageMs(input, stage));
    const pace = expected.get(s.stage)!;
    const windowMs = Math.max(Math.ceil(pace.ms * factor), pace.ms + minMs);
    const elapsed = nowLocalMs - s.atMs;
    if (elapsed <= windowMs) continue;
    const expectedBy = s.atMs + pace.ms;
    const overdueMs = nowLocalMs - expectedBy;
    out.push({
      car: s.car, stage: s.stage,
      startedAt: formatLocalDateTime(s.atMs).slice(0, 19),
      startedAtLocalMs: s.atMs,
      expectedByLocalMs: expectedBy,
      expectedMs: pace.ms,
      basis: pace.basis,
      overdueMs,
      detail: `car ${s.car} started ${s.stage} at ${formatTimeOfDay(s.atMs, 0)}, expected by ${formatTimeOfDay(expectedBy, 0)} ${pace.phrase}, ${formatDuration(overdueMs, 0)} overdue`,
    });
  }
  return out.sort((a, b) => b.overdueMs - a.overdueMs || a.car - b.car);
}
