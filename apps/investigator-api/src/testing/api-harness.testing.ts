import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { TOPICS, type Role } from '@scamflow/contracts';
import { startGroupsAtEnd } from '@scamflow/infra';
import { testServers } from '../../../../test/support/test-env';
import { mintToken } from '../auth/mint-token';
import { createInvestigatorApi, startInvestigatorApi } from '../investigator-api.app';
import { loadInvestigatorApiConfig, type InvestigatorApiConfig } from '../investigator-api.config';

export const TEST_JWT_SECRET = 'investigator-api-test-secret-0123456789';

export interface TokenOptions {
  readonly sub?: string;
  readonly institutionId?: string;
  /** Seconds (negative: already expired) or "10m"-style. */
  readonly expiresIn?: number | `${number}${'s' | 'm' | 'h' | 'd'}`;
}

export interface ApiHarness {
  readonly baseUrl: string;
  readonly config: InvestigatorApiConfig;
  readonly app: NestExpressApplication;
  /** A bearer token for `role` (sub `<role>-test` unless given; bank tokens default to institution TESTBANK). */
  tokenFor(role: Role, options?: TokenOptions): string;
  close(): Promise<void>;
}

/**
 * Boots the investigator API on an ephemeral port against the real servers, with a test JWT secret, a fresh
 * alert consumer group started at the end of the alert topic, and an audit chain of its own (so one spec
 * tampering with its chain never breaks another's). `overrides` are environment variables.
 */
export const startApiHarness = async (overrides: Record<string, string> = {}): Promise<ApiHarness> => {
  const runId = randomUUID().slice(0, 8);
  const servers = testServers();
  const config = loadInvestigatorApiConfig({
    KAFKA_BROKERS: servers.kafkaBrokers.join(','),
    NEO4J_URL: servers.neo4jUrl,
    NEO4J_USER: servers.neo4jUser,
    NEO4J_PASSWORD: servers.neo4jPassword,
    NEO4J_DATABASE: servers.neo4jDatabase,
    LOG_LEVEL: 'warn',
    API_PORT: '0',
    API_HOST: '127.0.0.1',
    API_JWT_SECRET: TEST_JWT_SECRET,
    API_ALERT_GROUP_ID: `investigator-api-${runId}`,
    API_AUDIT_CHAIN_ID: `test-${runId}`,
    API_STREAM_POLL_MS: '200',
    ...overrides,
  });
  if (config.API_CONSUME_ALERTS) {
    await startGroupsAtEnd(config.KAFKA_BROKERS, [
      { groupId: config.API_ALERT_GROUP_ID, topics: [TOPICS.alertRaised] },
    ]);
  }
  const app = await createInvestigatorApi(config);
  const baseUrl = await startInvestigatorApi(app, config);
  const secret = config.API_JWT_SECRET ?? TEST_JWT_SECRET;
  return {
    baseUrl,
    config,
    app,
    tokenFor: (role, options = {}) =>
      mintToken(secret, {
        role,
        sub: options.sub ?? `${role}-test`,
        ...(options.institutionId || role === 'bank'
          ? { institutionId: options.institutionId ?? 'TESTBANK' }
          : {}),
        ...(options.expiresIn === undefined ? {} : { expiresIn: options.expiresIn }),
      }),
    close: () => app.close(),
  };
};
