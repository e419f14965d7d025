// Notional-time proposals for an interrupted (red-flagged) stage: rallyhq
// proposes each affected crew's time by the preset's method, shows the
// candidate times with their workings, and the Clerk confirms or overrides
// (by recording the notional times on the stageInterrupted fact).
// SEE: rally-rules §3.4 —
//   FIA-regional (FMU26 Arts 52.1–52.4): the Clerk gives the time judged
//     fairest; no formula, so rallyhq lists the candidates and proposes none;
//   MSUK 4.37: the fastest time set at the moment of interruption, or, if that
//     is a complete anomaly, the next, down to the 5th fastest;
//   MSUK 4.38: red-flagged before anyone completed it and then restarted: the
//     first time completed after the restart, down to the 5th;
//   Rally America (RA-STOP): the worst time set before the stoppage (or one of
//     the worst three if the worst is abnormal);
//   every body: a crew responsible for the stoppage never benefits (FMU26
//     Art 52.1, MSUK 4.36: it keeps its own time even if slower).
// Stage times recorded without a time of day (stageTime facts) cannot be
// compared with the time of the interruption; then the running order says
// who ran before it: crews run the stage in the leg's start order
// (core/start-order.ts), so the first crew in that order without a time is
// where the stage stopped, the times of the crews before it were set before
// the interruption, and after a restart the first time completed is the
// smallest start offset + stage time ("elapsed order").
import type { StageInterrupted } from '../facts.ts';
import type { NotionalMethod } from '../rules/types.ts';
import { formatDuration } from '../time/duration.ts';
import { formatTimeOfDay, parseLocalDateTime } from '../time/local-time.ts';
import type { Engine } from './engine.ts';
import { legStartOrder, startPosition } from '../start-order.ts';

export interface NotionalCandidate {
  car: number;
  timeMs: number;
  /** Rally-local ms of the finish when known (start time of day + time). */
  finishedAtMs: number | null;
  /** 1 = the one the method takes first; the Clerk may go down the list when it is an anomaly. */
  rank: number;
}

export interface NotionalProposal {
  car: number;
  /** Proposed notional time; null when none is proposed (the Clerk decides, or the crew is responsible). */
  proposedMs: number | null;
  /** The time the Clerk has given, if any (it is what scoring uses). */
  givenMs: number | null;
  responsible: boolean;
  /** Why, in words. */
  basis: string;
}

export interface NotionalProposals {
  stage: string;
  method: { value: NotionalMethod; rule: string; confirmed: boolean };
  interruptedAt: string | null;
  restartedAt: string | null;
  /** The interruption facts in effect (the Clerk confirms by superseding one with the times). */
  facts: string[];
  /** Times the method may take, in the order it takes them (at most 5, the MSUK limit). */
  candidates: NotionalCandidate[];
  proposals: NotionalProposal[];
  notes: string[];
}

const MAX_CANDIDATES = 5;

