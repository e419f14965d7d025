// A definition change (entry list, itinerary) that would leave a stored fact
// naming a car, stage, control or section that no longer exists is refused
// with the facts in the way: the log stays importable (the rally file's
// import checks every fact against the definition with the same rule).
import type { RallyDefinition } from '../core/model.ts';
import { describeFactsInTheWay, factsInTheWay } from '../core/rallyfile/check-facts.ts';
import { apiError } from './problem.ts';
import type { RallyEntry } from './rally-states.ts';

/** Throws 409 `facts-in-the-way` when `definition` would orphan a fact of the rally's log. */
export function refuseOrphaningChange(entry: Pick<RallyEntry, 'facts'>, definition: RallyDefinition): void {
  const inTheWay = factsInTheWay(definition, entry.facts);
  if (inTheWay.length === 0) return;
  const n = inTheWay.length;
  throw apiError('facts-in-the-way',
    `${n} stored fact${n === 1 ? '' : 's'} would name what this change removes: ${describeFactsInTheWay(inTheWay)}. Nothing was changed.`,
    undefined, { facts: inTheWay });
}
