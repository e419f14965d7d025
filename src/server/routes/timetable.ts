// The timetable: each control's first-car due time (rally-local, with the
// zone and its UTC offset) and each stage's state, for the public rally page,
// media and calendars. Both come from pure core functions: the due times from
// the itinerary and the rules (src/core/itinerary/timetable.ts), the states
// from the scored facts (src/core/itinerary/stage-states.ts).
import type { FastifyInstance } from 'fastify';
import { kindWords } from '../../core/itinerary/check-itinerary.ts';
import { STAGE_STATE_WORDS, stageStatesOf } from '../../core/itinerary/stage-states.ts';
import { firstCarTimetable } from '../../core/itinerary/timetable.ts';
import { formatLocalDateTime } from '../../core/time/local-time.ts';
import type { ServerContext } from '../context.ts';
import { etagOf, notModified } from '../http-cache.ts';
import { rallyLocalMs } from '../rally-time.ts';
import type { RallyEntry } from '../rally-states.ts';
import { anyObject, errorResponses, rallyParams } from '../schemas.ts';

/** The zone's UTC offset at a rally-local time, `-05:00`. */
export function offsetAt(localMs: number, timeZone: string): string {
  const first = rallyLocalMs(localMs, timeZone) - localMs;
  const off = rallyLocalMs(localMs - first, timeZone) - (localMs - first);
  const m = Math.round(off / 60_000);
  const a = Math.abs(m);
  return `${m < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

function timetableOf(e: RallyEntry) {
  const d = e.definition;
  const rows = firstCarTimetable(d.legs, d.stages, { targetFrom: e.rules.targetFrom.value, bogey: e.rules.stageBogeyTime.value });
  const when = (ms: number | null, estimated: boolean) => (ms === null ? { due: null } : {
    due: formatLocalDateTime(ms).slice(0, ms % 60_000 === 0 ? 16 : 19),
    offset: offsetAt(ms, d.timeZone),
    dueText: formatLocalDateTime(ms).slice(11, ms % 60_000 === 0 ? 16 : 19),
    ...(estimated ? { estimated: true } : {}),
  });
  const states = new Map(stageStatesOf(e.state).map((s) => [s.stage, s.state]));
  const startRow = new Map(rows.filter((r) => r.control.kind === 'SS_START' && r.control.stage).map((r) => [r.control.stage!, r]));
  return {
    rallyId: e.rallyId,
    name: d.name,
    version: e.version,
    seq: e.seq,
    timeZone: d.timeZone,
    distanceUnit: d.distanceUnit,
    targetFrom: e.rules.targetFrom.value,
    ...(d.illustrativeTimesOfDay ? { illustrativeTimesOfDay: d.illustrativeTimesOfDay } : {}),
    legs: d.legs.map((l) => ({ id: l.id, name: l.name, date: l.date, sections: l.sections.map((s) => ({ id: s.id, ...(s.name ? { name: s.name } : {}) })) })),
    controls: rows.map((r) => {
      const leg = d.legs[r.legIndex]!;
      const c = r.control;
      return {
        id: c.id, kind: c.kind, kindText: kindWords(c.kind), leg: leg.id, section: leg.sections[r.sectionIndex]!.id,
        ...(c.name ? { name: c.name } : {}), ...(c.stage ? { stage: c.stage } : {}),
        ...(c.targetMs !== undefined ? { targetMs: c.targetMs } : {}), ...(c.distanceM !== undefined ? { distanceM: c.distanceM } : {}),
        ...(r.from ? { from: r.from } : {}),
        ...when(r.dueMs, r.estimated),
      };
    }),
    stages: d.stages.map((s) => {
      const start = startRow.get(s.code);
      const state = states.get(s.code) ?? 'notStarted';
      return {
        code: s.code, name: s.name, leg: s.leg, distanceM: s.distanceM,
        ...(start ? { start: start.control.id, ...when(start.dueMs, start.estimated) } : { due: null }),
        state, stateText: STAGE_STATE_WORDS[state],
      };
    }),
  };
}

export async function registerTimetableRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.get<{ Params: { id: string } }>('/api/rallies/:id/timetable', {
    schema: {
      summary: 'Timetable: each control\'s first-car due time and each stage\'s state',
      description: 'Public. `controls[]` in itinerary order, each with `due` (the first car\'s due time, rally-local `2026-02-06T18:20`), `offset` (the zone\'s UTC offset then, `-05:00`) and `dueText` (`18:20`), worked out from the leg start and the target times (rally-rules §1); '
        + '`due` is null where it cannot be (no start time, or a target counted from a stage finish with no bogey time to estimate it); `estimated` marks a time that counts a stage at its bogey time. '
        + '`stages[]` in running order, each with its start control and due time and its `state`: `notStarted`, `running`, `finished` (every crew still in the rally has a time), `interrupted` or `cancelled`, with `stateText` in words. '
        + '`illustrativeTimesOfDay`, when present, is shown beside the times.',
      tags: ['rallies'],
      params: rallyParams,
      response: { 200: anyObject('{ rallyId, timeZone, targetFrom, legs, controls: [{ id, kind, leg, section, due, offset, dueText, estimated? }], stages: [{ code, start, due, state, stateText }] }'), ...errorResponses },
    },
  }, async (request, reply) => {
    const e = await ctx.rally(request.params.id);
    if (notModified(request, reply, etagOf(e, request))) return reply.code(304).send();
    const key = 'timetable';
    if (!e.memo.has(key)) e.memo.set(key, timetableOf(e));
    return e.memo.get(key);
  });
}
