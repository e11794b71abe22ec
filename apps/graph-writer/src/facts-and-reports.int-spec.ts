import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import neo4j, { isDateTime, isInt, type Driver } from 'neo4j-driver';
import {
  DEAD_LETTER_HEADERS,
  TOPICS,
  deadLetterTopicOf,
  type AccountFactObserved,
  type VictimReportFiled,
} from '@scamflow/contracts';
import { expectEventually } from '../../../test/support/expect-eventually';
import { serviceEnv, startServiceGroupsAtEnd, testServers } from '../../../test/support/test-env';
import { TopicProbe } from '../../../test/support/topic-probe';
import { createGraphWriter } from './graph-writer.app';
import { loadGraphWriterConfig } from './graph-writer.config';

const run = randomUUID().slice(0, 8);
const bankA = `FA${run}`.toUpperCase();
const bankB = `FB${run}`.toUpperCase();
const device = `dev-shared-${run}`;
const at = (hour: number) => new Date(Date.UTC(2026, 10, 21, hour)).toISOString();

const envelope = (bank: string, account: string, factId: string, observedHour: number) => ({
  schemaVersion: 1 as const,
  factId: `${factId}-${run}`,
  reportedBy: bank,
  observedAt: at(observedHour),
  accountId: `${account}-${run}`,
  institutionId: bank,
  country: 'TH',
});

const opened = (factId: string, observedHour: number, accountType: 'personal' | 'business') => ({
  ...envelope(bankA, 'mule', factId, observedHour),
  kind: 'account-opened' as const,
  openedAt: at(1),
  accountType,
  holderId: `h-${run}`,
});

const seen = (bank: string, account: string, factId: string, hour: number): AccountFactObserved => ({
  ...envelope(bank, account, factId, hour),
  kind: 'identifier-seen',
  identifierType: 'device',
  identifierValue: device,
  seenAt: at(hour),
});

const closed: AccountFactObserved = {
  ...envelope(bankA, 'mule', 'closed', 20),
  kind: 'account-closed',
  closedAt: at(19),
};

const caseId = `AOC-${run}`;
const report = (version: number, victims: string[], caseNo = caseId): VictimReportFiled => ({
  schemaVersion: 1,
  caseId: caseNo,
  version,
  reportingChannel: 'hotline-1441',
  reportedAt: '2026-11-23T11:40:00+07:00',
  scamType: 'call-centre-impersonation',
  victimAccounts: victims.map((v) => ({ accountId: `${v}-${run}`, institutionId: bankB, country: 'TH' })),
  reportedTransfers: [
    {
      reference: { reportedBy: bankB, transferId: `TX-${version}-${run}` },
      amount: { value: '15000.50', currency: 'THB' },
      paidAt: '2026-11-23T09:15:00+07:00',
    },
    { amount: { value: '200', currency: 'USD' } },
  ],
});

const json = (key: string, value: object) => ({ key, value: JSON.stringify(value) });

