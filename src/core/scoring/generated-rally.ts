// A seeded, deterministic rally generator for property tests and the scoring
// benchmark: N cars over M stages in two legs, each stage behind a time control,
// with device stage times or start/finish times of day, road-section lateness,
// penalties, corrections, jump starts, retirements and Super Rally restarts;
// on request, every other fact type as well.
import type { Fact } from '../facts.ts';
import type { Control, RallyDefinition, Section, Stage } from '../model.ts';
import { formatLocalDateTime, parseLocalDateTime } from '../time/local-time.ts';
import { formatDuration, parseDuration } from '../time/duration.ts';
import { mulberry32 } from '../fixtures/prng.ts';

/** The fixtures' seeded generator: one PRNG for every generated rally. */
export const seeded = mulberry32;

export interface GenOptions {
  cars: number;
  stages: number;
  /** Stage times as start/finish times of day (true) or as device stage times (false). */
  controlTimes?: boolean;
  /** Make SS1 a super special stage. */
  superSpecialFirst?: boolean;
  /**
   * Include every fact type (needs 4+ stages and 3+ cars): both kinds of time,
   * corrections of times and penalties, a retraction, a device jump start and
   * its decision, a retirement with a restart, an interrupted stage with
   * notional times, a cancelled stage and an exclusion.
   */
  everyFactType?: boolean;
}

const ROAD_MS = 30 * 60_000;
const GAP_MS = 3 * 60_000;

export function generatedDefinition(o: GenOptions): RallyDefinition {
  const stages: Stage[] = [];
  const legs: RallyDefinition['legs'] = [
    { id: 'L1', name: 'Leg 1', date: '2026-02-06', sections: [] },
    { id: 'L2', name: 'Leg 2', date: '2026-02-07', sections: [] },
  ];
  const half = Math.ceil(o.stages / 2);
  for (let n = 1; n <= o.stages; n++) {
    const leg = n <= half ? 'L1' : 'L2';
    stages.push({ code: `SS${n}`, name: `Stage ${n}`, distanceM: 8_000 + ((n * 3_700) % 15_000), type: n === 1 && o.superSpecialFirst ? 'superSpecial' : 'special', leg });
    const first = n === 1 || n === half + 1;
    const controls: Control[] = [
      { id: `TC${n}`, kind: 'TC', ...(first ? {} : { targetMs: ROAD_MS }) },
      { id: `SS${n}S`, kind: 'SS_START', stage: `SS${n}`, targetMs: GAP_MS },
      { id: `SS${n}F`, kind: 'SS_FINISH', stage: `SS${n}` },
    ];
    const section: Section = { id: `S${n}`, controls };
    legs[leg === 'L1' ? 0 : 1]!.sections.push(section);
  }
  const classes = [{ code: 'A', name: 'Class A' }, { code: 'B', name: 'Class B' }, { code: 'C', name: 'Class C' }];
  return {
    id: 'generated', name: 'Generated rally', timeZone: 'Europe/London', distanceUnit: 'km', startDate: '2026-02-06', endDate: '2026-02-07',
    rules: { preset: 'fia', version: '2026.1' }, legs, stages, classes,
    entries: Array.from({ length: o.cars }, (_, i) => ({
      car: i + 1, driver: { name: `Driver ${i + 1}` }, codriver: { name: `Codriver ${i + 1}` }, make: 'Make', model: 'Model',
      class: classes[i % 3]!.code, fictional: true,
    })),
  };
}

