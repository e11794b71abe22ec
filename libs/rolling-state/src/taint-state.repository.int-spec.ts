import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { CaseAccountState } from '@scamflow/tracing';
import { testServers } from '../../../test/support/test-env';
import { redisKeys } from './redis-keys';
import { createRedis } from './redis.module';
import {
  TaintStateRepository,
  type StoredCaseAccountState,
  type StoredLeftCase,
  type TaintCaseChange,
} from './taint-state.repository';

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
    const holding = await sut.accountsOfCases(['CASE-1', 'CASE-NONE']);
    expect(holding.get('CASE-1')?.sort()).toEqual(['M', 'X']);
    expect(holding.get('CASE-NONE')).toEqual([]);
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

  it('replaces a case’s state from a snapshot of write versions only, and refuses it once a key changed', async () => {
    // A trace from the graph replaces what it touches: it needs the keys' versions, not their contents.
    const versions = await sut.readVersions(['M', 'NEW'], ['CASE-1']);
    const full = await sut.read(['M', 'NEW'], ['CASE-1'], new Map(), NOW);
    expect(versions.versions).toEqual(full.versions);
    const replace = (held: bigint, id: string) => ({
      accounts: new Map<string, Map<string, StoredCaseAccountState | null>>([
        ['M', new Map([['CASE-1', null]])],
        ['NEW', new Map([['CASE-1', stored(stateOf(held, 0n, id))]])],
      ]),
      cases: new Map([
        [
          'CASE-1',
          {
            record: { seeded: '500' },
            untilMs: NOW + 10 * DAY,
            applied: [id],
            reset: { journalFromMs: NOW },
          },
        ],
      ]),
    });

    expect(await sut.commit(versions, replace(500n, 't7'), NOW)).toBe(true);
    const after = await sut.read(['M', 'NEW'], ['CASE-1'], new Map([['CASE-1', ['t3', 't7']]]), NOW);
    expect(after.accounts.get('M')?.get('CASE-1')).toBeUndefined();
    expect(after.accounts.get('NEW')?.get('CASE-1')?.state.lastTransferId).toBe('t7');
    expect(after.applied.get('CASE-1')).toEqual(new Set(['t7']));
    // The versions read before that write are stale now.
    expect(await sut.commit(versions, replace(400n, 't8'), NOW)).toBe(false);
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

  describe('journal (late transfers)', () => {
    const MIN = 60_000;
    const entry = (transferId: string, atMs: number, state: CaseAccountState | null = null) => ({
      transferId,
      atMs,
      before: [['J-M', state] as const, ['J-X', null] as const],
      effect: { h: true, id: transferId },
    });
    const write = async (change: Partial<TaintCaseChange>) => {
      const seen = await sut.read(['J-M'], ['CASE-J'], new Map(), NOW);
      const written = await sut.commit(
        seen,
        {
          accounts: new Map(),
          cases: new Map([
            ['CASE-J', { record: { seeded: '1' }, untilMs: NOW + 10 * DAY, applied: [], ...change }],
          ]),
        },
        NOW,
      );
      expect(written).toBe(true);
    };

    it('keeps each applied transfer’s before-states and effect, from when the case was traced on', async () => {
      await write({ reset: { journalFromMs: NOW }, applied: ['b1'] });
      // j2's receiver had left the case (at j0, after a LIBR cut there): its mark is kept for a rewind.
      const mark = { atMs: NOW - MIN, transferId: 'j0', librApplied: true };
      await write({
        applied: ['j1', 'j2'],
        journal: {
          entries: [
            entry('j1', NOW + MIN, stateOf(5n, 1n, 'b1')),
            { ...entry('j2', NOW + 2 * MIN), before: [['J-M', null] as const, ['J-X', null, mark] as const] },
          ],
          trimBelowMs: NOW,
          maxEntries: 100,
        },
      });

      expect((await sut.read([], ['CASE-J'], new Map(), NOW)).journalFrom.get('CASE-J')).toBe(NOW);
      const fromSecond = await sut.readJournal('CASE-J', NOW + 2 * MIN);
      expect(fromSecond?.map((e) => e.transferId)).toEqual(['j2']);
      expect(fromSecond?.[0]?.before).toEqual([
        ['J-M', null],
        ['J-X', null, mark],
      ]);
      const all = await sut.readJournal('CASE-J', NOW);
      expect(all?.[0]).toEqual({
        transferId: 'j1',
        atMs: NOW + MIN,
        before: [
          ['J-M', stateOf(5n, 1n, 'b1')],
          ['J-X', null],
        ],
        effect: { h: true, id: 'j1' },
      });
    });

    it('replaces the entries a rewind applied again and forgets ids it no longer applies', async () => {
      await write({
        applied: ['j0', 'j2'],
        unapplied: ['j1'],
        journal: {
          entries: [entry('j0', NOW + MIN / 2), entry('j2', NOW + 2 * MIN)],
          rewoundFromMs: NOW + MIN / 2,
          trimBelowMs: NOW,
          maxEntries: 100,
        },
      });

      expect((await sut.readJournal('CASE-J', NOW))?.map((e) => e.transferId)).toEqual(['j0', 'j2']);
      const seen = await sut.read([], ['CASE-J'], new Map([['CASE-J', ['j0', 'j1', 'j2']]]), NOW);
      expect(seen.applied.get('CASE-J')).toEqual(new Set(['j0', 'j2']));
    });

    it('drops entries past the allowed lateness or the cap and says from when it is complete', async () => {
      await write({
        applied: ['j3', 'j4'],
        journal: {
          entries: [entry('j3', NOW + 3 * MIN), entry('j4', NOW + 4 * MIN)],
          trimBelowMs: NOW + MIN,
          maxEntries: 2,
        },
      });

      // j0 went by lateness (before minute 1), j2 by the cap (three left, two allowed).
      expect((await sut.readJournal('CASE-J', 0))?.map((e) => e.transferId)).toEqual(['j3', 'j4']);
      expect((await sut.read([], ['CASE-J'], new Map(), NOW)).journalFrom.get('CASE-J')).toBe(
        NOW + 2 * MIN + 1,
      );
    });

    it('starts the journal afresh when the case is traced from the graph again', async () => {
      await write({ reset: { journalFromMs: NOW + 9 * MIN }, applied: ['b2'] });

      expect(await sut.readJournal('CASE-J', 0)).toEqual([]);
      expect((await sut.read([], ['CASE-J'], new Map(), NOW)).journalFrom.get('CASE-J')).toBe(NOW + 9 * MIN);
    });

    it('says the journal cannot be read when an entry does not parse (the case is traced again)', async () => {
      await redis.zadd(redisKeys.proceedsCaseJournal('CASE-J'), NOW + 10 * MIN, '{"broken":true}');

      expect(await sut.readJournal('CASE-J', NOW + 9 * MIN)).toBeUndefined();
    });

    it('keeps where an account left a case apart from the states, and lists the case at that account', async () => {
      const seen = await sut.read(['J-GONE'], [], new Map(), NOW);
      await sut.commit(
        seen,
        {
          accounts: new Map([
            [
              'J-GONE',
              new Map<string, StoredCaseAccountState | StoredLeftCase>([
                ['CASE-J', { leftAt: { atMs: NOW + MIN, transferId: 'j1' }, untilMs: NOW + 10 * DAY }],
                [
                  'CASE-L',
                  {
                    leftAt: { atMs: NOW + 2 * MIN, transferId: 'l1', librApplied: true },
                    untilMs: NOW + DAY,
                  },
                ],
                ['CASE-K', stored(stateOf(3n, 0n, 't1'))],
              ]),
            ],
          ]),
          cases: new Map(),
        },
        NOW,
      );

      const after = await sut.read(['J-GONE'], [], new Map(), NOW);
      expect(after.left.get('J-GONE')?.get('CASE-J')?.leftAt).toEqual({ atMs: NOW + MIN, transferId: 'j1' });
      // A LIBR cut there before it left stays with the mark.
      expect(after.left.get('J-GONE')?.get('CASE-L')?.leftAt).toEqual({
        atMs: NOW + 2 * MIN,
        transferId: 'l1',
        librApplied: true,
      });
      expect([...(after.accounts.get('J-GONE')?.keys() ?? [])]).toEqual(['CASE-K']);
      expect(after.corruptCases.size).toBe(0);
      expect(await sut.casesAt(['J-GONE'], NOW)).toEqual(
        new Map([['J-GONE', ['CASE-J', 'CASE-K', 'CASE-L']]]),
      );
    });
  });
});
