// GET /api/rallies/:id/stages/:stage/notional-proposals — the notional times
// rallyhq proposes for an interrupted stage by the preset's method, with the
// candidate times and the basis of each proposal. Read-only: the Clerk
// confirms or overrides with POST …/notional-times (a stageInterrupted fact
// that supersedes the interruption with the times). SEE: docs/scoring.md.
import type { FastifyInstance } from 'fastify';
import { notionalProposals } from '../../core/scoring/index.ts';
import type { ServerContext } from '../context.ts';
import { etagOf, notModified } from '../http-cache.ts';
import { apiError } from '../problem.ts';
import { errorResponses, rallyParams } from '../schemas.ts';

const candidate = {
  type: 'object', required: ['car', 'timeMs', 'finishedAtMs', 'rank'], properties: {
    car: { type: 'integer' }, timeMs: { type: 'integer', description: 'Charged stage time, ms' },
    finishedAtMs: { type: ['integer', 'null'], description: 'Rally-local ms of the finish, when known' },
    rank: { type: 'integer', description: '1 = taken first by the method; the Clerk may go down the list when it is an anomaly' },
  },
} as const;
const proposal = {
  type: 'object', required: ['car', 'proposedMs', 'givenMs', 'responsible', 'basis'], properties: {
    car: { type: 'integer' },
    proposedMs: { type: ['integer', 'null'], description: 'Proposed notional time, ms; null when the Clerk decides (FIA) or the crew is responsible' },
    givenMs: { type: ['integer', 'null'], description: 'The time the Clerk gave, ms (what scoring uses)' },
    responsible: { type: 'boolean', description: 'Responsible for the stoppage: never benefits' },
    basis: { type: 'string', description: 'Why, in words, with the article' },
  },
} as const;

export async function registerNotionalRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.get<{ Params: { id: string; stage: string } }>('/api/rallies/:id/stages/:stage/notional-proposals', {
    schema: {
      summary: 'Notional times proposed for an interrupted stage, with the candidates (the Clerk confirms with POST …/notional-times)',
      description: 'Method from the rules (notionalTimePolicy): fastestAtInterruption (MSUK 4.37; 4.38 after a restart), worstBeforeStoppage (Rally America), clerkFairest (FIA: candidates only). ' +
        'Crews responsible for the stoppage are proposed nothing. Times are integer ms.',
      tags: ['results'],
      params: { type: 'object', required: ['id', 'stage'], properties: { id: rallyParams.properties.id, stage: { type: 'string', description: 'Stage code, e.g. SS3' } } },
      response: {
        200: {
          type: 'object', required: ['rallyId', 'seq', 'proposals'], properties: {
            rallyId: { type: 'string' }, seq: { type: 'integer' },
            proposals: {
              type: 'object', required: ['stage', 'method', 'interruptedAt', 'restartedAt', 'facts', 'candidates', 'proposals', 'notes'], properties: {
                stage: { type: 'string' },
                method: { type: 'object', required: ['value', 'rule', 'confirmed'], properties: { value: { type: 'string', enum: ['clerkFairest', 'fastestAtInterruption', 'worstBeforeStoppage'] }, rule: { type: 'string' }, confirmed: { type: 'boolean' } } },
                interruptedAt: { type: ['string', 'null'] }, restartedAt: { type: ['string', 'null'] },
                facts: { type: 'array', items: { type: 'string' }, description: 'Ids of the interruption facts in effect (supersede one to confirm)' },
                candidates: { type: 'array', items: candidate }, proposals: { type: 'array', items: proposal },
                notes: { type: 'array', items: { type: 'string' } },
              },
            },
          },
        },
        304: { type: 'null', description: 'Not modified' },
        ...errorResponses,
      },
    },
  }, async (request, reply) => {
    const e = await ctx.rally(request.params.id);
    const { stage } = request.params;
    if (!e.definition.stages.some((s) => s.code === stage)) {
      throw apiError('stage-not-found', `No stage "${stage}" in rally "${e.rallyId}"; stages are ${e.definition.stages.map((s) => s.code).join(', ')}.`, 'stage');
    }
    if (notModified(request, reply, etagOf(e, request))) return reply.code(304).send();
    return { rallyId: e.rallyId, seq: e.seq, proposals: notionalProposals(e.state, stage) };
  });
}