export function notionalProposalsEngine(e: Engine, code: string): NotionalProposals {
  const i = e.it.stageIndex.get(code);
  if (i === undefined) throw new RangeError(`notional proposals: unknown stage ${JSON.stringify(code)}; stages are ${e.it.stages.map((s) => s.code).join(', ')}`);
  const g = e.globalContext();
  const method = e.rules.notionalTimePolicy;
  const facts: StageInterrupted[] = g.interrupted.get(code) ?? [];
  const last = facts.at(-1);
  const atMs = last?.at !== undefined ? parseLocalDateTime(last.at) : null;
  const restartMs = last?.restartedAt !== undefined ? parseLocalDateTime(last.restartedAt) : null;
  const responsible = new Set(facts.flatMap((f) => f.responsible ?? []));
  const out: NotionalProposals = {
    stage: code, method: { value: method.value, rule: method.rule, confirmed: method.confirmed },
    interruptedAt: last?.at ?? null, restartedAt: last?.restartedAt ?? null, facts: facts.map((f) => f.id), candidates: [], proposals: [], notes: [],
  };
  if (g.cancelled.has(code)) { out.notes.push(`${code} is cancelled: no notional times`); return out; }
  if (!last) out.notes.push(`${code} has no interruption recorded: proposals assume every crew without a time is affected`);

  // Driven times, with when they were set when the start time of day is known.
  const driven: { car: number; timeMs: number; finishedAtMs: number | null; startedAtMs: number | null }[] = [];
  const startId = e.it.startAt[i];
  for (const entry of e.definition.entries) {
    const s = e.carScore(entry.car);
    const c = s.cells[i]!;
    if (c.status !== 'ok' || c.ms === null) continue;
    const start = startId !== undefined ? s.derived.controlTimes.get(startId)?.atMs ?? null : null;
    driven.push({ car: entry.car, timeMs: c.ms, startedAtMs: start, finishedAtMs: start !== null && c.rawMs !== null ? start + c.rawMs : null });
  }
  const hhmmss = (ms: number): string => formatTimeOfDay(ms, 0);
  const elapsed = driven.length > 0 && driven.every((d) => d.startedAtMs === null) ? elapsedOrder(e, i, driven, responsible) : null;
  const before = elapsed ? driven.filter((d) => elapsed.before.has(d.car))
    : driven.filter((d) => atMs === null || (d.finishedAtMs !== null && d.finishedAtMs <= atMs));
  if (elapsed) out.notes.push(elapsed.note);
  else if (atMs === null && last) out.notes.push('no time of interruption recorded (at): every time driven counts as set before it');
  let list: typeof driven = [];
  let basisOf: (rank: number) => string = () => '';
  if (method.value === 'fastestAtInterruption') {
    if (elapsed && before.length === 0 && restartMs !== null) {
      // MSUK 4.38 in elapsed order: the first to complete after the restart has the smallest start offset + stage time.
      list = driven.filter((d) => !elapsed.before.has(d.car)).sort((a, b) => elapsed.finish(a) - elapsed.finish(b) || a.car - b.car);
      basisOf = (r) => `MSUK 4.38: ${r === 1 ? 'the first' : `the ${ordinal(r)}`} time completed after the restart at ${hhmmss(restartMs)} (elapsed order: start place + stage time)`;
    } else if (before.length === 0 && restartMs !== null) {
      // MSUK 4.38: nobody completed it before the red flag; the first to complete it after the restart, down to the 5th.
      list = driven.filter((d) => d.startedAtMs !== null && d.startedAtMs >= restartMs && d.finishedAtMs !== null).sort((a, b) => a.finishedAtMs! - b.finishedAtMs! || a.car - b.car);
      basisOf = (r) => `MSUK 4.38: ${r === 1 ? 'the first' : `the ${ordinal(r)}`} time completed after the restart at ${hhmmss(restartMs)}`;
    } else {
      list = [...before].sort((a, b) => a.timeMs - b.timeMs || a.car - b.car);
      basisOf = (r) => `MSUK 4.37: ${r === 1 ? 'the fastest' : `the ${ordinal(r)} fastest`} time set ${atMs !== null ? `before the interruption at ${hhmmss(atMs)}` : 'on the stage'}`;
    }
  } else if (method.value === 'worstBeforeStoppage') {
    list = [...before].sort((a, b) => b.timeMs - a.timeMs || a.car - b.car);
    basisOf = (r) => `RA-STOP: ${r === 1 ? 'the worst' : `the ${ordinal(r)} worst`} time set ${atMs !== null ? `before the stoppage at ${hhmmss(atMs)}` : 'on the stage'}`;
  } else {
    list = [...before].sort((a, b) => a.timeMs - b.timeMs || a.car - b.car);
  }
  const limit = method.value === 'worstBeforeStoppage' ? 3 : MAX_CANDIDATES;
  out.candidates = list.slice(0, method.value === 'clerkFairest' ? list.length : limit)
    .map((d, k) => ({ car: d.car, timeMs: d.timeMs, finishedAtMs: d.finishedAtMs, rank: k + 1 }));
  const pick = method.value === 'clerkFairest' ? null : list[0] ?? null;

  const given = g.notional.get(code);
  const drivenBy = new Map(driven.map((d) => [d.car, d]));
  for (const entry of e.definition.entries) {
    const car = entry.car;
    const s = e.carScore(car);
    const c = s.cells[i]!;
    const givenMs = given?.get(car)?.ms ?? null;
    const isResponsible = responsible.has(car);
    const own = drivenBy.get(car);
    // Crews with a time of their own set before the interruption, and crews out of the rally, are not affected
    // (in elapsed order, no time of day says a crew with its own time was slowed: the Clerk gives it one if so).
    if (givenMs === null && own && (elapsed !== null || atMs === null || (own.finishedAtMs !== null && own.finishedAtMs <= atMs))) continue;
    if (givenMs === null && (c.status === 'restartCharged' || c.status === 'assessed' || c.status === 'maxTime')) continue;
    if (givenMs === null && !own && s.derived.retirements.some((r) => r.pos <= e.it.stagePos[i]! && !(r.restart && r.restart.pos <= e.it.stagePos[i]!))) continue;
    if (givenMs === null && s.derived.exclusion) continue;
    if (isResponsible) {
      out.proposals.push({ car, proposedMs: null, givenMs, responsible: true,
        basis: own ? `responsible for the stoppage: keeps its own time ${formatDuration(own.timeMs)} (FMU26 Art 52.1; MSUK 4.36)` : 'responsible for the stoppage: no notional time that benefits it (FMU26 Art 52.1; MSUK 4.36)' });
      continue;
    }
    if (!pick) {
      out.proposals.push({ car, proposedMs: null, givenMs, responsible: false,
        basis: method.value === 'clerkFairest' ? `the Clerk gives the fairest time (${method.rule}); the candidates are the times set on the stage` : 'no time has been set that the method can take yet' });
      continue;
    }
    out.proposals.push({ car, proposedMs: pick.timeMs, givenMs, responsible: false, basis: `${basisOf(1)}: car ${pick.car} ${formatDuration(pick.timeMs)}` });
  }
  for (const p of out.proposals) {
    if (p.givenMs !== null && p.proposedMs !== null && p.givenMs !== p.proposedMs) p.basis += `; the Clerk gave ${formatDuration(p.givenMs)} instead`;
  }
  return out;
}

