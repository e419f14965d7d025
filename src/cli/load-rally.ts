// Reads a rally file for a subcommand: read (path relative to the working
// directory), parse, resolve its rules, score. Every problem comes back as a
// value with the JSON path at fault; nothing is half-loaded. Also turns the
// names people type (`ss7`, `l4wd`, `--leg 1`, `--car 23`) into the rally's own.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliIO } from './command.ts';
import type { Entry, Leg, RallyClass, RallyDefinition, Stage } from '../core/model.ts';
import type { Fact } from '../core/facts.ts';
import type { RuleSet } from '../core/rules/types.ts';
import { parseRallyFile } from '../core/rallyfile/parse.ts';
import { resolveRules } from '../core/rules/resolve.ts';
import { score, type ScoringState } from '../core/scoring/index.ts';
import { numberRanges } from './format/cells.ts';

export interface PathError {
  path: string;
  message: string;
}

export interface LoadedRally {
  /** The path as given on the command line. */
  path: string;
  definition: RallyDefinition;
  facts: Fact[];
  rules: RuleSet;
  state: ScoringState;
  /** Parser warnings, as `path: message` lines. */
  warnings: string[];
}

export type LoadResult =
  | { ok: true; rally: LoadedRally }
  /** `errors` lists every problem by JSON path; `message` says what went wrong as a whole. */
  | { ok: false; message: string; errors: PathError[] };

/** `Unexpected token } in JSON at position 120` → line and column, which an editor can jump to. */
function jsonErrorWhere(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return '';
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const col = pos - before.lastIndexOf('\n');
  return ` (line ${line}, column ${col})`;
}


/** Reads, checks and scores the rally file at `pathArg` (relative to `cwd`). */
export async function loadRally(pathArg: string, cwd: string): Promise<LoadResult> {
  const full = resolve(cwd, pathArg);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory, not a rally file' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    return { ok: false, message: `cannot read ${pathArg}: ${why}; give the path of a rally file such as fixtures/example-small.rally.json`, errors: [] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { ok: false, message: `${pathArg} is not valid JSON${jsonErrorWhere(text, msg)}: ${msg}`, errors: [] };
  }
  const parsed = parseRallyFile(json);
  if (!parsed.ok) {
    return { ok: false, message: `${pathArg} is not a valid rally file: ${parsed.errors.length} error${parsed.errors.length === 1 ? '' : 's'}`, errors: parsed.errors };
  }
  const { rally: definition, facts } = parsed.file;
  const resolved = resolveRules(definition.rules);
  if (resolved.errors.length > 0) {
    // resolveRules names paths inside the rally definition, which sits at `$.rally` in the file.
    const errors = resolved.errors.map((e) => ({ path: `$.rally.${e.path}`, message: e.message }));
    return { ok: false, message: `${pathArg}: the rules choice is not valid: ${errors.length} error${errors.length === 1 ? '' : 's'}`, errors };
  }
  const state = score(definition, resolved.rules, facts);
  const warnings = parsed.warnings.map((w) => `${w.path}: ${w.message}`);
  return { ok: true, rally: { path: pathArg, definition, facts, rules: resolved.rules, state, warnings } };
}

/** Every error by JSON path, one indented line each. */
export function pathErrorLines(errors: PathError[]): string[] {
  return errors.map((e) => `  ${e.path || '(file)'}: ${e.message}`);
}

/** Prints a failed load: the summary, then every error by JSON path. */
export function printLoadFailure(io: CliIO, commandName: string, failure: { message: string; errors: PathError[] }): void {
  io.err([`rallyhq ${commandName}: ${failure.message}`, ...pathErrorLines(failure.errors)].join('\n') + '\n');
}

export type Found<T> = { ok: true; value: T } | { ok: false; message: string };

/** A stage by code, case-insensitive; a bare number means that stage (`7` → `SS7`). */
export function findStage(def: RallyDefinition, text: string, flag: string): Found<Stage> {
  const want = text.trim().toUpperCase();
  const stage = def.stages.find((s) => s.code.toUpperCase() === want)
    ?? (/^\d+$/.test(want) ? def.stages.find((s) => s.code.toUpperCase() === `SS${Number(want)}`) : undefined);
  if (stage) return { ok: true, value: stage };
  const codes = def.stages.map((s) => s.code);
  return { ok: false, message: `unknown stage '${text}' for ${flag}: this rally has ${codes.length ? codes.join(', ') : 'no stages'}` };
}

/** A class by code or name, case-insensitive. */
export function findClass(def: RallyDefinition, text: string): Found<RallyClass> {
  const want = text.trim().toLowerCase();
  const cls = def.classes.find((c) => c.code.toLowerCase() === want) ?? def.classes.find((c) => c.name.toLowerCase() === want);
  if (cls) return { ok: true, value: cls };
  const list = def.classes.map((c) => (c.name && c.name !== c.code ? `${c.code} (${c.name})` : c.code));
  return { ok: false, message: `unknown class '${text}' for --class: this rally has ${list.length ? list.join(', ') : 'no classes'}` };
}

/** A category by code or name (`--category Regional`), for a rally that classifies several on the same roads. */
export function findCategory(def: RallyDefinition, text: string): Found<NonNullable<RallyDefinition['categories']>[number]> {
  const want = text.trim().toLowerCase();
  const cats = def.categories ?? [];
  const cat = cats.find((c) => c.code.toLowerCase() === want) ?? cats.find((c) => c.name.toLowerCase() === want);
  if (cat) return { ok: true, value: cat };
  return { ok: false, message: cats.length ? `unknown category '${text}' for --category: this rally has ${cats.map((c) => c.code).join(', ')}` : `--category: this rally has no categories (one classification for every crew)` };
}

/** A leg by id, by name, or by its number in running order (`--leg 1`). */
export function findLeg(def: RallyDefinition, text: string): Found<Leg> {
  const want = text.trim().toLowerCase();
  const leg = def.legs.find((l) => l.id.toLowerCase() === want)
    ?? def.legs.find((l) => l.name.toLowerCase() === want)
    ?? (/^\d+$/.test(want) ? def.legs[Number(want) - 1] : undefined);
  if (leg) return { ok: true, value: leg };
  const list = def.legs.map((l, i) => `${i + 1} (${l.id}${l.name ? `, ${l.name}` : ''})`);
  return { ok: false, message: `unknown leg '${text}' for --leg: this rally has ${list.length ? list.join(', ') : 'no legs'}` };
}

/** An entry by car number. */
export function findEntry(def: RallyDefinition, text: string): Found<Entry> {
  const car = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  const entry = Number.isInteger(car) ? def.entries.find((e) => e.car === car) : undefined;
  if (entry) return { ok: true, value: entry };
  const cars = numberRanges(def.entries.map((e) => e.car));
  return { ok: false, message: `unknown car '${text}' for --car: this rally has cars ${cars || '(none)'}` };
}
