import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { Result } from 'ioredis';
import { REDIS_CLIENT } from './redis.module';
import { redisKeys } from './redis-keys';

/** A reference rate: `rate` quote units per ONE base unit, valid from `validFrom` until the pair's next rate. */
export interface FxRate {
  readonly base: string;
  readonly quote: string;
  /** Decimal string, never a float. */
  readonly rate: string;
  /** ISO 8601 UTC. */
  readonly validFrom: string;
  readonly source: string;
}

export interface FxRateLookup {
  readonly base: string;
  readonly quote: string;
  /** The rate wanted is the latest with validFrom at or before this time. */
  readonly atMs: number;
}

/**
 * One rate per (pair, validFrom): a re-delivered rate leaves the set unchanged, a correction published for the
 * same validFrom replaces the earlier rate instead of sitting beside it with the same score.
 */
const RECORD_FX_RATE_LUA = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1])
return redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
`;

const SEPARATOR = '\u001f';

/** "0.02780" and "0.0278" are the same rate, so they encode to the same member. */
const canonicalRate = (rate: string): string =>
  rate.includes('.') ? rate.replace(/0+$/, '').replace(/\.$/, '') : rate;

const encodeRate = (rate: FxRate): string =>
  [new Date(rate.validFrom).toISOString(), canonicalRate(rate.rate), rate.source].join(SEPARATOR);

const decodeRate = (base: string, quote: string, member: string): FxRate => {
  const [validFrom = '', rate = '', source = ''] = member.split(SEPARATOR);
  return { base, quote, rate, validFrom, source };
};

declare module 'ioredis' {
  interface RedisCommander<Context> {
    recordFxRate(key: string, validFromMs: number, member: string): Result<number, Context>;
  }
}

/** Reference FX rates per currency pair in Redis, looked up as of a point in time. */
@Injectable()
export class FxRateRepository {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {
    this.redis.defineCommand('recordFxRate', { numberOfKeys: 1, lua: RECORD_FX_RATE_LUA });
  }

  /** Stores rates in one pipeline; idempotent, so a replayed batch changes nothing. */
  async record(rates: readonly FxRate[]): Promise<void> {
    if (rates.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const rate of rates) {
      pipeline.recordFxRate(
        redisKeys.fxRates(rate.base, rate.quote),
        new Date(rate.validFrom).getTime(),
        encodeRate(rate),
      );
    }
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
  }

  /** For each lookup, in order, the latest rate valid at `atMs`, or undefined when there is none. */
  async findRates(lookups: readonly FxRateLookup[]): Promise<(FxRate | undefined)[]> {
    if (lookups.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const { base, quote, atMs } of lookups) {
      pipeline.zrevrangebyscore(redisKeys.fxRates(base, quote), atMs, '-inf', 'LIMIT', 0, 1);
    }
    const results = (await pipeline.exec()) ?? [];
    return lookups.map(({ base, quote }, i) => {
      const [error, members] = results[i] ?? [null, []];
      if (error) throw error;
      const [member] = members as string[];
      return member === undefined ? undefined : decodeRate(base, quote, member);
    });
  }
}
