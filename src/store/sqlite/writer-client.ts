// The main thread's side of the SQLite writer thread (writer-thread.ts):
// starts it, sends it append groups one at a time and hands back what it
// wrote. The thread does not keep the process alive while it is idle.
import { Worker } from 'node:worker_threads';
import { StoreError } from '../contract.ts';
import { fromWireError, type WireError, type WireItem, type WriteResult } from './fact-writer.ts';

const ENTRY = new URL(`./writer-thread${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** tsx's loader, for a thread that must import TypeScript (a checkout runs the sources through tsx; a worker does not inherit it). */
function tsxLoader(): string | null {
  if (!ENTRY.pathname.endsWith('.ts')) return null;
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    return null;
  }
}

function bootstrap(): string {
  const tsx = tsxLoader();
  return `(async () => {
  ${tsx ? `const { register } = await import(${JSON.stringify(tsx)}); register();` : ''}
  await import(${JSON.stringify(ENTRY.href)});
})().catch((e) => process.nextTick(() => { throw e; }));`;
}

type Reply = { ready: true } | { id: number; result: WriteResult } | { id: number; fatal: WireError };

export class WriterThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve(r: WriteResult): void; reject(e: unknown): void }>();
  private nextId = 1;
  private readonly started: Promise<void>;
  private exited = false;
  private closing = false;
  /** The thread has opened the database and takes groups. */
  ready = false;
  /** Why the thread stopped, when it stopped on its own. */
  failure: Error | null = null;

  constructor(path: string, private readonly onFailure: (e: Error, wasReady: boolean) => void) {
    this.worker = new Worker(bootstrap(), { eval: true, workerData: { path } });
    this.worker.unref();
    let started!: () => void, notStarted!: (e: Error) => void;
    this.started = new Promise<void>((resolve, reject) => { started = resolve; notStarted = reject; });
    // NOTE: nobody may be waiting yet; the rejection is still reported through onFailure.
    this.started.catch(() => undefined);
    this.worker.on('message', (m: Reply) => {
      if ('ready' in m) {
        this.ready = true;
        started();
        return;
      }
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (this.waiting.size === 0) this.worker.unref();
      if ('fatal' in m) w.reject(fromWireError(m.fatal));
      else w.resolve(m.result);
    });
    const stop = (e: Error) => {
      if (this.failure || this.exited) return;
      this.failure = e;
      const wasReady = this.ready;
      this.ready = false;
      notStarted(e);
      const err = new StoreError('unavailable', `the SQLite writer thread stopped: ${e.message}`);
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
      this.onFailure(e, wasReady);
    };
    this.worker.on('error', stop);
    this.worker.on('exit', (code) => {
      if (!this.closing) stop(new Error(`exited with code ${code}`));
      this.exited = true;
    });
  }

  /** Resolves once the thread takes groups; rejects when it failed to start. */
  whenReady(): Promise<void> {
    return this.started;
  }

  /** Writes a group on the thread; resolves once it has committed. */
  write(group: WireItem[]): Promise<WriteResult> {
    if (this.failure) return Promise.reject(new StoreError('unavailable', `the SQLite writer thread stopped: ${this.failure.message}`));
    const id = this.nextId++;
    return new Promise<WriteResult>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // An acknowledgment is awaited: keep the process alive until it comes.
      this.worker.ref();
      this.worker.postMessage({ id, group });
    });
  }

  /** Closes the thread's connection and ends it (call once nothing is being written). */
  async close(): Promise<void> {
    if (this.exited || this.closing) return;
    this.closing = true;
    this.worker.ref();
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    if (this.ready) this.worker.postMessage({ close: true });
    else await this.worker.terminate();
    await exited;
  }
}
