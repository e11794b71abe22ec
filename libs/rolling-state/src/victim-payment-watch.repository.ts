import { Inject, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { z } from 'zod';
import type { PendingPayment } from '@scamflow/tracing';
import { REDIS_TTL_SECONDS, redisKeys } from './redis-keys';
import { REDIS_CLIENT } from './redis.module';
import { existingKeys } from './existing-keys';
import { execPipeline, parseStored } from './stored-json';

const PendingSchema = z.array(
  z.strictObject({
    transferId: z.string().optional(),
    fromMs: z.number().optional(),
    untilMs: z.number().optional(),
  }),
);

/** A case's watch at an account: its pending payments, or `unreadable` (a corrupt value: trace it again). */
export type WatchedCase = readonly PendingPayment[] | 'unreadable';

/**
 * Victims whose reported payments the graph did not hold when their case was traced: per victim account, per
 * case, the payments still to find (a hash, `proceeds:victim-watch:<account>`). The tracer traces the case again
 * only for a transfer of that account that could be one of them, and stops watching once none is pending.
 */
@Injectable()
export class VictimPaymentWatchRepository {
  private readonly logger = new Logger(VictimPaymentWatchRepository.name);

  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}

  /** Sets each case's pending payments at its victims' accounts; none pending removes the case's watch there. */
  async update(
    entries: readonly {
      caseId: string;
      accountKeys: readonly string[];
      pending: readonly PendingPayment[];
    }[],
  ): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const { caseId, accountKeys, pending } of entries) {
      for (const accountKey of new Set(accountKeys)) {
        const key = redisKeys.victimPaymentWatch(accountKey);
        if (pending.length === 0) pipeline.hdel(key, caseId);
        else
          pipeline
            .hset(key, caseId, JSON.stringify(pending))
            .expire(key, REDIS_TTL_SECONDS.victimPaymentWatch);
      }
    }
    await execPipeline(pipeline);
  }

  /** Watched cases of each of these accounts (accounts without any are left out). */
  async watchedAt(accountKeys: readonly string[]): Promise<Map<string, Map<string, WatchedCase>>> {
    const keys = [...new Set(accountKeys)];
    const found = new Map<string, Map<string, WatchedCase>>();
    // Most accounts are no victim's: ask which keys exist first, then read only those.
    const exist = await existingKeys(this.redis, keys.map(redisKeys.victimPaymentWatch));
    const unique = keys.filter((_, i) => exist.has(i));
    if (unique.length === 0) return found;
    const pipeline = this.redis.pipeline();
    for (const accountKey of unique) pipeline.hgetall(redisKeys.victimPaymentWatch(accountKey));
    const results = await execPipeline(pipeline);
    unique.forEach((accountKey, i) => {
      const hash = (results[i] ?? {}) as Record<string, string>;
      const cases = new Map<string, WatchedCase>();
      for (const [caseId, raw] of Object.entries(hash)) {
        const parsed = parseStored(PendingSchema, raw);
        if (!parsed.ok)
          this.logger.warn(`victim watch of case ${caseId} unreadable (${parsed.reason}): traced again`);
        cases.set(caseId, parsed.ok ? parsed.value : 'unreadable');
      }
      if (cases.size > 0) found.set(accountKey, cases);
    });
    return found;
  }
}
