// A seeded, deterministic rally generator for property tests and the scoring
// benchmark: N cars over M stages in two legs, each stage behind a time control,
// with device stage times or start/finish times of day, road-section lateness,
// penalties, corrections, jump starts, retirements and Super Rally restarts.
import type { Fact } from '../facts.ts';
import type { Control, RallyDefinition, Section, Stage } from '../model.ts';
import { formatLocalDateTime, parseLocalDateTime } from '../time/local-time.ts';
import { formatDuration } from '../time/duration.ts';
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
  for (const entry of def.entries) {
    const car = entry.car;
    const skill = 0.9 + rnd() * 0.3;
    const retireAt = rnd() < 0.08 ? int(2, o.stages) : null;
    const permanent = rnd() < 0.5;
    const restartAt = retireAt !== null && !permanent && retireAt + 2 <= o.stages ? retireAt + 2 : null;
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
      if (o.controlTimes) {
        push({ type: 'controlTime', id: `t${car}-${n}`, car, control: `TC${n}`, at: formatLocalDateTime(tc) });
        push({ type: 'controlTime', id: `s${car}-${n}`, car, control: `SS${n}S`, at: formatLocalDateTime(start) });
        push({ type: 'controlTime', id: `f${car}-${n}`, car, control: `SS${n}F`, at: formatLocalDateTime(start + driven) });
      } else {
        push({ type: 'stageTime', id: `st${car}-${n}`, car, stage: stage.code, time: formatDuration(driven, 3), source: 'rallysafe' });
      }
      if (rnd() < 0.02) {
        const fixed = driven + int(-2000, 2000);
        push({ type: 'stageTime', id: `fix${car}-${n}`, car, stage: stage.code, time: formatDuration(Math.max(1, fixed), 3), source: 'official', supersedes: o.controlTimes ? undefined : `st${car}-${n}`, reason: 'timing printout checked' });
      }
      if (rnd() < 0.01) push({ type: 'jumpStart', id: `j${car}-${n}`, car, stage: stage.code, source: rnd() < 0.5 ? 'official' : 'photocell' });
      if (rnd() < 0.01) push({ type: 'penalty', id: `p${car}-${n}`, car, seconds: int(1, 6) * 10, reason: 'stewards decision', stage: stage.code });
      clock = start + driven + ROAD_MS;
    }
  }
  return facts;
}
