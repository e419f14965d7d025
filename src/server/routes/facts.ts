// Facts: the only way anything is written to a rally's log.
//   POST /api/rallies/:id/facts          one fact, or { facts: [...] } (atomic batch)
//   GET  /api/rallies/:id/facts          the log, with who/when/device for each fact
// The decision routes (corrections, penalties, …) in decisions.ts are thin
// wrappers that build a fact and come through `submitFacts` too.
// Idempotency: a fact id already in the log is answered with its original
// acknowledgment (`duplicate: true`) and nothing is written; the same id with
// different content is refused (409), never silently dropped or overwritten —
// checked here against what this process holds, and again by the store inside
// the commit, where a racing request from anywhere is seen.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Fact } from '../../core/facts.ts';
import { validateFact } from '../../core/rallyfile/parse.ts';
import { sameFact } from '../../store/append-plan.ts';
import { factPermission, type Principal } from '../auth.ts';
import type { ServerContext } from '../context.ts';
import { apiError, type FieldError } from '../problem.ts';
import type { RallyEntry } from '../rally-states.ts';
import { ackSchema, anyObject, errorResponses, factsBodySchema, rallyParams } from '../schemas.ts';

export interface Ack {
  id: string;
  seq: number;
  receivedAt: string;
  duplicate: boolean;
}

/** Most facts one request may carry (a marshal's offline queue is far smaller). */
export const MAX_BATCH = 5_000;

/** Fact types that are decisions of officials: they need a reason (SEE: FIA ISC 11.9, ARA GCR 6). */
const DECISIONS: ReadonlySet<Fact['type']> = new Set(['penalty', 'retirement', 'restart', 'exclusion', 'stageInterrupted', 'stageCancelled', 'stageMaximumCharged', 'delayedStart', 'retraction']);

