import { randomUUID } from 'node:crypto';
import neo4j, { type Driver } from 'neo4j-driver';
import { accountKeyOf, bankTransferIdOf, type TransferAccepted } from '@scamflow/contracts';
import { testServers } from '../../../test/support/test-env';
import { TraceQueryRepository, type TraceResult } from './trace-query.repository';
import { TransferRepository } from './transfer.repository';

const run = randomUUID().slice(0, 8).toUpperCase();
const bank = `TQ${run}`;
const key = (account: string) => accountKeyOf(bank, `${account}-${run}`);
const at = (hhmm: string) => `2026-11-20T${hhmm}:00.000Z`;

let sequence = 0;
const transfer = (from: string, to: string, hhmm: string, amountMinor = '1500000'): TransferAccepted => {
  sequence += 1;
  const party = (account: string) => ({
    accountKey: key(account),
    accountId: `${account}-${run}`,
    institutionId: bank,
    country: 'TH',
  });
  return {
    schemaVersion: 1,
    transferId: bankTransferIdOf(bank, `T${sequence}-${from}-${to}`),
    rail: 'bank',
    reportedBy: bank,
    bookedAt: at(hhmm),
    amount: { amountMinor, currency: 'THB', scale: 2 },
    debtor: party(from),
    creditor: party(to),
    source: { topic: 'trace-query.int-spec', partition: 0, offset: String(sequence) },
    acceptedAt: at('23:00'),
  };
};

const accountsOf = (result: TraceResult) => result.accounts.map((a) => a.accountKey).sort();
const edgesOf = (result: TraceResult) => result.hops.map((h) => `${h.fromKey}>${h.toKey}`).sort();

