// The `onAppended` listeners of a store. A listener that throws is reported
// and skipped: it must not turn a durable append into a failed one.
export type AppendedListener = (rallyId: string, lastSeq: number) => void;

export class AppendedListeners {
  private readonly listeners = new Set<AppendedListener>();

  constructor(private readonly log: (msg: string) => void = () => {}) {}

  add(listener: AppendedListener): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  emit(rallyId: string, lastSeq: number): void {
    for (const l of [...this.listeners]) {
      try {
        l(rallyId, lastSeq);
      } catch (e) {
        this.log(`onAppended listener failed for ${rallyId}:${lastSeq}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
