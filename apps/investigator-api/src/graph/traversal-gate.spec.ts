import { ProblemException } from '../http/problem';
import type { InvestigatorApiConfig } from '../investigator-api.config';
import { TraversalGate } from './traversal-gate';

const gateOf = (concurrency: number, queue: number) =>
  new TraversalGate({
    API_TRAVERSAL_CONCURRENCY: concurrency,
    API_TRAVERSAL_QUEUE: queue,
  } as InvestigatorApiConfig);

/** A traversal that runs until the test lets it finish. */
const held = () => {
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return { finish, done };
};

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('TraversalGate', () => {
  it('runs at most the allowed traversals at once and the waiting ones in arrival order', async () => {
    const gate = gateOf(2, 10);
    const traversals = Array.from({ length: 5 }, () => held());
    const started: number[] = [];
    const results = traversals.map((t, i) =>
      gate.run(async () => {
        started.push(i);
        await t.done;
        return i;
      }),
    );
    await settle();
    expect(started).toEqual([0, 1]);

    traversals[1]?.finish();
    await settle();
    expect(started).toEqual([0, 1, 2]);

    for (const t of traversals) t.finish();
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('refuses a traversal with 503 and a retry hint once the queue is full, and takes one again when it drains', async () => {
    const gate = gateOf(1, 1);
    const running = held();
    const first = gate.run(() => running.done);
    await settle();
    const queued = gate.run(() => Promise.resolve('queued'));

    const refused = gate.run(() => Promise.resolve('refused'));

    await expect(refused).rejects.toBeInstanceOf(ProblemException);
    await expect(refused).rejects.toMatchObject({
      title: 'Too many graph traversals',
      extras: { retryAfterSeconds: 1 },
    });
    await expect(refused).rejects.toHaveProperty('status', 503);
    running.finish();
    await first;
    expect(await queued).toBe('queued');
    expect(await gate.run(() => Promise.resolve('later'))).toBe('later');
  });

  it('lets a failed traversal free its place', async () => {
    const gate = gateOf(1, 0);
    await expect(gate.run(() => Promise.reject(new Error('neo4j down')))).rejects.toThrow('neo4j down');
    expect(await gate.run(() => Promise.resolve('next'))).toBe('next');
  });
});