describe('graph writer: account facts and victim reports on real Kafka and Neo4j', () => {
  let app: INestMicroservice;
  let probe: TopicProbe;
  let driver: Driver;
  const servers = testServers();
  const factsDlq = deadLetterTopicOf(TOPICS.accountFactObserved);
  const reportsDlq = deadLetterTopicOf(TOPICS.victimReportFiled);

  beforeAll(async () => {
    const services = serviceEnv(run);
    await startServiceGroupsAtEnd(services);
    app = await createGraphWriter(loadGraphWriterConfig({ ...process.env, ...services }));
    await app.listen();
    probe = new TopicProbe(servers.kafkaBrokers);
    await probe.start([factsDlq, reportsDlq]);
    driver = neo4j.driver(
      servers.neo4jUrl,
      servers.neo4jUser ? neo4j.auth.basic(servers.neo4jUser, servers.neo4jPassword) : undefined,
    );
  });

  afterAll(async () => {
    await app?.close();
    await probe?.stop();
    await driver?.close();
  });

  /** Runs a read and returns its rows as plain objects, with integers as numbers and times as ISO strings. */
  const read = async (cypher: string, params: Record<string, unknown>) => {
    const { records } = await driver.executeQuery(cypher, params, { database: servers.neo4jDatabase });
    return records.map((record) =>
      Object.fromEntries(
        record.keys.map((key) => {
          const value: unknown = record.get(key);
          if (isInt(value)) return [key, value.toNumber()];
          if (isDateTime(value)) return [key, value.toStandardDate().toISOString()];
          return [key, value];
        }),
      ),
    );
  };

  const deadLetters = (topic: string, key: string) =>
    probe.on(topic).filter((m) => m.key?.toString() === key);

  it('links accounts at different banks through one shared device, keeping first and last sightings', async () => {
    await probe.produce(TOPICS.accountFactObserved, [
      json(`mule-${run}`, seen(bankA, 'mule', 'seen-10', 10)),
    ]);
    // Late, duplicated and out-of-order sightings, and the second bank's account.
    await probe.produce(TOPICS.accountFactObserved, [
      json(`mule-${run}`, seen(bankA, 'mule', 'seen-09', 9)),
      json(`mule-${run}`, seen(bankA, 'mule', 'seen-11', 11)),
      json(`mule-${run}`, seen(bankA, 'mule', 'seen-10', 10)),
      json(`other-${run}`, seen(bankB, 'other', 'seen-b', 12)),
      json(`other-${run}`, seen(bankB, 'other', 'seen-b', 12)),
    ]);

    const rows = await expectEventually(async () => {
      const found = await read(
        `MATCH (a:Account)-[u:USED_IDENTIFIER]->(i:Identifier {identifierKey: $key})
         RETURN a.accountKey AS account, i.type AS type, u.firstSeenAt AS first, u.lastSeenAt AS last
         ORDER BY account`,
        { key: `device:${device}` },
      );
      expect(found).toHaveLength(2);
      expect(found[0]).toMatchObject({ first: at(9), last: at(11) });
      return found;
    });
    expect(rows).toEqual([
      { account: `${bankA}:mule-${run}`, type: 'device', first: at(9), last: at(11) },
      { account: `${bankB}:other-${run}`, type: 'device', first: at(12), last: at(12) },
    ]);
    expect(
      await read('MATCH (i:Identifier {identifierKey: $key}) RETURN count(i) AS nodes', {
        key: `device:${device}`,
      }),
    ).toEqual([{ nodes: 1 }]);
  });

  it('keeps the latest account-opened fact when an older one arrives after it, and records closure once', async () => {
    const key = `mule-${run}`;
    await probe.produce(TOPICS.accountFactObserved, [
      json(key, opened('opened-correction', 8, 'business')),
      json(key, opened('opened-first', 2, 'personal')),
      json(key, closed),
      json(key, closed),
    ]);

    // The closure follows the stale fact on the same partition: once it is in, the stale fact was handled.
    const [account] = await expectEventually(async () => {
      const found = await read(
        `MATCH (a:Account {accountKey: $accountKey})
         RETURN a.accountType AS accountType, a.openedAt AS openedAt, a.closedAt AS closedAt,
                a.holderId AS holderId, a.openedFactId AS openedFactId`,
        { accountKey: `${bankA}:${key}` },
      );
      expect(found[0]?.['closedAt']).toBe(at(19));
      return found;
    });
    expect(account).toEqual({
      accountType: 'business',
      openedAt: at(1),
      closedAt: at(19),
      holderId: `h-${run}`,
      openedFactId: `opened-correction-${run}`,
    });
  });

  it('keeps one VictimReport per case: duplicates and a late older version change nothing', async () => {
    const marker = report(1, ['marker'], `${caseId}-marker`);
    await probe.produce(TOPICS.victimReportFiled, [
      json(caseId, report(1, ['victim'])),
      json(caseId, report(1, ['victim'])),
    ]);
    await expectEventually(async () =>
      expect(
        await read('MATCH (r:VictimReport {caseId: $caseId}) RETURN r.version AS v', { caseId }),
      ).toEqual([{ v: 1 }]),
    );
    await probe.produce(TOPICS.victimReportFiled, [
      json(caseId, report(2, ['victim', 'second'])),
      json(caseId, report(1, ['victim'])),
      json(caseId, marker),
    ]);
    await expectEventually(async () =>
      expect(
        await read('MATCH (r:VictimReport {caseId: $c}) RETURN count(r) AS n', { c: marker.caseId }),
      ).toEqual([{ n: 1 }]),
    );

    const rows = await read(
      `MATCH (r:VictimReport {caseId: $caseId})
       OPTIONAL MATCH (r)-[:REPORTS_VICTIM]->(a:Account)
       WITH r, a ORDER BY a.accountKey
       RETURN count(DISTINCT r) AS reports, r.version AS version, r.channel AS channel, r.scamType AS scamType,
              r.reportedAt AS reportedAt, r.reportedTransferIds AS transferIds,
              r.reportedTransfers AS transfers, collect(a.accountKey) AS victims`,
      { caseId },
    );
    expect(rows).toHaveLength(1);
    const [stored] = rows;
    expect(stored).toMatchObject({
      reports: 1,
      version: 2,
      channel: 'hotline-1441',
      scamType: 'call-centre-impersonation',
      reportedAt: '2026-11-23T04:40:00.000Z',
      transferIds: [`bank:${bankB}:TX-2-${run}`],
      victims: [`${bankB}:second-${run}`, `${bankB}:victim-${run}`],
    });
    expect(JSON.parse(String(stored?.['transfers']))).toEqual([
      {
        transferId: `bank:${bankB}:TX-2-${run}`,
        amount: { amountMinor: '1500050', currency: 'THB', scale: 2 },
        paidAt: '2026-11-23T02:15:00.000Z',
      },
      { amount: { amountMinor: '20000', currency: 'USD', scale: 2 } },
    ]);
  });

  it('dead-letters an invalid fact and an invalid report with reasons and original bytes', async () => {
    const rawIp = { ...seen(bankA, 'mule', 'raw-ip', 13), identifierValue: '203.0.113.17' };
    const badAmount = {
      ...report(1, ['victim'], `${caseId}-bad`),
      reportedTransfers: [{ amount: { value: '10.005', currency: 'THB' } }],
    };
    const factKey = `bad-fact-${run}`;
    const reportKey = `bad-report-${run}`;
    await probe.produce(TOPICS.accountFactObserved, [json(factKey, rawIp)]);
    await probe.produce(TOPICS.victimReportFiled, [json(reportKey, badAmount)]);

    const [fact] = await expectEventually(() => {
      const found = deadLetters(factsDlq, factKey);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(fact?.value?.toString()).toBe(JSON.stringify(rawIp));
    expect(fact?.headers[DEAD_LETTER_HEADERS.reason]).toMatch(/pseudonymised[\s\S]*identifierValue/);
    expect(fact?.headers[DEAD_LETTER_HEADERS.sourceTopic]).toBe(TOPICS.accountFactObserved);

    const [filed] = await expectEventually(() => {
      const found = deadLetters(reportsDlq, reportKey);
      expect(found).toHaveLength(1);
      return found;
    });
    expect(filed?.value?.toString()).toBe(JSON.stringify(badAmount));
    expect(filed?.headers[DEAD_LETTER_HEADERS.reason]).toBe(
      'reportedTransfers[0].amount: amount "10.005" has 3 decimals; THB allows 2',
    );
    expect(filed?.headers[DEAD_LETTER_HEADERS.sourceOffset]).toMatch(/^\d+$/);
    expect(
      await read('MATCH (r:VictimReport {caseId: $c}) RETURN count(r) AS n', { c: badAmount.caseId }),
    ).toEqual([{ n: 0 }]);
  });
});
