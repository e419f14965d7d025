// Workings: why a number is what it is. For a stage: the facts used and those
// superseded, the raw time, the rounding and its rule, the penalties incurred
// there. For the total: each stage, each road penalty with due and actual
// times, each other penalty with its reason, the total, the position and any
// tie-break. Every rule value relied on is listed; unconfirmed ones are marked.
import type { Fact } from '../facts.ts';
import { citation, type RuleKey } from '../rules/types.ts';
import type { FactRef, WorkingStep, Workings } from '../results.ts';
import { formatDuration } from '../time/duration.ts';
import { formatTimeOfDay } from '../time/local-time.ts';
import { cellSteps, type StageCell } from './stage-cell.ts';
import { classifyEngine, scopeOf, tieNotes } from './classification.ts';
import type { Engine } from './engine.ts';
import { retiredAt, type RetirementItem } from './retirement.ts';
import { penaltyInScope } from './rank-index.ts';
import { refOf } from './store.ts';
import { carStatusLabel, stageCellLabel } from '../status-labels.ts';

const STAGE_RULES: RuleKey[] = ['stagePrecisionMs', 'stageRounding'];

export function explainEngine(e: Engine, car: number, stage?: string): Workings {
  return stage === undefined ? explainTotal(e, car) : explainStage(e, car, stage);
}

function supersededRefs(e: Engine, facts: readonly Fact[]): FactRef[] {
  const out: FactRef[] = [];
  for (const f of facts) {
    const by = e.store.supersedersOf(f.id);
    if (by.length === 0) continue;
    const s = by[0]!;
    out.push({
      ...refOf(f),
      reason: `${s.type === 'retraction' ? 'retracted' : 'superseded'} by ${s.id}${s.reason ? `: ${s.reason}` : ''}`,
      ...(s.by !== undefined ? { by: s.by } : {}),
      ...(s.recordedAt !== undefined ? { recordedAt: s.recordedAt } : {}),
    });
  }
  return out;
}

function rulesFor(e: Engine, keys: Iterable<RuleKey>): Workings['rules'] {
  const seen = new Set<RuleKey>();
  const out: Workings['rules'] = [];
  for (const k of keys) {
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(citation(e.rules, k));
  }
  return out;
}

function cellRuleKeys(e: Engine, car: number, cell: StageCell): RuleKey[] {
  const keys: RuleKey[] = [];
  if (cell.rawMs !== null || cell.status === 'assessed' || cell.status === 'notional') keys.push(...STAGE_RULES);
  if (cell.status === 'maxTime') keys.push('stageMaxTime');
  if (cell.status === 'notional') keys.push('notionalTimePolicy');
  if (cell.status === 'restartCharged') {
    keys.push('restartBase', 'restartPlusMs', 'restartPlusMsSuperSpecial');
    // The ARA-style values, only where they act (restart.ts).
    if (e.rules.restartPlusLaterMs.value !== null) keys.push('restartPlusLaterMs');
    if (e.rules.restartBasePrecisionMs.value > 1) keys.push('restartBasePrecisionMs');
    if (e.rules.restartBaseScope.value === 'category' && e.it.entryByCar.get(car)?.category !== undefined) keys.push('restartBaseScope');
  }
  return keys;
}

/** A crew that started a stage and retired on it (at the stage or one of its controls) has no finish: "on stage" would read as if it were still driving. */
function retiredOnStage(e: Engine, retirements: readonly RetirementItem[], code: string): RetirementItem | undefined {
  const controls = new Set([e.it.startOf.get(code), e.it.finishOf.get(code), ...(e.it.splitsOf.get(code) ?? [])]);
  return retirements.find((r) => r.where === code || controls.has(r.where));
}

