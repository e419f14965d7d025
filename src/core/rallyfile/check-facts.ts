// Checks on facts against a rally definition: every car, control, stage and
// section a fact names must exist, every time must fall within the rally's
// dates, and across facts: unique ids, corrections that point somewhere, and
// (a finding, not a refusal) no stage finish before its start.
// These are the one set of rules for a rally's log: the live API checks each
// fact with `checkFactReferences` (through validateFact), refuses a definition
// change that would leave a stored fact naming what no longer exists
// (`factsInTheWay`), and the rally-file import applies the same rules, so what
// was accepted live always imports back. SEE: docs/rally-file.md#errors.
import { carOf, type Fact } from '../facts.ts';
import type { RallyDefinition } from '../model.ts';
import { formatLocalDateTime, parseLocalDateTime, timesOfDayForPeople } from '../time/index.ts';
import { indexDefinition, type DefinitionIndex } from './check-definition.ts';
import { child, show, type PathError } from './errors.ts';

function carError(index: DefinitionIndex, car: number, path: string): PathError[] {
  return index.cars.has(car) ? [] : [{ path, message: `unknown car ${car}; no entry has this car number` }];
}

function stageError(index: DefinitionIndex, stage: string, path: string): PathError[] {
  return index.stages.has(stage) ? [] : [{ path, message: `unknown stage ${show(stage)}; use one of ${[...index.stages].join(', ') || '(no stages declared)'}` }];
}

function controlError(index: DefinitionIndex, control: string, path: string): PathError[] {
  return index.controls.has(control) ? [] : [{ path, message: `unknown control ${show(control)}; no control in the itinerary has this id` }];
}

/** Errors in one fact (already of a valid shape) against the definition; `path` is the fact's JSON path. */
export function checkFactReferences(index: DefinitionIndex, fact: Fact, path: string): PathError[] {
  const errors: PathError[] = [];
  if ('car' in fact) errors.push(...carError(index, fact.car, child(path, 'car')));
  switch (fact.type) {
    case 'controlTime': {
      errors.push(...controlError(index, fact.control, child(path, 'control')));
      const ms = parseLocalDateTime(fact.at);
      if (ms !== null && index.window && (ms < index.window.fromMs || ms >= index.window.toMs)) {
        errors.push({
          path: child(path, 'at'),
          message: `time ${show(fact.at)} is outside the rally's dates (allowed ${formatLocalDateTime(index.window.fromMs).slice(0, 10)} to ${formatLocalDateTime(index.window.toMs - 1).slice(0, 10)}); check the date part`,
        });
      }
      break;
    }
    case 'stageTime':
    case 'jumpStart':
    case 'stageCancelled':
    case 'stageMaximumCharged':
    case 'delayedStart':
      errors.push(...stageError(index, fact.stage, child(path, 'stage')));
      break;
    case 'stageInterrupted':
      errors.push(...stageError(index, fact.stage, child(path, 'stage')));
      fact.notionalTimes.forEach((n, i) => errors.push(...carError(index, n.car, child(child(child(path, 'notionalTimes'), i), 'car'))));
      (fact.responsible ?? []).forEach((car, i) => errors.push(...carError(index, car, child(child(path, 'responsible'), i))));
      break;
    case 'penalty':
      if (fact.control !== undefined) errors.push(...controlError(index, fact.control, child(path, 'control')));
      if (fact.stage !== undefined) errors.push(...stageError(index, fact.stage, child(path, 'stage')));
      break;
    case 'retirement':
      if (!index.controls.has(fact.where) && !index.stages.has(fact.where)) {
        errors.push({ path: child(path, 'where'), message: `unknown place ${show(fact.where)}; give a control id (e.g. TC5) or a stage code (e.g. SS6)` });
      }
      break;
    case 'restart':
      if (!index.sections.has(fact.section) && !index.legs.has(fact.section)) {
        errors.push({ path: child(path, 'section'), message: `unknown section ${show(fact.section)}; give the id of the section (or leg) at whose start the crew restarts` });
      }
      break;
    case 'exclusion':
    case 'retraction':
      break;
  }
  return errors;
}

export interface CrossCheckResult {
  errors: PathError[];
  warnings: PathError[];
}

/**
 * Checks that need every fact at once. `facts` pairs each fact of a valid shape
 * with its JSON path; facts whose shape failed are left out by the caller.
 */
