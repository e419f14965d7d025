// The scoring API every adapter uses. Results are a pure function of the
// rally definition, the rules and the facts; the state also folds one new fact
// at a time so a server keeps results live without rescoring the rally.
// NOTE: placeholder signatures; the implementation lands with the scoring core.
import type { RallyDefinition } from '../model.ts';
import type { Fact } from '../facts.ts';
import type { RuleSet } from '../rules/types.ts';
import type { Classification, StageClassification, Workings, OverdueCrew } from '../results.ts';
import type { Issue } from '../issues.ts';

export interface ScoringState {
  readonly definition: RallyDefinition;
  readonly rules: RuleSet;
  /** Number of facts folded in. */
  readonly factCount: number;
}

export interface ClassifyOptions {
  /** Classification after this stage (`SS7`); default: after the last stage with any time. */
  after?: string;
  /** Only this leg's stages and penalties. */
  leg?: string;
  /** Only crews of this class (positions become class positions). */
  class?: string;
}

export function createState(_definition: RallyDefinition, _rules: RuleSet): ScoringState {
  throw new Error('not implemented');
}
export function applyFact(_state: ScoringState, _fact: Fact): ScoringState {
  throw new Error('not implemented');
}
export function score(definition: RallyDefinition, rules: RuleSet, facts: readonly Fact[]): ScoringState {
  let s = createState(definition, rules);
  for (const f of facts) s = applyFact(s, f);
  return s;
}
export function classify(_state: ScoringState, _options?: ClassifyOptions): Classification {
  throw new Error('not implemented');
}
export function stageResults(_state: ScoringState, _stage: string, _options?: { class?: string }): StageClassification {
  throw new Error('not implemented');
}
export function explain(_state: ScoringState, _car: number, _stage?: string): Workings {
  throw new Error('not implemented');
}
export function dataIssues(_state: ScoringState): Issue[] {
  throw new Error('not implemented');
}
/** Crews that started a stage and have not reached its finish in the expected window; `nowLocalMs` is rally-local ms. */
export function overdueCrews(_state: ScoringState, _nowLocalMs: number): OverdueCrew[] {
  throw new Error('not implemented');
}
