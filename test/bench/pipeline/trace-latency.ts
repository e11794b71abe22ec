import type { Driver } from 'neo4j-driver';
import { TraceQueryRepository, type TraceDirection } from '@scamflow/graph';
import { summarise, type LatencySummary } from './stats';

export interface TraceFigures extends LatencySummary {
  readonly direction: TraceDirection;
  readonly hops: number;
  readonly starts: number;
  readonly meanAccountsReached: number;
  readonly meanTransfersReturned: number;
  readonly truncatedShare: number;
}

/**
 * Latency of investigator traces through the repository the product uses: `queries` traces over the given
 * start accounts in turn, after a few unmeasured warm-up traces (page cache, query plans).
 */
export const measureTraces = async (
  driver: Driver,
  database: string,
  direction: TraceDirection,
  starts: readonly string[],
  queries: number,
  hops = 6,
): Promise<TraceFigures> => {
  const repository = new TraceQueryRepository(driver, database);
  const run = (accountKey: string) => repository.trace({ accountKey, direction, maxHops: hops });
  for (const accountKey of starts.slice(0, 3)) await run(accountKey);
  const durations: number[] = [];
  let accounts = 0;
  let transfers = 0;
  let truncated = 0;
  for (let i = 0; i < queries && starts.length > 0; i += 1) {
    const accountKey = starts[i % starts.length] ?? '';
    const started = performance.now();
    const result = await run(accountKey);
    durations.push(performance.now() - started);
    accounts += result.accounts.length;
    transfers += result.hops.length;
    if (result.truncated) truncated += 1;
  }
  const n = Math.max(1, durations.length);
  return {
    direction,
    hops,
    starts: starts.length,
    ...summarise(durations),
    meanAccountsReached: Math.round(accounts / n),
    meanTransfersReturned: Math.round(transfers / n),
    truncatedShare: Number((truncated / n).toFixed(2)),
  };
};
