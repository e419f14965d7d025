// Facts about the whole field: cancelled stages and interrupted stages with
// the notional times the Clerk of the Course gave.
// SEE: rally-rules §3.4 — a notional time is a stage time (FMU26 Arts 52.1–52.4);
// a cancelled stage is dropped for everyone ([NF]; common practice, documented in docs/scoring.md).
import type { Fact, StageCancelled, StageInterrupted } from '../facts.ts';
import type { Issue } from '../issues.ts';
import { parseDuration } from '../time/duration.ts';
import type { Itinerary } from './itinerary.ts';
import type { FactStore } from './store.ts';

export interface Notional {
  ms: number;
  fact: StageInterrupted;
  /** Other facts that gave this car a different notional time on the same stage. */
  conflicts: Fact[];
}

export interface GlobalContext {
  cancelled: Map<string, StageCancelled>;
  interrupted: Map<string, StageInterrupted[]>;
  /** stage → car → notional time. */
  notional: Map<string, Map<number, Notional>>;
  issues: Issue[];
}

export function buildGlobal(store: FactStore, it: Itinerary): GlobalContext {
  const g: GlobalContext = { cancelled: new Map(), interrupted: new Map(), notional: new Map(), issues: [] };
  for (const f of store.globalFacts()) {
    if (!store.active(f.id)) continue;
    if (f.type !== 'stageCancelled' && f.type !== 'stageInterrupted') continue;
    if (!it.stageIndex.has(f.stage)) {
      g.issues.push({
        code: 'unknown-stage', severity: 'error', subject: f.stage, stage: f.stage, facts: [f.id],
        detail: `${f.type} names stage ${JSON.stringify(f.stage)}, which is not in the itinerary`,
        fix: 'supersede the fact with one naming a stage of the rally (SS1, SS2 …)',
      });
      continue;
    }
    if (f.type === 'stageCancelled') {
      if (!g.cancelled.has(f.stage)) g.cancelled.set(f.stage, f);
      continue;
    }
    g.interrupted.set(f.stage, [...(g.interrupted.get(f.stage) ?? []), f]);
    let byCar = g.notional.get(f.stage);
    if (!byCar) g.notional.set(f.stage, (byCar = new Map()));
    for (const n of f.notionalTimes) {
      const ms = parseDuration(n.time);
      if (ms === null) {
        g.issues.push({
          code: 'unparsable-time', severity: 'error', subject: `car ${n.car} at ${f.stage}`, car: n.car, stage: f.stage, facts: [f.id],
          detail: `notional time ${JSON.stringify(n.time)} does not parse`, fix: 'supersede the interruption with times written as 3:45.2',
        });
        continue;
      }
      const seen = byCar.get(n.car);
      // Facts arrive sorted by log order, so the first one seen is the one chosen.
      if (!seen) byCar.set(n.car, { ms, fact: f, conflicts: [] });
      else if (seen.ms !== ms) seen.conflicts.push(f);
    }
  }
  return g;
}
