// Flag parsing shared by the subcommands. Bad flags are values, not throws:
// each command prints the message with its usage and returns exit code 2.
import { parseArgs } from 'node:util';
import type { CliCommand, CliIO } from './command.ts';

/** Exit codes every subcommand uses (documented in docs/cli.md). */
export const EXIT = {
  ok: 0,
  /** The rally file is missing, unreadable or invalid, or the data has errors. */
  dataError: 1,
  /** Unknown command, flag or value on the command line. */
  usage: 2,
} as const;

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export type ParsedFlags =
  | { ok: true; values: Record<string, string | boolean | undefined>; positionals: string[] }
  | { ok: false; message: string };

/** Parses `args` strictly: unknown flags and missing values become a message naming the flag. */
export function parseFlags(args: string[], spec: FlagSpec): ParsedFlags {
  try {
    const { values, positionals } = parseArgs({ args, options: { ...spec, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { ok: true, values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (e) {
    // NOTE: node:util parseArgs reports bad input by throwing a TypeError with a readable message.
    return { ok: false, message: e instanceof Error ? e.message.replace(/\. To specify a positional argument.*$/s, '.') : String(e) };
  }
}

/** Prints `rallyhq <cmd>: <message>` and the command's usage; returns exit code 2. */
export function usageError(io: CliIO, command: Pick<CliCommand, 'name' | 'usage'>, message: string): number {
  io.err(`rallyhq ${command.name}: ${message}\n\n${command.usage.trimEnd()}\n`);
  return EXIT.usage;
}

/** An unknown stage, class, leg or car: the message (which lists the valid ones) and a pointer to the usage; exit code 2. */
export function valueError(io: CliIO, command: Pick<CliCommand, 'name'>, message: string): number {
  io.err(`rallyhq ${command.name}: ${message}\n(rallyhq ${command.name} --help shows the usage)\n`);
  return EXIT.usage;
}

export type OutputFormat = 'table' | 'json' | 'csv' | 'text';

/** Reads `--format`, checking it against the formats this command supports. */
export function formatFlag<F extends OutputFormat>(value: string | boolean | undefined, allowed: readonly F[]): { ok: true; format: F } | { ok: false; message: string } {
  if (value === undefined) return { ok: true, format: allowed[0] as F };
  const v = String(value).toLowerCase();
  const found = allowed.find((f) => f === v);
  if (found) return { ok: true, format: found };
  return { ok: false, message: `unknown --format '${String(value)}': use one of ${allowed.join(', ')}` };
}

/** A flag value as a string, or undefined (boolean flags are never passed here). */
export function stringFlag(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Width tables are fitted to: the terminal's when there is one, else 80 columns (pipes, files). */
export function outputWidth(): number {
  return process.stdout.isTTY && process.stdout.columns ? Math.max(60, process.stdout.columns) : 80;
}
