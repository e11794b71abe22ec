import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { testServers } from '../../../test/support/test-env';
import { IdentifierIndexRepository } from './identifier-index.repository';
import { createRedis } from './redis.module';
import { redisKeys } from './redis-keys';
import { TemporalAdjacencyRepository, type AdjacencyEdge } from './temporal-adjacency.repository';

const HOUR = 60 * 60 * 1000;
const T0 = Date.parse('2026-01-05T00:00:00Z');

const edge = (
  id: string,
  from: string,
  to: string,
  atMs: number,
  refAmountMinor?: string,
): AdjacencyEdge => ({
  transferId: id,
  from: { accountKey: `B:${from}`, country: 'TH', kind: 'bank-account' },
  to: { accountKey: `C:${to}`, country: 'KH', kind: '' },
  atMs,
  amountMinor: '1234500',
  currency: 'THB',
  scale: 2,
  ...(refAmountMinor ? { refAmountMinor } : {}),
});

describe('network detector state in Redis', () => {
  const prefix = `adjacency-spec-${randomUUID().slice(0, 8)}:`;
  let redis: Redis;

  beforeAll(() => {
    redis = createRedis({ url: testServers().redisUrl, keyPrefix: prefix });
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys.map((k) => k.slice(prefix.length)));
    await redis.quit();
  });

  describe(TemporalAdjacencyRepository.name, () => {
    const options = { retentionMs: 10 * HOUR, maxEdgesPerAccount: 5 };

    it('keeps both ends of a transfer, records a replay once, and writes no per-transfer key', async () => {
      const sut = new TemporalAdjacencyRepository(redis);
      const first = await sut.record([edge('t1', 'a', 'x', T0, '35000')], options);
      const replay = await sut.record([edge('t1', 'a', 'x', T0, '35000')], options);
      expect([...first]).toEqual(['t1']);
      expect(replay.size).toBe(0);

      const read = await sut.read(
        [
          { accountKey: 'B:a', fromMs: T0 - HOUR, toMs: T0 + HOUR },
          { accountKey: 'C:x', fromMs: T0 - HOUR, toMs: T0 + HOUR },
        ],
        10,
      );
      expect(read.get('B:a')?.outbound).toEqual([edge('t1', 'a', 'x', T0, '35000')]);
      expect(read.get('C:x')).toMatchObject({ inbound: [edge('t1', 'a', 'x', T0, '35000')], outbound: [] });
      expect(await redis.keys(`${prefix}*t1*`)).toEqual([]);
    });

    it('trims by event time before the account latest event and caps each account at the newest edges', async () => {
      const sut = new TemporalAdjacencyRepository(redis);
      // 8 transfers an hour apart out of one account, then one 20 hours later.
      await sut.record(
        Array.from({ length: 8 }, (_, i) => edge(`c${i}`, 'busy', `p${i}`, T0 + i * HOUR)),
        options,
      );
      expect(await redis.zcard(redisKeys.adjacencyOut('B:busy'))).toBe(5);
      await sut.record([edge('late', 'busy', 'q', T0 + 20 * HOUR)], options);
      const ids = await redis.zrange(redisKeys.adjacencyOut('B:busy'), 0, -1);
      // Only the new edge is within 10 h of the latest event.
      expect(ids.map((m) => m.split('\u001f')[0])).toEqual(['late']);
    });

    it('summarises a hub by its count instead of returning its transfers', async () => {
      const sut = new TemporalAdjacencyRepository(redis);
      await sut.record(
        Array.from({ length: 4 }, (_, i) => edge(`h${i}`, `payer${i}`, 'shop', T0 + i)),
        options,
      );
      const [shop] = (await sut.read([{ accountKey: 'C:shop', fromMs: T0, toMs: T0 + HOUR }], 3)).values();
      expect(shop).toEqual({ inbound: [], outbound: [], inboundCount: 4, outboundCount: 0 });
      const [within] = (await sut.read([{ accountKey: 'C:shop', fromMs: T0, toMs: T0 + 1 }], 3)).values();
      expect(within?.inbound.map((e) => e.transferId)).toEqual(['h0', 'h1']);
    });
  });

  describe(IdentifierIndexRepository.name, () => {
    const options = { maxAccountsPerIdentifier: 3, maxIdentifiersPerAccount: 2 };

    it('lists who shares an identifier, keeps the earliest and latest sighting, and counts a hub without listing it', async () => {
      const sut = new IdentifierIndexRepository(redis);
      await sut.record(
        [
          { accountKey: 'B:alice', country: 'TH', identifierKey: 'device:d1', seenAtMs: T0 + HOUR },
          { accountKey: 'C:mule', country: 'KH', identifierKey: 'device:d1', seenAtMs: T0 },
          { accountKey: 'B:alice', country: 'TH', identifierKey: 'device:d1', seenAtMs: T0 },
          ...Array.from({ length: 6 }, (_, i) => ({
            accountKey: `B:nat${i}`,
            country: 'TH',
            identifierKey: 'ip:carrier',
            seenAtMs: T0,
          })),
          { accountKey: 'B:alice', country: 'TH', identifierKey: 'ip:carrier', seenAtMs: T0 },
          // Replayed sightings change nothing.
          { accountKey: 'B:nat0', country: 'TH', identifierKey: 'ip:carrier', seenAtMs: T0 },
        ],
        options,
      );
      const alice = (await sut.identifiersOf(['B:alice'], 3)).get('B:alice');
      expect(alice?.country).toBe('TH');
      expect(alice?.identifiers).toEqual([
        {
          identifierKey: 'device:d1',
          firstSeenMs: T0,
          lastSeenMs: T0 + HOUR,
          users: 2,
          // Both first seen at T0 (alice's earlier sighting arrived last): ties in key order.
          accountKeys: ['B:alice', 'C:mule'],
        },
        { identifierKey: 'ip:carrier', firstSeenMs: T0, lastSeenMs: T0, users: 7, accountKeys: [] },
      ]);
    });

    it('stops indexing new identifiers of an account beyond its cap', async () => {
      const sut = new IdentifierIndexRepository(redis);
      await sut.record(
        ['ip:1', 'ip:2', 'ip:3'].map((identifierKey, i) => ({
          accountKey: 'B:rotating',
          country: 'TH',
          identifierKey,
          seenAtMs: T0 + i,
        })),
        options,
      );
      const known = (await sut.identifiersOf(['B:rotating'], 3)).get('B:rotating');
      expect(known?.identifiers.map((i) => i.identifierKey)).toEqual(['ip:1', 'ip:2']);
    });
  });
});
