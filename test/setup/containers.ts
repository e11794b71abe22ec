/**
 * Kafka, Neo4j and Redis in Docker via testcontainers, for machines with a container runtime.
 * Loaded lazily by global-setup so runs without Docker do not pay for importing testcontainers.
 */
import { KafkaContainer } from '@testcontainers/kafka';
import { Neo4jContainer } from '@testcontainers/neo4j';
import { RedisContainer } from '@testcontainers/redis';
import { getContainerRuntimeClient, type StartedTestContainer } from 'testcontainers';
import type { InfraEndpoints } from '../../infra';

/**
 * @testcontainers/kafka drives Confluent's image (it uses /etc/confluent/docker/run), so apache/kafka cannot be used
 * here; cp-kafka 7.9.x ships Apache Kafka 3.9, the version of the local stack and docker-compose.
 */
const KAFKA_IMAGE = process.env['TEST_KAFKA_IMAGE'] || 'confluentinc/cp-kafka:7.9.1';
const NEO4J_IMAGE = process.env['TEST_NEO4J_IMAGE'] || 'neo4j:5.26-community';
const REDIS_IMAGE = process.env['TEST_REDIS_IMAGE'] || 'redis:7';
/** Port the Kafka container advertises to the host. */
const KAFKA_HOST_LISTENER_PORT = 9093;

export interface StartedContainers {
  readonly endpoints: InfraEndpoints;
  readonly containers: readonly StartedTestContainer[];
}

/** True when a container runtime answers within timeoutMs; testcontainers probes Docker, Podman, Colima... */
export async function containerRuntimeAvailable(timeoutMs = 5_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
  });
  const probe = getContainerRuntimeClient().then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const startKafka = (): Promise<StartedTestContainer> =>
  new KafkaContainer(KAFKA_IMAGE)
    .withKraft()
    // Same as the local stack: topics exist only if provisioned, so a typo fails loudly.
    .withEnvironment({ KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false', KAFKA_HEAP_OPTS: '-Xms256m -Xmx512m' })
    .start();

const startNeo4j = (): ReturnType<Neo4jContainer['start']> =>
  new Neo4jContainer(NEO4J_IMAGE)
    .withPassword('scamflow-test')
    .withEnvironment({
      NEO4J_server_memory_heap_initial__size: '512m',
      NEO4J_server_memory_heap_max__size: '1g',
      NEO4J_server_memory_pagecache_size: '512m',
    })
    .start();

const startRedis = (): ReturnType<RedisContainer['start']> => new RedisContainer(REDIS_IMAGE).start();

/** Starts all three in parallel; if one fails, the others are stopped before rethrowing. */
export async function startContainers(): Promise<StartedContainers> {
  const results = await Promise.allSettled([startKafka(), startNeo4j(), startRedis()] as const);
  const [kafka, neo4j, redis] = results;
  if (kafka.status === 'fulfilled' && neo4j.status === 'fulfilled' && redis.status === 'fulfilled') {
    const endpoints: InfraEndpoints = {
      kafkaBrokers: [`${kafka.value.getHost()}:${kafka.value.getMappedPort(KAFKA_HOST_LISTENER_PORT)}`],
      neo4jUrl: neo4j.value.getBoltUri().replace(/\/$/, ''),
      neo4jUser: neo4j.value.getUsername(),
      neo4jPassword: neo4j.value.getPassword(),
      neo4jDatabase: 'neo4j',
      redisUrl: redis.value.getConnectionUrl(),
    };
    return { endpoints, containers: [kafka.value, neo4j.value, redis.value] };
  }
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  await stopContainers(started);
  const reasons = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
  throw new Error(`starting test containers failed: ${reasons.join('; ')}`);
}

export async function stopContainers(containers: readonly StartedTestContainer[]): Promise<void> {
  await Promise.allSettled(containers.map((container) => container.stop()));
}
