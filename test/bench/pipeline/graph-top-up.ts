import type { Driver } from 'neo4j-driver';
import type { TransferAccepted } from '@scamflow/contracts';
import { TransferRepository } from '@scamflow/graph';
import { GROUND_TRUTH_STREAM, simulateFlows } from '../../../apps/scam-simulator/src/simulate-flows.service';
import type { Scenario } from '../../../apps/scam-simulator/src/scenarios';
import { canonicalTransferOf } from './feed-mapping';
import { tagFeedEvent } from './run-tag';

export interface TopUpResult {
  readonly transfersWritten: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
}

/**
 * Grows the graph with simulated background traffic written straight through the graph writer's repository
 * (same statement, batches of `batch`), bypassing Kafka: the trace figures need a graph of a given size, not
 * another throughput run. Streams the simulator, so memory stays bounded whatever the volume.
 */
export const topUpGraph = async (
  driver: Driver,
  database: string,
  scenario: Scenario,
  seed: number,
  transfers: number,
  tag: string,
  onProgress: (written: number) => void,
  batch = 5_000,
): Promise<TopUpResult> => {
  const repository = new TransferRepository(driver, database);
  const started = performance.now();
  const now = new Date();
  let pending: TransferAccepted[] = [];
  let written = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    written += await repository.recordTransfers(pending);
    pending = [];
    onProgress(written);
  };
  for (const line of simulateFlows({ scenario, seed, transfers })) {
    if (line.stream === GROUND_TRUTH_STREAM) continue;
    const event: unknown = JSON.parse(line.line);
    if (typeof event !== 'object' || event === null) continue;
    const canonical = canonicalTransferOf(line.stream, tagFeedEvent(line.stream, { ...event }, tag), now);
    if (!canonical?.ok) continue;
    pending.push(canonical.value);
    // The simulator may generate a little more than asked (whole operations): write exactly `transfers`.
    if (written + pending.length >= transfers) break;
    if (pending.length >= batch) await flush();
  }
  await flush();
  const seconds = (performance.now() - started) / 1000;
  return {
    transfersWritten: written,
    seconds: Number(seconds.toFixed(1)),
    rowsPerSecond: Math.round(written / seconds),
  };
};
