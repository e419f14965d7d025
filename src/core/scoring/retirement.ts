// Retirements and Super Rally restarts of one car, placed in the itinerary.
// SEE: rally-rules §4.2 — FMU26 Art 54: a crew that fails to complete a section
// may restart at the start of a later section; never after a permanent
// retirement, and at most `restartMaxPerLeg` times in one leg (Art 54: once per
// leg). A crew retiring in the last section of the rally can never restart: a
// restart is at the start of a later section and there is none (Art 54: not classified).
import type { CarRestarted, CarRetired, Fact } from '../facts.ts';
import type { Issue } from '../issues.ts';
import type { RallyDefinition } from '../model.ts';
import { restartLimitIssue } from '../quality/restart-checks.ts';
import type { RoadOutcome } from '../timing/road-penalties.ts';
import type { CarContext } from './car.ts';

export interface RetirementItem {
  /** Itinerary position of the retirement (-Infinity when its place is unknown: it then counts everywhere). */
  pos: number;
  where: string;
  reason: string;
  permanent: boolean;
  /** The retirement fact, or the control-time fact where maximum lateness was exceeded. */
  fact: Fact | null;
  rule?: string;
  confirmed?: boolean;
  /** Why the crew is out when rallyhq worked it out (not a retirement fact): it decides where it may restart. */
  cause?: 'maxLateness' | 'delayedStart';
  restart?: { pos: number; section: string; fact: CarRestarted };
}

export function pairRestarts(car: number, live: Fact[], ctx: CarContext, road: RoadOutcome | null, issues: Issue[], extra: readonly RetirementItem[] = [], skip: ReadonlySet<Fact> = new Set()): RetirementItem[] {
  const { it, rules } = ctx;
  const out: RetirementItem[] = [...extra];
  for (const f of live) {
    if (f.type !== 'retirement' || skip.has(f)) continue;
    out.push({ pos: retirementPos(ctx, f, car, issues), where: f.where, reason: f.reason, permanent: f.permanent === true, fact: f });
  }
  const over = road?.maxLatenessExceeded;
  if (over && over.action === 'retire') {
    out.push({
      pos: it.controls.get(over.control)?.pos ?? -Infinity, where: over.control, permanent: false, fact: null, rule: over.rule, confirmed: over.confirmed, cause: 'maxLateness',
      reason: `maximum lateness exceeded (${over.minutesLate} min late, ${over.cumulativeMinutes} min accumulated)`,
    });
  }
  out.sort((a, b) => a.pos - b.pos || (a.fact?.id ?? '').localeCompare(b.fact?.id ?? ''));

  const restarts = live.filter((f): f is CarRestarted => f.type === 'restart');
  // Restarts honoured so far, by the leg the crew restarts in.
  const perLeg = new Map<string, string[]>();
  for (const f of restarts) {
    const refuse = (detail: string): void => {
      issues.push({ code: 'restart-not-allowed', severity: 'error', subject: `car ${car} at ${f.section}`, car, facts: [f.id], detail,
        fix: 'retract the restart, or correct the retirement it follows' });
    };
    const pos = it.restartPoints.get(f.section);
    if (pos === undefined) {
      issues.push({ code: 'unknown-control', severity: 'error', subject: `car ${car} at ${f.section}`, car, facts: [f.id],
        detail: `restart names section ${JSON.stringify(f.section)}, which is not a section or leg of the rally`, fix: 'supersede it with one naming a section id' });
      continue;
    }
    if (!rules.restartAllowed.value) { refuse(`restarts are not allowed under these rules (${rules.restartAllowed.rule})`); continue; }
    const before = out.filter((r) => r.pos < pos);
    const last = before.at(-1);
    if (!last) { refuse(`car ${car} has no retirement before section ${f.section}`); continue; }
    if (last.restart) { refuse(`car ${car} already restarted at ${last.restart.section} after retiring at ${last.where}`); continue; }
    if (last.permanent) { refuse(`car ${car} retired permanently at ${last.where}`); continue; }
    const leg = legOf(ctx.def, f.section);
    // SEE: rally-rules §2.3, §4.2 — FMU26 Arts 45.3, 54: after exceeding maximum lateness, only after the next overnight regroup.
    const after = rules.restartAfterMaxLateness;
    if (last.cause === 'maxLateness' && after.value === 'nextLeg' && legAtPos(ctx, last.pos) === leg) {
      refuse(`car ${car} exceeded maximum lateness at ${last.where} in leg ${leg}: it may restart only after the next overnight regroup (a later leg), not at ${f.section} of the same leg (${after.rule}${after.confirmed ? '' : ', unconfirmed'})`);
      continue;
    }
    const honoured = perLeg.get(leg) ?? [];
    const limit = rules.restartMaxPerLeg;
    if (honoured.length >= limit.value) {
      issues.push(restartLimitIssue({ car, section: f.section, leg, limit: limit.value, rule: limit.rule, confirmed: limit.confirmed, factId: f.id, honoured }));
      continue;
    }
    perLeg.set(leg, [...honoured, f.id]);
    last.restart = { pos, section: f.section, fact: f };
  }
  return out;
}

function retirementPos(ctx: CarContext, f: CarRetired, car: number, issues: Issue[]): number {
  const { it } = ctx;
  const c = it.controls.get(f.where);
  if (c) return c.pos;
  const s = it.stageIndex.get(f.where);
  // Retired in a stage: it did not complete it, so it counts from the stage's start.
  if (s !== undefined) return it.stagePos[s]!;
  issues.push({ code: 'unknown-control', severity: 'warning', subject: `car ${car} at ${f.where}`, car, facts: [f.id],
    detail: `retirement names ${JSON.stringify(f.where)}, which is neither a control nor a stage; the crew counts as retired from the start`,
    fix: 'supersede the retirement with one naming a control or stage' });
  return -Infinity;
}

/** The leg an itinerary position belongs to. */
function legAtPos(ctx: CarContext, pos: number): string | null {
  for (const [id, r] of ctx.it.legRange) if (pos >= r.from && pos <= r.to) return id;
  return null;
}

/** The leg a restart point (a section or a leg id) belongs to. */
function legOf(def: RallyDefinition, point: string): string {
  for (const leg of def.legs) if (leg.id === point || leg.sections.some((s) => s.id === point)) return leg.id;
  return point;
}


/** The retirement that keeps the car out of a classification whose last counted position is `boundary`, if any. */
export function retiredAt(retirements: readonly RetirementItem[], boundary: number): RetirementItem | null {
  let out: RetirementItem | null = null;
  for (const r of retirements) {
    if (r.pos > boundary) break;
    out = r.restart && r.restart.pos <= boundary ? null : r;
  }
  return out;
}
