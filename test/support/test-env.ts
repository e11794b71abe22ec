import { randomUUID } from 'node:crypto';
import { CONSUMED_TOPICS } from '@scamflow/contracts';
import { startGroupsAtEnd } from '@scamflow/infra';

/** Addresses the global set-up resolved (local stack, testcontainers or given servers). */
export const testServers = () => ({
  kafkaBrokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(','),
  neo4jUrl: process.env.NEO4J_URL ?? 'bolt://127.0.0.1:17687',
  neo4jUser: process.env.NEO4J_USER ?? '',
  neo4jPassword: process.env.NEO4J_PASSWORD ?? '',
  neo4jDatabase: process.env.NEO4J_DATABASE ?? 'neo4j',
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
});

/**
 * Environment for services under test: the resolved servers plus a run id in consumer groups and
 * Redis key prefixes, so runs on a long-lived local stack never see each other's state.
 */
export const serviceEnv = (runId: string = randomUUID().slice(0, 8)): Record<string, string> => {
  const servers = testServers();
  return {
    KAFKA_BROKERS: servers.kafkaBrokers.join(','),
    NEO4J_URL: servers.neo4jUrl,
    NEO4J_USER: servers.neo4jUser,
    NEO4J_PASSWORD: servers.neo4jPassword,
    NEO4J_DATABASE: servers.neo4jDatabase,
    REDIS_URL: servers.redisUrl,
    REDIS_KEY_PREFIX: `test-${runId}:`,
    INGEST_GROUP_ID: `ingest-gateway-${runId}`,
    GRAPH_WRITER_GROUP_ID: `graph-writer-${runId}`,
    MULE_DETECTOR_GROUP_ID: `mule-detector-${runId}`,
    NETWORK_DETECTOR_GROUP_ID: `network-detector-${runId}`,
    PROCEEDS_TRACER_GROUP_ID: `proceeds-tracer-${runId}`,
    LOG_LEVEL: 'warn',
    // Health and metrics on any free port: parallel runs and in-process services never collide.
    HTTP_PORT: '0',
  };
};

/** Starts every service group of `serviceEnv` at the end of the topics it consumes. */
export const startServiceGroupsAtEnd = async (env: Record<string, string>): Promise<void> => {
  const group = (name: string): string => {
    const id = env[name];
    if (!id) throw new Error(`serviceEnv names no ${name}`);
    return id;
  };
  await startGroupsAtEnd(testServers().kafkaBrokers, [
    { groupId: group('INGEST_GROUP_ID'), topics: CONSUMED_TOPICS.ingestGateway },
    { groupId: group('GRAPH_WRITER_GROUP_ID'), topics: CONSUMED_TOPICS.graphWriter },
    { groupId: group('MULE_DETECTOR_GROUP_ID'), topics: CONSUMED_TOPICS.muleDetector },
    { groupId: group('NETWORK_DETECTOR_GROUP_ID'), topics: CONSUMED_TOPICS.networkDetector },
    { groupId: group('PROCEEDS_TRACER_GROUP_ID'), topics: CONSUMED_TOPICS.proceedsTracer },
  ]);
};
