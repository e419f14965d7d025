// The `rallyhq` command: finds the subcommand and runs it. Each subcommand
// lives in src/cli/commands/ and returns the process exit code. Failures print
// a message for people; a stack trace only with RALLYHQ_DEBUG=1.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CliCommand, CliIO } from './command.ts';
import { EXIT } from './args.ts';

type CommandModule = { command: CliCommand };

/**
 * Every subcommand, in the order `rallyhq --help` lists them. Each is loaded
 * only when needed, so `rallyhq results` never loads the server, and one
 * command that fails to load cannot take the others down.
 */
export const COMMAND_MODULES: readonly { name: string; load: () => Promise<CommandModule> }[] = [
  { name: 'results', load: () => import('./commands/results.ts') },
  { name: 'stage', load: () => import('./commands/stage.ts') },
  { name: 'explain', load: () => import('./commands/explain.ts') },
  { name: 'notional', load: () => import('./commands/notional.ts') },
  { name: 'validate', load: () => import('./commands/validate.ts') },
  { name: 'entries', load: () => import('./commands/entries.ts') },
  { name: 'serve', load: () => import('./commands/serve.ts') },
  { name: 'demo', load: () => import('./commands/demo.ts') },
  { name: 'standings', load: () => import('./commands/standings.ts') },
  { name: 'stats', load: () => import('./commands/stats.ts') },
  { name: 'history', load: () => import('./commands/history.ts') },
  { name: 'verify', load: () => import('./commands/verify.ts') },
];

type Loaded = { ok: true; command: CliCommand } | { ok: false; name: string; error: unknown };

async function loadCommand(entry: (typeof COMMAND_MODULES)[number]): Promise<Loaded> {
  try {
    return { ok: true, command: (await entry.load()).command };
  } catch (error) {
    return { ok: false, name: entry.name, error };
  }
}

/** Exit code for a failure inside rallyhq itself (a bug, not bad input). */
export const EXIT_INTERNAL = 70;

export async function mainUsage(): Promise<string> {
  const loaded = await Promise.all(COMMAND_MODULES.map(loadCommand));
  const width = Math.max(...COMMAND_MODULES.map((c) => c.name.length));
  return [
    'rallyhq: stage-rally timing, results and championships',
    '',
    'usage: rallyhq <command> [arguments] [flags]',
    '       rallyhq <command> --help     what a command reads, writes and accepts',
    '',
    'commands:',
    ...loaded.map((l) => `  ${(l.ok ? l.command.name : l.name).padEnd(width)}  ${l.ok ? l.command.summary : '(cannot be loaded in this installation)'}`),
    '',
    'Times read as rally people write them: totals 1:02:03.4, gaps +12.3, penalties 0:40.',
    'Exit codes: 0 done, 1 bad or missing rally data, 2 bad command line.',
    '',
  ].join('\n');
}

/** Runs one command line (without `node` and the script) and returns its exit code. */
export async function runCli(argv: readonly string[], io: CliIO, debug = false): Promise<number> {
  const [name, ...rest] = argv;
  const report = (cmdName: string, e: unknown, what: string): number => {
    // WARNING: reaching here is a bug in rallyhq (or a broken installation), never a data problem (those are values).
    io.err(`rallyhq ${cmdName}: ${what}: ${e instanceof Error ? e.message : String(e)}\n`);
    if (debug && e instanceof Error && e.stack) io.err(e.stack + '\n');
    else io.err('(set RALLYHQ_DEBUG=1 to see where it happened)\n');
    return EXIT_INTERNAL;
  };
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const entry = topic ? COMMAND_MODULES.find((c) => c.name === topic) : undefined;
    if (entry) {
      const loaded = await loadCommand(entry);
      if (!loaded.ok) return report(entry.name, loaded.error, 'cannot be loaded');
      io.out(loaded.command.usage.trimEnd() + '\n');
      return EXIT.ok;
    }
    if (name === undefined) {
      io.err(await mainUsage());
      return EXIT.usage;
    }
    io.out(await mainUsage());
    return EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.out('rallyhq 0.1.0\n');
    return EXIT.ok;
  }
  const entry = COMMAND_MODULES.find((c) => c.name === name);
  if (!entry) {
    const hint = name.startsWith('-') ? `unknown flag '${name}' before the command` : `unknown command '${name}'`;
    io.err(`rallyhq: ${hint}\n\n${await mainUsage()}`);
    return EXIT.usage;
  }
  const loaded = await loadCommand(entry);
  if (!loaded.ok) return report(entry.name, loaded.error, 'cannot be loaded');
  const cmd = loaded.command;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(cmd.usage.trimEnd() + '\n');
    return EXIT.ok;
  }
  try {
    return await cmd.run([...rest], io);
  } catch (e) {
    return report(cmd.name, e, 'internal error');
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
