import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Result } from 'ioredis';
import { REDIS_CLIENT } from './redis.module';
import { REDIS_TTL_SECONDS, redisKeys } from './redis-keys';

/** What detectors know about an account from its account-opened fact. */
export interface AccountProfile {
  readonly openedAtMs: number;
  /** As reported (one of ACCOUNT_TYPES in the account-fact contract). */
  readonly accountType: string;
}

export interface AccountProfileToRecord extends AccountProfile {
  readonly accountKey: string;
  /** When the fact was observed: a later observation replaces an earlier one, never the other way round. */
  readonly observedAtMs: number;
}

/**
 * Keeps the latest-observed account-opened fact: facts arrive out of order and are replayed, so a fact only
 * replaces the stored profile when it was observed at or after it (a replay rewrites the same values).
 */
const RECORD_PROFILE_LUA = `
local stored = redis.call('HGET', KEYS[1], 'observedAtMs')
if stored and tonumber(stored) > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'observedAtMs', ARGV[1], 'openedAtMs', ARGV[2], 'accountType', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    recordAccountProfile(
      key: string,
      observedAtMs: number,
      openedAtMs: number,
      accountType: string,
      ttlSeconds: number,
    ): Result<number, Context>;
  }
}

/** Account profiles (opened date, account type) in Redis, for the detectors' account-age and hub features. */
@Injectable()
export class AccountProfileRepository {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {
    this.redis.defineCommand('recordAccountProfile', { numberOfKeys: 1, lua: RECORD_PROFILE_LUA });
  }

  async record(profiles: readonly AccountProfileToRecord[]): Promise<void> {
    if (profiles.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const p of profiles) {
      pipeline.recordAccountProfile(
        redisKeys.accountProfile(p.accountKey),
        p.observedAtMs,
        p.openedAtMs,
        p.accountType,
        REDIS_TTL_SECONDS.accountProfile,
      );
    }
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }

  /** The profile of each account that has one. */
  async read(accountKeys: readonly string[]): Promise<Map<string, AccountProfile>> {
    const profiles = new Map<string, AccountProfile>();
    if (accountKeys.length === 0) return profiles;
    const pipeline = this.redis.pipeline();
    for (const key of accountKeys) pipeline.hmget(redisKeys.accountProfile(key), 'openedAtMs', 'accountType');
    const results = (await pipeline.exec()) ?? [];
    accountKeys.forEach((key, i) => {
      const [error, value] = results[i] ?? [null, []];
      if (error) throw error;
      const [openedAtMs, accountType] = value as (string | null)[];
      if (openedAtMs && accountType) profiles.set(key, { openedAtMs: Number(openedAtMs), accountType });
    });
    return profiles;
  }
}
