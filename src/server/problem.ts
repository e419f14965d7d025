// The one mapper from errors to RFC 7807 problem details
// (`application/problem+json`). Routes throw `ApiError`s; Fastify's own
// errors (bad JSON, too large, schema validation) and store errors are mapped
// here too, so every 4xx names the field and the fix.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isConnectionError } from '../store/postgres/pg-errors.ts';
import { PROBLEMS, type ProblemCode } from './messages.ts';

export interface FieldError {
  /** JSON path of the field, e.g. `$.body.car`, `$.facts[2].at`, `query.after`. */
  path: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  /** The field at fault (JSON path or parameter name). */
  field?: string;
  fix: string;
  errors?: FieldError[];
  instance?: string;
  [extra: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    public readonly code: ProblemCode,
    public readonly detail: string,
    public readonly field?: string,
    public readonly extra: { errors?: FieldError[]; fix?: string; [k: string]: unknown } = {},
  ) {
    super(detail);
  }
  get status(): number {
    return PROBLEMS[this.code].status;
  }
}

export function apiError(code: ProblemCode, detail: string, field?: string, extra?: ApiError['extra']): ApiError {
  return new ApiError(code, detail, field, extra);
}

export function problemBody(e: ApiError, instance?: string): ProblemBody {
  const text = PROBLEMS[e.code];
  const { fix, ...extra } = e.extra;
  return {
    type: `urn:rallyhq:problem:${e.code}`,
    title: text.title,
    status: text.status,
    detail: e.detail,
    code: e.code,
    ...(e.field !== undefined ? { field: e.field } : {}),
    fix: fix ?? text.fix,
    ...(instance ? { instance } : {}),
    ...extra,
  };
}

export function sendProblem(reply: FastifyReply, e: ApiError, instance?: string): FastifyReply {
  if (e.status === 503) reply.header('retry-after', String(STORE_RETRY_AFTER_S));
  if (e.status === 429 && typeof e.extra.retryAfter === 'number') reply.header('retry-after', String(e.extra.retryAfter));
  return reply.code(e.status).type('application/problem+json; charset=utf-8').send(problemBody(e, instance));
}

/** JSON Schema of a problem body, for the OpenAPI document. */
export const problemSchema = {
  type: 'object',
  description: 'RFC 7807 problem details; `field` names what is wrong and `fix` what to do.',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'kebab-case error code, e.g. unknown-car, token-wrong-rally' },
    field: { type: 'string' },
    fix: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
  },
  additionalProperties: true,
} as const;

/** Seconds a client is told to wait before retrying after the database was unavailable. */
export const STORE_RETRY_AFTER_S = 2;

interface AjvError { instancePath?: string; message?: string; params?: Record<string, unknown>; keyword?: string }

/** Fastify's schema-validation errors (params, querystring, body) as field errors. */
function validationProblem(error: FastifyError & { validation?: AjvError[]; validationContext?: string }): ApiError {
  const part = error.validationContext ?? 'body';
  const prefix = part === 'querystring' ? 'query' : part;
  const errors: FieldError[] = (error.validation ?? []).map((v) => {
    const steps = (v.instancePath ?? '').split('/').filter(Boolean);
    if (v.keyword === 'required' && typeof v.params?.missingProperty === 'string') steps.push(v.params.missingProperty);
    if (v.keyword === 'additionalProperties' && typeof v.params?.additionalProperty === 'string') {
      steps.push(v.params.additionalProperty);
      return { path: [prefix, ...steps].join('.'), message: `unknown field "${v.params.additionalProperty}"; remove it or check its spelling` };
    }
    const allowed = Array.isArray(v.params?.allowedValues) ? `: ${(v.params.allowedValues as unknown[]).join(', ')}` : '';
    const message = v.keyword === 'required' ? 'required field is missing' : `${v.message ?? 'invalid'}${allowed}`;
    return { path: [prefix, ...steps].join('.'), message };
  });
  const first = errors[0] ?? { path: prefix, message: error.message };
  return apiError('invalid-field', `${first.path}: ${first.message}`, first.path, { errors });
}

/** Maps anything thrown in a request to an ApiError (and logs what is a bug). */
export function toApiError(err: unknown, request: FastifyRequest): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as FastifyError & { validation?: AjvError[]; validationContext?: string; statusCode?: number };
  if (e && Array.isArray(e.validation)) return validationProblem(e);
  switch (e?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return apiError('payload-too-large', `The request body is larger than the limit of ${request.routeOptions.bodyLimit ?? 1_048_576} bytes.`, 'body');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return apiError('unsupported-media-type', `Content-Type ${JSON.stringify(request.headers['content-type'] ?? '')} is not accepted here.`, 'content-type');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return apiError('empty-body', 'Content-Type is application/json but the body is empty.', 'body');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return apiError('bad-request', 'Content-Length does not match the body.', 'content-length');
  }
  if (e instanceof SyntaxError || e?.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return apiError('malformed-json', `The body is not valid JSON: ${e.message}.`, 'body');
  }
  const storeCode = (e as { code?: unknown })?.code;
  if (e?.name === 'StoreError' || storeCode === 'rally-exists' || storeCode === 'version-conflict' || storeCode === 'rally-not-found' || storeCode === 'unavailable' || storeCode === 'fact-id-reused') {
    if (storeCode === 'fact-id-reused') return apiError('fact-id-reused', e.message, 'id');
    if (storeCode === 'rally-exists') return apiError('rally-exists', e.message, 'id');
    if (storeCode === 'version-conflict') return apiError('version-conflict', e.message, 'version');
    if (storeCode === 'rally-not-found') return apiError('rally-not-found', e.message, 'id');
    if (storeCode === 'unavailable') return apiError('store-unavailable', e.message);
  }
  // A full disk or a failing one is the operator's to fix, not a fault in rallyhq (SQLite codes; PostgreSQL 53100 disk_full).
  const text = `${typeof storeCode === 'string' ? storeCode : ''} ${e?.message ?? ''}`;
  if (/SQLITE_FULL|database or disk is full|\b53100\b|No space left on device/i.test(text)) {
    request.log.error({ err }, 'database disk full');
    return apiError('store-full', 'The database\'s disk is full; nothing more can be stored until space is freed.');
  }
  if (/SQLITE_IOERR|disk I\/O error/i.test(text)) {
    request.log.error({ err }, 'database disk error');
    return apiError('store-io-error', 'The database reported a disk I/O error.');
  }
  // A database connection lost or refused mid-request (PostgreSQL restarting, out of connections, SQLite locked
  // by another writer): nothing was acknowledged, so retrying is safe.
  if (isConnectionError(e) || storeCode === 'SQLITE_BUSY') {
    request.log.warn({ err }, 'database unavailable');
    return apiError('store-unavailable', 'The database is not reachable right now.');
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return apiError('bad-request', e.message);
  }
  request.log.error({ err }, 'unexpected error');
  return apiError('internal', 'Something went wrong inside rallyhq while handling this request.');
}

export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => sendProblem(reply, toApiError(err, request), request.url));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, apiError('not-found', `No route ${request.method} ${request.url.split('?')[0]}.`, 'url'), request.url),
  );
}
