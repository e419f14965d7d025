// Helpers for benchmarks that run a server in a child process: a free port,
// start-and-wait-until-listening, stop.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

import { freePort } from '../src/testing/free-port.ts';
import { stopChild } from '../src/testing/stop-child.ts';

export { freePort };

export interface Child {
  proc: ChildProcess;
  url: string;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `node <args>` and waits until GET `readyPath` on `port` answers (any status). */
export async function startChild(args: string[], port: number, opts: { readyPath?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<Child> {
  const proc = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => { out += d.toString(); if (out.length > 200_000) out = out.slice(-100_000); });
  proc.stderr?.on('data', (d: Buffer) => { out += d.toString(); if (out.length > 200_000) out = out.slice(-100_000); });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`child exited with ${proc.exitCode}: ${args.join(' ')}\n${out}`);
    try {
      await fetch(url + (opts.readyPath ?? '/'), { signal: AbortSignal.timeout(1000) });
      break;
    } catch {
      if (Date.now() > deadline) { proc.kill('SIGKILL'); throw new Error(`child did not listen on ${port}: ${args.join(' ')}\n${out}`); }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    proc,
    url,
    output: () => out,
    stop: (signal: NodeJS.Signals = 'SIGTERM') => stopChild(proc, signal),
  };
}

export { median } from '../src/testing/median.ts';

/** Nearest-rank percentile, p in 0..100. */
export function percentile(xs: readonly number[] | Float64Array, p: number): number {
  const s = Float64Array.from(xs).sort();
  if (s.length === 0) return NaN;
  const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[rank]!;
}
