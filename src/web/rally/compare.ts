// Head to head: after each stage, each crew's total minus the best total of
// the crews compared (the one ahead sits on the zero line).
import type { Series } from '../lib/chart.ts';
import type { CrewAnswer } from '../lib/types.ts';

export function compareSeries(list: CrewAnswer[]): Series[] {
  const best = new Map<string, number>();
  for (const c of list) for (const x of c.progression) {
    if (x.totalMs === null || x.position === null) continue;
    best.set(x.after, Math.min(best.get(x.after) ?? Infinity, x.totalMs));
  }
  return list.map((c) => ({
    label: `#${c.entry.car} ${c.entry.driver.name}`,
    points: c.progression.map((x) => ({ x: x.after, y: x.totalMs === null || x.position === null ? null : x.totalMs - (best.get(x.after) ?? x.totalMs) })),
  }));
}