function invalid(errors: FieldError[]): never {
  const first = errors[0] as FieldError;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''}, listed in errors)` : '';
  throw apiError('invalid-fact', `${first.path}: ${first.message}${more}`, first.path, { errors });
}

/**
 * A marshal corrects or withdraws a time of its own post: a timekeeper may
 * supersede a control time stored under its own token label and device, at one
 * of its controls, with a control time there or a withdrawal (the reason is
 * required like any correction). Everything else stays the officer's.
 */
function ownCorrection(entry: RallyEntry, p: Principal, f: Fact, path: string): boolean {
  if (p.role !== 'timekeeper' || f.supersedes === undefined) return false;
  const old = entry.byId.get(f.supersedes);
  if (!old || old.fact.type !== 'controlTime' || old.principal !== p.label || (old.device ?? '') !== (p.device ?? '')) return false;
  if (!(p.controls ?? []).includes(old.fact.control)) return false;
  // The log keeps an old fact in effect unless something supersedes it, so a second
  // supersession by the marshal would undo HQ's correction or withdrawal.
  const later = entry.facts.find((sf) => sf.fact.supersedes === old.fact.id && sf.fact.id !== f.id);
  if (later) {
    const what = later.fact.type === 'retraction' ? 'withdrew' : 'corrected';
    const who = later.principal === p.label ? 'You already' : 'HQ already';
    throw apiError('already-superseded', `${path}.supersedes: ${who} ${what} this time: ${later.fact.reason ?? 'no reason given'}; ask HQ.`, `${path}.supersedes`, { seq: later.seq });
  }
  if (f.type === 'retraction') return true;
  if (f.type !== 'controlTime') return false;
  const { supersedes: _s, ...replacement } = f;
  return factPermission(p, entry.definition, replacement as Fact, path) === null;
}

/** Checks a batch against the rally and the caller; returns the facts or throws the first kind of problem found (the preview route checks proposals the same way). */
export function checkBatch(entry: RallyEntry, p: Principal, raws: readonly { raw: unknown; path: string }[]): Fact[] {
  const errors: FieldError[] = [];
  const facts: Fact[] = [];
  for (const { raw, path } of raws) {
    const r = validateFact(entry.definition, raw, path);
    if (r.ok) facts.push(r.fact);
    else errors.push(...r.errors);
  }
  if (errors.length > 0) invalid(errors);

  const ids = new Set<string>();
  facts.forEach((f, i) => {
    const path = (raws[i] as { path: string }).path;
    if (ids.has(f.id)) throw apiError('duplicate-id-in-batch', `${path}.id: id "${f.id}" appears twice in this batch.`, `${path}.id`);
    if (f.supersedes !== undefined && (f.reason === undefined || f.reason.trim() === '')) {
      throw apiError('reason-required', `${path}.reason: a correction (supersedes "${f.supersedes}") needs a reason.`, `${path}.reason`);
    }
    if (DECISIONS.has(f.type) && (f.reason === undefined || f.reason.trim() === '')) {
      throw apiError('reason-required', `${path}.reason: a ${f.type} is a decision and needs a reason.`, `${path}.reason`);
    }
    if (f.supersedes !== undefined && !entry.byId.has(f.supersedes) && !ids.has(f.supersedes)) {
      throw apiError('unknown-fact', `${path}.supersedes: no fact with id "${f.supersedes}" in rally "${entry.rallyId}".`, `${path}.supersedes`);
    }
    ids.add(f.id);
    const denied = ownCorrection(entry, p, f, path) ? null : factPermission(p, entry.definition, f, path);
    if (denied) throw denied;
    const existing = entry.byId.get(f.id);
    if (existing && !sameFact(existing.fact, f)) {
      throw apiError('fact-id-reused', `${path}.id: fact "${f.id}" is already stored (seq ${existing.seq}) with different content.`, `${path}.id`, { seq: existing.seq });
    }
  });
  return facts;
}

/**
 * Validates, authorises and appends facts atomically; returns one
 * acknowledgment per fact, in order. Nothing is written unless every fact passes.
 * `principal`: the caller, when the route has already required an officer or timekeeper of this rally.
 */
export async function submitFacts(ctx: ServerContext, request: FastifyRequest, rallyId: string, raws: readonly { raw: unknown; path: string }[], principal?: Principal): Promise<Ack[]> {
  const p = principal ?? await ctx.auth.requireRole(request, ['officer', 'timekeeper'], rallyId);
  const entry = await ctx.rally(rallyId);
  const facts = checkBatch(entry, p, raws);
  const receivedAt = ctx.now().toISOString();
  const results = await ctx.store.appendFacts(rallyId, facts.map((fact) => {
    const { seq: _seq, ...clean } = fact;
    return { fact: clean as Fact, principal: p.label, ...(p.device ? { device: p.device } : {}), receivedAt };
  }));
  // Read-your-writes: the results a client asks for next include these facts. Duplicates are offered
  // too: one this process does not hold yet was stored by a write whose answer was lost (e.g. the
  // writer thread stopped after its commit), and `offer` takes what is new and reads any gap.
  await ctx.states.offer(rallyId, results.map((r) => r.stored));
  const decisions = facts.filter((f) => DECISIONS.has(f.type) || f.supersedes !== undefined);
  for (const f of decisions) {
    const r = results[facts.indexOf(f)];
    if (!r || r.duplicate) continue;
    // NOTE: the fact is durable and carries its principal, device and reason; a failed audit line must not turn its acknowledgment into an error.
    await ctx.audit(p, f.supersedes !== undefined ? 'correction' : f.type, rallyId, { factId: f.id, seq: r.stored.seq, reason: f.reason })
      .catch((err: unknown) => request.log.error({ err, rallyId, id: f.id }, 'audit line not written; the fact itself is stored'));
  }
  return results.map((r) => ({ id: r.stored.fact.id, seq: r.stored.seq, receivedAt: r.stored.receivedAt, duplicate: r.duplicate }));
}

/** Sends acks: 201 when anything new was stored, 200 when every fact was a resubmission. */
export function sendAcks(reply: FastifyReply, acks: Ack[], single: boolean): FastifyReply {
  reply.code(acks.every((a) => a.duplicate) ? 200 : 201);
  // NOTE: acks are built here with exactly the documented fields, so plain JSON.stringify is the
  // same text; the response schema's `oneOf` would validate every answer to pick its serializer.
  return reply.type('application/json; charset=utf-8').serializer((payload: unknown) => JSON.stringify(payload)).send(single ? acks[0] : { acks });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export async function registerFactRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.post<{ Params: { id: string } }>('/api/rallies/:id/facts', {
    schema: {
      summary: 'Record one fact or an atomic batch',
      description: 'Officers write any fact of their rally; a timekeeper only controlTime, stageTime and jumpStart at its own controls. Resubmitting a fact id returns its original acknowledgment (duplicate: true). A second, different time for the same car and control is stored and listed under /conflicts.',
      tags: ['facts'],
      params: rallyParams,
      'x-body': factsBodySchema,
      response: {
        200: { description: 'Every fact was already stored: the original acknowledgments.', oneOf: [ackSchema, { type: 'object', properties: { acks: { type: 'array', items: ackSchema } } }] },
        201: { description: 'Stored.', oneOf: [ackSchema, { type: 'object', properties: { acks: { type: 'array', items: ackSchema } } }] },
        ...errorResponses,
      },
      security: [{ bearer: [] }],
    },
  }, async (request, reply) => {
    const p = await ctx.auth.requireRole(request, ['officer', 'timekeeper'], request.params.id);
    const body = request.body;
    if (!isRecord(body)) {
      throw apiError('invalid-fact', `$: expected a fact object or { "facts": [...] }, got ${Array.isArray(body) ? 'an array' : body === undefined ? 'no body' : JSON.stringify(body)}.`, '$');
    }
    if ('facts' in body && !('type' in body)) {
      const list = body.facts;
      if (!Array.isArray(list)) throw apiError('invalid-fact', '$.facts: expected an array of facts.', '$.facts');
      if (list.length === 0) throw apiError('invalid-fact', '$.facts: the batch is empty; send at least one fact.', '$.facts');
      if (list.length > MAX_BATCH) throw apiError('invalid-fact', `$.facts: at most ${MAX_BATCH} facts per request; split the batch.`, '$.facts');
      const extra = Object.keys(body).filter((k) => k !== 'facts');
      if (extra.length > 0) throw apiError('invalid-fact', `$.${extra[0]}: unknown field; a batch is { "facts": [...] }.`, `$.${extra[0]}`);
      const acks = await submitFacts(ctx, request, request.params.id, list.map((raw, i) => ({ raw, path: `$.facts[${i}]` })), p);
      return sendAcks(reply, acks, false);
    }
    const acks = await submitFacts(ctx, request, request.params.id, [{ raw: body, path: '$' }], p);
    return sendAcks(reply, acks, true);
  });

  app.get<{ Params: { id: string }; Querystring: { after?: number; limit?: number } }>('/api/rallies/:id/facts', {
    schema: {
      summary: 'The rally\'s log of facts, in order, with who entered each, when and from which device',
      tags: ['facts'],
      params: rallyParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          after: { type: 'integer', minimum: 0, description: 'Only facts with seq greater than this' },
          limit: { type: 'integer', minimum: 1, maximum: 10_000, default: 1000 },
        },
      },
      response: { 200: anyObject('{ rallyId, lastSeq, facts: [{ seq, fact, receivedAt, principal, device }] }'), ...errorResponses },
    },
  }, async (request) => {
    const entry = await ctx.rally(request.params.id);
    const after = request.query.after ?? 0;
    const limit = request.query.limit ?? 1000;
    // NOTE: seq is gap-free and 1-based, so the fact at seq n sits at index n-1.
    const facts = entry.facts.slice(after, after + limit);
    return { rallyId: entry.rallyId, lastSeq: entry.seq, facts };
  });
}
