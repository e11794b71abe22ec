import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { testServers } from '../../../test/support/test-env';
import { REDIS_TTL_SECONDS, redisKeys } from './redis-keys';
import { createRedis } from './redis.module';
import { VictimPaymentWatchRepository } from './victim-payment-watch.repository';

describe(VictimPaymentWatchRepository.name, () => {
  const prefix = `victim-watch-spec-${randomUUID().slice(0, 8)}:`;
  let redis: Redis;
  let sut: VictimPaymentWatchRepository;

  beforeAll(() => {
    redis = createRedis({ url: testServers().redisUrl, keyPrefix: prefix });
    sut = new VictimPaymentWatchRepository(redis);
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys.map((k) => k.slice(prefix.length)));
    await redis.quit();
  });

  it('keeps each case’s pending payments per victim account, with an expiry, and ends a watch when none is pending', async () => {
    const window = { fromMs: 1_000, untilMs: 2_000 };
    await sut.update([
      { caseId: 'CASE-1', accountKeys: ['BANKA:victim-1', 'BANKA:victim-2'], pending: [window] },
      { caseId: 'CASE-2', accountKeys: ['BANKA:victim-1'], pending: [{ transferId: 'bank:BANKA:t9' }] },
    ]);

    const watched = await sut.watchedAt(['BANKA:victim-1', 'BANKA:victim-2', 'BANKA:nobody']);
    expect(watched).toEqual(
      new Map([
        [
          'BANKA:victim-1',
          new Map([
            ['CASE-1', [window]],
            ['CASE-2', [{ transferId: 'bank:BANKA:t9' }]],
          ]),
        ],
        ['BANKA:victim-2', new Map([['CASE-1', [window]]])],
      ]),
    );
    const ttl = await redis.ttl(redisKeys.victimPaymentWatch('BANKA:victim-1'));
    expect(ttl).toBeGreaterThan(REDIS_TTL_SECONDS.victimPaymentWatch - 60);

    // CASE-1's payment was found when it was traced again.
    await sut.update([{ caseId: 'CASE-1', accountKeys: ['BANKA:victim-1', 'BANKA:victim-2'], pending: [] }]);
    const after = await sut.watchedAt(['BANKA:victim-1', 'BANKA:victim-2']);
    expect(after).toEqual(
      new Map([['BANKA:victim-1', new Map([['CASE-2', [{ transferId: 'bank:BANKA:t9' }]]])]]),
    );
  });

  it('reads a corrupt entry as unreadable (so the case is traced again and the entry rewritten), never throws', async () => {
    await redis.hset(redisKeys.victimPaymentWatch('BANKA:victim-3'), 'CASE-3', '{not json');

    expect(await sut.watchedAt(['BANKA:victim-3'])).toEqual(
      new Map([['BANKA:victim-3', new Map([['CASE-3', 'unreadable']])]]),
    );
    await sut.update([
      { caseId: 'CASE-3', accountKeys: ['BANKA:victim-3'], pending: [{ transferId: 't1' }] },
    ]);
    expect(await sut.watchedAt(['BANKA:victim-3'])).toEqual(
      new Map([['BANKA:victim-3', new Map([['CASE-3', [{ transferId: 't1' }]]])]]),
    );
  });
});
