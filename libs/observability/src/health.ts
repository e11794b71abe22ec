import { consumerStatusRegistry, type ConsumerStatus } from './consumer-status';

/** One dependency a service needs (Redis, Neo4j): `check` resolves when it answers. */
export interface HealthProbe {
  readonly name: string;
  readonly check: () => Promise<unknown>;
}

export interface ComponentHealth {
  readonly status: 'up' | 'down';
  readonly [detail: string]: unknown;
}

/** Consumers are ready when each runs (not restarting, not crashed) and is less than `maxLag` behind. */
export const consumersHealth = (
  groupIds: readonly string[],
  maxLag: number,
  statuses: readonly ConsumerStatus[] = consumerStatusRegistry.statuses(groupIds),
): ComponentHealth => {
  const missing = groupIds.filter((id) => !statuses.some((s) => s.groupId === id));
  const notRunning = statuses.filter((s) => s.state !== 'running');
  const lagging = statuses.filter((s) => s.lag > maxLag);
  const up = missing.length === 0 && notRunning.length === 0 && lagging.length === 0;
  return {
    status: up ? 'up' : 'down',
    consumers: statuses.map((s) => ({
      groupId: s.groupId,
      state: s.state,
      lag: s.lag,
      restarts: s.restarts,
      ...(s.lastError === undefined ? {} : { lastError: s.lastError }),
    })),
    ...(missing.length > 0 ? { missing } : {}),
    ...(lagging.length > 0 ? { reason: `lag above ${maxLag}` } : {}),
  };
};

/** Live unless a consumer crashed for good (the process is about to exit, or should be restarted). */
export const livenessOf = (groupIds: readonly string[]): ComponentHealth => {
  const crashed = consumerStatusRegistry.statuses(groupIds).filter((s) => s.state === 'crashed');
  return crashed.length === 0
    ? { status: 'up' }
    : { status: 'down', crashed: crashed.map((s) => ({ groupId: s.groupId, lastError: s.lastError })) };
};

const PROBE_TIMEOUT_MS = 2_000;

export const probeHealth = async (probe: HealthProbe): Promise<ComponentHealth> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe.check(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)),
          PROBE_TIMEOUT_MS,
        );
      }),
    ]);
    return { status: 'up' };
  } catch (error: unknown) {
    return { status: 'down', message: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
};
