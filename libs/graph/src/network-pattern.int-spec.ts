import { randomUUID } from 'node:crypto';
import neo4j, { type Driver } from 'neo4j-driver';
import {
  accountKeyOf,
  bankTransferIdOf,
  type AccountFactObserved,
  type TransferAccepted,
} from '@scamflow/contracts';
import { testServers } from '../../../test/support/test-env';
import { AccountFactRepository } from './account-fact.repository';
import { NetworkPatternRepository, type FlowPatternQuery } from './network-pattern.repository';
import { TransferRepository } from './transfer.repository';

const run = randomUUID().slice(0, 8).toUpperCase();
const bank = `NP${run}`;
const key = (account: string) => accountKeyOf(bank, `${account}-${run}`);
const id = (name: string) => bankTransferIdOf(bank, `${name}-${run}`);
const MIN = 60_000;
const T0 = Date.parse('2026-11-20T08:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();

const transfer = (
  name: string,
  from: string,
  to: string,
  minor: string,
  minutes: number,
): TransferAccepted => {
  const party = (account: string) => ({
    accountKey: key(account),
    accountId: `${account}-${run}`,
    institutionId: bank,
    country: 'TH',
  });
  return {
    schemaVersion: 1,
    transferId: id(name),
    rail: 'bank',
    reportedBy: bank,
    bookedAt: at(minutes),
    amount: { amountMinor: minor, currency: 'THB', scale: 2 },
    debtor: party(from),
    creditor: party(to),
    source: { topic: 'network-pattern.int-spec', partition: 0, offset: '0' },
    acceptedAt: at(0),
  };
};

const identifier = (account: string, type: 'device' | 'ip', value: string): AccountFactObserved => ({
  schemaVersion: 1,
  kind: 'identifier-seen',
  factId: `F-${account}-${value}-${run}`,
  reportedBy: bank,
  observedAt: at(0),
  accountId: `${account}-${run}`,
  institutionId: bank,
  country: 'TH',
  identifierType: type,
  identifierValue: `${value}-${run}`,
  seenAt: at(0),
});

const QUERY: FlowPatternQuery = {
  maxDegree: 20,
  maxGapMs: 120 * MIN,
  minKeptRatio: 0.85,
  maxGainRatio: 1.05,
  cycleWindowMs: 72 * 60 * MIN,
  minReturnedRatio: 0.8,
  maxPathsPerTransfer: 10,
};

describe('NetworkPatternRepository on real Neo4j', () => {
  const servers = testServers();
  let driver: Driver;
  let patterns: NetworkPatternRepository;

  beforeAll(async () => {
    driver = neo4j.driver(
      servers.neo4jUrl,
      servers.neo4jUser ? neo4j.auth.basic(servers.neo4jUser, servers.neo4jPassword) : undefined,
    );
    patterns = new NetworkPatternRepository(driver, servers.neo4jDatabase);
    await new TransferRepository(driver, servers.neo4jDatabase).recordTransfers([
      // Layering: origin → m1 → m2 → m3 → out, minutes apart, little lost.
      transfer('l1', 'origin', 'm1', '1000000', 0),
      transfer('l2', 'm1', 'm2', '970000', 10),
      transfer('l3', 'm2', 'm3', '950000', 20),
      transfer('l4', 'm3', 'out', '930000', 30),
      // Not layering: days apart and most of the money stays.
      transfer('s1', 'employer', 'worker', '5000000', 0),
      transfer('s2', 'worker', 'landlord', '1500000', 3 * 24 * 60),
      transfer('s3', 'landlord', 'lender', '900000', 10 * 24 * 60),
      // Round trip: loop → r1 → r2 → loop within hours, 90 % back.
      transfer('c1', 'loop', 'r1', '2000000', 0),
      transfer('c2', 'r1', 'r2', '1950000', 60),
      transfer('c3', 'r2', 'loop', '1800000', 120),
      // A hub in the middle: never expanded through.
      ...Array.from({ length: 25 }, (_, i) => transfer(`h-noise-${i}`, `payer-${i}`, 'hub', '1000', i)),
      transfer('h1', 'src', 'hub', '1000000', 40),
      transfer('h2', 'hub', 'hx', '990000', 45),
      transfer('h3', 'hx', 'hy', '980000', 50),
    ]);
    await new AccountFactRepository(driver, servers.neo4jDatabase).recordFacts([
      identifier('alice', 'device', 'dev-a'),
      identifier('mule', 'device', 'dev-a'),
      ...Array.from({ length: 6 }, (_, i) => identifier(`nat-${i}`, 'ip', 'carrier-nat')),
      identifier('alice', 'ip', 'carrier-nat'),
    ]);
  });

  afterAll(async () => {
    await driver.close();
  });

  const hopsOf = (p: { hops: readonly { transferId: string }[] }) => p.hops.map((h) => h.transferId);

  it('finds the longest time-respecting chain ending with a committed transfer', async () => {
    const found = await patterns.findChainsAndCycles([id('l4')], QUERY);
    const chains = found.filter((p) => p.kind === 'chain');
    expect(chains.map(hopsOf)).toEqual([[id('l1'), id('l2'), id('l3'), id('l4')]]);
    expect(chains[0]?.hops[1]).toMatchObject({
      from: { accountKey: key('m1'), institutionId: bank, country: 'TH' },
      to: { accountKey: key('m2') },
      bookedAt: at(10),
      amount: { amountMinor: '970000', currency: 'THB', scale: 2 },
    });
  });

  it('finds no chain across long gaps and big losses', async () => {
    expect(await patterns.findChainsAndCycles([id('s3')], QUERY)).toEqual([]);
  });

  it('finds the cycle a transfer closes back to its origin', async () => {
    const found = await patterns.findChainsAndCycles([id('c3')], QUERY);
    expect(found.filter((p) => p.kind === 'cycle').map(hopsOf)).toEqual([[id('c1'), id('c2'), id('c3')]]);
  });

  it('does not expand through a hub account', async () => {
    expect(await patterns.findChainsAndCycles([id('h3')], QUERY)).toEqual([]);
  });

  it('lists who shares an identifier, but only the count for a hub identifier', async () => {
    const links = await patterns.findSharedIdentifiers([key('alice')], 5);
    const device = links.find((l) => l.identifierType === 'device');
    const ip = links.find((l) => l.identifierType === 'ip');
    expect(device).toMatchObject({ users: 2, account: { accountKey: key('alice') } });
    expect(device?.sharers.map((s) => s.accountKey)).toEqual([key('mule')]);
    expect(ip).toMatchObject({ users: 7, sharers: [] });
  });
});
