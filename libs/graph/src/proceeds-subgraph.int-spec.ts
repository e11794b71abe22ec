import { randomUUID } from 'node:crypto';
import neo4j, { type Driver } from 'neo4j-driver';
import { accountKeyOf, bankTransferIdOf, type TransferAccepted } from '@scamflow/contracts';
import { testServers } from '../../../test/support/test-env';
import { ProceedsSubgraphRepository, type ProceedsSubgraph } from './proceeds-subgraph.repository';
import { TransferRepository } from './transfer.repository';
import { VictimReportRepository } from './victim-report.repository';

const run = randomUUID().slice(0, 8).toUpperCase();
const bank = `PS${run}`;
const key = (account: string) => accountKeyOf(bank, `${account}-${run}`);
const at = (hhmm: string) => `2026-11-20T${hhmm}:00.000Z`;
const HOUR = 60 * 60 * 1000;

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
    source: { topic: 'proceeds-subgraph.int-spec', partition: 0, offset: String(sequence) },
    acceptedAt: at('23:00'),
  };
};

const paid = transfer('victim', 'mule1', '10:00');
const paidByAmount = transfer('victim', 'mule3', '12:00', '77700');
const flows = [
  paid,
  // Left mule1 before the victim's money arrived: cannot carry it.
  transfer('mule1', 'past', '09:00'),
  transfer('past', 'further', '09:30'),
  transfer('clean', 'mule1', '10:02'),
  transfer('mule1', 'mule2', '10:05'),
  transfer('mule2', 'hub', '10:10'),
  ...['a', 'b', 'c', 'd'].map((n) => transfer(`shopper-${n}`, 'hub', `10:1${n.charCodeAt(0) - 96}`)),
  transfer('hub', 'beyond', '10:30'),
  // Amount-only payments: one within the tolerance window of what the victim said, one far outside it.
  paidByAmount,
  transfer('victim', 'elsewhere', '20:00', '77700'),
];
// A second case, paid into mule3 an hour before the first case's money reaches it.
const paidToo = transfer('victim2', 'mule3', '11:00', '990000');
flows.push(paidToo);

const limits = { maxHops: 8, horizonMs: 24 * HOUR, edgeCap: 3, paymentMatchWindowMs: HOUR, mixLookbackMs: 0 };
const ids = (subgraph: ProceedsSubgraph | undefined) =>
  (subgraph?.transfers ?? []).map((t) => `${t.fromKey.split(':')[1]}>${t.toKey.split(':')[1]}`).sort();

