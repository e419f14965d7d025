// What officials' decisions on a stage charge one car, besides its time:
//  - the stage maximum for a stage not performed correctly (MSUK26 App 8 (c),
//    App 14 (d); rally-rules §3.3) — a `stageMaximumCharged` fact with its reason;
//  - a crew retired on a stage, when the rules charge a time instead of
//    retiring it (`dnfStageCharge` maxTime / maxTimePlus; rally-rules §3.3):
//    the stage maximum (+ `dnfStagePlusMs`), and the crew runs on;
//  - a delayed start caused by the crew (FMU26 Art 48.4; rally-rules §2.2):
//    a penalty per minute or part of a minute, and retirement when the car did
//    not move within `delayedStartRetireAfterMs` of the signal.
// A cancelled stage charges nothing: it is dropped for everyone (§3.4).
import type { DelayedStart, Fact } from '../facts.ts';
import type { Stage } from '../model.ts';
import type { RuleSet } from '../rules/types.ts';
import type { Issue } from '../issues.ts';
import type { WorkingStep } from '../results.ts';
import { formatDuration } from '../time/duration.ts';
import { MINUTE_MS } from '../time/local-time.ts';
import { stageMaximumMs } from '../timing/stage-time.ts';
import type { CarContext, PenaltyItem } from './car.ts';
import { placeOfStageEnd } from './itinerary.ts';
import type { RetirementItem } from './retirement.ts';
import type { StageCell } from './stage-cell.ts';

export interface StageCharges {
  penalties: PenaltyItem[];
  /** Retirements rallyhq works out (a delayed start beyond the limit). */
  retirements: RetirementItem[];
  /** Retirement facts turned into a stage charge: the crew is not retired by them. */
  notRetired: Set<Fact>;
}

/** The stage a retirement names: the stage itself or one of its own controls. */
function stageOfPlace(ctx: CarContext, where: string): number | undefined {
  const i = ctx.it.stageIndex.get(where);
  if (i !== undefined) return i;
  const stage = ctx.it.controls.get(where)?.stage;
  return stage !== undefined ? ctx.it.stageIndex.get(stage) : undefined;
}

function maximumCell(ms: number, used: Fact[], steps: WorkingStep[]): StageCell {
  return { status: 'maxTime', ms, stageMs: ms, rawMs: null, source: 'stageTime', used, conflicts: [], steps };
}

/**
 * Where the stage maximum's figure comes from, and how sure it is: the stage's own `maximumMs` is the
 * event's documents' figure (as sure as the rally definition); a figure from the rules is only as sure as
 * the preset (or SR override) that gives `stageMaxTime`. The decision to charge it is the official's (their fact).
 */
function maximumCitation(stage: Stage, rules: RuleSet): { rule: string; confirmed: boolean; shown?: string } {
  const base = 'MSUK26 App 8 (c), App 14 (d)';
  if (stage.maximumMs !== undefined) return { rule: `${base}; ${stage.code}'s own maximum in the rally definition`, confirmed: true };
  const c = rules.stageMaxTime;
  return { rule: `${base}; ${c.rule}`, confirmed: c.confirmed, ...(c.shown ? { shown: c.shown } : {}) };
}

