// The scoring API every adapter uses. Results are a pure function of the
// rally definition, the rules and the facts; the state also folds one new fact
// at a time so a server keeps results live without rescoring the rally.
// SEE: docs/scoring.md for how a total is built and the choices made.
import type { RallyDefinition } from '../model.ts';
import type { Fact } from '../facts.ts';
import type { RuleSet } from '../rules/types.ts';
import type { Classification, StageClassification, Workings, OverdueCrew } from '../results.ts';
import type { Issue } from '../issues.ts';
import { Engine } from './engine.ts';
import { classifyEngine, type ClassifyOptions } from './classification.ts';
import { stageResultsEngine } from './stage-results.ts';
import { explainEngine } from './explain.ts';
import { dataIssuesEngine, overdueEngine } from './quality-bridge.ts';
import { notionalProposalsEngine, type NotionalProposals } from './notional.ts';

export type { ClassifyOptions, NotionalProposals };
export { formatWorkings } from './format-workings.ts';

export interface ScoringState {
  readonly definition: RallyDefinition;
  readonly rules: RuleSet;
  /** Number of facts folded in. */
  readonly factCount: number;
}

/**
 * A state is a view of an engine at one version. Folding a fact into the
 * newest state moves the engine forward in place (fast); an older state stays
 * valid and rebuilds its own engine from the log the first time it is used.
 */
interface StateImpl extends ScoringState {
  readonly engine: Engine;
  readonly version: number;
  /** Engine rebuilt for a state the shared engine has moved past. */
  own?: Engine;
}

function impl(state: ScoringState): StateImpl {
  const s = state as StateImpl;
  if (!(s.engine instanceof Engine)) throw new TypeError('not a scoring state: create one with createState() or score()');
  return s;
}

function engineOf(state: ScoringState): Engine {
  const s = impl(state);
  if (s.engine.version === s.version) return s.engine;
  if (!s.own) {
    const e = new Engine(s.definition, s.rules);
    for (const f of s.engine.log.slice(0, s.factCount)) e.apply(f);
    s.own = e;
  }
  return s.own;
}

export function createState(definition: RallyDefinition, rules: RuleSet): ScoringState {
  const engine = new Engine(definition, rules);
  const s: StateImpl = { definition, rules, factCount: 0, engine, version: engine.version };
  return s;
}

export function applyFact(state: ScoringState, fact: Fact): ScoringState {
  let e = engineOf(state);
  if (e !== impl(state).engine || e.log.length !== state.factCount) {
    // Branching from an older state: continue on a private copy.
    const copy = new Engine(state.definition, state.rules);
    for (const f of e.log.slice(0, state.factCount)) copy.apply(f);
    e = copy;
  }
  e.apply(fact);
  const next: StateImpl = { definition: state.definition, rules: state.rules, factCount: state.factCount + 1, engine: e, version: e.version };
  return next;
}

/**
 * Folds several facts at once; the same result as `applyFact` one by one, but
 * each car the facts touch is re-derived once for the batch (a server folds
 * every fact acknowledged by one durable commit together).
 */
export function applyFacts(state: ScoringState, facts: readonly Fact[]): ScoringState {
  if (facts.length === 0) return state;
  let e = engineOf(state);
  if (e !== impl(state).engine || e.log.length !== state.factCount) {
    // Branching from an older state: continue on a private copy.
    const copy = new Engine(state.definition, state.rules);
    copy.applyBatch(e.log.slice(0, state.factCount));
    e = copy;
  }
  e.applyBatch(facts);
  const next: StateImpl = { definition: state.definition, rules: state.rules, factCount: state.factCount + facts.length, engine: e, version: e.version };
  return next;
}

export function score(definition: RallyDefinition, rules: RuleSet, facts: readonly Fact[]): ScoringState {
  // The same fold as applyFact one fact at a time, without a state object per fact.
  const engine = new Engine(definition, rules);
  for (const f of facts) engine.apply(f);
  const s: StateImpl = { definition, rules, factCount: facts.length, engine, version: engine.version };
  return s;
}

export function classify(state: ScoringState, options?: ClassifyOptions): Classification {
  return classifyEngine(engineOf(state), options ?? {});
}

/**
 * The classification of each category (one for a rally without categories):
 * every crew of the rally is in exactly one, which `classify` alone (the first
 * category by default) does not give when several categories share the roads.
 */
export function classifyEveryCategory(state: ScoringState, options?: Omit<ClassifyOptions, 'category'>): Classification[] {
  const categories = state.definition.categories ?? [];
  if (categories.length === 0) return [classify(state, options)];
  return categories.map((c) => classify(state, { ...options, category: c.code }));
}

/** One stage's times; `category` ranks only that category's crews (default: every crew on the stage). */
export function stageResults(state: ScoringState, stage: string, options?: { class?: string; category?: string }): StageClassification {
  return stageResultsEngine(engineOf(state), stage, options ?? {});
}

export function explain(state: ScoringState, car: number, stage?: string): Workings {
  return explainEngine(engineOf(state), car, stage);
}

export function dataIssues(state: ScoringState): Issue[] {
  return dataIssuesEngine(engineOf(state));
}

/** Crews that started a stage and have not reached its finish in the expected window; `nowLocalMs` is rally-local ms. */
export function overdueCrews(state: ScoringState, nowLocalMs: number): OverdueCrew[] {
  return overdueEngine(engineOf(state), nowLocalMs);
}

/** Notional times rallyhq proposes for an interrupted stage by the preset's method, with the candidates (the Clerk confirms or overrides). */
export function notionalProposals(state: ScoringState, stage: string): NotionalProposals {
  return notionalProposalsEngine(engineOf(state), stage);
}
