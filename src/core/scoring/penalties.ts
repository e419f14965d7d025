// Time penalties other than road penalties: officials' penalty facts and jump starts.
// SEE: rally-rules §4.3 (free-form penalties sum into totals, placed where incurred),
// §3.2 (jump start: offences count across the whole rally, FMU26 Art 48.6).
import type { Fact, JumpStartRecorded, PenaltyApplied } from '../facts.ts';
import type { Issue } from '../issues.ts';
import type { RuleSet } from '../rules/types.ts';
import { jumpStartPenalty } from '../timing/jump-start.ts';
import { AT_END, placeOf, placeOfStageEnd, type Itinerary } from './itinerary.ts';
import type { PenaltyItem } from './car.ts';

/** Jump starts recorded by these sources are evidence, not a decision. */
const DEVICE_SOURCES = new Set(['photocell', 'eztrak', 'rallysafe']);

export function isDecidedJumpStart(f: JumpStartRecorded): boolean {
  return f.source === undefined || !DEVICE_SOURCES.has(f.source);
}

/**
 * Penalty facts, placed where they were incurred: at the control if one is
 * named, else at the stage's finish, else at the end of the rally (a penalty
 * with no place counts from the moment it applies, i.e. in the final
 * classification and in the last leg).
 */
export function penaltyItems(car: number, live: Fact[], it: Itinerary, issues: Issue[]): PenaltyItem[] {
  const out: PenaltyItem[] = [];
  for (const f of live) {
    if (f.type !== 'penalty') continue;
    const where = f.control ?? f.stage;
    let pos = placeOf(it, f.control) ?? placeOf(it, f.stage);
    if (pos === null) {
      pos = AT_END;
      if (where !== undefined) {
        issues.push({
          code: f.control !== undefined ? 'unknown-control' : 'unknown-stage', severity: 'warning', subject: `car ${car} at ${where}`, car, facts: [f.id],
          detail: `penalty names ${JSON.stringify(where)}, which is not in the itinerary; it counts at the end of the rally`,
          fix: 'supersede the penalty with one naming a control or stage of the rally',
        });
      }
    }
    out.push(penaltyItem(f, pos));
  }
  return out;
}

function penaltyItem(f: PenaltyApplied, pos: number): PenaltyItem {
  // NOTE: a penalty never gives time back; a negative figure counts as nothing (a credit is a correction, not a penalty).
  const ms = Number.isFinite(f.seconds) ? Math.max(0, Math.round(f.seconds * 1000)) : 0;
  return {
    pos, ms, kind: 'other', label: f.reason, rule: f.rule, confirmed: true, facts: [f],
    ...(f.stage !== undefined ? { stage: f.stage } : {}), ...(f.control !== undefined ? { control: f.control } : {}),
  };
}

/**
 * Jump starts decided by an official (source `official`, `manual` or none) are
 * charged by offence number across the rally, counted in itinerary order; a
 * second decision for the same stage is the same offence. Device records are
 * evidence only, left to the data-quality checks.
 */
export function jumpStartItems(car: number, live: Fact[], it: Itinerary, rules: RuleSet, issues: Issue[]): { items: PenaltyItem[]; evidence: JumpStartRecorded[] } {
  const jumps = live.filter((f): f is JumpStartRecorded => f.type === 'jumpStart');
  const evidence = jumps.filter((f) => !isDecidedJumpStart(f));
  const decided = new Map<string, JumpStartRecorded>();
  for (const f of jumps) {
    if (!isDecidedJumpStart(f)) continue;
    if (!it.stageIndex.has(f.stage)) {
      issues.push({ code: 'unknown-stage', severity: 'error', subject: `car ${car} at ${f.stage}`, car, facts: [f.id],
        detail: `jump start names stage ${JSON.stringify(f.stage)}, which is not in the itinerary`, fix: 'supersede it with one naming a stage of the rally' });
      continue;
    }
    if (!decided.has(f.stage)) decided.set(f.stage, f); // live is in log order: the first decision stands
  }
  const ordered = [...decided.values()].sort((a, b) => it.stageIndex.get(a.stage)! - it.stageIndex.get(b.stage)!);
  const items: PenaltyItem[] = ordered.map((f, n) => {
    const p = jumpStartPenalty(n + 1, f.jumpedMs, rules);
    const i = it.stageIndex.get(f.stage)!;
    return {
      pos: placeOfStageEnd(it, i), ms: p.ms ?? 0, kind: 'other', stage: f.stage, facts: [f],
      label: p.ms === null ? `${p.label} (not counted until they do)` : `${p.label} at ${f.stage}`, rule: p.rule, confirmed: p.confirmed,
    };
  });
  return { items, evidence };
}
