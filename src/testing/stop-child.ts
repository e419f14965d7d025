// Stops a child process started by a test or a benchmark: the signal first,
// SIGKILL if it has not exited within five seconds; resolves once it is gone.
import type { ChildProcess } from 'node:child_process';

export function stopChild(proc: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
    proc.once('exit', () => { clearTimeout(t); resolve(); });
    proc.kill(signal);
  });
}