function explainStage(e: Engine, car: number, code: string): Workings {
  const i = e.it.stageIndex.get(code);
  if (i === undefined) throw new RangeError(`explain: unknown stage ${JSON.stringify(code)}; stages are ${e.it.stages.map((s) => s.code).join(', ')}`);
  const score = e.carScore(car);
  const cell = score.cells[i]!;
  const steps: WorkingStep[] = cellSteps(cell, e.it.stages[i]!, e.rules, e.it);
  const penalties = score.derived.penalties.filter((p) => p.stage === code);
  for (const p of penalties) steps.push({ kind: 'penalty', label: `penalty: ${p.label}`, ms: p.ms, rule: p.rule, confirmed: p.confirmed, facts: p.facts.map(refOf) });
  for (const c of cell.conflicts) steps.push({ label: `not used: fact ${c.id} disagrees (two times for one car)`, facts: [refOf(c)], note: 'the first fact in the log is used; supersede the wrong one' });
  if (cell.status === 'notRun') steps.push({ label: `no time on ${code} yet` });
  const out = cell.status === 'running' ? retiredOnStage(e, score.derived.retirements, code) : undefined;
  if (cell.status === 'running') {
    const started = `started${cell.startedAtMs !== undefined ? ` at ${formatTimeOfDay(cell.startedAtMs)}` : ''}`;
    steps.push(out ? { label: `${started}, retired on ${code}: ${out.reason}`, ...(out.fact ? { facts: [refOf(out.fact)] } : {}) } : { label: `${started}, no finish yet` });
  }
  if (cell.ms !== null) steps.push({ label: `${code} charged ${formatDuration(cell.ms, 1)}${penalties.length ? `, penalties here ${formatDuration(penalties.reduce((a, p) => a + p.ms, 0), 1)}` : ''}`, ms: cell.ms });
  // Facts about this stage that no longer count: stage times and the stage's control times.
  const controls = new Set([e.it.startOf.get(code), e.it.finishOf.get(code), ...(e.it.splitsOf.get(code) ?? [])].filter((x): x is string => x !== undefined));
  const related = e.store.carFacts(car).filter((f) =>
    (f.type === 'stageTime' && f.stage === code) || (f.type === 'controlTime' && controls.has(f.control)) ||
    (f.type === 'penalty' && f.stage === code) || (f.type === 'jumpStart' && f.stage === code));
  const keys = cellRuleKeys(e, car, cell);
  if (penalties.some((p) => p.facts.some((f) => f.type === 'jumpStart'))) keys.push('jumpStartPenaltiesMs', 'jumpStartAddsJumpedTime');
  return {
    car, stage: code, status: cell.status, ...(out ? { retiredHere: true } : {}), steps, resultMs: cell.ms,
    factsUsed: [...cell.used, ...penalties.flatMap((p) => p.facts)].map(refOf),
    factsSuperseded: supersededRefs(e, related),
    rules: rulesFor(e, keys),
  };
}

