// Input no store can hold is refused at the door, on every route, before any
// handler runs: text with a NUL character (PostgreSQL text and jsonb cannot
// hold U+0000) or an unpaired surrogate (not Unicode: it would be stored as
// U+FFFD, changing what was sent), and numbers no field holds (1e400 reads as
// infinity, integers beyond 2^53 lose digits). Checked in path parameters,
// the query string and JSON bodies, keys included, so SQLite and PostgreSQL
// answer the same 400 naming the field — and a route added later is covered.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { apiError, type ApiError } from './problem.ts';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character (U+0000), which cannot be stored; remove it';
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired surrogate (U+D800–U+DFFF), which is not Unicode text; send the text as UTF-8';
  return null;
}

function numberProblem(n: number): string | null {
  if (!Number.isFinite(n)) return 'is a number too large to hold (e.g. 1e400 reads as infinity); send a number within range';
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) return 'is a whole number beyond ±9007199254740991 that cannot be held exactly; send a smaller number';
  return null;
}

const keyPath = (base: string, key: string): string => (/^[A-Za-z_$][\w$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`);

/** The first value no store can hold, as [path, problem], or null. Paths: `$.facts[2].reason`, `params.id`, `query.rally`. */
export function findUnstorable(value: unknown, path: string): [string, string] | null {
  if (typeof value === 'string') {
    const p = textProblem(value);
    return p ? [path, p] : null;
  }
  if (typeof value === 'number') {
    const p = numberProblem(value);
    return p ? [path, p] : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorable(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const kp = textProblem(k);
      if (kp) return [keyPath(path, k.split('\u0000').join('\\u0000')), `is a field name that ${kp}`];
      const found = findUnstorable(v, keyPath(path, k));
      if (found) return found;
    }
  }
  return null;
}

function refusal(request: FastifyRequest): ApiError | null {
  const found = findUnstorable(request.params, 'params') ?? findUnstorable(request.query, 'query') ?? findUnstorable(request.body, '$');
  if (!found) return null;
  const [path, problem] = found;
  return apiError('invalid-field', `${path}: ${problem}.`, path, { errors: [{ path, message: problem }] });
}

export function installInputGuard(app: FastifyInstance): void {
  // NOTE: preValidation: the body is parsed, and no handler or schema check has run yet.
  app.addHook('preValidation', async (request) => {
    const e = refusal(request);
    if (e) throw e;
  });
}
