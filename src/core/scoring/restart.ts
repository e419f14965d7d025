// Super Rally: what a restarted crew is charged for each special stage it missed.
// SEE: rally-rules §4.2 — FMU26 Art 54: fastest time in the crew's class on that
// stage + 10 min (+5 min for a super special stage); WRC values vary by year,
// so the base and the additions are preset values an event may override.
// ARA (shown by its published results, ara-evidence "Restart charges"): the
// first stage missed after a retirement base + 10:00, each further one + 7:00
// (restartPlusLaterMs), the base within the crew's championship category
// (restartBaseScope) and cut to the whole second (restartBasePrecisionMs).
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

const cite = (c: { rule: string; confirmed: boolean; shown?: string }): { rule: string; confirmed: boolean; shown?: string } =>
  ({ rule: c.rule, confirmed: c.confirmed, ...(c.shown ? { shown: c.shown } : {}) });

export function fillRestarts(d: CarDerived, it: Itinerary, rules: RuleSet, fastest: FastestLookup): StageCell[] {
  if (d.missed.length === 0) return d.cells;
  const cells = d.cells.slice();
  const entry = it.entryByCar.get(d.car);
  const base = rules.restartBase;
  // With categories, the base is taken among the crew's own category unless the rules say across the event.
  const category = rules.restartBaseScope.value === 'category' ? entry?.category : undefined;
  const sameCategory = (e: Entry | undefined): boolean => category === undefined || e?.category === category;
  const inCategory = category !== undefined ? ` and category ${category}` : '';
  for (const i of d.missed) {
    const stage = it.stages[i]!;
    let baseMs: number | null = null;
    let baseLabel = '';
    if (base.value === 'stageMax') {
      baseMs = stageMaximumMs(stage, rules);
      baseLabel = 'stage maximum';
    } else {
      const own = base.value === 'fastestInClass' ? (e: Entry | undefined) => e?.class === entry?.class && sameCategory(e)
        : base.value === 'fastestInPriorityGroup' ? (e: Entry | undefined) => e?.group === entry?.group && sameCategory(e)
          : category !== undefined ? sameCategory : null;
      const f = fastest(i, own) ?? (own ? fastest(i, category !== undefined ? sameCategory : null) : null);
      if (f) {
        baseMs = f.ms;
        baseLabel = `${base.value === 'fastestInClass' ? `fastest in class ${entry?.class ?? '?'}${inCategory}` : base.value === 'fastestInPriorityGroup' ? `fastest in group ${entry?.group ?? '?'}${inCategory}` : `fastest${category !== undefined ? ` in category ${category}` : ' overall'}`}: car ${f.car} ${formatDuration(f.ms)}`;
        if (own && fastest(i, own) === null) baseLabel += ` (nobody of the same class or group has a time: fastest ${category !== undefined ? `in category ${category}` : 'overall'} used; officials may give the charge as an assessed time)`;
      }
    }
    if (baseMs === null) continue; // nothing to charge yet: the stage stays without a time
    const steps: NonNullable<StageCell['steps']> = [
      { label: `missed under Super Rally; base ${baseLabel}`, ms: baseMs, ...cite(base) },
    ];
    if (category !== undefined) steps.push({ label: `base taken within the crew's category (${category})`, ...cite(rules.restartBaseScope) });
    const precision = rules.restartBasePrecisionMs.value;
    const cut = Math.floor(baseMs / precision) * precision;
    if (precision > 1) {
      steps.push({ label: `base cut to ${precision === 1000 ? 'the whole second' : `${precision} ms`}: ${formatDuration(cut)}`, ms: cut, ...cite(rules.restartBasePrecisionMs) });
    }
    const first = d.missedFirst.has(i);
    const later = rules.restartPlusLaterMs.value;
    const plus = stage.type === 'superSpecial' ? rules.restartPlusMsSuperSpecial
      : !first && later !== null ? { ...rules.restartPlusLaterMs, value: later } : rules.restartPlusMs;
    const which = stage.type === 'superSpecial' ? 'per missed super special stage'
      : later === null ? 'per missed stage' : first ? 'for the first stage missed after the retirement' : 'for a further stage missed';
    const ms = cut + plus.value;
    steps.push(
      { label: `+ ${formatDuration(plus.value, 0)} ${which}`, ms: plus.value, ...cite(plus) },
      { label: `charged ${formatDuration(ms)}`, ms },
    );
    cells[i]! = { status: 'restartCharged', ms, stageMs: ms, rawMs: null, source: 'restart', used: [], conflicts: [], steps };
  }
  return cells;
}
