/** What a consumer is doing, for readiness probes: only `running` is ready. */
export type ConsumerState = 'starting' | 'running' | 'restarting' | 'crashed' | 'stopped';

export interface ConsumerStatus {
  readonly groupId: string;
  readonly state: ConsumerState;
  /** Messages behind the high watermark, summed over the partitions this member handled last. */
  readonly lag: number;
  /** The error that made it restart or crash, as one line. */
  readonly lastError?: string;
  readonly restarts: number;
}

export interface ConsumerStatusSource {
  consumerStatus(): ConsumerStatus;
}

/**
 * Every batch consumer of this process. The health endpoint reads it: a service is ready only when each of its
 * consumers runs. A process holds several only in tests (services started in-process).
 */
const sources = new Set<ConsumerStatusSource>();

export const consumerStatusRegistry = {
  add: (source: ConsumerStatusSource): void => void sources.add(source),
  remove: (source: ConsumerStatusSource): void => void sources.delete(source),
  /** Statuses of the consumers of these groups (all when no group is named). */
  statuses: (groupIds?: readonly string[]): ConsumerStatus[] =>
    [...sources]
      .map((source) => source.consumerStatus())
      .filter((status) => groupIds === undefined || groupIds.includes(status.groupId)),
};
