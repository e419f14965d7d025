// Corrections and decisions of officials, each a thin wrapper that builds one
// fact and stores it through submitFacts (same validation, roles, idempotency).
// Every one needs a reason; it is kept with the fact and shown in the
// publication diff. Each needs an id — in the body, or the Idempotency-Key
// header, which then becomes the fact's id — so a retry is acknowledged as a
// duplicate instead of being a second decision.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.ts';
import { idempotencyKey } from '../idempotency.ts';
import { apiError } from '../problem.ts';
import { ackSchema, decisionReason, errorResponses, factJsonSchema, rallyParams } from '../schemas.ts';
import { sendAcks, submitFacts } from './facts.ts';

interface Wrapper {
  path: string;
  type: string;
  summary: string;
  /** Fields besides id and reason, as JSON Schema properties (documentation). */
  properties: Record<string, unknown>;
  required: string[];
  rule: string;
}

const car = { type: 'integer', minimum: 0, description: 'Car (door) number' };
const stage = { type: 'string', description: 'Stage code, e.g. SS3' };

const WRAPPERS: Wrapper[] = [
  {
    path: 'penalties', type: 'penalty', summary: 'Apply a time penalty',
    properties: { car, seconds: { type: 'number', description: 'Seconds, up to three decimals' }, rule: { type: 'string', description: 'The article, e.g. FIA 44.2.10a' }, control: { type: 'string' }, stage },
    required: ['car', 'seconds'], rule: 'FIA ISC 12.3 / ARA GCR 15: penalties are decisions of the stewards or the clerk of the course',
  },
  {
    path: 'retirements', type: 'retirement', summary: 'Retire a crew',
    properties: { car, where: { type: 'string', description: 'Control id or stage code' }, permanent: { type: 'boolean' } },
    required: ['car', 'where'], rule: 'FIA Sporting Regulations 53 (retirement), ARA 6.18',
  },
  {
    path: 'restarts', type: 'restart', summary: 'Restart a crew under Super Rally',
    properties: { car, section: { type: 'string', description: 'Section (or leg) id at whose start the crew restarts' } },
    required: ['car', 'section'], rule: 'FIA Sporting Regulations 54 (restart after retirement)',
  },
  {
    path: 'exclusions', type: 'exclusion', summary: 'Exclude a crew',
    properties: { car, rule: { type: 'string' } },
    required: ['car'], rule: 'FIA ISC 12.3.1 (exclusion)',
  },
  {
    path: 'notional-times', type: 'stageInterrupted', summary: 'Stage interrupted: give notional times',
    properties: {
      stage, notionalTimes: { type: 'array', items: { type: 'object', properties: { car, time: { type: 'string', description: 'Duration, 3:45.2' } } } },
      at: { type: 'string', description: 'When the stage was stopped, rally-local (2026-02-06T19:32:00)' },
      restartedAt: { type: 'string', description: 'When it was restarted after a red flag, rally-local' },
      responsible: { type: 'array', items: car, description: 'Cars responsible for the stoppage: they never benefit' },
    },
    required: ['stage', 'notionalTimes'], rule: 'FIA Sporting Regulations 49.5 (notional times after an interrupted stage)',
  },
  {
    path: 'stage-maximums', type: 'stageMaximumCharged', summary: 'Charge a crew the stage maximum (stage not performed correctly)',
    properties: { car, stage, rule: { type: 'string', description: 'The article, e.g. MSUK App 8 (c)' } },
    required: ['car', 'stage'], rule: 'MSUK26 App 8 (c), App 14 (d): a stage not performed correctly is charged the stage maximum',
  },
  {
    path: 'delayed-starts', type: 'delayedStart', summary: 'A crew delayed its own stage start',
    properties: { car, stage, delayMs: { type: 'integer', minimum: 0, description: 'Delay caused by the crew, ms' }, afterSignalMs: { type: 'integer', minimum: 0, description: 'Time from the start signal until the car moved, ms' } },
    required: ['car', 'stage'], rule: 'FIA-regional Art 48.4 (FMU26): 1 minute per minute or part; not starting within 20 s of the signal: retired',
  },
  {
    path: 'stage-cancellations', type: 'stageCancelled', summary: 'Cancel a stage for everyone',
    properties: { stage }, required: ['stage'], rule: 'FIA Sporting Regulations 49 (stage cancelled)',
  },
];

