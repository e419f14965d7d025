// Reading a rally file: either the whole valid file, or every error by JSON
// path — shape errors first, then what the shape cannot say (duplicate car
// numbers, unknown classes, stages, controls and cars, times outside the
// rally); a finish before its start is a warning, as it is live. Nothing is
// half-loaded.
import type { Fact } from '../facts.ts';
import type { RallyDefinition } from '../model.ts';
import { checkDefinition, indexDefinition, type DefinitionIndex } from './check-definition.ts';
import { checkAcrossFacts, checkFactReferences } from './check-facts.ts';
import { child, fromZod, show, type PathError } from './errors.ts';
import { FactSchema, RALLY_FILE_FORMAT, RALLY_FILE_VERSION, RallyDefinitionSchema, type RallyFile } from './schema.ts';

export type { PathError } from './errors.ts';

export type ParseResult =
  | { ok: true; file: RallyFile; warnings: PathError[] }
  | { ok: false; errors: PathError[] };

export type FactResult = { ok: true; fact: Fact } | { ok: false; errors: PathError[] };

const TOP_KEYS = ['format', 'version', 'rally', 'facts'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The envelope: format, version, and no stray top-level keys. */
function checkEnvelope(json: Record<string, unknown>): PathError[] {
  const errors: PathError[] = [];
  if (json.format !== RALLY_FILE_FORMAT) {
    errors.push({ path: '$.format', message: json.format === undefined ? `required field is missing: expected "${RALLY_FILE_FORMAT}"` : `expected "${RALLY_FILE_FORMAT}", got ${show(json.format)}` });
  }
  if (json.version !== RALLY_FILE_VERSION) {
    const newer = typeof json.version === 'number' && json.version > RALLY_FILE_VERSION;
    errors.push({
      path: '$.version',
      message: newer
        ? `rally file version ${json.version} is newer than this rallyhq reads (${RALLY_FILE_VERSION}); upgrade rallyhq`
        : json.version === undefined ? `required field is missing: expected ${RALLY_FILE_VERSION}` : `expected ${RALLY_FILE_VERSION}, got ${show(json.version)}`,
    });
  }
  for (const key of Object.keys(json)) if (!TOP_KEYS.includes(key)) errors.push({ path: child('$', key), message: `unknown field "${key}"; a rally file holds only ${TOP_KEYS.join(', ')}` });
  return errors;
}

/**
 * Parses and validates a whole rally file (already read as JSON). Lists every
 * error it finds, each with its JSON path, e.g. `$.facts[12].at`.
 */
export function parseRallyFile(json: unknown): ParseResult {
  if (!isRecord(json)) return { ok: false, errors: [{ path: '$', message: `expected a rally file object {format, version, rally, facts}, got ${Array.isArray(json) ? 'an array' : show(json)}` }] };
  const errors = checkEnvelope(json);

  const rally = RallyDefinitionSchema.safeParse(json.rally);
  if (!rally.success) errors.push(...fromZod(rally.error, json.rally, '$.rally'));

  // Facts are checked one by one so one broken fact does not hide the others.
  const facts: { fact: Fact; path: string }[] = [];
  if (!Array.isArray(json.facts)) {
    errors.push({ path: '$.facts', message: json.facts === undefined ? 'required field is missing: expected an array of facts (may be empty)' : `expected an array of facts, got ${show(json.facts)}` });
  } else {
    json.facts.forEach((raw: unknown, i) => {
      const path = `$.facts[${i}]`;
      const parsed = FactSchema.safeParse(raw);
      if (parsed.success) facts.push({ fact: parsed.data as Fact, path });
      else errors.push(...fromZod(parsed.error, raw, path));
    });
  }

  const warnings: PathError[] = [];
  if (rally.success) {
    const def = rally.data as RallyDefinition;
    errors.push(...checkDefinition(def, '$.rally'));
    const index = indexDefinition(def);
    for (const { fact, path } of facts) errors.push(...checkFactReferences(index, fact, path));
    const across = checkAcrossFacts(index, facts);
    errors.push(...across.errors);
    warnings.push(...across.warnings);
  }

  if (errors.length > 0 || !rally.success || !Array.isArray(json.facts)) return { ok: false, errors };
  return {
    ok: true,
    file: { format: RALLY_FILE_FORMAT, version: RALLY_FILE_VERSION, rally: rally.data as RallyDefinition, facts: facts.map((f) => f.fact) },
    warnings,
  };
}

/**
 * Validates one fact against a rally definition (shape, then the cars,
 * controls, stages and dates it names). `path` prefixes every error path
 * (`$` by default; the server passes its request path, e.g. `$.body`).
 * NOTE: checks that need the whole log (duplicate ids, a finish before its
 * start) are the store's and the scoring core's job for a single fact; a
 * definition change is checked against the log with `factsInTheWay`.
 */
// A definition is never changed in place, so its index is built once per request stream.
const indexes = new WeakMap<RallyDefinition, DefinitionIndex>();

export function validateFact(def: RallyDefinition, fact: unknown, path = '$'): FactResult {
  const parsed = FactSchema.safeParse(fact);
  if (!parsed.success) return { ok: false, errors: fromZod(parsed.error, fact, path) };
  let index = indexes.get(def);
  if (index === undefined) indexes.set(def, (index = indexDefinition(def)));
  const errors = checkFactReferences(index, parsed.data as Fact, path);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, fact: parsed.data as Fact };
}
