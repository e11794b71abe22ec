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
import { InvestigationRepository } from './investigation.repository';
import { TransferRepository } from './transfer.repository';
import { VictimReportRepository } from './victim-report.repository';

const run = randomUUID().slice(0, 8).toUpperCase();
const bank = `IV${run}`;
const id = (account: string) => `${account}-${run}`;
const key = (account: string) => accountKeyOf(bank, id(account));
const at = (hhmm: string) => `2026-11-21T${hhmm}:00.000Z`;

let sequence = 0;
const transfer = (
  from: string,
  to: string,
  hhmm: string,
  amount: { amountMinor: string; currency: string; scale: number },
  extra: Partial<TransferAccepted> = {},
): TransferAccepted => {
  sequence += 1;
  const party = (account: string) => ({
    accountKey: key(account),
    accountId: id(account),
    institutionId: bank,
    country: 'TH',
  });
  return {
    schemaVersion: 1,
    transferId: bankTransferIdOf(bank, `T${sequence}-${run}`),
    rail: 'bank',
    reportedBy: bank,
    bookedAt: at(hhmm),
    amount,
    debtor: party(from),
    creditor: party(to),
    source: { topic: 'investigation.int-spec', partition: 0, offset: String(sequence) },
    acceptedAt: at('23:00'),
    ...extra,
  };
};
const thb = (amountMinor: string) => ({ amountMinor, currency: 'THB', scale: 2 });
// 18-decimal amounts: their sum overflows a 64-bit integer, so totals must be exact bigint.
const eth = (amountMinor: string) => ({ amountMinor, currency: 'ETH', scale: 18 });
// One symbol at two scales: USDT has 6 decimals on TRON, 18 on BSC.
const usdt = (amountMinor: string, scale: 6 | 18) => ({ amountMinor, currency: 'USDT', scale });

