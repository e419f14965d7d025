// Where each stage stands, for the timetable: not started, running,
// finished, interrupted or cancelled — from the facts as scored.
// SEE: rally-rules §3.4 (interrupted and cancelled stages); docs/live.md
// "The honest table" for when a stage is complete (every crew still in the
// rally has a time on it).
import type { Fact } from '../facts.ts';
import type { RallyDefinition } from '../model.ts';
import type { Classification, StageClassification } from '../results.ts';
import type { RuleSet } from '../rules/types.ts';
import { classifyEveryCategory, score, stageResults, type ScoringState } from '../scoring/index.ts';
import { runsFor } from '../scoring/classification.ts';
import { stageComplete } from '../live/honest.ts';

export type StageState = 'notStarted' | 'running' | 'finished' | 'interrupted' | 'cancelled';

export const STAGE_STATE_WORDS: Record<StageState, string> = {
  notStarted: 'not started',
  running: 'running',
  finished: 'finished',
  interrupted: 'interrupted',
  cancelled: 'cancelled',
};

/** Crews that hold a stage open: still running or finished (retired and excluded crews hold nothing back). */
function inRally(latest: readonly Classification[]): Set<number> {
  return new Set(latest.flatMap((c) => c.rows).filter((r) => r.status === 'running' || r.status === 'finished').map((r) => r.car));
}

/**
 * One stage's state. Cancelled wins (the stage counts for no one); then
 * interrupted (stopped by the Clerk, notional times given); then finished
 * when every crew still in the rally has a time on it; running once any crew
 * has started it; else not started.
 */
export function stageStateOf(stage: StageClassification, crewsInRally: ReadonlySet<number>): StageState {
  if (stage.cancelled) return 'cancelled';
  if (stage.interrupted) return 'interrupted';
  if (stage.rows.length === 0) return 'notStarted';
  return stageComplete(stage, crewsInRally) ? 'finished' : 'running';
}

/** Every stage's state in running order, from a scoring state. */
export function stageStatesOf(state: ScoringState): { stage: string; state: StageState }[] {
  // Every category that runs the stage: it is not finished while a crew of any of them is still on it,
  // and a category that does not run it (ARA's National-only power stage) holds nothing open.
  const byCategory = classifyEveryCategory(state);
  return state.definition.stages.map((s) => {
    const crews = inRally(byCategory.filter((c) => runsFor(s, c.category ?? null)));
    return { stage: s.code, state: stageStateOf(stageResults(state, s.code), crews) };
  });
}

/** Every stage's state from the definition, the rules and the facts. */
export function stageStates(definition: RallyDefinition, rules: RuleSet, facts: readonly Fact[]): { stage: string; state: StageState }[] {
  return stageStatesOf(score(definition, rules, facts));
}
