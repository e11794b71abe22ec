import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { createNeo4jDriver, type Neo4jTarget } from '../neo4j/driver';
import type { InfraEndpoints } from './endpoints';
import { sleep } from './proc';

export interface WaitOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  /** Checked between attempts: a returned reason (e.g. "process exited") stops waiting at once. */
  readonly abortIf?: () => string | undefined;
}

export class ReadinessError extends Error {
  override readonly name = 'ReadinessError';
  constructor(
    readonly server: string,
    message: string,
  ) {
    super(`${server}: ${message}`);
  }
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Bounds a probe that might hang on a half-open socket. */
async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Kafka is ready when a client can connect and read cluster metadata (a broker and a controller exist). */
export async function probeKafka(brokers: readonly string[]): Promise<void> {
  const kafka = new Kafka({
    clientId: 'infra-readiness',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 3_000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await withTimeout(admin.connect(), 5_000, 'kafka connect');
    const cluster = await withTimeout(admin.describeCluster(), 5_000, 'kafka describeCluster');
    if (cluster.brokers.length === 0) throw new Error('no brokers in cluster metadata');
    if (cluster.controller === null || cluster.controller < 0) throw new Error('no active controller yet');
  } finally {
    await admin.disconnect();
  }
}

/** Neo4j is ready when the target database answers a query, not merely when Bolt accepts connections. */
export async function probeNeo4j(target: Neo4jTarget): Promise<void> {
  const driver = createNeo4jDriver(target, { connectionTimeoutMs: 2_000 });
  try {
    await withTimeout(
      driver.verifyConnectivity({ database: target.database }),
      5_000,
      'neo4j verifyConnectivity',
    );
    await withTimeout(
      driver.executeQuery('RETURN 1', {}, { database: target.database }),
      5_000,
      'neo4j RETURN 1',
    );
  } finally {
    await driver.close();
  }
}

export async function probeRedis(url: string): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // Without a listener ioredis reports connection errors as unhandled 'error' events.
  redis.on('error', () => undefined);
  try {
    await withTimeout(redis.connect(), 3_000, 'redis connect');
    const reply: string = await withTimeout(redis.ping(), 3_000, 'redis PING');
    if (reply !== 'PONG') throw new Error(`PING answered '${reply}'`);
  } finally {
    redis.disconnect();
  }
}

/** Retries `probe` until it succeeds; resolves with the elapsed milliseconds. */
export async function waitUntilReady(
  server: string,
  probe: () => Promise<void>,
  options: WaitOptions = {},
): Promise<number> {
  const { timeoutMs = 60_000, intervalMs = 250, abortIf } = options;
  const started = Date.now();
  let lastError = 'not probed yet';
  while (Date.now() - started < timeoutMs) {
    try {
      await probe();
      return Date.now() - started;
    } catch (err) {
      lastError = errorText(err);
    }
    const abortReason = abortIf?.();
    if (abortReason !== undefined)
      throw new ReadinessError(server, `${abortReason} (last probe error: ${lastError})`);
    await sleep(intervalMs);
  }
  throw new ReadinessError(server, `not ready after ${timeoutMs} ms (last probe error: ${lastError})`);
}

export const waitForKafka = (brokers: readonly string[], options?: WaitOptions): Promise<number> =>
  waitUntilReady('kafka', () => probeKafka(brokers), options);

export const waitForNeo4j = (target: Neo4jTarget, options?: WaitOptions): Promise<number> =>
  waitUntilReady('neo4j', () => probeNeo4j(target), options);

export const waitForRedis = (url: string, options?: WaitOptions): Promise<number> =>
  waitUntilReady('redis', () => probeRedis(url), options);

export const neo4jTargetOf = (endpoints: InfraEndpoints): Neo4jTarget => ({
  url: endpoints.neo4jUrl,
  user: endpoints.neo4jUser,
  password: endpoints.neo4jPassword,
  database: endpoints.neo4jDatabase,
});

/** Waits for all three servers in parallel; rejects with the first one that does not become ready. */
export async function waitForInfra(
  endpoints: InfraEndpoints,
  options?: Omit<WaitOptions, 'abortIf'>,
): Promise<void> {
  await Promise.all([
    waitForKafka(endpoints.kafkaBrokers, options),
    waitForNeo4j(neo4jTargetOf(endpoints), options),
    waitForRedis(endpoints.redisUrl, options),
  ]);
}
