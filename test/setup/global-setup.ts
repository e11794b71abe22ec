/**
 * Jest globalSetup: makes Kafka, Neo4j and Redis available to the test workers.
 * Order: (a) KAFKA_BROKERS + NEO4J_URL + REDIS_URL already set -> use them; (b) a container runtime answers ->
 * testcontainers; (c) otherwise the local Java/redis-server stack. TEST_INFRA=env|containers|local forces a mode.
 * In every mode topics and Neo4j migrations are applied, and the endpoints are exported to process.env.
 */
import { TOPIC_SPECS } from '../../libs/contracts/src/topics';
import {
  applyMigrations,
  endpointsFromEnv,
  ensureTopics,
  exportEndpointsToEnv,
  localStackUp,
  neo4jTargetOf,
  waitForInfra,
  type InfraEndpoints,
} from '../../infra';
import { CONTAINERS_KEY, writeInfraState, type GlobalWithContainers, type InfraMode } from './infra-state';

interface Resolved {
  readonly mode: InfraMode;
  readonly endpoints: InfraEndpoints;
  readonly started: readonly string[];
}

function forcedMode(): InfraMode | undefined {
  const value = process.env['TEST_INFRA'];
  if (value === undefined || value === '' || value === 'auto') return undefined;
  if (value === 'env' || value === 'containers' || value === 'local') return value;
  throw new Error(`TEST_INFRA must be env, containers, local or auto, got '${value}'`);
}

async function useEnv(endpoints: InfraEndpoints): Promise<Resolved> {
  await waitForInfra(endpoints, { timeoutMs: 30_000 });
  return { mode: 'env', endpoints, started: [] };
}

async function useContainers(): Promise<Resolved> {
  const { startContainers } = await import('./containers');
  const { endpoints, containers } = await startContainers();
  (globalThis as GlobalWithContainers)[CONTAINERS_KEY] = containers;
  return { mode: 'containers', endpoints, started: containers.map((c) => c.getId()) };
}

async function useLocalStack(): Promise<Resolved> {
  const { started, ...endpoints } = await localStackUp();
  return { mode: 'local', endpoints, started };
}

async function resolveInfra(): Promise<Resolved> {
  const forced = forcedMode();
  const fromEnv = endpointsFromEnv();
  if (forced === 'env' || (forced === undefined && fromEnv)) {
    if (!fromEnv) throw new Error('TEST_INFRA=env needs KAFKA_BROKERS, NEO4J_URL and REDIS_URL');
    return useEnv(fromEnv);
  }
  if (forced === 'containers') return useContainers();
  if (forced === undefined) {
    const { containerRuntimeAvailable } = await import('./containers');
    if (await containerRuntimeAvailable()) return useContainers();
  }
  return useLocalStack();
}

export default async function globalSetup(): Promise<void> {
  const t0 = Date.now();
  const { mode, endpoints, started } = await resolveInfra();
  writeInfraState({ mode, started, startedAt: new Date().toISOString() });
  try {
    await ensureTopics(endpoints.kafkaBrokers, TOPIC_SPECS);
    await applyMigrations(neo4jTargetOf(endpoints));
  } catch (err) {
    // Jest skips globalTeardown when globalSetup throws, so clean up here.
    const { default: globalTeardown } = await import('./global-teardown');
    await globalTeardown();
    throw err;
  }
  exportEndpointsToEnv(endpoints);
  console.log(
    `[infra] mode=${mode}${started.length > 0 ? ` (started ${started.length})` : ''} ready in ` +
      `${((Date.now() - t0) / 1000).toFixed(1)} s: kafka=${endpoints.kafkaBrokers.join(',')} ` +
      `neo4j=${endpoints.neo4jUrl} redis=${endpoints.redisUrl}`,
  );
}
