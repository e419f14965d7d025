// Places given by hand win over the ones derived from a rally's facts (e.g. a
// stewards' decision on the Power Stage the facts do not hold).
import type { PositionOverride, RoundResult } from './season.ts';

const OVERRIDABLE = ['saturdayPosition', 'sundayPosition', 'powerStagePosition'] as const;
const OVERRIDE_KEY = { saturdayPosition: 'saturday', sundayPosition: 'sunday', powerStagePosition: 'powerStage' } as const;

/** The result with places given by hand in place of the derived ones (matched by car, else by driver). */
export function applyPositionOverrides(result: RoundResult, overrides: readonly PositionOverride[]): RoundResult {
  if (overrides.length === 0) return result;
  const notes: string[] = [];
  const crews = result.crews.map((crew) => {
    const o = overrides.find((x) => (x.car !== undefined ? x.car === crew.car : x.driver === crew.driver));
    if (!o) return crew;
    const next = { ...crew };
    for (const field of OVERRIDABLE) {
      const v = o[OVERRIDE_KEY[field]];
      if (v === undefined) continue;
      next[field] = v;
      notes.push(`${crew.car !== undefined ? `#${crew.car} ` : ''}${crew.driver}: ${OVERRIDE_KEY[field]} place ${v ?? 'none'} set by hand (${o.rule})`);
    }
    return next;
  });
  return { ...result, crews, overridden: [...(result.overridden ?? []), ...notes] };
}
