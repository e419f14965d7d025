// Group commit: appends that arrive while a commit is being written wait in a
// queue and are flushed together in the next transaction, so many concurrent
// single-fact writers share one durable commit (one fsync) instead of paying
// one each. SEE: docs/store.md "Group commit".

export interface Pending<I, O> {
  input: I;
  resolve(output: O): void;
  reject(error: unknown): void;
}

export class GroupCommit<I, O> {
  private queue: Pending<I, O>[] = [];
  private scheduled = false;
  private running: Promise<void> | null = null;
  /** Number of flushes run (one transaction each, unless a failure forced retries). */
  flushes = 0;

  /**
   * @param flush writes a group and settles every pending of it; if it throws,
   *   every pending it left unsettled is rejected with that error.
   * @param maxGroup upper bound on callers per flush, to bound transaction size.
   */
  constructor(private readonly flush: (group: Pending<I, O>[]) => Promise<void> | void, private readonly maxGroup = 1000) {}

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once everything submitted so far is flushed. */
  async drain(): Promise<void> {
    while (this.running || this.queue.length > 0 || this.scheduled) {
      if (this.running) await this.running;
      else await new Promise<void>((r) => setImmediate(r));
    }
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    // NOTE: setImmediate runs after the pending I/O callbacks and microtasks, so
    // every caller that became ready in this turn of the event loop joins the group.
    setImmediate(() => {
      this.scheduled = false;
      this.running = this.run().finally(() => {
        this.running = null;
        if (this.queue.length > 0) this.schedule();
      });
    });
  }

  private async run(): Promise<void> {
    const group = this.queue.splice(0, this.maxGroup);
    if (group.length === 0) return;
    this.flushes += 1;
    try {
      await this.flush(group);
    } catch (e) {
      for (const p of group) p.reject(e); // settled promises ignore a second settlement
    }
  }
}
