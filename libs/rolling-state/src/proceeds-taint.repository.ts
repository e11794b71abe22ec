import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS_TTL_SECONDS, redisKeys } from './redis-keys';
import { REDIS_CLIENT } from './redis.module';

/**
 * The proceeds tracer's taint index: account → victim case ids whose traced money reached it (and each case's
 * victim accounts, so a reported payment committed after the report still re-traces its case). A transfer whose
 * debtor is in the index re-traces those cases. Entries expire; a stale entry only costs an idempotent re-trace.
 */
@Injectable()
export class ProceedsTaintRepository {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}

  /** Adds the case to each account's set and refreshes the sets' TTL. */
  async record(entries: readonly { caseId: string; accountKeys: readonly string[] }[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    let commands = 0;
    for (const { caseId, accountKeys } of entries) {
      for (const accountKey of new Set(accountKeys)) {
        const key = redisKeys.proceedsTaint(accountKey);
        pipeline.sadd(key, caseId).expire(key, REDIS_TTL_SECONDS.proceedsTaint);
        commands += 1;
      }
    }
    if (commands > 0) await pipeline.exec();
  }

  /** Case ids indexed for any of these accounts, per account (accounts without cases are left out). */
  async casesOf(accountKeys: readonly string[]): Promise<Map<string, string[]>> {
    const unique = [...new Set(accountKeys)];
    const found = new Map<string, string[]>();
    if (unique.length === 0) return found;
    const pipeline = this.redis.pipeline();
    for (const accountKey of unique) pipeline.smembers(redisKeys.proceedsTaint(accountKey));
    const results = (await pipeline.exec()) ?? [];
    unique.forEach((accountKey, i) => {
      const [error, members] = results[i] ?? [null, []];
      if (error) throw error;
      if (Array.isArray(members) && members.length > 0) {
        found.set(
          accountKey,
          members.filter((m): m is string => typeof m === 'string'),
        );
      }
    });
    return found;
  }
}
