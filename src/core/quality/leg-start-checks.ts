// Leg starts whose due times cannot be known: a first-car time but neither a
// start interval nor a stored start list. Lateness there is then not judged
// (judging every crew against the first car's due time would charge everyone
// but the first); the finding says why and how to fix it.
// SEE: core/start-order.ts, rally-rules §1 (due time) and §2 (judged like any time control).
import type { Issue } from '../issues.ts';
import { legStartOrder } from '../start-order.ts';
import type { QualityInput } from './input.ts';

export function legStartChecks(input: QualityInput): Issue[] {
  if (input.rules.dueTimeMethod.value === 'scheduled') return []; // MSUK scheduled timing: due by car number at every standard time
  const issues: Issue[] = [];
  for (const leg of input.def.legs) {
    const order = legStartOrder(input.def, leg.id);
    if (order.dueUnknown === null || order.control === null || order.source !== 'carNumber') continue;
    const times = input.controlTimes.filter((t) => !t.superseded && t.control === order.control);
    if (times.length === 0) continue;
    const cars = [...new Set(times.map((t) => t.car))].sort((a, b) => a - b);
    issues.push({
      code: 'start-interval-missing', severity: 'warning', subject: `${leg.id} start at ${order.control}`, control: order.control,
      facts: times.map((t) => t.factId),
      detail: `${order.dueUnknown}, so lateness at the start of ${leg.id} is not judged for the ${cars.length} crew${cars.length === 1 ? '' : 's'} with a time there (${cars.slice(0, 10).join(', ')}${cars.length > 10 ? ', …' : ''})`,
      fix: `give the rally its startIntervalMs (the gap between consecutive cars at the start), or store ${leg.id}'s start list with each crew's due time`,
    });
  }
  return issues;
}
