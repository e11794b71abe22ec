import { BatchCoalescer } from './batch-coalescer';

describe(BatchCoalescer.name, () => {
  it('merges concurrent submissions into one flush once enough items wait', async () => {
    const flushes: number[][] = [];
    const coalescer = new BatchCoalescer<number>(
      (items) => Promise.resolve(void flushes.push(items)),
      5,
      10_000,
    );

    await Promise.all([coalescer.submit([1, 2]), coalescer.submit([3]), coalescer.submit([4, 5])]);

    expect(flushes).toEqual([[1, 2, 3, 4, 5]]);
  });

  it('flushes a lone small submission after the linger time', async () => {
    const flushes: number[][] = [];
    const coalescer = new BatchCoalescer<number>(
      (items) => Promise.resolve(void flushes.push(items)),
      1_000,
      5,
    );
    await coalescer.submit([7]);
    expect(flushes).toEqual([[7]]);
  });

  it('fails every caller of a failed flush, so none of their offsets get committed', async () => {
    const coalescer = new BatchCoalescer<number>(() => Promise.reject(new Error('neo4j down')), 2, 10_000);
    const results = await Promise.allSettled([coalescer.submit([1]), coalescer.submit([2])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('runs flushes one at a time, in submission order', async () => {
    const events: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const coalescer = new BatchCoalescer<string>(
      async (items) => {
        events.push(`start ${items.join()}`);
        if (items.includes('a')) await gate;
        events.push(`end ${items.join()}`);
      },
      1,
      10_000,
    );
    const first = coalescer.submit(['a']);
    const second = coalescer.submit(['b']);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events).toEqual(['start a']);
    release();
    await Promise.all([first, second]);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b']);
  });
});
