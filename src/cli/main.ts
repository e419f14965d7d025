// The `rallyhq` command: finds the subcommand and runs it. Each subcommand
// lives in src/cli/commands/ and returns the process exit code. Failures print
// a message for people; a stack trace only with RALLYHQ_DEBUG=1.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CliCommand, CliIO } from './command.ts';
import { EXIT } from './args.ts';
import { command as results } from './commands/results.ts';
import { command as stage } from './commands/stage.ts';
import { command as explain } from './commands/explain.ts';
import { command as validate } from './commands/validate.ts';
import { command as entries } from './commands/entries.ts';
import { command as serve } from './commands/serve.ts';
import { command as demo } from './commands/demo.ts';
import { command as standings } from './commands/standings.ts';
import { command as stats } from './commands/stats.ts';
import { command as history } from './commands/history.ts';

/** Every subcommand, in the order `rallyhq --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [results, stage, explain, validate, entries, serve, demo, standings, stats, history];

/** Exit code for a failure inside rallyhq itself (a bug, not bad input). */
export const EXIT_INTERNAL = 70;

export function mainUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'rallyhq: stage-rally timing, results and championships',
    '',
    'usage: rallyhq <command> [arguments] [flags]',
    '       rallyhq <command> --help     what a command reads, writes and accepts',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Times read as rally people write them: totals 1:02:03.4, gaps +12.3, penalties 0:40.',
    'Exit codes: 0 done, 1 bad or missing rally data, 2 bad command line.',
    '',
  ].join('\n');
}

/** Runs one command line (without `node` and the script) and returns its exit code. */
export async function runCli(argv: readonly string[], io: CliIO, debug = false): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const cmd = topic ? COMMANDS.find((c) => c.name === topic) : undefined;
    if (cmd) {
      io.out(cmd.usage.trimEnd() + '\n');
      return EXIT.ok;
    }
    if (name === undefined) {
      io.err(mainUsage());
      return EXIT.usage;
    }
    io.out(mainUsage());
    return EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.out('rallyhq 0.1.0\n');
    return EXIT.ok;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    const hint = name.startsWith('-') ? `unknown flag '${name}' before the command` : `unknown command '${name}'`;
    io.err(`rallyhq: ${hint}\n\n${mainUsage()}`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(cmd.usage.trimEnd() + '\n');
    return EXIT.ok;
  }
  try {
    return await cmd.run([...rest], io);
  } catch (e) {
    // WARNING: reaching here is a bug in rallyhq, never a data problem (those are values).
    const message = e instanceof Error ? e.message : String(e);
    io.err(`rallyhq ${cmd.name}: internal error: ${message}\n`);
    if (debug && e instanceof Error && e.stack) io.err(e.stack + '\n');
    else io.err('(set RALLYHQ_DEBUG=1 to see where it happened)\n');
    return EXIT_INTERNAL;
  }
}

function isEntryPoint(): boolean {
  const invoked = process.argv[1];
  if (!invoked) return false;
  try {
    const real = realpathSync(invoked);
    const here = fileURLToPath(import.meta.url);
    const bin = fileURLToPath(new URL('../../bin/rallyhq.js', import.meta.url));
    return real === here || real === bin;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // NOTE: `rallyhq results … | head` closes the pipe early; that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const io: CliIO = {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
  };
  process.exitCode = await runCli(process.argv.slice(2), io, process.env.RALLYHQ_DEBUG === '1');
}
