import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { CaseAccountState } from '@scamflow/tracing';
import { testServers } from '../../../test/support/test-env';
import { redisKeys } from './redis-keys';
import { createRedis } from './redis.module';
import { TaintStateRepository, type StoredCaseAccountState } from './taint-state.repository';

const NOW = Date.parse('2026-11-10T00:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

const stateOf = (held: bigint, clean: bigint, transferId: string): CaseAccountState => {
  const lots = [
    { sourceId: undefined, amount: clean },
    { sourceId: 'CASE-1', amount: held },
  ];
  return {
    pools: { fifo: lots, haircut: lots, 'fifo-libr': lots, 'haircut-libr': lots },
    touched: true,
    librApplied: false,
    lastAtMs: NOW - DAY,
    lastTransferId: transferId,
    mergedLots: 0,
  };
};
const stored = (state: CaseAccountState, untilMs = NOW + 10 * DAY): StoredCaseAccountState => ({
  state,
  untilMs,
});

describe(TaintStateRepository.name, () => {
  const prefix = `taint-state-spec-${randomUUID().slice(0, 8)}:`;
  let redis: Redis;
  let sut: TaintStateRepository;

  beforeAll(() => {
    redis = createRedis({ url: testServers().redisUrl, keyPrefix: prefix });
    sut = new TaintStateRepository(redis);
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys.map((k) => k.slice(prefix.length)));
    await redis.quit();
  });

  it('stores a transfer’s sender and receiver states, the case record and the applied id together', async () => {
    const before = await sut.read(['M', 'X'], ['CASE-1'], new Map([['CASE-1', ['t3']]]), NOW);
    expect(before.accounts.size).toBe(0);
    expect(before.applied.get('CASE-1')).toEqual(new Set());

    const written = await sut.commit(
      before,
      {
        accounts: new Map([
          ['M', new Map([['CASE-1', stored(stateOf(350n, 0n, 't3'))]])],
          ['X', new Map([['CASE-1', stored(stateOf(150n, 300n, 't3'))]])],
        ]),
        cases: new Map([['CASE-1', { record: { seeded: '600' }, untilMs: NOW + 10 * DAY, applied: ['t3'] }]]),
      },
      NOW,
    );

    expect(written).toBe(true);
    const after = await sut.read(['M', 'X'], ['CASE-1'], new Map([['CASE-1', ['t3', 't4']]]), NOW);
    expect(after.accounts.get('X')?.get('CASE-1')).toEqual(stored(stateOf(150n, 300n, 't3')));
    expect(after.cases.get('CASE-1')?.record).toEqual({ seeded: '600' });
    // A replay of t3 is recognised; t4 is new.
    expect(after.applied.get('CASE-1')).toEqual(new Set(['t3']));
    expect((await sut.accountsOf('CASE-1')).sort()).toEqual(['M', 'X']);
  });

  it('refuses a write computed from a state another tracer changed meanwhile, so no update is lost', async () => {
    const seenByA = await sut.read(['M'], ['CASE-1'], new Map(), NOW);
    const seenByB = await sut.read(['M'], ['CASE-1'], new Map(), NOW);
    const change = (held: bigint, id: string) => ({
      accounts: new Map([['M', new Map([['CASE-1', stored(stateOf(held, 0n, id))]])]]),
      cases: new Map(),
    });

    expect(await sut.commit(seenByA, change(250n, 't5'), NOW)).toBe(true);
    expect(await sut.commit(seenByB, change(300n, 't6'), NOW)).toBe(false);

    const now = await sut.read(['M'], [], new Map(), NOW);
    expect(now.accounts.get('M')?.get('CASE-1')?.state.lastTransferId).toBe('t5');
  });

  it('drops a case’s state from an account once the case’s horizon has passed', async () => {
    const seen = await sut.read(['OLD'], [], new Map(), NOW);
    await sut.commit(
      seen,
      {
        accounts: new Map([
          [
            'OLD',
            new Map([
              ['CASE-OLD', stored(stateOf(10n, 0n, 't1'), NOW + DAY)],
              ['CASE-NEW', stored(stateOf(20n, 0n, 't1'), NOW + 40 * DAY)],
            ]),
          ],
        ]),
        cases: new Map(),
      },
      NOW,
    );

    expect(await sut.casesAt(['OLD'], NOW)).toEqual(new Map([['OLD', ['CASE-NEW', 'CASE-OLD']]]));
    expect(await sut.casesAt(['OLD'], NOW + 2 * DAY)).toEqual(new Map([['OLD', ['CASE-NEW']]]));
  });

  it('keeps a case of a feed replayed from history (its horizon long past on the clock) for the TTL', async () => {
    // The tracer's clock is the feed's event time: a case from a year ago is live while its feed replays.
    const untilMs = Date.now() - 365 * DAY;
    const feedTimeMs = untilMs - 5 * DAY;
    const seen = await sut.read(['HIST'], ['CASE-HIST'], new Map(), feedTimeMs);
    const written = await sut.commit(
      seen,
      {
        accounts: new Map([['HIST', new Map([['CASE-HIST', stored(stateOf(10n, 0n, 't1'), untilMs)]])]]),
        cases: new Map([['CASE-HIST', { record: { seeded: '10' }, untilMs, applied: ['t1'] }]]),
      },
      feedTimeMs,
    );

    expect(written).toBe(true);
    const after = await sut.read(['HIST'], ['CASE-HIST'], new Map(), feedTimeMs);
    expect(after.cases.get('CASE-HIST')?.record).toEqual({ seeded: '10' });
    expect(after.accounts.get('HIST')?.has('CASE-HIST')).toBe(true);
    // Storage is still bounded by the clock: the record expires about the TTL after this write.
    const ttlDays = (await redis.pttl(redisKeys.proceedsCase('CASE-HIST'))) / DAY;
    expect(ttlDays).toBeGreaterThan(44);
    expect(ttlDays).toBeLessThanOrEqual(45);
  });

  it('leaves out a stored state that does not parse and names its case, so the batch goes on', async () => {
    await redis.hset(redisKeys.proceedsState('BROKEN'), 'CASE-X', '{"not":"a state"}');
    const seen = await sut.read(['BROKEN'], [], new Map(), NOW);

    expect(seen.accounts.get('BROKEN')).toBeUndefined();
    expect(seen.corruptCases).toEqual(new Set(['CASE-X']));
  });
});
