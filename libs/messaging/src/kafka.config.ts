import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { KafkaConnection } from './kafka-client';
import {
  DEFAULT_MAX_WAIT_MS,
  DEFAULT_RESTART_BUDGET_MS,
  DEFAULT_SESSION_TIMEOUT_MS,
  type KafkaBatchServerOptions,
} from './kafka-batch.server';

const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .default('false')
  .transform((v) => v === 'true' || v === '1');

/** Kafka TLS and SASL for real deployments (the local stack runs plaintext on loopback). */
export const kafkaSecurityEnvShape = {
  KAFKA_SSL: flag,
  /** PEM file of the CA that signed the brokers' certificates (system CAs when unset). */
  KAFKA_SSL_CA_FILE: z.string().min(1).optional(),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
};

/** How a service's consumer group starts, restarts and gives up. */
export const consumerEnvShape = {
  /**
   * Where a consumer group without committed offsets starts: `beginning` (default: nothing produced earlier is
   * missed) or `end` (a fresh group on a used stack skips the backlog). A group with offsets resumes from them.
   */
  CONSUMER_START_AT: z.enum(['beginning', 'end']).default('beginning'),
  /** Failing this long without one good batch ends the process (non-zero exit). */
  CONSUMER_RESTART_BUDGET_MS: z.coerce.number().int().positive().default(DEFAULT_RESTART_BUDGET_MS),
  /** How long the group waits for a dead member (kill -9) before handing its partitions to others. */
  CONSUMER_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).default(DEFAULT_SESSION_TIMEOUT_MS),
  /** Retries of a failed batch (with back-off) before kafkajs restarts the consumer. */
  CONSUMER_RETRIES: z.coerce.number().int().min(0).default(8),
  /**
   * How long the broker holds a fetch open when the topic has nothing new. Data that arrives ends the wait at
   * once, so this does not delay delivery; it only sets how often an idle consumer polls.
   */
  CONSUMER_MAX_WAIT_MS: z.coerce.number().int().min(10).max(5_000).default(DEFAULT_MAX_WAIT_MS),
};

type SecurityEnv = z.output<z.ZodObject<typeof kafkaSecurityEnvShape>>;
type ConsumerEnv = z.output<z.ZodObject<typeof consumerEnvShape>>;

/** Connection options from a parsed config; security fields are optional so older configs still fit. */
export const kafkaConnectionOf = (
  config: { KAFKA_BROKERS: readonly string[] } & Partial<SecurityEnv>,
  clientId: string,
): KafkaConnection => {
  const {
    KAFKA_SASL_MECHANISM: mechanism,
    KAFKA_SASL_USERNAME: username,
    KAFKA_SASL_PASSWORD: password,
  } = config;
  if (mechanism && (!username || !password)) {
    throw new Error('KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
  }
  return {
    brokers: config.KAFKA_BROKERS,
    clientId,
    ...(config.KAFKA_SSL || config.KAFKA_SSL_CA_FILE
      ? { ssl: config.KAFKA_SSL_CA_FILE ? { ca: [readFileSync(config.KAFKA_SSL_CA_FILE, 'utf8')] } : true }
      : {}),
    ...(mechanism && username && password ? { sasl: { mechanism, username, password } } : {}),
  };
};

/** Batch-server options from a parsed config. */
export const batchServerOptionsOf = (
  config: { KAFKA_BROKERS: readonly string[] } & Partial<SecurityEnv> & Partial<ConsumerEnv>,
  clientId: string,
  groupId: string,
  extra: Partial<Pick<KafkaBatchServerOptions, 'partitionsConsumedConcurrently' | 'onFatalCrash'>> = {},
): KafkaBatchServerOptions => ({
  ...kafkaConnectionOf(config, clientId),
  groupId,
  fromBeginning: (config.CONSUMER_START_AT ?? 'beginning') === 'beginning',
  ...(config.CONSUMER_RESTART_BUDGET_MS === undefined
    ? {}
    : { restartBudgetMs: config.CONSUMER_RESTART_BUDGET_MS }),
  consumer: {
    ...(config.CONSUMER_SESSION_TIMEOUT_MS === undefined
      ? {}
      : { sessionTimeout: config.CONSUMER_SESSION_TIMEOUT_MS }),
    ...(config.CONSUMER_RETRIES === undefined ? {} : { retry: { retries: config.CONSUMER_RETRIES } }),
    ...(config.CONSUMER_MAX_WAIT_MS === undefined ? {} : { maxWaitTimeInMs: config.CONSUMER_MAX_WAIT_MS }),
  },
  ...extra,
});
