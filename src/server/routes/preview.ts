// What-if: POST /api/rallies/:id/preview with proposed facts answers how they
// would change the classification (overall and in class), the workings of the
// new totals and the data-quality findings they add or clear — checked exactly
// as POST …/facts would check them, scored by the same core, nothing stored.
import type { FastifyInstance } from 'fastify';
import { dataIssues } from '../../core/scoring/index.ts';
import { previewFacts } from '../../core/scoring/preview.ts';
import { formatWorkings } from '../../core/scoring/index.ts';
import type { ServerContext } from '../context.ts';
import { apiError } from '../problem.ts';
import { anyObject, errorResponses, factsBodySchema, rallyParams } from '../schemas.ts';
import { checkBatch } from './facts.ts';

/** Most facts one preview may propose (a decision is one or a few facts). */
export const MAX_PREVIEW = 200;

export async function registerPreviewRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.post<{ Params: { id: string } }>('/api/rallies/:id/preview', {
    schema: {
      summary: 'What-if: how proposed facts would change the results, without storing them',
      description: 'Officer of the rally. Body as POST …/facts (one fact or { facts: [...] }), checked the same way (a decision needs its reason). The answer lists the crews whose overall and class positions, totals or status would change (crew, before, after), the workings of the new total of each crew the proposal is about, and the data-quality findings it would add or clear. Nothing is written; send the same facts to POST …/facts to record them.',
      tags: ['decisions'],
      params: rallyParams,
      'x-body': factsBodySchema,
      response: {
        200: anyObject('{ rallyId, seq, overall: [{ car, crew, class, before: { position, classPosition, totalMs, penaltyMs, status } | null, after: … }], classes: [{ class, rows }], workings: [{ car, beforeMs, workings, text }], newIssues: Issue[], clearedIssues: Issue[] }'),
        ...errorResponses,
      },
      security: [{ bearer: [] }],
    },
  }, async (request) => {
    const p = await ctx.auth.requireRole(request, ['officer'], request.params.id);
    const body = request.body as unknown;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw apiError('invalid-fact', 'The body must be one fact, or { "facts": [...] } with the facts to try.', '$');
    }
    const b = body as Record<string, unknown>;
    const list = 'facts' in b && !('type' in b) ? b.facts : [b];
    if (!Array.isArray(list) || list.length === 0) throw apiError('invalid-fact', 'facts: give at least one fact to try.', '$.facts');
    if (list.length > MAX_PREVIEW) throw apiError('invalid-fact', `facts: at most ${MAX_PREVIEW} facts per preview; split the proposal.`, '$.facts');
    const e = await ctx.rally(request.params.id);
    const proposed = checkBatch(e, p, list.map((raw, i) => ({ raw, path: list === b.facts ? `$.facts[${i}]` : '$' })));
    // A fact already stored (a resend) changes nothing: the preview scores only what is new.
    const fresh = proposed.filter((f) => !e.byId.has(f.id));
    const before = { classification: ctx.states.classification(e), issues: (e.memo.get('issues') as ReturnType<typeof dataIssues> | undefined) ?? dataIssues(e.state) };
    const preview = previewFacts(e.definition, e.rules, e.facts.map((sf) => sf.fact), fresh, before);
    return {
      rallyId: e.rallyId,
      seq: e.seq,
      ...preview,
      workings: preview.workings.map((w) => ({ ...w, text: formatWorkings(w.workings) })),
    };
  });
}