interface ElapsedOrder {
  /** Cars whose times were set before the interruption: they start before the first crew without a time. */
  before: Set<number>;
  /** Start offset from the leg's first car (its due time, else its place × one minute) + stage time, ms. */
  finish(d: { car: number; timeMs: number }): number;
  note: string;
}

/**
 * Who ran before the interruption when the stage's times carry no time of day: the crews ahead, in the
 * leg's start order, of the first crew still in the rally without a time (responsible crews included: the
 * stoppage is theirs). NOTE: a crew that started before the stoppage and finished after it is counted before
 * (its place says it ran first); the Clerk decides when that matters.
 */
function elapsedOrder(e: Engine, i: number, driven: readonly { car: number }[], responsible: ReadonlySet<number>): ElapsedOrder {
  const stage = e.it.stages[i]!;
  const order = legStartOrder(e.definition, stage.leg);
  const place = (car: number): number => startPosition(e.definition, stage.leg, car)?.order ?? Infinity;
  const has = new Set(driven.map((d) => d.car));
  const pos = e.it.stagePos[i]!;
  const waiting = e.definition.entries.filter((en) => {
    if (has.has(en.car)) return false;
    if (responsible.has(en.car)) return true;
    const s = e.carScore(en.car);
    const c = s.cells[i]!;
    if (s.derived.exclusion || c.status === 'restartCharged' || c.status === 'assessed' || c.status === 'maxTime') return false;
    return !s.derived.retirements.some((r) => r.pos <= pos && !(r.restart && r.restart.pos <= pos));
  }).map((en) => en.car).sort((a, b) => place(a) - place(b) || a - b);
  const stop = waiting[0];
  const stopPlace = stop === undefined ? Infinity : place(stop);
  const before = new Set(driven.filter((d) => place(d.car) < stopPlace).map((d) => d.car));
  const offset = (car: number): number => {
    const p = startPosition(e.definition, stage.leg, car);
    if (!p) return Infinity;
    return p.dueMs !== null && order.firstDueMs !== null ? p.dueMs - order.firstDueMs : (p.order - 1) * 60_000;
  };
  const how = order.source === 'startList' ? `the stored start list of ${stage.leg}` : `car-number order (no start list stored for ${stage.leg})`;
  return {
    before,
    finish: (d) => offset(d.car) + d.timeMs,
    note: `${stage.code}'s times carry no time of day (stage times): the running order, ${how}, says who ran before the interruption` +
      (stop === undefined ? ': every crew in the rally has a time' : `: the times of the crews that start before car ${stop}, the first without a time`),
  };
}

function ordinal(n: number): string {
  return n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`;
}