function reasonOf(body: Record<string, unknown>): string {
  const reason = body.reason;
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw apiError('reason-required', reason === undefined ? '$.reason: required field is missing; a decision needs a reason.' : '$.reason: give the reason as non-empty text.', '$.reason');
  }
  return reason;
}

/** The decision's id: `id` of the body, else the Idempotency-Key; neither → 400 (a retry would be a second decision). */
function decisionId(request: FastifyRequest, body: Record<string, unknown>): string {
  if (body.id !== undefined) {
    if (typeof body.id !== 'string' || body.id === '') throw apiError('invalid-fact', '$.id: give the id as non-empty text.', '$.id');
    return body.id;
  }
  const key = idempotencyKey(request);
  if (key === undefined) {
    throw apiError('idempotency-key-required', '$.id: a decision needs an id (or an Idempotency-Key header), made once and sent again on a retry, so a retry is not stored twice.', '$.id');
  }
  return key;
}

function bodyObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw apiError('invalid-fact', '$: expected a JSON object.', '$');
  return body as Record<string, unknown>;
}

export async function registerDecisionRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  for (const w of WRAPPERS) {
    app.post<{ Params: { id: string } }>(`/api/rallies/:id/${w.path}`, {
      schema: {
        summary: w.summary,
        description: `Officer of the rally. Stores a \`${w.type}\` fact (SEE: ${w.rule}). A reason is required.`,
        tags: ['decisions'],
        params: rallyParams,
        'x-body': {
          type: 'object',
          required: [...w.required, 'reason'],
          properties: { id: { type: 'string', description: 'Client-generated id, made once and sent again on a retry. Required unless an Idempotency-Key header is sent (which then becomes the id).' }, ...w.properties, reason: decisionReason },
        },
        response: { 200: ackSchema, 201: ackSchema, ...errorResponses },
        security: [{ bearer: [] }],
      },
    }, async (request, reply) => {
      await ctx.auth.requireRole(request, ['officer'], request.params.id);
      const body = bodyObject(request.body);
      if ('type' in body && body.type !== w.type) throw apiError('invalid-fact', `$.type: this route records a ${w.type}; leave type out or post to /facts.`, '$.type');
      reasonOf(body);
      const fact = { ...body, id: decisionId(request, body), type: w.type };
      const acks = await submitFacts(ctx, request, request.params.id, [{ raw: fact, path: '$' }]);
      return sendAcks(reply, acks, true);
    });
  }

  app.post<{ Params: { id: string } }>('/api/rallies/:id/corrections', {
    schema: {
      summary: 'Correct (supersede) or withdraw a fact',
      description: 'Officer of the rally. Body: the replacement fact with `supersedes` (the id it replaces) and `reason`; or only `{ id?, supersedes, reason }` to withdraw the fact without replacing it. Conflicts are resolved this way.',
      tags: ['decisions'],
      params: rallyParams,
      'x-body': {
        oneOf: [
          { ...factJsonSchema, description: 'Replacement fact; must carry supersedes and reason.' },
          { type: 'object', required: ['supersedes', 'reason'], properties: { id: { type: 'string' }, supersedes: { type: 'string' }, reason: decisionReason }, description: 'Withdrawal (a retraction).' },
        ],
      },
      response: { 200: ackSchema, 201: ackSchema, ...errorResponses },
      security: [{ bearer: [] }],
    },
  }, async (request, reply) => {
    await ctx.auth.requireRole(request, ['officer'], request.params.id);
    const body = bodyObject(request.body);
    if (typeof body.supersedes !== 'string' || body.supersedes === '') {
      throw apiError('supersedes-required', body.supersedes === undefined ? '$.supersedes: required field is missing; give the id of the fact this corrects.' : '$.supersedes: give the id of the fact this corrects, as text.', '$.supersedes');
    }
    reasonOf(body);
    const id = decisionId(request, body);
    const fact = 'type' in body
      ? { ...body, id }
      : { id, type: 'retraction', supersedes: body.supersedes, reason: body.reason };
    const acks = await submitFacts(ctx, request, request.params.id, [{ raw: fact, path: '$' }]);
    return sendAcks(reply, acks, true);
  });
}
