import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { testServers } from '../../../test/support/test-env';
import { existingKeys } from './existing-keys';
import { createRedis } from './redis.module';

describe(existingKeys.name, () => {
  const prefix = `existing-keys-spec-${randomUUID().slice(0, 8)}:`;
  let redis: Redis;
  let otherPrefix: Redis;

  beforeAll(() => {
    redis = createRedis({ url: testServers().redisUrl, keyPrefix: prefix });
    otherPrefix = createRedis({ url: testServers().redisUrl, keyPrefix: `${prefix}other:` });
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys.map((k) => k.slice(prefix.length)));
    await redis.quit();
    await otherPrefix.quit();
  });

  it('says which keys of a large batch exist, by position, across the calls it splits the batch into', async () => {
    const keys = Array.from({ length: 12_000 }, (_, i) => `k:${i}`);
    await redis.set('k:0', '1');
    await redis.hset('k:5000', 'f', '1');
    await redis.sadd('k:11999', 'm');

    expect([...(await existingKeys(redis, keys))].sort((a, b) => a - b)).toEqual([0, 5000, 11999]);
    expect(await existingKeys(redis, [])).toEqual(new Set());
    // Under its own prefix only: the same names without it are not this client's keys.
    expect(await existingKeys(otherPrefix, ['k:0'])).toEqual(new Set());
  });
});
