// What the commands that read one rally file share: `<file>` and their own
// arguments, `--format`, the file loaded and scored, and every mistake printed
// the same way with its exit code. A command states only its own flags,
// formats and output.
import type { CliCommand, CliIO } from './command.ts';
import { EXIT, formatFlag, parseFlags, stringFlag, usageError, valueError, type FlagSpec, type OutputFormat } from './args.ts';
import { loadRally, printLoadFailure, type Found, type LoadedRally, type PathError } from './load-rally.ts';

export interface RallyRun<F extends OutputFormat> {
  rally: LoadedRally;
  format: F;
  /** The arguments after `<file>`, as many as the command declared. */
  args: string[];
  io: CliIO;
  /** A string flag's value, or undefined when it is not given. */
  flag(name: string): string | undefined;
  /** The stage, class, leg or car found; when none is, the command stops with exit 2 and the message (it lists the valid ones). */
  pick<T>(found: Found<T>): T;
  /** `pick` for an optional flag: undefined when the flag is not given. */
  option<T>(name: string, find: (text: string) => Found<T>): T | undefined;
  /** Stops the command with exit 2 and this message about a value on the command line. */
  fail(message: string): never;
  /** Prints the output of the chosen format (only that one is built); exit 0. */
  print(outputs: Record<F, () => string>): number;
}

export interface RallyCommandSpec<F extends OutputFormat> {
  name: string;
  summary: string;
  usage: string;
  /** Flags besides `--format` / `-f`, which every such command has. */
  flags?: FlagSpec;
  /** The formats `--format` accepts; the first is the default. */
  formats: readonly F[];
  /** Arguments after `<file>`, each with what to say when it is missing. */
  positionals?: readonly { missing: string }[];
  /** Flags that must be given, with what to say when one is missing. */
  required?: Readonly<Record<string, string>>;
  /** A file that cannot be loaded: by default the message and every error by JSON path on stderr, exit 1. */
  loadFailed?(failure: { message: string; errors: PathError[] }, format: F, file: string, io: CliIO): number;
  run(r: RallyRun<F>): number | Promise<number>;
}

/** Thrown by `pick` and `fail`, caught by the command: a value the rally does not have. */
class ValueStop extends Error {}

export function rallyCommand<F extends OutputFormat>(spec: RallyCommandSpec<F>): CliCommand {
  const command: CliCommand = {
    name: spec.name,
    summary: spec.summary,
    usage: spec.usage,
    async run(argv, io) {
      const flags = parseFlags(argv, { ...spec.flags, format: { type: 'string', short: 'f' } });
      if (!flags.ok) return usageError(io, command, flags.message);
      const [file, ...rest] = flags.positionals;
      if (!file) return usageError(io, command, 'missing <file>: give the path of a rally file');
      const wanted = spec.positionals ?? [];
      const missing = wanted[rest.length];
      if (missing) return usageError(io, command, missing.missing);
      if (rest.length > wanted.length) return usageError(io, command, `unexpected argument '${rest[wanted.length]}'`);
      for (const [name, message] of Object.entries(spec.required ?? {})) {
        if (stringFlag(flags.values[name]) === undefined) return usageError(io, command, message);
      }
      const format = formatFlag(flags.values.format, spec.formats);
      if (!format.ok) return usageError(io, command, format.message);

      const loaded = await loadRally(file, io.cwd);
      if (!loaded.ok) {
        if (spec.loadFailed) return spec.loadFailed(loaded, format.format, file, io);
        printLoadFailure(io, command.name, loaded);
        return EXIT.dataError;
      }
      const flag = (name: string) => stringFlag(flags.values[name]);
      const fail = (message: string): never => { throw new ValueStop(message); };
      const pick = <T>(found: Found<T>): T => (found.ok ? found.value : fail(found.message));
      try {
        return await spec.run({
          rally: loaded.rally, format: format.format, args: rest, io, flag, pick, fail,
          option: (name, find) => {
            const text = flag(name);
            return text === undefined ? undefined : pick(find(text));
          },
          print: (outputs) => {
            io.out(outputs[format.format]());
            return EXIT.ok;
          },
        });
      } catch (e) {
        if (e instanceof ValueStop) return valueError(io, command, e.message);
        throw e;
      }
    },
  };
  return command;
}
