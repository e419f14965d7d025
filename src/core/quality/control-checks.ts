// Checks on the times recorded at controls: impossible travel, itinerary
// order, two different times at one control, stage starts off their due time.
import type { Issue } from '../issues.ts';
import { formatDuration } from '../time/duration.ts';
import { formatTimeOfDay, MINUTE_MS } from '../time/local-time.ts';
import { toResolution } from '../timing/itinerary.ts';
import type { QualityInput, Itinerary, QualityControlTime } from './input.ts';
import { isMinuteControl, timesByCar } from './input.ts';
import type { ItineraryControl } from '../timing/itinerary.ts';

type Timed = QualityControlTime & { at: ItineraryControl };
const tod = (t: Timed): string => formatTimeOfDay(t.atMs, isMinuteControl(t.at.control.kind) ? 0 : 1);

/** One time per control (the first), in itinerary order. */
function firstPerControl(list: Timed[]): Timed[] {
  const seen = new Set<string>();
  return list.filter((t) => !seen.has(t.control) && (seen.add(t.control), true));
}

/**
 * Metres of special stage a car must drive between two itinerary positions:
 * every stage whose start lies after the first control and whose finish is at
 * or before the second (a time on a stage itself is checked by stage-time-too-fast).
 */
function stageMetresBetween(input: QualityInput, itinerary: Itinerary, from: number, to: number): number {
  let metres = 0;
  for (const stage of input.def.stages) {
    const b = itinerary.stageBounds.get(stage.code);
    if (b?.start !== undefined && b.finish !== undefined && b.start > from && b.finish <= to) metres += stage.distanceM;
  }
  return metres;
}

export function controlChecks(input: QualityInput, itinerary: Itinerary): Issue[] {
  const issues: Issue[] = [];
  const maxKph = input.rules.maxAverageSpeedKph;
  const byCar = timesByCar(input, itinerary);
  for (const [car, all] of byCar) {
    issues.push(...twoTimesAtOneControl(car, all));
    const list = firstPerControl(all);
    let latest: Timed | undefined;
    for (let i = 0; i < list.length; i++) {
      const cur = list[i]!;
      const prev = list[i - 1];
      // Out of order: a later control's time before an earlier one's (to the minute where either is written to the minute).
      if (latest) {
        const coarse = isMinuteControl(cur.at.control.kind) || isMinuteControl(latest.at.control.kind);
        const a = coarse ? toResolution(latest.atMs, MINUTE_MS) : latest.atMs;
        const b = coarse ? toResolution(cur.atMs, MINUTE_MS) : cur.atMs;
        if (b < a) {
          issues.push({
            code: 'controls-out-of-order', severity: 'error', subject: `car ${car} at ${cur.control}`, car, control: cur.control,
            facts: [latest.factId, cur.factId],
            detail: `car ${car} has ${tod(cur)} at ${cur.control}, before its ${tod(latest)} at ${latest.control}, which comes earlier in the itinerary`,
            fix: `check both times against the time card; correct the wrong one with a superseding fact and a reason (controls are visited in order: FMU26 Art 42.5, MSUK26 App 13 Art 2.1(i))`,
          });
          continue; // the impossible-travel check below would only repeat this finding
        }
      }
      if (!latest || cur.atMs >= latest.atMs) latest = cur;
      // Impossible travel: two controls in order, closer in time than the stages between them can be driven.
      if (prev && cur.atMs >= prev.atMs) {
        const metres = stageMetresBetween(input, itinerary, prev.at.index, cur.at.index);
        if (metres === 0) continue;
        const minTravelMs = Math.ceil((metres * 3600) / maxKph.value);
        // A to-the-minute time may hide up to 59.9 s: give the later control that benefit.
        const slack = isMinuteControl(cur.at.control.kind) ? MINUTE_MS - 1 : 0;
        if (cur.atMs - prev.atMs + slack < minTravelMs) {
          issues.push({
            code: 'car-at-two-controls', severity: 'error', subject: `car ${car} at ${prev.control} and ${cur.control}`, car, control: cur.control,
            facts: [prev.factId, cur.factId],
            detail: `car ${car} is at ${prev.control} at ${tod(prev)} and at ${cur.control} at ${tod(cur)}: ${(metres / 1000).toFixed(2)} km of stage between them needs at least ${formatDuration(minTravelMs, 0)} at ${maxKph.value} km/h`,
            fix: 'one of the two times has the wrong car number or the wrong time: check both against the time cards and supersede the wrong one',
          });
        }
      }
    }
  }
  issues.push(...startChecks(input, itinerary, byCar));
  return issues;
}

function twoTimesAtOneControl(car: number, list: Timed[]): Issue[] {
  const byControl = new Map<string, Timed[]>();
  for (const t of list) byControl.set(t.control, [...(byControl.get(t.control) ?? []), t]);
  const issues: Issue[] = [];
  for (const [control, times] of byControl) {
    if (times.length < 2) continue;
    const minute = isMinuteControl(times[0]!.at.control.kind);
    const distinct = new Set(times.map((t) => (minute ? toResolution(t.atMs, MINUTE_MS) : t.atMs)));
    if (distinct.size < 2) continue; // the same time twice (two devices agreeing) is no conflict
    issues.push({
      code: 'two-times-one-control', severity: 'error', subject: `car ${car} at ${control}`, car, control,
      facts: times.map((t) => t.factId),
      detail: `car ${car} has ${times.length} different times at ${control}: ${times.map(tod).join(', ')}`,
      fix: 'keep the right time (at a time control the time card decides) and supersede the others with a reason',
    });
  }
  return issues;
}

/** Stage start = the TC check-in minute + the gap the itinerary (or the preset) sets. SEE: FMU26 Art 44.3.1. */
function startChecks(input: QualityInput, itinerary: Itinerary, byCar: Map<number, Timed[]>): Issue[] {
  const issues: Issue[] = [];
  for (const [car, list] of byCar) {
    const first = new Map(firstPerControl(list).map((t) => [t.control, t]));
    for (const start of first.values()) {
      if (start.at.control.kind !== 'SS_START') continue;
      const tcAt = itinerary.controls[start.at.index - 1];
      if (!tcAt || tcAt.legIndex !== start.at.legIndex || tcAt.control.kind !== 'TC') continue;
      const checkIn = first.get(tcAt.control.id);
      const fromItinerary = start.at.control.targetMs;
      const gap = fromItinerary ?? input.rules.stageStartGapMs.value;
      if (!checkIn || gap === null) continue;
      const expected = toResolution(checkIn.atMs, MINUTE_MS) + gap;
      if (Math.floor(start.atMs / 1000) === Math.floor(expected / 1000)) continue;
      const source = fromItinerary !== undefined ? `the itinerary's ${formatDuration(gap, 0)}` : `${formatDuration(gap, 0)}, ${input.rules.stageStartGapMs.rule}`;
      const stage = start.at.control.stage;
      issues.push({
        code: 'start-not-due-time', severity: 'warning', subject: `car ${car} at ${start.control}`, car, control: start.control,
        ...(stage ? { stage } : {}),
        facts: [checkIn.factId, start.factId],
        detail: `car ${car} checked in at ${checkIn.control} at ${formatTimeOfDay(checkIn.atMs, 0).slice(0, 5)} and was due to start at ${formatTimeOfDay(expected, 0)} (check-in + ${source}); the recorded start is ${formatTimeOfDay(start.atMs, 1)}`,
        fix: `check the start time and the check-in time on the time card; if the start was delayed by the officials record why, otherwise supersede the wrong time`,
      });
    }
  }
  return issues;
}
