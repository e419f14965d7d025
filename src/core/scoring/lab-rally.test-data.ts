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
  return {
    id: 'lab', name: 'Lab rally', timeZone: 'Europe/London', distanceUnit: 'km', startDate: LAB_DAY1, endDate: LAB_DAY2,
    rules: { preset, version: '2026.1' }, startIntervalMs: 60_000,
    legs: [
      { id: 'L1', name: 'Day 1', date: LAB_DAY1, sections: [
        { id: 'A', controls: [{ id: 'TC0', kind: 'TC', firstCarDue: `${LAB_DAY1}T09:00` }, { id: 'TC1', kind: 'TC', targetMs: 20 * 60_000 }, ...ss(1), { id: 'TC2', kind: 'TC', targetMs: 30 * 60_000 }, ...ss(2)] },
        { id: 'B', controls: [{ id: 'TC3', kind: 'TC', targetMs: 30 * 60_000 }, ...ss(3), { id: 'TC3A', kind: 'PARC_FERME_IN', targetMs: 30 * 60_000 }] },
      ] },
      { id: 'L2', name: 'Day 2', date: LAB_DAY2, sections: [
        { id: 'C', controls: [{ id: 'TC4', kind: 'PARC_FERME_OUT', firstCarDue: `${LAB_DAY2}T09:00` }, { id: 'TC5', kind: 'TC', targetMs: 20 * 60_000 }, ...ss(4), { id: 'TCF', kind: 'TC', targetMs: 30 * 60_000 }] },
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
 * Car c's ordinary day: on time everywhere (due 1 min apart), stages of
 * 6:00.0 + c seconds (started at the TC check-in + 3 min, finish a driven time).
 */
/** `late1` / `late2`: minutes the crew is late from the start of leg 1 / leg 2 on (its whole day shifts). */
export function onTime(car: number, opts: { skip?: string[]; late1?: number; late2?: number } = {}): Fact[] {
  const k = car - 1; // place in the start order
  const m = (h: number, min: number): string => `${String(h + Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}:00`;
  const out: Fact[] = [];
  const push = (f: Fact, control: string): void => { if (!(opts.skip ?? []).includes(control)) out.push(f); };
  // Leg 1: TC0 09:00+k, TC1 +20, SS1 start +3; target TC2 30 min from the stage start (fia) — every car keeps the same rhythm.
  const legFacts = (day: 1 | 2, plan: [string, number][]): void => {
    const late = (day === 1 ? opts.late1 : opts.late2) ?? 0;
    for (const [control, minute] of plan) push(at(car, control, day, m(9, minute + k + late)), control);
  };
  legFacts(1, [['TC0', 0], ['TC1', 20], ['SS1S', 23], ['TC2', 53], ['SS2S', 56], ['TC3', 86], ['SS3S', 89], ['TC3A', 119]]);
  legFacts(2, [['TC4', 0], ['TC5', 20], ['SS4S', 23], ['TCF', 53]]);
  for (const s of ['SS1', 'SS2', 'SS3', 'SS4']) if (!(opts.skip ?? []).includes(s)) out.push(stageTime(car, s, `6:0${car}.0`));
  return out;
}

export function labRules(preset: string, values: Partial<{ [K in keyof RuleValues]: RuleValues[K]['value'] }> = {}): RuleSet {
  const base = getPreset(preset)!;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(values)) out[k] = { value: v, rule: `test override of ${k}`, confirmed: true };
  return out as unknown as RuleSet;
}