describe('InvestigationRepository on real Neo4j', () => {
  const servers = testServers();
  let driver: Driver;
  let investigation: InvestigationRepository;
  const transfers = [
    transfer('victim', 'mule', '10:00', thb('1500000')),
    transfer('other', 'mule', '10:01', thb('250050')),
    transfer('mule', 'collector', '10:05', thb('1700000')),
    transfer('mule', 'collector', '10:06', eth('9000000000000000000')),
    transfer('mule', 'collector', '10:07', eth('9000000000000000000'), { txHash: 'ab'.repeat(32) }),
    transfer('collector', 'cashout', '10:20', thb('1600000')),
    // Before the money reached the collector: not on a path from the victim.
    transfer('collector', 'early', '09:00', thb('100')),
    transfer('mule', 'dead-end', '10:30', thb('100')),
    // 30-digit amounts: past three 9-digit limbs, so the profile sums the rows itself.
    transfer('whale', 'whale-out', '11:00', eth('123456789012345678901234567890')),
    transfer('whale', 'whale-out', '11:01', eth('900000000000000000000000000000')),
    transfer('tether', 'tether-out', '11:10', usdt('2500000', 6)),
    transfer('tether', 'tether-out', '11:11', usdt('3000000000000000000', 18)),
    transfer('tether', 'tether-out', '11:12', usdt('500000', 6)),
    // Past three limbs: the row fallback must keep the scales apart too.
    transfer('tether-whale', 'tether-out', '11:20', usdt('100000000000000000000000000000', 18)),
    transfer('tether-whale', 'tether-out', '11:21', usdt('1000000', 6)),
  ];

  beforeAll(async () => {
    driver = neo4j.driver(
      servers.neo4jUrl,
      servers.neo4jUser ? neo4j.auth.basic(servers.neo4jUser, servers.neo4jPassword) : undefined,
    );
    investigation = new InvestigationRepository(driver, servers.neo4jDatabase);
    await new TransferRepository(driver, servers.neo4jDatabase).recordTransfers(transfers);
    const envelope = {
      schemaVersion: 1 as const,
      reportedBy: bank,
      accountId: id('mule'),
      institutionId: bank,
      country: 'TH',
    };
    const facts: AccountFactObserved[] = [
      {
        ...envelope,
        kind: 'account-opened',
        factId: `o-${run}`,
        observedAt: at('08:00'),
        openedAt: '2026-11-01T00:00:00.000Z',
        accountType: 'personal',
      },
      {
        ...envelope,
        kind: 'identifier-seen',
        factId: `d-${run}`,
        observedAt: at('08:00'),
        identifierType: 'device',
        identifierValue: `dev${run}`,
        seenAt: at('08:00'),
      },
      {
        ...envelope,
        accountId: id('other'),
        kind: 'identifier-seen',
        factId: `d2-${run}`,
        observedAt: at('08:00'),
        identifierType: 'device',
        identifierValue: `dev${run}`,
        seenAt: at('08:30'),
      },
    ];
    await new AccountFactRepository(driver, servers.neo4jDatabase).recordFacts(facts);
    await new VictimReportRepository(driver, servers.neo4jDatabase).recordReports([
      {
        caseId: `CASE-${run}`,
        version: 1,
        channel: 'hotline-1441',
        scamType: 'romance',
        reportedAt: at('12:00'),
        victimAccounts: [
          { accountKey: key('victim'), accountId: id('victim'), institutionId: bank, country: 'TH' },
        ],
        reportedTransfers: [{ transferId: transfers[0]?.transferId ?? '', paidAt: at('10:00') }],
      },
    ]);
  });

  afterAll(async () => {
    await driver.close();
  });

  it('profiles an account: facts, exact totals per currency, counterparties, identifiers and who shares them', async () => {
    const profile = await investigation.accountProfile(key('mule'));

    expect(profile).toMatchObject({
      accountKey: key('mule'),
      accountId: id('mule'),
      institutionId: bank,
      country: 'TH',
      openedAt: '2026-11-01T00:00:00.000Z',
      firstSeenAt: at('10:00'),
      lastSeenAt: at('10:30'),
      counterparties: { count: 4, complete: true },
    });
    expect(profile?.totalsIn).toEqual({ perCurrency: [thb('1750050')], transfers: 2, scanned: 2 });
    expect(profile?.totalsOut).toEqual({
      perCurrency: [eth('18000000000000000000'), thb('1700100')],
      transfers: 4,
      scanned: 4,
    });
    expect(profile?.identifiers).toEqual([
      {
        type: 'device',
        identifierKey: `device:dev${run}`,
        firstSeenAt: at('08:00'),
        lastSeenAt: at('08:00'),
        sharedWith: 1,
      },
    ]);
  });

  it('sums amounts of any length exactly, however many digits', async () => {
    const profile = await investigation.accountProfile(key('whale'));

    expect(profile?.totalsOut).toEqual({
      perCurrency: [eth('1023456789012345678901234567890')],
      transfers: 2,
      scanned: 2,
    });
    expect(profile?.counterparties).toEqual({ count: 1, complete: true });
  });

  it('keeps the totals of one currency apart per scale (USDT at 6 and at 18 decimals), on the server and in the fallback', async () => {
    expect((await investigation.accountProfile(key('tether')))?.totalsOut).toEqual({
      perCurrency: [usdt('3000000', 6), usdt('3000000000000000000', 18)],
      transfers: 3,
      scanned: 3,
    });
    expect((await investigation.accountProfile(key('tether-whale')))?.totalsOut).toEqual({
      perCurrency: [usdt('1000000', 6), usdt('100000000000000000000000000000', 18)],
      transfers: 2,
      scanned: 2,
    });
    expect((await investigation.accountProfile(key('tether-out')))?.totalsIn.perCurrency).toEqual([
      usdt('4000000', 6),
      usdt('100000000003000000000000000000', 18),
    ]);
  });

  it('lists the cases that name an account as the victim', async () => {
    expect((await investigation.accountProfile(key('victim')))?.victimCaseIds).toEqual([`CASE-${run}`]);
    expect(await investigation.accountProfile(key('nobody'))).toBeUndefined();
  });

  it('finds the time-respecting paths between two accounts and nothing off them', async () => {
    const result = await investigation.paths({ fromKey: key('victim'), toKey: key('cashout'), maxHops: 4 });

    expect(result.hops.map((h) => `${h.fromKey}>${h.toKey}@${h.bookedAt}`).sort()).toEqual(
      [
        `${key('victim')}>${key('mule')}@${at('10:00')}`,
        `${key('mule')}>${key('collector')}@${at('10:05')}`,
        `${key('mule')}>${key('collector')}@${at('10:06')}`,
        `${key('mule')}>${key('collector')}@${at('10:07')}`,
        `${key('collector')}>${key('cashout')}@${at('10:20')}`,
      ].sort(),
    );
    expect(result.accounts.map((a) => a.accountKey).sort()).toEqual(
      [key('victim'), key('mule'), key('collector'), key('cashout')].sort(),
    );
  });

  it('finds no path when the hops allowed are too few or the window closes before the money arrives', async () => {
    expect(
      (await investigation.paths({ fromKey: key('victim'), toKey: key('cashout'), maxHops: 2 })).hops,
    ).toEqual([]);
    const windowed = await investigation.paths({
      fromKey: key('victim'),
      toKey: key('cashout'),
      maxHops: 4,
      windowEnd: at('10:10'),
    });
    expect(windowed.hops).toEqual([]);
  });

  it('reads a case report with its victims and payments', async () => {
    const report = await investigation.caseReport(`CASE-${run}`);

    expect(report).toMatchObject({
      caseId: `CASE-${run}`,
      version: 1,
      channel: 'hotline-1441',
      scamType: 'romance',
      reportedAt: at('12:00'),
      victims: [{ accountKey: key('victim'), accountId: id('victim'), institutionId: bank, country: 'TH' }],
      reportedTransfers: [{ transferId: transfers[0]?.transferId, paidAt: at('10:00') }],
    });
    expect(await investigation.caseReport(`CASE-${run}-none`)).toBeUndefined();
  });

  it('reads account details and transfer rails for a filing', async () => {
    const accounts = await investigation.accountsByKeys([key('mule'), key('nobody')]);
    expect(accounts).toEqual([
      {
        accountKey: key('mule'),
        accountId: id('mule'),
        institutionId: bank,
        country: 'TH',
        kind: 'bank-account',
        openedAt: '2026-11-01T00:00:00.000Z',
        closedAt: null,
      },
    ]);
    const hashed = transfers[4]?.transferId ?? '';
    const rails = await investigation.transfersByIds([hashed]);
    expect(rails.get(hashed)).toEqual({ rail: 'bank', txHash: 'ab'.repeat(32) });
  });
});