describe('ProceedsSubgraphRepository on real Neo4j', () => {
  const servers = testServers();
  let driver: Driver;
  let repository: ProceedsSubgraphRepository;

  beforeAll(async () => {
    driver = neo4j.driver(
      servers.neo4jUrl,
      servers.neo4jUser ? neo4j.auth.basic(servers.neo4jUser, servers.neo4jPassword) : undefined,
    );
    repository = new ProceedsSubgraphRepository(driver, servers.neo4jDatabase);
    await new TransferRepository(driver, servers.neo4jDatabase).recordTransfers(flows);
    await new VictimReportRepository(driver, servers.neo4jDatabase).recordReports([
      {
        caseId: `CASE-${run}`,
        version: 1,
        channel: 'hotline-1441',
        scamType: 'call-centre-impersonation',
        reportedAt: at('21:00'),
        victimAccounts: [
          { accountKey: key('victim'), accountId: `victim-${run}`, institutionId: bank, country: 'TH' },
        ],
        reportedTransfers: [
          { transferId: paid.transferId },
          { amount: { amountMinor: '77700', currency: 'THB', scale: 2 }, paidAt: at('12:30') },
          { transferId: bankTransferIdOf(bank, 'never-booked') },
        ],
      },
      {
        caseId: `CASE2-${run}`,
        version: 1,
        channel: 'hotline-1441',
        scamType: 'fake-investment',
        reportedAt: at('22:00'),
        victimAccounts: [
          { accountKey: key('victim2'), accountId: `victim2-${run}`, institutionId: bank, country: 'TH' },
        ],
        reportedTransfers: [
          { amount: { amountMinor: '990000', currency: 'THB', scale: 2 }, paidAt: at('11:10') },
        ],
      },
    ]);
  });

  afterAll(async () => {
    await driver?.close();
  });

  it('follows the money forward in time order, with the clean money it mixes with, stopping at hubs', async () => {
    const subgraph = await repository.readCase(`CASE-${run}`, limits);
    const s = (name: string) => `${name}-${run}`;
    expect(ids(subgraph)).toEqual(
      [
        `${s('clean')}>${s('mule1')}`,
        `${s('mule1')}>${s('mule2')}`,
        `${s('mule2')}>${s('hub')}`,
        `${s('victim')}>${s('mule1')}`,
        `${s('victim')}>${s('mule3')}`,
      ].sort(),
    );
    // The earlier outflow of mule1 is not followed; the hub (5 transfers > cap 3) is a terminal holder.
    expect(subgraph?.terminalHubs.has(key('hub'))).toBe(true);
    expect(subgraph?.accounts.get(key('mule2'))).toMatchObject({ institutionId: bank, country: 'TH' });
  });

  it('reads earlier flows of a reached account for its pool but never follows them', async () => {
    const subgraph = await repository.readCase(`CASE-${run}`, {
      ...limits,
      mixLookbackMs: 2 * HOUR,
      edgeCap: 4,
    });
    const s = (name: string) => `${name}-${run}`;
    expect(ids(subgraph)).toContain(`${s('mule1')}>${s('past')}`);
    expect(ids(subgraph)).not.toContain(`${s('past')}>${s('further')}`);
  });

  it('finds the reported payments: by reference, and by amount within the tolerance window only', async () => {
    const subgraph = await repository.readCase(`CASE-${run}`, limits);
    expect(subgraph?.seeds).toEqual([
      { transferId: paid.transferId, matchedBy: 'reference' },
      { transferId: paidByAmount.transferId, matchedBy: 'amount-and-time' },
    ]);
    expect(subgraph?.unmatchedPayments).toEqual([2]);
    expect(subgraph?.case).toMatchObject({ caseId: `CASE-${run}`, version: 1, reportedAt: at('21:00') });
  });

  it('stops at the hop limit and knows no case it was never told about', async () => {
    const oneHop = await repository.readCase(`CASE-${run}`, { ...limits, maxHops: 1 });
    expect(ids(oneHop)).not.toContain(`mule2-${run}>hub-${run}`);
    expect(oneHop?.truncated).toBe(true);
    expect(await repository.readCase(`NO-SUCH-${run}`, limits)).toBeUndefined();
  });

  it('reads several cases in one transaction, each as it reads alone', async () => {
    const both = await repository.readCases([`CASE-${run}`, `CASE2-${run}`, `NO-SUCH-${run}`], limits);
    const s = (name: string) => `${name}-${run}`;

    expect([...both.keys()].sort()).toEqual([`CASE-${run}`, `CASE2-${run}`]);
    // mule3 is in both cases, reached at 11:00 by the second and 12:00 by the first: each reads it from its own time.
    expect(ids(both.get(`CASE2-${run}`))).toEqual(
      [`${s('victim')}>${s('mule3')}`, `${s('victim2')}>${s('mule3')}`].sort(),
    );
    expect(ids(both.get(`CASE-${run}`))).not.toContain(`${s('victim2')}>${s('mule3')}`);
    expect(both.get(`CASE2-${run}`)?.seeds).toEqual([
      { transferId: paidToo.transferId, matchedBy: 'amount-and-time' },
    ]);
    expect(both.get(`CASE-${run}`)).toEqual(await repository.readCase(`CASE-${run}`, limits));
    expect(both.get(`CASE2-${run}`)).toEqual(await repository.readCase(`CASE2-${run}`, limits));
  });

  it('reads committed transfers by id with both accounts, leaving out ids the graph does not hold', async () => {
    const read = await repository.readTransfers([paid.transferId, bankTransferIdOf(bank, 'never-booked')]);

    expect(read).toHaveLength(1);
    expect(read[0]).toMatchObject({
      transfer: { transferId: paid.transferId, amountMinor: '1500000', currency: 'THB', scale: 2 },
      debtor: { accountKey: key('victim') },
      creditor: { accountKey: key('mule1'), country: 'TH' },
      ledgerTwin: false,
    });
  });

  it("reads an account's flows in a window with both accounts, at most the limit", async () => {
    const window = { fromMs: Date.parse(at('09:00')), untilMs: Date.parse(at('10:03')) };
    const [flowsRead = []] = await repository.readPoolFlows([{ accountKey: key('mule1'), ...window }], 10);
    const s = (name: string) => `${name}-${run}`;
    const legs = (read: readonly { transfer: { fromKey: string; toKey: string } }[]) =>
      read.map((t) => `${t.transfer.fromKey.split(':')[1]}>${t.transfer.toKey.split(':')[1]}`).sort();

    expect(legs(flowsRead)).toEqual([
      `${s('clean')}>${s('mule1')}`,
      `${s('mule1')}>${s('past')}`,
      `${s('victim')}>${s('mule1')}`,
    ]);
    const fromVictim = flowsRead.find((t) => t.debtor.accountKey === key('victim'));
    expect(fromVictim).toMatchObject({
      transfer: { amountMinor: '1500000', currency: 'THB' },
      creditor: { accountKey: key('mule1'), country: 'TH' },
      ledgerTwin: false,
    });
    const [capped] = await repository.readPoolFlows([{ accountKey: key('mule1'), ...window }], 2);
    expect(capped).toHaveLength(2);
  });

  it('reads several windows of one account in one read, each with its own flows, in the order asked', async () => {
    // Two cases (or two entries of one) need mule1 as of different times; an account not in the graph has none.
    const read = await repository.readPoolFlows(
      [
        { accountKey: key('mule1'), fromMs: Date.parse(at('10:01')), untilMs: Date.parse(at('10:10')) },
        { accountKey: key('nobody'), fromMs: Date.parse(at('09:00')), untilMs: Date.parse(at('23:00')) },
        { accountKey: key('mule1'), fromMs: Date.parse(at('08:00')), untilMs: Date.parse(at('09:10')) },
      ],
      10,
    );
    const s = (name: string) => `${name}-${run}`;
    const legs = (flows: readonly { transfer: { fromKey: string; toKey: string } }[] | undefined) =>
      (flows ?? [])
        .map((t) => `${t.transfer.fromKey.split(':')[1]}>${t.transfer.toKey.split(':')[1]}`)
        .sort();

    expect(read.map(legs)).toEqual([
      [`${s('clean')}>${s('mule1')}`, `${s('mule1')}>${s('mule2')}`],
      [],
      [`${s('mule1')}>${s('past')}`],
    ]);
  });
});