function explainTotal(e: Engine, car: number): Workings {
  // A crew's total is worked in its own category's classification.
  const own = e.it.entryByCar.get(car)?.category;
  const opts = own !== undefined ? { category: own } : {};
  const classification = classifyEngine(e, opts);
  const scope = scopeOf(e, opts);
  const score = e.carScore(car);
  const d = score.derived;
  const steps: WorkingStep[] = [];
  const keys: RuleKey[] = [];
  const used: Fact[] = [];
  for (const i of scope.counted) {
    const c = score.cells[i]!;
    const code = e.it.stages[i]!.code;
    used.push(...c.used);
    keys.push(...cellRuleKeys(e, car, c));
    const status = stageCellLabel(c.status, retiredOnStage(e, d.retirements, code) !== undefined);
    steps.push({ label: `${code} ${c.ms !== null ? formatDuration(c.ms, 1) : 'no time'} (${status})`, ...(c.ms !== null ? { ms: c.ms } : {}), facts: c.used.map(refOf) });
  }
  for (const [i, stage] of e.it.stages.entries()) {
    if (score.cells[i]!.status === 'cancelled') steps.push({ label: `${stage.code} cancelled for every crew: not counted`, note: 'rally-rules §3.4 [NF]: a cancelled stage is dropped from every total' });
  }
  const road = d.road;
  for (const p of d.penalties) {
    if (!penaltyInScope(p.pos, scope)) continue;
    used.push(...p.facts);
    if (p.kind === 'road') {
      const rp = road?.penalties.find((x) => x.control === p.control);
      const detail = rp ? `: due ${formatTimeOfDay(rp.dueMs, 0).slice(0, 5)}, checked in ${formatTimeOfDay(rp.actualMs, 0).slice(0, 5)}, ${rp.minutes} min ${rp.kind}` : '';
      const label = rp?.kind === 'maxLateness'
        ? `maximum lateness exceeded at ${p.control}: fixed penalty (due ${formatTimeOfDay(rp.dueMs, 0).slice(0, 5)}, checked in ${formatTimeOfDay(rp.actualMs, 0).slice(0, 5)})`
        : `road penalty at ${p.control}${detail}`;
      steps.push({ kind: 'penalty', label, ms: p.ms, rule: p.rule, confirmed: p.confirmed, facts: p.facts.map(refOf) });
      if (rp?.kind === 'maxLateness') keys.push('onExceedMaxLateness', 'maxLatenessFixedPenaltyMs');
      else keys.push(rp?.kind === 'early' ? 'earlyPenaltyPerMinuteMs' : 'latePenaltyPerMinuteMs');
    } else {
      steps.push({ kind: 'penalty', label: `penalty: ${p.label}${p.control ? ` (at ${p.control})` : p.stage ? ` (at ${p.stage})` : ' (at the end: no control or stage named)'}`, ms: p.ms, ...(p.rule ? { rule: p.rule } : {}), confirmed: p.confirmed, facts: p.facts.map(refOf) });
    }
  }
  if (road?.capApplied) { steps.push({ label: 'lateness penalty capped', rule: e.rules.latenessPenaltyCapMs.rule, confirmed: e.rules.latenessPenaltyCapMs.confirmed }); keys.push('latenessPenaltyCapMs'); }
  const row = classification.rows.find((r) => r.car === car);
  const retired = retiredAt(d.retirements, scope.to);
  for (const r of d.retirements) {
    if (r.pos > scope.to) continue;
    if (r.fact) used.push(r.fact);
    steps.push({ label: `retired at ${r.where}: ${r.reason}${r.permanent ? ' (permanent)' : ''}${r.restart && r.restart.pos <= scope.to ? `; restarted at ${r.restart.section} under Super Rally` : ''}`, ...(r.rule ? { rule: r.rule, confirmed: r.confirmed } : {}), facts: r.fact ? [refOf(r.fact)] : [] });
    if (r.restart) used.push(r.restart.fact);
  }
  if (d.exclusion) {
    const f = d.exclusion.fact;
    if (f) used.push(f);
    steps.push({ label: `excluded: ${d.exclusion.reason}`, ...(d.exclusion.rule ? { rule: d.exclusion.rule } : {}), facts: f ? [refOf(f)] : [] });
  }
  if (row) {
    // A crew out of the classification has no total: the sum is what it had accumulated, not a result.
    const sum = row.status === 'retired' ? 'accumulated before retiring' : row.status === 'excluded' ? 'accumulated before exclusion' : 'total';
    steps.push({ label: `${sum} ${formatDuration(row.totalMs, 1)} = stages ${formatDuration(row.stagesMs, 1)} + road penalties ${formatDuration(row.roadPenaltyMs, 1)} + other penalties ${formatDuration(row.otherPenaltyMs, 1)}`, ms: row.totalMs });
    if (row.position !== null) {
      steps.push({ label: `position ${row.position}${classification.after ? ` after ${classification.after}` : ''}${row.gapToLeaderMs !== null ? `, ${formatDuration(row.gapToLeaderMs, 1)} behind the leader` : ''}` });
      const tie = tieNotes.get(classification)?.get(car);
      if (tie) {
        steps.push({ label: `dead heat with car ${tie.with}: ${tie.stage ? `decided on ${tie.stage}` : 'every stage equal'}`, rule: tie.rule, confirmed: tie.confirmed });
        keys.push('tieBreak');
        if (!tie.confirmed) keys.push('tieBreakThen');
        if (tie.stage === null) keys.push('tieBreakLast');
      }
    } else {
      steps.push({ label: `not classified (${carStatusLabel(row.status)}${retired ? `: retired at ${retired.where}` : ''})` });
    }
  } else {
    steps.push({ label: `car ${car} is not on the entry list: not classified` });
  }
  const all = e.store.carFacts(car);
  return {
    car, status: row?.status ?? 'notStarted', steps, resultMs: row && row.position !== null ? row.totalMs : null,
    factsUsed: [...new Map(used.map((f) => [f.id, refOf(f)])).values()],
    factsSuperseded: supersededRefs(e, all),
    rules: rulesFor(e, keys),
  };
}
