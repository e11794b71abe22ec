/**
 * Public entry of the infra code (`@scamflow/infra`): local stack control, readiness checks, topic and
 * schema provisioning. Used by the Jest global setup and by scripts; services do not import it.
 */
import type { InfraEndpoints } from './local/endpoints';
import { stackDown, stackUp } from './local/stack';
import type { ServerName } from './local/config';

export type { InfraEndpoints } from './local/endpoints';
export { endpointsFromEnv, exportEndpointsToEnv } from './local/endpoints';
export { loadLocalStackConfig, type LocalStackConfig, type ServerName } from './local/config';
export {
  stackUp,
  stackDown,
  stackStatus,
  stackReset,
  provisionInfra,
  formatStatus,
  type StackUpResult,
  type ServerUpReport,
  type ServerStatus,
} from './local/stack';
export {
  ensureTopics,
  type TopicSpecLike,
  type EnsureTopicsOptions,
  type EnsureTopicsResult,
} from './local/topics';
export {
  waitForInfra,
  waitForKafka,
  waitForNeo4j,
  waitForRedis,
  waitUntilReady,
  probeKafka,
  probeNeo4j,
  probeRedis,
  neo4jTargetOf,
  ReadinessError,
  type WaitOptions,
} from './local/readiness';
export {
  applyMigrations,
  loadMigrations,
  MigrationError,
  MIGRATIONS_DIR,
  type MigrationTarget,
  type MigrationFile,
  type MigrationResult,
  type MigrateOptions,
} from './neo4j/migrate';
export { createNeo4jDriver, type Neo4jTarget } from './neo4j/driver';

/** Starts (or reuses) the local stack and provisions it. `started` lists what this call started. */
export async function localStackUp(): Promise<InfraEndpoints & { started: string[] }> {
  const result = await stackUp();
  return { ...result.endpoints, started: result.started };
}

/** Stops the servers the stack started; pass `only` to stop just the ones a caller started itself. */
export async function localStackDown(only?: readonly string[]): Promise<void> {
  const names = only?.filter(
    (name): name is ServerName => name === 'kafka' || name === 'neo4j' || name === 'redis',
  );
  await stackDown(names === undefined ? {} : { only: names });
}
export { startGroupsAtEnd, type GroupStart } from './local/consumer-groups';
export { resolveEndpoints, endpointsEnv, startService } from './local/services';
