// Problems in a rally file are reported by JSON path (`$.facts[12].at`), each
// with a message that names the field, the value and the fix.
import type { z } from 'zod';

export interface PathError {
  /** JSON path from the document root, `$.rally.entries[3].class`. */
  path: string;
  message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Appends one step to a JSON path: `.key`, `[3]`, or `['odd key']`. */
export function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

export function joinPath(base: string, steps: readonly PropertyKey[]): string {
  let p = base;
  for (const s of steps) p = child(p, typeof s === 'symbol' ? String(s) : s);
  return p;
}

/** A value as it appears in a message: strings quoted, short. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** zod's issues as path errors; missing fields say "required", unknown keys name themselves. */
export function fromZod(error: z.ZodError, input: unknown, base: string): PathError[] {
  const out: PathError[] = [];
  for (const issue of error.issues) {
    const path = joinPath(base, issue.path);
    if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) {
      out.push({ path, message: `required field is missing: ${issue.message.replace(/^Invalid input: /, '').replace(/, received undefined$/, '')}` });
      continue;
    }
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: child(path, key), message: `unknown field "${key}"; remove it or check its spelling` });
      continue;
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // A discriminated union reports the branch it chose; show that branch's problems.
      const nested = issue.errors.flat();
      if (nested.length > 0) {
        for (const n of nested) out.push({ path: joinPath(path, n.path), message: n.message });
        continue;
      }
    }
    const value = valueAt(input, issue.path);
    const got = value !== undefined && (value === null || typeof value !== 'object') ? ` (got ${show(value)})` : '';
    out.push({ path, message: issue.message + got });
  }
  return out;
}

function valueAt(input: unknown, steps: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const s of steps) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[s];
  }
  return v;
}
