// A Super Rally restart beyond the rules' limit per leg: the scoring does not
// honour it (the crew stays retired) and reports it here so an official can
// retract it or cite the supplementary regulation that allows more.
// SEE: rally-rules §4.2 — FMU26 Art 54: restart at most once per leg.
import type { Issue } from '../issues.ts';

export interface RestartOverLimit {
  car: number;
  /** Section (or leg) the refused restart names. */
  section: string;
  leg: string;
  limit: number;
  /** The rule that sets the limit, and whether the rulebook confirmed it. */
  rule: string;
  confirmed: boolean;
  /** The refused restart fact, and the restarts already honoured in that leg. */
  factId: string;
  honoured: string[];
}

export function restartLimitIssue(r: RestartOverLimit): Issue {
  const times = r.limit === 1 ? 'once' : `${r.limit} times`;
  return {
    code: 'restart-limit-exceeded', severity: 'error', subject: `car ${r.car} at ${r.section}`, car: r.car, facts: [r.factId, ...r.honoured],
    detail: `car ${r.car} would restart for the ${ordinal(r.honoured.length + 1)} time in leg ${r.leg}, but the rules allow a restart at most ${times} per leg ` +
      `(${r.rule}${r.confirmed ? '' : ', unconfirmed'}); the restart is not honoured and the crew stays retired`,
    fix: `retract the restart; or, if the supplementary regulations allow more restarts per leg, override restartMaxPerLeg in the rally's rules citing the SR article`,
  };
}

function ordinal(n: number): string {
  return n === 1 ? '1st' : n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`;
}