/** Facts for a generated rally, in log order with `seq` set; the same seed gives the same facts. */
export function generatedFacts(def: RallyDefinition, seed: number, o: GenOptions): Fact[] {
  const rnd = seeded(seed);
  const facts: Fact[] = [];
  let seq = 0;
  const push = (f: Fact): void => { facts.push({ ...f, seq: ++seq }); };
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const half = Math.ceil(o.stages / 2);
  const every = o.everyFactType === true && o.stages >= 4 && def.entries.length >= 3;
  // One crew that surely retires and restarts under Super Rally (drawn only when asked, so plain logs stay as they were).
  const forcedCar = every ? int(1, def.entries.length) : null;
  for (const entry of def.entries) {
    const car = entry.car;
    const skill = 0.9 + rnd() * 0.3;
    let retireAt = rnd() < 0.08 ? int(2, o.stages) : null;
    let permanent = rnd() < 0.5;
    if (car === forcedCar) { retireAt = int(2, o.stages - 2); permanent = false; }
    const restartAt = retireAt !== null && !permanent && retireAt + 2 <= o.stages ? retireAt + 2 : null;
    // With every fact type, a third of the crews are timed the other way, so both kinds of time are in the log.
    const byClock = o.controlTimes === true ? !(every && car % 3 === 0) : every && car % 3 === 0;
    let clock = (parseLocalDateTime('2026-02-06T08:00') as number) + car * 60_000;
    for (let n = 1; n <= o.stages; n++) {
      if (n === half + 1) clock = (parseLocalDateTime('2026-02-07T08:00') as number) + car * 60_000;
      const stage = def.stages[n - 1]!;
      if (retireAt !== null && n >= retireAt && (restartAt === null || n < restartAt)) {
        if (n === retireAt) push({ type: 'retirement', id: `r${car}`, car, where: `SS${n}`, reason: 'off the road', permanent });
        if (n === retireAt && restartAt !== null) push({ type: 'restart', id: `rs${car}`, car, section: `S${restartAt}` });
        clock += ROAD_MS + GAP_MS + 600_000;
        continue;
      }
      if (retireAt !== null && restartAt === null && n > retireAt) break;
      const late = n > 1 && n !== half + 1 && rnd() < 0.05 ? int(1, 3) * 60_000 : 0;
      const tc = clock + late;
      const start = Math.floor(tc / 60_000) * 60_000 + GAP_MS;
      const driven = Math.round(stage.distanceM * 36 * skill * (0.95 + rnd() * 0.1)) + int(0, 999); // about 100 km/h
      if (byClock) {
        push({ type: 'controlTime', id: `t${car}-${n}`, car, control: `TC${n}`, at: formatLocalDateTime(tc) });
        push({ type: 'controlTime', id: `s${car}-${n}`, car, control: `SS${n}S`, at: formatLocalDateTime(start) });
        push({ type: 'controlTime', id: `f${car}-${n}`, car, control: `SS${n}F`, at: formatLocalDateTime(start + driven) });
      } else {
        push({ type: 'stageTime', id: `st${car}-${n}`, car, stage: stage.code, time: formatDuration(driven, 3), source: 'rallysafe' });
      }
      if (rnd() < 0.02) {
        const fixed = driven + int(-2000, 2000);
        push({ type: 'stageTime', id: `fix${car}-${n}`, car, stage: stage.code, time: formatDuration(Math.max(1, fixed), 3), source: 'official', ...(byClock ? {} : { supersedes: `st${car}-${n}` }), reason: 'timing printout checked' });
      }
      if (rnd() < 0.01) push({ type: 'jumpStart', id: `j${car}-${n}`, car, stage: stage.code, source: rnd() < 0.5 ? 'official' : 'photocell' });
      if (rnd() < 0.01) push({ type: 'penalty', id: `p${car}-${n}`, car, seconds: int(1, 6) * 10, reason: 'stewards decision', stage: stage.code });
      if (every && byClock && rnd() < 0.03) {
        // A misread finish beam, corrected by a later time of day (still after the start).
        push({ type: 'controlTime', id: `cf${car}-${n}`, car, control: `SS${n}F`, at: formatLocalDateTime(start + Math.max(1_000, driven + int(-3000, 3000))), supersedes: `f${car}-${n}`, reason: 'beam misread' });
      }
      if (every && rnd() < 0.02) {
        // Road-section lateness decided at the time control, with its article.
        push({ type: 'penalty', id: `pt${car}-${n}`, car, seconds: int(1, 3) * 10, reason: 'late at time control', rule: 'FMU26 Art 44.2.10a', control: `TC${n}` });
      }
      clock = start + driven + ROAD_MS;
    }
  }
  if (every) everyOtherFactType(def, o, rnd, int, facts, push);
  return facts;
}

