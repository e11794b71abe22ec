import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Result } from 'ioredis';
import { z } from 'zod';
import { REDIS_TTL_SECONDS, redisKeys } from './redis-keys';
import { REDIS_CLIENT } from './redis.module';
import { execPipeline, readStored } from './stored-json';

/** Why an account is a known mule: the strongest alert naming it. */
export const KnownMuleSchema = z.strictObject({
  accountKey: z.string(),
  alertId: z.string(),
  typology: z.string(),
  score: z.number().min(0).max(1),
  raisedAt: z.string(),
});
export type KnownMule = z.infer<typeof KnownMuleSchema>;

/**
 * Keeps the stronger record: a weaker or equal alert on a known mule changes nothing (returns 0). A stored value
 * that is not a record with a score is replaced, never a script error that would fail every batch.
 */
const REMEMBER_LUA = `
local current = redis.call('GET', KEYS[1])
if current then
  local ok, decoded = pcall(cjson.decode, current)
  local score = ok and type(decoded) == 'table' and tonumber(decoded['score'])
  if score and score >= tonumber(ARGV[2]) then
    redis.call('EXPIRE', KEYS[1], ARGV[3])
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return 1
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    rememberKnownMule(key: string, value: string, score: number, ttl: number): Result<number, Context>;
  }
}

/** Accounts that alerts have named as mules, so graph patterns can link other accounts to them. */
@Injectable()
export class KnownMuleRepository {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {
    this.redis.defineCommand('rememberKnownMule', { numberOfKeys: 1, lua: REMEMBER_LUA });
  }

  /** Records mules; returns those that are newly known or now known with a higher score. */
  async remember(mules: readonly KnownMule[]): Promise<KnownMule[]> {
    if (mules.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const mule of mules) {
      pipeline.rememberKnownMule(
        redisKeys.knownMule(mule.accountKey),
        JSON.stringify(mule),
        mule.score,
        REDIS_TTL_SECONDS.knownMule,
      );
    }
    const results = await execPipeline(pipeline);
    return mules.filter((_, i) => results[i] === 1);
  }

  /** The known mules among these accounts. */
  async find(accountKeys: readonly string[]): Promise<Map<string, KnownMule>> {
    const found = new Map<string, KnownMule>();
    if (accountKeys.length === 0) return found;
    const keys = [...new Set(accountKeys)];
    // A corrupt record is quarantined and the account read as not (yet) known: the next alert naming it
    // records it again.
    const values = await readStored(
      this.redis,
      'known-mule',
      KnownMuleSchema,
      keys.map((key) => redisKeys.knownMule(key)),
    );
    for (const mule of values) if (mule) found.set(mule.accountKey, mule);
    return found;
  }
}
