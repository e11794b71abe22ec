import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import type { ChainableCommander, Result } from 'ioredis';
import type { z } from 'zod';
import { recordQuarantined } from '@scamflow/observability';
import { REDIS_TTL_SECONDS, redisKeys } from './redis-keys';

/** A Redis reply that was an error inside a pipeline: raised, never dropped. */
export class RedisCommandError extends Error {
  override readonly name = 'RedisCommandError';
}

/** Runs a pipeline and throws the first command error (with the count of failed commands). */
export const execPipeline = async (pipeline: ChainableCommander): Promise<unknown[]> => {
  const results = await pipeline.exec();
  if (results === null) throw new RedisCommandError('pipeline was discarded (connection lost mid-pipeline)');
  const failed = results.filter(([error]) => error !== null);
  const first = failed[0]?.[0];
  if (first) {
    throw new RedisCommandError(`${failed.length} of ${results.length} pipelined commands failed`, {
      cause: first,
    });
  }
  return results.map(([, value]) => value);
};

/**
 * Moves a corrupt value aside only if it is still the same value: a concurrent writer's good value is never
 * lost. The raw value is kept under the quarantine key for inspection.
 */
const QUARANTINE_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[2])
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    quarantineValue(key: string, quarantineKey: string, raw: string, ttl: number): Result<number, Context>;
  }
}

const logger = new Logger('StoredState');

const defined = new WeakSet<Redis>();
const defineQuarantine = (redis: Redis): void => {
  if (defined.has(redis)) return;
  redis.defineCommand('quarantineValue', { numberOfKeys: 2, lua: QUARANTINE_LUA });
  defined.add(redis);
};

export type StoredParse<T> = { ok: true; value: T } | { ok: false; reason: string };

/** JSON.parse + schema, never throwing: stored state is data like any other input. */
export const parseStored = <S extends z.ZodType>(schema: S, raw: string): StoredParse<z.output<S>> => {
  let decoded: unknown;
  try {
    decoded = JSON.parse(raw);
  } catch (error: unknown) {
    return { ok: false, reason: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const parsed = schema.safeParse(decoded);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, reason: `unexpected shape (${parsed.error.issues[0]?.message ?? 'invalid'})` };
};

/**
 * Quarantines a corrupt stored value: logged (key kind and reason, not the value: it may hold personal data),
 * counted (`scamflow_quarantined_values_total`), moved to `quarantine:<key>` and deleted, so the next read
 * sees no state and the caller rebuilds it instead of failing every batch of the partition.
 */
export const quarantine = async (redis: Redis, kind: string, key: string, raw: string, reason: string) => {
  defineQuarantine(redis);
  const moved = await redis.quarantineValue(
    key,
    redisKeys.quarantine(key),
    raw,
    REDIS_TTL_SECONDS.quarantine,
  );
  recordQuarantined(kind);
  logger.error(
    `quarantined a corrupt ${kind} value (${reason}); ${moved === 1 ? 'moved to' : 'already replaced, copy at'} ` +
      `${redisKeys.quarantine('…')} for inspection`,
  );
};

/**
 * Reads values of one kind with a schema; corrupt ones are quarantined and read as absent (`undefined`).
 * `keys` are relative (the client applies the prefix).
 */
export const readStored = async <S extends z.ZodType>(
  redis: Redis,
  kind: string,
  schema: S,
  keys: readonly string[],
): Promise<(z.output<S> | undefined)[]> => {
  if (keys.length === 0) return [];
  const values = await redis.mget(...keys);
  const out: (z.output<S> | undefined)[] = [];
  for (const [i, raw] of values.entries()) {
    if (raw === null) {
      out.push(undefined);
      continue;
    }
    const parsed = parseStored(schema, raw);
    if (parsed.ok) out.push(parsed.value);
    else {
      await quarantine(redis, kind, keys[i] ?? '', raw, parsed.reason);
      out.push(undefined);
    }
  }
  return out;
};
