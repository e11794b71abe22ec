import neo4j from 'neo4j-driver';
import { frontierBatches, TRACE_MESSAGE_BUDGET_BYTES } from './trace-query.repository';
import { TRACE_BACKWARD_HOP, TRACE_FORWARD_HOP } from './trace.cypher';

const entry = (i: number): [string, ReturnType<typeof neo4j.int>] => [
  `KASITHBK:${String(i).padStart(10, '0')}`,
  neo4j.int(1_764_000_000_000 + i),
];

describe('frontierBatches', () => {
  it('keeps every entry, in order, in requests within the size budget', () => {
    // The ceiling of accounts per hop, with keys as long as they may be: more than one request.
    const frontier = Array.from({ length: 1_000 }, (_, i) => entry(i)).map(
      ([key, at]): [string, ReturnType<typeof neo4j.int>] => [key.padEnd(200, 'x'), at],
    );
    const statement = Buffer.byteLength(TRACE_FORWARD_HOP);

    const batches = frontierBatches(frontier, statement);

    expect(batches.flat()).toEqual(frontier);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) {
      const bytes = statement + 120 + batch.reduce((sum, [key]) => sum + Buffer.byteLength(key) + 14, 0);
      expect(bytes).toBeLessThanOrEqual(TRACE_MESSAGE_BUDGET_BYTES);
    }
  });

  it('sends one request for a small frontier and never an empty one', () => {
    expect(frontierBatches([entry(1)], Buffer.byteLength(TRACE_BACKWARD_HOP))).toEqual([[entry(1)]]);
    expect(frontierBatches([], 100)).toEqual([]);
    // An entry larger than the budget still goes, alone.
    expect(frontierBatches([entry(1), entry(2)], 5_000, 1_300)).toEqual([[entry(1)], [entry(2)]]);
  });

  it('sends the default frontier of a hop (200 accounts) as one request', () => {
    const statement = Math.max(Buffer.byteLength(TRACE_FORWARD_HOP), Buffer.byteLength(TRACE_BACKWARD_HOP));
    expect(
      frontierBatches(
        Array.from({ length: 200 }, (_, i) => entry(i)),
        statement,
      ),
    ).toHaveLength(1);
  });
});
