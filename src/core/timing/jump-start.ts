// Jump-start (false start) penalty by offence number across the whole rally.
// SEE: rally-rules §3.2 — FIA-regional FMU26 Art 48.6: 10 s / 1 min / 3 min /
// stewards; MSUK App 8 (e), App 14 (f): 10 s plus the time jumped / 1 min / 3 min / Clerk.
import type { RuleSet } from '../rules/types.ts';
import { formatDuration } from '../time/duration.ts';

const ORDINALS = ['1st', '2nd', '3rd'];
const ordinal = (n: number): string => ORDINALS[n - 1] ?? `${n}th`;

/**
 * The penalty for a crew's `offence`-th jump start (1 = first). Beyond the
 * preset's list `ms` is null: the stewards (or the Clerk) decide, and the
 * scoring shows it as a decision awaited, never as zero.
 */
export function jumpStartPenalty(offence: number, jumpedMs: number | undefined, rules: RuleSet): { ms: number | null; label: string; rule: string; confirmed: boolean } {
  if (!Number.isInteger(offence) || offence < 1) throw new RangeError(`jumpStartPenalty: offence must be 1, 2, 3…, got ${offence}`);
  const list = rules.jumpStartPenaltiesMs;
  const base = list.value[offence - 1];
  if (base === undefined) {
    return {
      ms: null,
      label: `jump start, ${ordinal(offence)} offence: penalty for the stewards to decide`,
      rule: list.rule,
      confirmed: list.confirmed,
    };
  }
  const adds = rules.jumpStartAddsJumpedTime;
  const jumped = offence === 1 && adds.value && jumpedMs !== undefined && jumpedMs > 0 ? Math.trunc(jumpedMs) : 0;
  const label = jumped > 0
    ? `jump start, ${ordinal(offence)} offence: ${formatDuration(base, 0)} s + ${formatDuration(jumped, 1)} s jumped`
    : `jump start, ${ordinal(offence)} offence: ${formatDuration(base, 0)}${base < 60_000 ? ' s' : ''}`;
  return {
    ms: base + jumped,
    label,
    rule: jumped > 0 ? `${list.rule}; ${adds.rule}` : list.rule,
    confirmed: list.confirmed && (jumped === 0 || adds.confirmed),
  };
}
