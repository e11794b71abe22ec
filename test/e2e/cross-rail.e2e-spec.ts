import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import neo4j, { type Driver } from 'neo4j-driver';
import { TOPICS, type BankTransferReceived, type VaTransferReceived } from '@scamflow/contracts';
import { expectEventually } from '../support/expect-eventually';
import { startPipeline, stopPipeline } from '../support/pipeline-apps';
import { serviceEnv, startServiceGroupsAtEnd, testServers } from '../support/test-env';
import { TopicProbe } from '../support/topic-probe';

const run = randomUUID().replace(/-/g, '').slice(0, 10);
const MIN = 60_000;
const base = Date.now() - 3 * 60 * MIN;
const at = (minutes: number) => new Date(base + minutes * MIN).toISOString();
const hex = (n: number) => `${run}${String(n).padStart(6, '0')}`.padEnd(64, 'a');
const address = (name: string) => `T${name}${run}`.padEnd(34, 'x');

/**
 * One scam's proceeds crossing rails: Thai bank account → Thai VASP (fiat deposit) → withdrawal as USDT to
 * an unhosted TRON wallet → on-chain hop → a Cambodian VASP's deposit address → credited to its customer.
 */
const victimToMule: BankTransferReceived = {
  schemaVersion: 1,
  reportedBy: 'KASITHBK',
  transferId: `X-${run}-1`,
  bookedAt: at(0),
  amount: { value: '150000.00', currency: 'THB' },
  debtor: { accountId: `victim-${run}`, bankId: 'KASITHBK', country: 'TH' },
  creditor: { accountId: `mule-${run}`, bankId: 'TMBKTHBK', country: 'TH' },
};
const usdt = { symbol: 'USDT', decimals: 6 };
const vaFlow: VaTransferReceived[] = [
  {
    schemaVersion: 1,
    kind: 'ledger',
    reportedBy: 'THVASP01',
    vaspCountry: 'TH',
    movementId: `DEP-${run}`,
    movement: 'deposit',
    customerAccountId: `U-${run}`,
    asset: { symbol: 'THB', decimals: 2 },
    amount: '149000.00',
    bookedAt: at(6),
    counterparty: { bankAccount: { accountId: `mule-${run}`, bankId: 'TMBKTHBK', country: 'TH' } },
  },
  {
    schemaVersion: 1,
    kind: 'ledger',
    reportedBy: 'THVASP01',
    vaspCountry: 'TH',
    movementId: `WD-${run}`,
    movement: 'withdrawal',
    customerAccountId: `U-${run}`,
    asset: usdt,
    amount: '4300',
    bookedAt: at(12),
    counterparty: { chain: 'tron', address: address('hop1') },
  },
  {
    schemaVersion: 1,
    kind: 'onchain',
    reportedBy: 'CHAINWATCH',
    chain: 'tron',
    txHash: hex(2),
    logIndex: 0,
    from: { address: address('hop1'), attribution: { kind: 'unhosted' } },
    to: {
      address: address('dep'),
      attribution: {
        kind: 'deposit-address',
        vaspId: 'KHVASP01',
        country: 'KH',
        customerAccountId: `K-${run}`,
      },
    },
    asset: usdt,
    amount: '4299.5',
    blockTime: at(20),
  },
  {
    schemaVersion: 1,
    kind: 'ledger',
    reportedBy: 'KHVASP01',
    vaspCountry: 'KH',
    movementId: `KDEP-${run}`,
    movement: 'deposit',
    customerAccountId: `K-${run}`,
    asset: usdt,
    amount: '4299.5',
    bookedAt: at(21),
    counterparty: { chain: 'tron', address: address('dep') },
  },
];

describe('cross-rail flow: bank → VASP → chain → foreign VASP', () => {
  let apps: INestMicroservice[] = [];
  let probe: TopicProbe;
  let driver: Driver;
  const servers = testServers();

  beforeAll(async () => {
    const services = serviceEnv(run);
    await startServiceGroupsAtEnd(services);
    apps = await startPipeline(services, ['ingest-gateway', 'graph-writer']);
    probe = new TopicProbe(servers.kafkaBrokers);
    await probe.start([]);
    driver = neo4j.driver(servers.neo4jUrl);
  });

  afterAll(async () => {
    await stopPipeline(apps);
    await probe?.stop();
    await driver?.close();
  });

  it('connects the victim to the foreign VASP customer in one time-respecting path', async () => {
    await probe.produce(TOPICS.bankTransferReceived, [
      { key: victimToMule.debtor.accountId, value: JSON.stringify(victimToMule) },
    ]);
    // Produced twice: the replay must not add edges.
    for (let i = 0; i < 2; i += 1) {
      await probe.produce(
        TOPICS.vaTransferReceived,
        vaFlow.map((e) => ({
          key: e.kind === 'onchain' ? e.from.address : e.customerAccountId,
          value: JSON.stringify(e),
        })),
      );
    }

    const path = await expectEventually(async () => {
      const { records } = await driver.executeQuery(
        `MATCH p = (v:Account {accountKey: $victim})-[:TRANSFERRED_TO*1..6]->(f:Account {accountKey: $foreign})
         WHERE all(i IN range(0, size(relationships(p)) - 2)
                   WHERE relationships(p)[i].bookedAt <= relationships(p)[i + 1].bookedAt)
         RETURN [n IN nodes(p) | [n.kind, n.institutionId, n.country]] AS hops,
                [r IN relationships(p) | [r.rail, r.currency, r.amountMinor]] AS legs`,
        { victim: `KASITHBK:victim-${run}`, foreign: `KHVASP01:K-${run}` },
        { database: servers.neo4jDatabase },
      );
      expect(records).toHaveLength(1);
      return records[0]?.toObject() as { hops: string[][]; legs: string[][] };
    });

    expect(path.hops).toEqual([
      ['bank-account', 'KASITHBK', 'TH'],
      ['bank-account', 'TMBKTHBK', 'TH'],
      ['vasp-account', 'THVASP01', 'TH'],
      ['wallet', 'unhosted', 'ZZ'],
      ['wallet', 'KHVASP01', 'KH'],
      ['vasp-account', 'KHVASP01', 'KH'],
    ]);
    expect(path.legs).toEqual([
      ['bank', 'THB', '15000000'],
      ['vasp-ledger', 'THB', '14900000'],
      ['vasp-ledger', 'USDT', '4300000000'],
      ['onchain', 'USDT', '4299500000'],
      ['vasp-ledger', 'USDT', '4299500000'],
    ]);
  });
});