/**
 * Field-wide facts and one of each correction, so a log holds every fact type:
 * a device jump start and the officials' decision on it, a penalty and its
 * correction, a corrected and a retracted time, an interrupted stage with
 * notional times, a cancelled stage and an exclusion.
 */
function everyOtherFactType(def: RallyDefinition, o: GenOptions, rnd: () => number, int: (lo: number, hi: number) => number, facts: readonly Fact[], push: (f: Fact) => void): void {
  const cars = def.entries.map((e) => e.car);
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  const stageCode = (): string => `SS${int(1, o.stages)}`;

  const jumper = pick(cars), jumpStage = stageCode();
  push({ type: 'jumpStart', id: 'x-jump-device', car: jumper, stage: jumpStage, jumpedMs: int(50, 900), source: pick(['photocell', 'eztrak', 'rallysafe'] as const) });
  if (rnd() < 0.5) push({ type: 'penalty', id: 'x-jump-decided', car: jumper, seconds: 10, reason: 'jump start, 1st offence', rule: 'FMU26 Art 48.6', stage: jumpStage, by: 'stewards' });
  else push({ type: 'jumpStart', id: 'x-jump-official', car: jumper, stage: jumpStage, source: 'official', reason: 'confirmed by the start marshal' });

  const fined = pick(cars);
  push({ type: 'penalty', id: 'x-pen', car: fined, seconds: int(1, 30) * 10, reason: 'stewards decision', stage: stageCode() });
  push({ type: 'penalty', id: 'x-pen-fix', car: fined, seconds: int(1, 30) * 10 + 5, reason: 'stewards decision, amended', stage: stageCode(), supersedes: 'x-pen' });

  // Correct one time and retract another (never one already superseded).
  const superseded = new Set(facts.flatMap((f) => (f.supersedes !== undefined ? [f.supersedes] : [])));
  const times = facts.filter((f): f is Extract<Fact, { type: 'stageTime' | 'controlTime' }> => (f.type === 'stageTime' || f.type === 'controlTime') && f.supersedes === undefined && !superseded.has(f.id));
  const corrected = pick(times);
  const delta = int(1, 4000) * (rnd() < 0.5 ? -1 : 1);
  if (corrected.type === 'stageTime') {
    push({ ...corrected, id: 'x-time-fix', supersedes: corrected.id, reason: 'checked against the timecard', time: formatDuration(Math.max(1_000, (parseDuration(corrected.time) as number) + delta), 3), source: 'timecard' });
  } else {
    // A start only earlier, anything else only later: a finish must stay after its start.
    const shift = /^SS\d+S$/.test(corrected.control) ? -Math.abs(delta) : Math.abs(delta);
    push({ ...corrected, id: 'x-time-fix', supersedes: corrected.id, reason: 'checked against the timecard', at: formatLocalDateTime((parseLocalDateTime(corrected.at) as number) + shift), source: 'timecard' });
  }
  const retracted = pick(times.filter((f) => f.id !== corrected.id));
  push({ type: 'retraction', id: 'x-retract', supersedes: retracted.id, reason: 'recorded for the wrong car' });

  const interrupted = int(2, o.stages - 1);
  let cancelled = int(2, o.stages - 1);
  if (cancelled === interrupted) cancelled = interrupted === o.stages - 1 ? interrupted - 1 : interrupted + 1;
  const given = [...new Set([pick(cars), pick(cars), pick(cars)])].sort((a, b) => a - b);
  push({ type: 'stageInterrupted', id: 'x-stop', stage: `SS${interrupted}`, reason: 'road blocked', notionalTimes: given.map((car) => ({ car, time: formatDuration(int(300_000, 900_000), 1) })) });
  push({ type: 'stageCancelled', id: 'x-cancel', stage: `SS${cancelled}`, reason: 'spectators in a prohibited area' });
  push({ type: 'exclusion', id: 'x-excl', car: pick(cars), reason: 'car not conforming at scrutineering', rule: 'FMU26 Art 23' });
}