describe('TraceQueryRepository on real Neo4j', () => {
  const servers = testServers();
  let driver: Driver;
  let traces: TraceQueryRepository;

  beforeAll(async () => {
    driver = neo4j.driver(
      servers.neo4jUrl,
      servers.neo4jUser ? neo4j.auth.basic(servers.neo4jUser, servers.neo4jPassword) : undefined,
    );
    traces = new TraceQueryRepository(driver, servers.neo4jDatabase);
    await new TransferRepository(driver, servers.neo4jDatabase).recordTransfers([
      transfer('earner', 'victim', '08:00'),
      transfer('victim', 'mule1', '10:00'),
      transfer('mule1', 'mule2', '10:05'),
      transfer('mule2', 'collector', '10:10'),
      // Booked before the money reached mule2: no victim money can be in it.
      transfer('mule2', 'past', '09:00'),
      // Reached mule1 after mule1 had paid mule2: not a source of what the collector got.
      transfer('late', 'mule1', '11:00'),
      // Sizes 100.00, 99999.00, 5.00, 1000.00, 20000.00 THB: the three largest are followed under a fan-out of 3.
      ...(['10000', '9999900', '500', '100000', '2000000'] as const).map((minor, i) =>
        transfer('victim2', `fan-${'abcde'[i] ?? ''}`, `10:0${i}`, minor),
      ),
      // A hub: more inflows than the trace's hub bound, so a backward trace does not expand it.
      ...[1, 2, 3, 4].map((i) => transfer(`payer${i}`, 'hub', `09:3${i}`)),
      transfer('hub', 'after-hub', '09:50'),
    ]);
  });

  afterAll(async () => {
    await driver.close();
  });

  it('follows a victim forward only along transfers that happened after the money arrived', async () => {
    const result = await traces.trace({ accountKey: key('victim'), direction: 'forward', maxHops: 6 });

    expect(accountsOf(result)).toEqual([key('collector'), key('mule1'), key('mule2'), key('victim')].sort());
    expect(edgesOf(result)).toEqual(
      [
        `${key('victim')}>${key('mule1')}`,
        `${key('mule1')}>${key('mule2')}`,
        `${key('mule2')}>${key('collector')}`,
      ].sort(),
    );
    expect(result.hops.find((h) => h.toKey === key('collector'))).toMatchObject({
      depth: 3,
      bookedAt: at('10:10'),
      amount: { amountMinor: '1500000', currency: 'THB', scale: 2 },
    });
    expect(result.truncated).toBe(false);
  });

  it('traces a collector back to the source of its money, never through an inflow that came too late', async () => {
    const result = await traces.trace({ accountKey: key('collector'), direction: 'backward', maxHops: 6 });

    expect(accountsOf(result)).toEqual(
      [key('collector'), key('earner'), key('mule1'), key('mule2'), key('victim')].sort(),
    );
    expect(accountsOf(result)).not.toContain(key('late'));
    expect(result.accounts.find((a) => a.accountKey === key('earner'))?.depth).toBe(4);
  });

  it('does not go back in time from an account paid before the money arrived', async () => {
    const result = await traces.trace({ accountKey: key('past'), direction: 'backward', maxHops: 6 });

    expect(accountsOf(result)).toEqual([key('mule2'), key('past')].sort());
  });

  it('stops at the hop limit', async () => {
    const result = await traces.trace({ accountKey: key('collector'), direction: 'backward', maxHops: 2 });

    expect(accountsOf(result)).toEqual([key('collector'), key('mule1'), key('mule2')].sort());
    expect(Math.max(...result.hops.map((h) => h.depth))).toBe(2);
  });

  it('follows at most the fan-out limit per account, the largest first, and says where it cut', async () => {
    const result = await traces.trace({
      accountKey: key('victim2'),
      direction: 'forward',
      maxHops: 6,
      fanOut: 3,
    });

    expect(accountsOf(result)).toEqual([key('fan-b'), key('fan-d'), key('fan-e'), key('victim2')].sort());
    expect(result.truncated).toBe(true);
    expect(result.cuts).toEqual([{ kind: 'fan-out', accountKey: key('victim2'), depth: 1, followed: 3 }]);
  });

  it('skips transfers below a minimum amount in its currency', async () => {
    const result = await traces.trace({
      accountKey: key('victim2'),
      direction: 'forward',
      maxHops: 2,
      minAmount: { amountMinor: '100000', currency: 'THB', scale: 2 },
    });

    expect(accountsOf(result)).toEqual([key('fan-b'), key('fan-d'), key('fan-e'), key('victim2')].sort());
    expect(result.cuts).toEqual([]);
  });

  it('reaches a hub but does not expand it, and names it as a cut', async () => {
    const result = await traces.trace({
      accountKey: key('after-hub'),
      direction: 'backward',
      maxHops: 3,
      hubDegree: 3,
    });

    expect(accountsOf(result)).toEqual([key('after-hub'), key('hub')].sort());
    expect(result.cuts).toEqual([{ kind: 'hub', accountKey: key('hub'), depth: 2, degree: 4 }]);
  });

  it('keeps every hop inside the window', async () => {
    const result = await traces.trace({
      accountKey: key('victim'),
      direction: 'forward',
      maxHops: 6,
      windowLimit: at('10:06'),
    });

    expect(accountsOf(result)).toEqual([key('mule1'), key('mule2'), key('victim')].sort());
  });

  it('cuts at the transfer budget and says so', async () => {
    const result = await traces.trace({
      accountKey: key('victim'),
      direction: 'forward',
      maxHops: 6,
      maxTransfers: 2,
    });

    expect(result.hops.map((h) => h.depth)).toEqual([1, 2]);
    expect(result.cuts).toContainEqual({ kind: 'max-transfers', depth: 2, returned: 2 });
  });

  it('honours a start time on the first hop', async () => {
    const result = await traces.trace({
      accountKey: key('mule1'),
      direction: 'backward',
      maxHops: 1,
      startAt: at('10:30'),
    });

    expect(accountsOf(result)).toEqual([key('mule1'), key('victim')].sort());
  });

  it('says when the start account is not in the graph', async () => {
    const result = await traces.trace({ accountKey: key('nobody'), direction: 'forward', maxHops: 6 });

    expect(result.start).toBeUndefined();
    expect(result.hops).toEqual([]);
  });
});