export function checkAcrossFacts(index: DefinitionIndex, facts: readonly { fact: Fact; path: string }[]): CrossCheckResult {
  const errors: PathError[] = [];
  const warnings: PathError[] = [];

  const firstPath = new Map<string, string>();
  for (const { fact, path } of facts) {
    const seen = firstPath.get(fact.id);
    if (seen !== undefined) errors.push({ path: child(path, 'id'), message: `duplicate fact id ${show(fact.id)}: already used at ${seen}; each fact needs its own id` });
    else firstPath.set(fact.id, path);
  }

  const superseded = new Set<string>();
  for (const { fact, path } of facts) {
    if (fact.supersedes === undefined) continue;
    superseded.add(fact.supersedes);
    if (fact.supersedes === fact.id) errors.push({ path: child(path, 'supersedes'), message: `fact ${show(fact.id)} supersedes itself; name the earlier fact it corrects` });
    else if (!firstPath.has(fact.supersedes)) {
      // NOTE: live, a correction can arrive before the fact it corrects; in a
      // whole file that is suspicious but not fatal.
      warnings.push({ path: child(path, 'supersedes'), message: `supersedes fact ${show(fact.supersedes)}, which is not in the file` });
    }
  }

  // A stage finish before its start for the same car (facts still in force only:
  // a superseded typo is exactly what a correction is for). A warning, not an
  // error: live, the finish marshal's time is stored whatever the start's (the
  // wrong one is found later and corrected) and results show it as the
  // `finish-before-start` issue; a file holding it must import the same way.
  const startAt = new Map<string, { ms: number; control: string }>();
  const finishes: { key: string; ms: number; fact: Fact & { type: 'controlTime' }; path: string }[] = [];
  for (const { fact, path } of facts) {
    if (fact.type !== 'controlTime' || superseded.has(fact.id)) continue;
    const control = index.controls.get(fact.control);
    if (control?.stage === undefined) continue;
    const ms = parseLocalDateTime(fact.at);
    if (ms === null) continue;
    const key = `${fact.car}@${control.stage}`;
    if (control.kind === 'SS_START') startAt.set(key, { ms, control: fact.control });
    else if (control.kind === 'SS_FINISH') finishes.push({ key, ms, fact, path });
  }
  for (const f of finishes) {
    const start = startAt.get(f.key);
    if (start !== undefined && f.ms <= start.ms) {
      const [finishText, startText] = timesOfDayForPeople(f.ms, start.ms);
      warnings.push({
        path: child(f.path, 'at'),
        message: `car ${f.fact.car}'s finish time (at) at ${f.fact.control} is ${finishText}, ${f.ms === start.ms ? 'the same as' : 'before'} its start time ${startText} at ${start.control} ` +
          `on ${index.controls.get(f.fact.control)?.stage}; a finish comes after the start: correct the hour or minute of the wrong time`,
      });
    }
  }
  return { errors, warnings };
}

/** A stored fact that a changed definition would leave naming what no longer exists. */
export interface FactInTheWay {
  id: string;
  seq?: number;
  /** The car the fact is about, when it is about one. */
  car: number | null;
  /** What it names that the new definition lacks, in words (one per problem). */
  problems: string[];
}

/**
 * The facts of a log (every one, superseded or not: the file keeps them all)
 * that `def` would orphan. Empty means the change keeps the log importable.
 */
export function factsInTheWay(def: RallyDefinition, facts: readonly { fact: Fact; seq?: number }[]): FactInTheWay[] {
  const index = indexDefinition(def);
  const out: FactInTheWay[] = [];
  for (const { fact, seq } of facts) {
    const problems = checkFactReferences(index, fact, '$');
    if (problems.length === 0) continue;
    out.push({ id: fact.id, ...(seq !== undefined ? { seq } : {}), car: carOf(fact), problems: problems.map((p) => p.message) });
  }
  return out;
}

/** The facts in the way, in words: `fact "SS1F-2" (car 2, seq 14): unknown car 2; …`. At most `limit` listed. */
export function describeFactsInTheWay(facts: readonly FactInTheWay[], limit = 5): string {
  const shown = facts.slice(0, limit).map((f) => {
    const about = [f.car !== null ? `car ${f.car}` : null, f.seq !== undefined ? `seq ${f.seq}` : null].filter(Boolean).join(', ');
    return `fact ${show(f.id)}${about ? ` (${about})` : ''}: ${f.problems.join('; ')}`;
  });
  const more = facts.length > limit ? ` and ${facts.length - limit} more` : '';
  return `${shown.join(' | ')}${more}`;
}
