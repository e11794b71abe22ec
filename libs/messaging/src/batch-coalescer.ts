/**
 * Merges items submitted by concurrent callers (one per Kafka partition batch) into larger flushes, and
 * resolves each caller only once the flush holding its items has committed. Neo4j writes are several
 * times faster per row in batches of thousands than in the few hundred one partition fetch often holds.
 *
 * A flush starts when `maxItems` are waiting or `lingerMs` after the first item arrived. If it fails,
 * every caller in it gets the error (and its Kafka batch is retried, since its offsets were not committed).
 */
export class BatchCoalescer<T> {
  private pending: { items: readonly T[]; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private pendingCount = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly flushItems: (items: T[]) => Promise<void>,
    private readonly maxItems: number,
    private readonly lingerMs: number,
  ) {}

  submit(items: readonly T[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ items, resolve, reject });
      this.pendingCount += items.length;
      if (this.pendingCount >= this.maxItems) this.flushNow();
      else this.timer ??= setTimeout(() => this.flushNow(), this.lingerMs);
    });
  }

  private flushNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const callers = this.pending;
    this.pending = [];
    this.pendingCount = 0;
    if (callers.length === 0) return;
    // Flushes run one after another: concurrent transactions on shared accounts would contend for locks.
    this.flushing = this.flushing.then(async () => {
      try {
        await this.flushItems(callers.flatMap((c) => c.items));
        callers.forEach((c) => c.resolve());
      } catch (error) {
        callers.forEach((c) => c.reject(error));
      }
    });
  }
}
