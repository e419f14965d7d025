// What needs an officer's attention:
//   GET …/conflicts   two different times for one car at one control (both facts, who entered each)
//   GET …/anomalies   every data-quality issue of the log
//   GET …/overdue     crews that started a stage and have not finished in the expected window
// Conflicts are never resolved by the server: the officer posts a correction with a reason.
import type { FastifyInstance } from 'fastify';
import type { AuditRecord } from '../../store/contract.ts';
import { dataIssues, overdueCrews } from '../../core/scoring/index.ts';
import type { ServerContext } from '../context.ts';
import { apiError } from '../problem.ts';
import { factView } from '../publication-diff.ts';
import type { RallyEntry } from '../rally-states.ts';
import { rallyLocalMs, parseNow } from '../rally-time.ts';
import { formatLocalDateTime } from '../../core/time/index.ts';
import { anyObject, errorResponses, rallyParams } from '../schemas.ts';

const CONFLICT_CODES = new Set(['two-times-one-control', 'conflict']);

function issuesOf(e: RallyEntry) {
  const key = 'issues';
  if (!e.memo.has(key)) e.memo.set(key, dataIssues(e.state));
  return e.memo.get(key) as ReturnType<typeof dataIssues>;
}

export async function registerIssueRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.get<{ Params: { id: string } }>('/api/rallies/:id/conflicts', {
    schema: {
      summary: 'Conflicts: two different times for the same car and control, with both facts and who entered them',
      description: 'Resolve one with POST …/corrections (supersedes the wrong fact, with a reason).',
      tags: ['attention'],
      params: rallyParams,
      response: { 200: anyObject('{ conflicts: [{ ...issue, entries: [{ seq, id, principal, device, receivedAt, fact }] }] }'), ...errorResponses },
    },
  }, async (request) => {
    const e = await ctx.rally(request.params.id);
    const conflicts = issuesOf(e).filter((i) => CONFLICT_CODES.has(i.code)).map((i) => ({
      ...i,
      entries: i.facts.map((id) => e.byId.get(id)).filter((sf) => sf !== undefined).map((sf) => ({ ...factView(sf), fact: sf.fact })),
    }));
    return { rallyId: e.rallyId, seq: e.seq, conflicts };
  });

  app.get<{ Params: { id: string } }>('/api/rallies/:id/anomalies', {
    schema: {
      summary: 'Every data-quality issue (code, severity, facts, suggested fix)',
      tags: ['attention'],
      params: rallyParams,
      response: { 200: anyObject('{ issues: Issue[] }'), ...errorResponses },
    },
  }, async (request) => {
    const e = await ctx.rally(request.params.id);
    return { rallyId: e.rallyId, seq: e.seq, issues: issuesOf(e) };
  });

  app.get<{ Params: { id: string }; Querystring: { now?: string } }>('/api/rallies/:id/overdue', {
    schema: {
      summary: 'Overdue crews at a moment (default: now, in the rally\'s time zone)',
      tags: ['attention'],
      params: rallyParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { now: { type: 'string', description: 'ISO instant with offset (2026-02-07T15:00:00Z) or rally-local (2026-02-07T10:00); default the server clock' } },
      },
      response: { 200: anyObject('{ nowLocal, overdue: OverdueCrew[] }'), ...errorResponses },
    },
  }, async (request) => {
    const e = await ctx.rally(request.params.id);
    const tz = e.definition.timeZone;
    let nowLocalMs: number;
    if (request.query.now !== undefined) {
      const parsed = parseNow(request.query.now, tz);
      if (parsed === null) throw apiError('bad-time', `query.now: ${JSON.stringify(request.query.now)} is not a time.`, 'query.now');
      nowLocalMs = parsed;
    } else {
      nowLocalMs = rallyLocalMs(ctx.now().getTime(), tz);
    }
    return { rallyId: e.rallyId, seq: e.seq, timeZone: tz, nowLocal: formatLocalDateTime(nowLocalMs), overdue: overdueCrews(e.state, nowLocalMs) };
  });

  app.get<{ Params: { id: string } }>('/api/rallies/:id/audit', {
    schema: {
      summary: 'Audit trail of the rally (officer): who did what, when, from which device',
      tags: ['attention'],
      params: rallyParams,
      response: { 200: anyObject('{ audit: [{ at, principal, action, detail }] }'), ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request) => {
    await ctx.auth.requireRole(request, ['officer'], request.params.id);
    await ctx.rally(request.params.id);
    return { rallyId: request.params.id, audit: await auditTrail(ctx, request.params.id) };
  });
}

const DESK_KINDS = new Set(['protest', 'protest-decision', 'notice', 'acknowledgment', 'crew-code']);

/**
 * The audit trail with the desk's records (protests, decisions, notices, acknowledgments, crew codes) in it,
 * in time order. Older databases also hold those as audit lines (copied to the desk records when the store
 * was upgraded): the desk record is the one shown.
 */
async function auditTrail(ctx: ServerContext, rallyId: string): Promise<AuditRecord[]> {
  const lines = (await ctx.store.listAudit(rallyId)).filter((a) => !DESK_KINDS.has(a.action));
  const desk = (await ctx.store.listDeskRecords(rallyId)).map((r): AuditRecord => ({
    at: r.at, principal: r.principal, action: r.kind, rallyId, detail: r.number !== undefined ? { ...(r.detail as object), number: r.number } : r.detail,
  }));
  const out: AuditRecord[] = [];
  let i = 0;
  let j = 0;
  while (i < lines.length || j < desk.length) {
    const a = lines[i];
    const d = desk[j];
    if (a && (!d || a.at <= d.at)) { out.push(a); i += 1; } else if (d) { out.push(d); j += 1; }
  }
  return out;
}
