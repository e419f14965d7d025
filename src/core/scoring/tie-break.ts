// Dead heats: equal totals are decided stage by stage in the preset's order.
// SEE: rally-rules §5 — FMU26 Art 64.3 (first stage that is not a super special),
// WRC practice (first stage, ACR23), Russian national rules (last stage);
// beyond the first stage the FIA text was not found ([NF]): the next stage decides.
import type { RuleSet } from '../rules/types.ts';
import type { StageCell } from './car.ts';
import type { Itinerary } from './itinerary.ts';

export interface TieNote {
  /** The other car of the dead heat. */
  with: number;
  /** Stage that decided it; null when every stage was equal too (car number decides, see docs/scoring.md). */
  stage: string | null;
  rule: string;
  confirmed: boolean;
}

/** The counted stages in the order the preset compares them. */
export function tieBreakOrder(rules: RuleSet, it: Itinerary, counted: readonly number[]): number[] {
  const order = stageOrder(rules, it, counted);
  // tieBreakThen "tieBreakLast": only the tie-break stage is compared; then tieBreakLast decides.
  return rules.tieBreakThen.value === 'tieBreakLast' ? order.slice(0, 1) : order;
}

function stageOrder(rules: RuleSet, it: Itinerary, counted: readonly number[]): number[] {
  const how = rules.tieBreak.value;
  if (how === 'lastStage') return [...counted].reverse();
  if (how === 'firstStage') return [...counted];
  const first = counted.findIndex((i) => it.stages[i]!.type !== 'superSpecial');
  if (first <= 0) return [...counted];
  return [...counted.slice(first), ...counted.slice(0, first)];
}

export function compareTie(a: number, b: number, ca: readonly StageCell[], cb: readonly StageCell[], order: readonly number[], it: Itinerary, rules: RuleSet, notes: Map<number, TieNote>): number {
  const confirmedBase = rules.tieBreak.confirmed;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const x = ca[i]!.stageMs ?? Infinity, y = cb[i]!.stageMs ?? Infinity;
    if (x === y) continue;
    // Beyond the first compared stage the rule is the unconfirmed "next stage" reading.
    const beyond = k > 0;
    const rule = beyond ? `${rules.tieBreak.rule}; ${rules.tieBreakThen.rule}` : rules.tieBreak.rule;
    const confirmed = confirmedBase && (!beyond || rules.tieBreakThen.confirmed);
    const stage = it.stages[i]!.code;
    notes.set(a, { with: b, stage, rule, confirmed });
    notes.set(b, { with: a, stage, rule, confirmed });
    return x - y;
  }
  // Every stage equal too: the preset's tieBreakLast (lower car number first, or a shared position — the
  // classification shares it; the order stays by car number so every listing is the same).
  const last = rules.tieBreakLast;
  const rule = `${last.rule}: ${last.value === 'shared' ? 'the crews share the position' : 'the lower car number is placed first'}`;
  notes.set(a, { with: b, stage: null, rule, confirmed: last.confirmed });
  notes.set(b, { with: a, stage: null, rule, confirmed: last.confirmed });
  return a - b;
}
