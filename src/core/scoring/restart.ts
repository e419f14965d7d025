// Super Rally: what a restarted crew is charged for each special stage it missed.
// SEE: rally-rules §4.2 — FMU26 Art 54: fastest time in the crew's class on that
// stage + 10 min (+5 min for a super special stage); WRC values vary by year,
// so the base and the additions are preset values an event may override.
// An `assessed` stage-time fact (the officials' own figure) always wins: it is
// a time of the car's own and never reaches this module.
import type { Entry } from '../model.ts';
import type { RuleSet } from '../rules/types.ts';
import { formatDuration } from '../time/duration.ts';
import { stageMaximumMs } from '../timing/stage-time.ts';
import type { CarDerived, StageCell } from './car.ts';
import type { Itinerary } from './itinerary.ts';

/** Statuses whose time is driven or given by officials, and so may serve as the base of a restart charge. */
export const REAL_TIME: ReadonlySet<string> = new Set(['ok', 'notional', 'assessed', 'maxTime']);

export type FastestLookup = (stage: number, filter: ((e: Entry | undefined) => boolean) | null) => { ms: number; car: number } | null;

export function fillRestarts(d: CarDerived, it: Itinerary, rules: RuleSet, fastest: FastestLookup): StageCell[] {
  if (d.missed.length === 0) return d.cells;
  const cells = d.cells.slice();
  const entry = it.entryByCar.get(d.car);
  const base = rules.restartBase;
  for (const i of d.missed) {
    const stage = it.stages[i]!;
    let baseMs: number | null = null;
    let baseLabel = '';
    if (base.value === 'stageMax') {
      baseMs = stageMaximumMs(stage, rules);
      baseLabel = 'stage maximum';
    } else {
      const filter = base.value === 'fastestInClass' ? (e: Entry | undefined) => e?.class === entry?.class
        : base.value === 'fastestInPriorityGroup' ? (e: Entry | undefined) => e?.group === entry?.group
          : null;
      const f = fastest(i, filter) ?? (filter ? fastest(i, null) : null);
      if (f) {
        baseMs = f.ms;
        baseLabel = `${base.value === 'fastestInClass' ? `fastest in class ${entry?.class ?? '?'}` : base.value === 'fastestInPriorityGroup' ? `fastest in group ${entry?.group ?? '?'}` : 'fastest overall'}: car ${f.car} ${formatDuration(f.ms)}`;
        if (filter && fastest(i, filter) === null) baseLabel += ' (nobody of the same class or group has a time: fastest overall used)';
      }
    }
    if (baseMs === null) continue; // nothing to charge yet: the stage stays without a time
    const plus = stage.type === 'superSpecial' ? rules.restartPlusMsSuperSpecial : rules.restartPlusMs;
    const ms = baseMs + plus.value;
    cells[i]! = {
      status: 'restartCharged', ms, stageMs: ms, rawMs: null, source: 'restart', used: [], conflicts: [],
      steps: [
        { label: `missed under Super Rally; base ${baseLabel}`, ms: baseMs, rule: base.rule, confirmed: base.confirmed },
        { label: `+ ${formatDuration(plus.value, 0)} per missed ${stage.type === 'superSpecial' ? 'super special ' : ''}stage`, ms: plus.value, rule: plus.rule, confirmed: plus.confirmed },
        { label: `charged ${formatDuration(ms)}`, ms },
      ],
    };
  }
  return cells;
}
