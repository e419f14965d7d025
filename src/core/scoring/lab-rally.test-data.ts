// A small, complete rally for rule tests: two legs, three sections, four
// 10 km stages, a time control before each stage, a first-car time at each
// leg's first control (the start and the restart out of overnight parc fermé).
// Car k of the entry list is due k minutes after the first car (interval 1 min).
import type { Fact } from '../facts.ts';
import type { Control, RallyDefinition, Stage } from '../model.ts';
import type { RuleSet, RuleValues } from '../rules/types.ts';
import { getPreset } from '../rules/presets/index.ts';

export const LAB_DAY1 = '2026-05-09';
export const LAB_DAY2 = '2026-05-10';

const ss = (n: number): Control[] => [
  { id: `SS${n}S`, kind: 'SS_START', stage: `SS${n}` },
  { id: `SS${n}F`, kind: 'SS_FINISH', stage: `SS${n}` },
];

export function labRally(preset = 'fia', stageExtra: Partial<Stage> = {}): RallyDefinition {
  const stage = (n: number, leg: string): Stage => ({ code: `SS${n}`, name: `Stage ${n}`, distanceM: 10_000, type: 'special', leg, ...stageExtra });
  // The time control after a stage is due 37 min after its start, i.e. 31 min after its finish minute (stages take about 6 min):
  // the target counts from wherever the preset counts it (targetFrom), so every preset sees the same, on-time rally.
  const after = (getPreset(preset)?.targetFrom.value ?? 'stageStart') === 'stageStart' ? 37 * 60_000 : 31 * 60_000;
  return {
    id: 'lab', name: 'Lab rally', timeZone: 'Europe/London', distanceUnit: 'km', startDate: LAB_DAY1, endDate: LAB_DAY2,
    rules: { preset, version: '2026.1' }, startIntervalMs: 60_000,
    legs: [
      { id: 'L1', name: 'Day 1', date: LAB_DAY1, sections: [
        { id: 'A', controls: [{ id: 'TC0', kind: 'TC', firstCarDue: `${LAB_DAY1}T09:00` }, { id: 'TC1', kind: 'TC', targetMs: 20 * 60_000 }, ...ss(1), { id: 'TC2', kind: 'TC', targetMs: after }, ...ss(2)] },
        { id: 'B', controls: [{ id: 'TC3', kind: 'TC', targetMs: after }, ...ss(3), { id: 'TC3A', kind: 'PARC_FERME_IN', targetMs: after }] },
      ] },
      { id: 'L2', name: 'Day 2', date: LAB_DAY2, sections: [
        { id: 'C', controls: [{ id: 'TC4', kind: 'PARC_FERME_OUT', firstCarDue: `${LAB_DAY2}T09:00` }, { id: 'TC5', kind: 'TC', targetMs: 20 * 60_000 }, ...ss(4), { id: 'TCF', kind: 'TC', targetMs: after }] },
      ] },
    ],
    stages: [stage(1, 'L1'), stage(2, 'L1'), stage(3, 'L1'), stage(4, 'L2')],
    classes: [{ code: 'A', name: 'Class A' }, { code: 'B', name: 'Class B' }],
    entries: [1, 2, 3, 4].map((car) => ({ car, driver: { name: `Driver ${car}` }, codriver: { name: `Codriver ${car}` }, make: 'Make', model: 'M', class: car <= 2 ? 'A' : 'B', group: car <= 2 ? 'P1' : 'P2' })),
  };
}

let n = 0;
/** A time of day at a control: `day` 1 or 2, `hms` as 09:05:00 or 09:05:12.3. */
export const at = (car: number, control: string, day: 1 | 2, hms: string): Fact =>
  ({ type: 'controlTime', id: `t${++n}-${car}-${control}`, car, control, at: `${day === 1 ? LAB_DAY1 : LAB_DAY2}T${hms}` });
export const stageTime = (car: number, stage: string, time: string): Fact => ({ type: 'stageTime', id: `s${++n}-${car}-${stage}`, car, stage, time });

/**
 * Car c's ordinary day, on time everywhere: due 1 min after the car before it,
 * each stage started 3 min after its time control and driven in 6:0c.0 (finish
 * control times), the next time control 37 min after the stage start.
 * `skip` leaves out controls (a stage code leaves out its finish);
 * `late1` / `late2`: the crew runs that many minutes behind from the start of leg 1 / leg 2;
 * `lateFrom`: it runs that many minutes behind from that control of leg 1 on.
 */
export function onTime(car: number, opts: { skip?: string[]; late1?: number; late2?: number; lateFrom?: { control: string; minutes: number } } = {}): Fact[] {
  const k = car - 1; // place in the start order
  const skip = new Set((opts.skip ?? []).flatMap((x) => (/^SS\d+$/.test(x) ? [x, `${x}F`] : [x])));
  const out: Fact[] = [];
  const hms = (totalSeconds: number): string => {
    const h = 9 + Math.floor(totalSeconds / 3600), m = Math.floor(totalSeconds / 60) % 60, sec = totalSeconds % 60;
    return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
  };
  const leg = (day: 1 | 2, plan: [string, number][]): void => {
    let late = (day === 1 ? opts.late1 : opts.late2) ?? 0;
    for (const [control, minute] of plan) {
      if (day === 1 && opts.lateFrom?.control === control) late += opts.lateFrom.minutes;
      const seconds = (minute + k + late) * 60 + (control.endsWith('F') && control.startsWith('SS') ? 360 + car : 0);
      if (!skip.has(control)) out.push(at(car, control, day, hms(seconds)));
    }
  };
  leg(1, [['TC0', 0], ['TC1', 20], ['SS1S', 23], ['SS1F', 23], ['TC2', 60], ['SS2S', 63], ['SS2F', 63], ['TC3', 100], ['SS3S', 103], ['SS3F', 103], ['TC3A', 140]]);
  leg(2, [['TC4', 0], ['TC5', 20], ['SS4S', 23], ['SS4F', 23], ['TCF', 60]]);
  return out;
}

export function labRules(preset: string, values: Partial<{ [K in keyof RuleValues]: RuleValues[K]['value'] }> = {}): RuleSet {
  const base = getPreset(preset)!;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(values)) out[k] = { value: v, rule: `test override of ${k}`, confirmed: true };
  return out as unknown as RuleSet;
}
