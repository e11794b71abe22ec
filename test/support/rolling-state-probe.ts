import Redis from 'ioredis';
import { redisKeys } from '@scamflow/rolling-state';
import { testServers } from './test-env';

/** Test-side reads of the mule detector's Redis state under one key prefix (a run's `REDIS_KEY_PREFIX`). */
export class RollingStateProbe {
  // No keyPrefix on this client: SCAN patterns are not prefixed by ioredis, so full key names are used.
  private readonly redis = new Redis(testServers().redisUrl, { lazyConnect: true });

  constructor(private readonly keyPrefix: string) {}

  /** Members across the inflow sets of accounts whose key matches `accountPattern` (a SCAN glob). */
  async inflowMembers(accountPattern: string): Promise<number> {
    const match = `${this.keyPrefix}${redisKeys.accountInflows(accountPattern)}`;
    let cursor = '0';
    let members = 0;
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', match, 'COUNT', 1_000);
      cursor = next;
      const sizes = await Promise.all(keys.map((key) => this.redis.zcard(key)));
      members += sizes.reduce((sum, size) => sum + size, 0);
    } while (cursor !== '0');
    return members;
  }

  /** Outflows recorded for one account. */
  async outflowCount(accountKey: string): Promise<number> {
    return this.redis.zcard(`${this.keyPrefix}${redisKeys.accountOutflows(accountKey)}`);
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
