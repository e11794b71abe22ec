import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { testServers } from '../../../test/support/test-env';
import { AccountFlowRepository, type FlowToRecord } from './account-flow.repository';
import { createRedis } from './redis.module';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.parse('2026-01-05T00:00:00Z');
const options = { retentionMs: 10 * DAY, maxKnownSenders: 100, maxLegsPerAccountSide: 5 };

const flow = (id: string, from: string, to: string, amountMinor: string, atMs: number): FlowToRecord => ({
  transferId: id,
  debtorKey: `B:${from}`,
  creditorKey: `B:${to}`,
  amountMinor,
  currency: 'USD',
  scale: 2,
  atMs,
  debtor: { institutionId: 'B', accountId: from, country: 'US' },
  creditor: { institutionId: 'B', accountId: to, country: 'US' },
  creditorPeakWindowMs: DAY,
  debtorPeakWindowMs: DAY,
});

describe(AccountFlowRepository.name, () => {
  const prefix = `flow-spec-${randomUUID().slice(0, 8)}:`;
  let redis: Redis;
  let sut: AccountFlowRepository;

  beforeAll(() => {
    redis = createRedis({ url: testServers().redisUrl, keyPrefix: prefix });
    sut = new AccountFlowRepository(redis);
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys.map((k) => k.slice(prefix.length)));
    await redis.quit();
  });

  it('records each leg once, keeps running moments, and writes no per-transfer key', async () => {
    const first = await sut.record(
      [flow('t1', 'a', 'm', '10000', T0), flow('t2', 'b', 'm', '30000', T0 + DAY)],
      options,
    );
    const replay = await sut.record([flow('t1', 'a', 'm', '10000', T0)], options);
    expect([...first.fresh]).toEqual(['t1', 't2']);
    expect(replay).toEqual({ fresh: new Set(), tooLate: 0 });

    const state = (await sut.read(['B:m'], T0 - DAY)).get('B:m');
    expect(state?.inflows.map((f) => [f.transferId, f.counterparty?.accountId])).toEqual([
      ['t1', 'a'],
      ['t2', 'b'],
    ]);
    // Amounts 100.00 and 300.00: mean 20000 minor units, population variance 1e8; one gap of a day.
    expect(state?.stats.get('in|USD/2')).toMatchObject({
      count: 2,
      amountMean: 20000,
      amountVariance: 1e8,
      gapCount: 1,
      gapMeanMs: DAY,
    });
    expect(await redis.keys(`${prefix}transfer:seen:*`)).toEqual([]);
  });

  it('counts the legs each account holds on both sides, at most what a read returns, and none for a stranger', async () => {
    await sut.record(
      [
        flow('c1', 'payer1', 'counted', '100', T0),
        flow('c2', 'payer2', 'counted', '100', T0 + 1000),
        flow('c3', 'counted', 'payee1', '100', T0 + 2000),
        flow('c3', 'counted', 'payee1', '100', T0 + 2000),
      ],
      options,
    );
    const counts = await sut.countLegs(['B:counted', 'B:payer1', 'B:nobody']);
    expect([...counts]).toEqual([
      ['B:counted', 3],
      ['B:payer1', 1],
      ['B:nobody', 0],
    ]);
    const read = (await sut.read(['B:counted'], T0)).get('B:counted');
    expect((read?.inflows.length ?? 0) + (read?.outflows.length ?? 0)).toBe(3);
  });

  it('accepts a late leg inside the retention and refuses one older than it, counting it', async () => {
    await sut.record([flow('n1', 'x', 'late', '100', T0 + 20 * DAY)], options);
    const late = await sut.record([flow('n0', 'y', 'late', '100', T0 + 12 * DAY)], options);
    // Day 30 trims the day-12 leg: the creditor's inflows have now trimmed up to day 12.
    await sut.record([flow('n2', 'w', 'late', '100', T0 + 30 * DAY)], options);
    // y paid at day 12 and then on day 30: its outflows trim up to day 12 too. Both sides refuse day 5.
    await sut.record([flow('y30', 'y', 'other', '100', T0 + 30 * DAY)], options);
    const tooLate = await sut.record([flow('old', 'y', 'late', '100', T0 + 5 * DAY)], options);
    expect([...late.fresh]).toEqual(['n0']);
    expect(tooLate.fresh.size).toBe(0);
    expect(tooLate.tooLate).toBe(2);
    const state = (await sut.read(['B:late'], 0)).get('B:late');
    expect(state?.inflows.map((f) => f.transferId)).toEqual(['n1', 'n2']);
  });

  it('keeps a leg older than the retention when its side never trimmed around it (partitions catching up)', async () => {
    // Another partition already brought day 40 of both accounts; day 10's split arrives now.
    await sut.record([flow('d40-in', 'p', 'hub2', '100', T0 + 40 * DAY)], options);
    await sut.record([flow('d40-out', 'smurf', 'q', '100', T0 + 40 * DAY)], options);
    const split = await sut.record(
      [flow('s1', 'smurf', 'hub2', '100', T0 + 10 * DAY), flow('s2', 'smurf', 'hub2', '90', T0 + 10 * DAY)],
      options,
    );
    expect(split).toEqual({ fresh: new Set(['s1', 's2']), tooLate: 0 });
    const smurf = (await sut.read(['B:smurf'], 0)).get('B:smurf');
    expect(smurf?.outflows.map((f) => f.transferId)).toEqual(['s1', 's2', 'd40-out']);
    // A replay is still recognised, and the next in-order leg trims them: after that a replay is refused.
    expect(await sut.record([flow('s1', 'smurf', 'hub2', '100', T0 + 10 * DAY)], options)).toEqual({
      fresh: new Set(),
      tooLate: 0,
    });
    await sut.record([flow('d41', 'smurf', 'q', '100', T0 + 41 * DAY)], options);
    await sut.record([flow('d41-in', 'p', 'hub2', '100', T0 + 41 * DAY)], options);
    const replay = await sut.record([flow('s1', 'smurf', 'hub2', '100', T0 + 10 * DAY)], options);
    expect(replay).toEqual({ fresh: new Set(), tooLate: 2 });
    expect((await sut.read(['B:smurf'], 0)).get('B:smurf')?.stats.get('out|USD/2')?.count).toBe(4);
  });

  it('caps each side, says how many legs it dropped, and never counts a dropped leg twice', async () => {
    const legs = Array.from({ length: 8 }, (_, i) => flow(`h${i}`, `s${i}`, 'hub', '500', T0 + i * 1000));
    await sut.record(legs, options);
    const replayOfDropped = await sut.record([legs[0]!], options);
    expect(replayOfDropped.fresh.size).toBe(0);
    const state = (await sut.read(['B:hub'], 0)).get('B:hub');
    expect(state?.inflows.map((f) => f.transferId)).toEqual(['h3', 'h4', 'h5', 'h6', 'h7']);
    expect(state?.cappedLegs).toEqual({ in: 3, out: 0 });
    expect(state?.stats.get('in|USD/2')?.count).toBe(8);
  });
});
