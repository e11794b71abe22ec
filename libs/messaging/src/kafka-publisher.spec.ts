import { chunkBySize, type OutgoingMessage } from './kafka-publisher';

const message = (bytes: number): OutgoingMessage => ({ key: 'k', value: 'x'.repeat(bytes) });

describe(chunkBySize.name, () => {
  it('keeps every produce request under the size limit, in order, losing nothing', () => {
    const messages = Array.from({ length: 100 }, (_, i) => ({ key: String(i), value: 'x'.repeat(1_000) }));
    const chunks = chunkBySize(messages, 10_000);
    expect(chunks.flat()).toEqual(messages);
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(10);
  });

  it('sends a single oversized message alone rather than dropping it', () => {
    const chunks = chunkBySize([message(10), message(50_000), message(10)], 10_000);
    expect(chunks.map((c) => c.length)).toEqual([1, 1, 1]);
  });
});