/** Replaces cells in place (they belong to this derivation) and returns the penalties and retirements. */
export function stageCharges(car: number, live: readonly Fact[], ctx: CarContext, cells: StageCell[], issues: Issue[]): StageCharges {
  const { it, rules, global } = ctx;
  const out: StageCharges = { penalties: [], retirements: [], notRetired: new Set() };
  const noMaximum = (f: Fact, stage: string, what: string): void => {
    issues.push({ code: 'no-stage-maximum', severity: 'error', subject: `car ${car} at ${stage}`, car, stage, facts: [f.id],
      detail: `${what}, but ${stage} has no stage maximum (${rules.stageMaxTime.rule})`,
      fix: `give ${stage} its maximumMs in the rally definition, or override stageMaxTime citing the SR article` });
  };
  for (const f of live) {
    if (f.type === 'stageMaximumCharged') {
      const i = it.stageIndex.get(f.stage);
      if (i === undefined) {
        issues.push({ code: 'unknown-stage', severity: 'error', subject: `car ${car} at ${f.stage}`, car, facts: [f.id],
          detail: `stage maximum names stage ${JSON.stringify(f.stage)}, which is not in the itinerary`, fix: 'supersede it with one naming a stage of the rally' });
        continue;
      }
      if (global.cancelled.has(f.stage)) continue;
      const max = stageMaximumMs(it.stages[i]!, rules);
      if (max === null) { noMaximum(f, f.stage, `car ${car} is to be charged the stage maximum (${f.reason})`); continue; }
      cells[i] = maximumCell(max, [f], [
        { label: `stage not performed correctly: ${f.reason}`, ...(f.rule ? { rule: f.rule } : {}), facts: [{ id: f.id, type: f.type }] },
        { label: `stage maximum ${formatDuration(max, 1)} charged, whatever was driven`, ms: max, ...maximumCitation(it.stages[i]!, rules) },
      ]);
    } else if (f.type === 'retirement' && !f.permanent && rules.dnfStageCharge.value !== 'retire') {
      const i = stageOfPlace(ctx, f.where);
      if (i === undefined || global.cancelled.has(it.stages[i]!.code)) continue;
      const code = it.stages[i]!.code;
      const max = stageMaximumMs(it.stages[i]!, rules);
      if (max === null) { noMaximum(f, code, `car ${car} did not complete ${code} and the rules charge the maximum (${rules.dnfStageCharge.rule})`); continue; }
      const plus = rules.dnfStageCharge.value === 'maxTimePlus' ? rules.dnfStagePlusMs.value : 0;
      const steps: WorkingStep[] = [
        { label: `did not complete ${code}: ${f.reason}`, facts: [{ id: f.id, type: f.type }] },
        { label: `stage maximum ${formatDuration(max, 1)} charged; the crew runs on`, ms: max, rule: rules.dnfStageCharge.rule, confirmed: rules.dnfStageCharge.confirmed },
      ];
      if (plus > 0) steps.push({ label: `+ ${formatDuration(plus, 0)} for not completing it`, ms: plus, rule: rules.dnfStagePlusMs.rule, confirmed: rules.dnfStagePlusMs.confirmed });
      cells[i] = maximumCell(max + plus, [f], steps);
      out.notRetired.add(f);
    } else if (f.type === 'delayedStart') {
      delayed(car, f, ctx, out, issues);
    }
  }
  return out;
}

function delayed(car: number, f: DelayedStart, ctx: CarContext, out: StageCharges, issues: Issue[]): void {
  const { it, rules, global } = ctx;
  const i = it.stageIndex.get(f.stage);
  if (i === undefined) {
    issues.push({ code: 'unknown-stage', severity: 'error', subject: `car ${car} at ${f.stage}`, car, facts: [f.id],
      detail: `delayed start names stage ${JSON.stringify(f.stage)}, which is not in the itinerary`, fix: 'supersede it with one naming a stage of the rally' });
    return;
  }
  if (global.cancelled.has(f.stage)) return;
  const per = rules.delayedStartPenaltyPerMinuteMs;
  if (f.delayMs !== undefined && f.delayMs > 0) {
    const minutes = Math.ceil(f.delayMs / MINUTE_MS);
    out.penalties.push({
      pos: placeOfStageEnd(it, i), ms: minutes * per.value, kind: 'other', stage: f.stage, facts: [f],
      label: `delayed start at ${f.stage} caused by the crew (${f.reason}): ${minutes} min × ${formatDuration(per.value, 0)}`, rule: per.rule, confirmed: per.confirmed,
    });
  }
  const limit = rules.delayedStartRetireAfterMs;
  if (f.afterSignalMs !== undefined && limit.value !== null && f.afterSignalMs > limit.value) {
    out.retirements.push({
      pos: it.stagePos[i]!, where: f.stage, permanent: false, fact: f, rule: limit.rule, confirmed: limit.confirmed, cause: 'delayedStart',
      reason: `did not start within ${formatDuration(limit.value, 0)} of the start signal (${formatDuration(f.afterSignalMs, 1)}): ${f.reason}`,
    });
  }
}
