// Which crews have started: those with at least one fact in the log. Decides
// whether a withdrawal takes a crew off the entry list or retires it.
import { carOf } from '../core/facts.ts';
import type { RallyEntry } from './rally-states.ts';

export function startedCars(e: Pick<RallyEntry, 'facts'>): Set<number> {
  const out = new Set<number>();
  for (const sf of e.facts) {
    const c = carOf(sf.fact);
    if (c !== null) out.add(c);
  }
  return out;
}
