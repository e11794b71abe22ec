import { z } from 'zod';

/** Comma-separated list → array of non-empty strings. */
export const csv = z
  .string()
  .transform((s) => s.split(',').map((part) => part.trim()))
  .pipe(z.array(z.string().min(1)).min(1));

export const port = z.coerce.number().int().min(1).max(65_535);

/** Environment shared by every service that talks to Kafka. */
export const kafkaEnvShape = {
  KAFKA_BROKERS: csv.default(['127.0.0.1:19092']),
  KAFKA_CLIENT_ID: z.string().min(1).optional(),
};

export const neo4jEnvShape = {
  NEO4J_URL: z.string().url().default('bolt://127.0.0.1:17687'),
  NEO4J_USER: z.string().default(''),
  NEO4J_PASSWORD: z.string().default(''),
  NEO4J_DATABASE: z.string().min(1).default('neo4j'),
};

export const redisEnvShape = {
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Prefix for every Redis key, so several deployments (or test runs) can share one server. */
  REDIS_KEY_PREFIX: z.string().default('sft:'),
};

export const logEnvShape = {
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses an environment once at boot with an app's schema. Fails with every problem listed,
 * never with the values themselves (they can hold secrets).
 */
export const parseEnv = <S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.output<S> => {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
      .join('\n');
    throw new ConfigError(`Invalid configuration:\n${problems}`);
  }
  return result.data;
};

const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** Nest logger levels enabled for a configured threshold ("log" enables error, warn and log). */
export const logLevelsUpTo = (level: LogLevelName): LogLevelName[] =>
  LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(level) + 1);
