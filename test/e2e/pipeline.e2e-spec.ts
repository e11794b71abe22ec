import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import neo4j, { type Driver } from 'neo4j-driver';
import { startGroupsAtEnd } from '@scamflow/infra';
import {
  DEAD_LETTER_HEADERS,
  TOPICS,
  deadLetterTopicOf,
  type AlertRaised,
  type BankTransferReceived,
} from '@scamflow/contracts';
import { bankTransfers } from '../support/bank-transfers';
import { expectEventually } from '../support/expect-eventually';
import { GraphProbe } from '../support/graph-probe';
import { startPipeline, stopPipeline } from '../support/pipeline-apps';
import { serviceEnv, startServiceGroupsAtEnd, testServers } from '../support/test-env';
import { TopicProbe } from '../support/topic-probe';

const run = randomUUID().slice(0, 8);
const bank = (n: number) => `TB${n}${run}`.toUpperCase().slice(0, 11);
const MIN = 60_000;

/** Booking times in the recent past, spaced by minutes, so the mule window applies. */
const base = Date.now() - 2 * 60 * MIN;
const at = (minutes: number) => new Date(base + minutes * MIN).toISOString();

const transfer = bankTransfers(run, base, bank(1), bank(2));

const graphId = (t: BankTransferReceived) => `bank:${t.reportedBy}:${t.transferId}`;
const encode = (t: BankTransferReceived) => ({ key: t.debtor.accountId, value: JSON.stringify(t) });

describe('pipeline: Kafka → ingest → graph + mule detection', () => {
  let apps: INestMicroservice[] = [];
  let probe: TopicProbe;
  let driver: Driver;
  const servers = testServers();

  beforeAll(async () => {
    const services = serviceEnv(run);
    // Services and probe start at the topics' ends: what a used stack holds already is not this run's.
    const probeGroup = `pipeline-probe-${run}`;
    const probeTopics = [TOPICS.alertRaised, deadLetterTopicOf(TOPICS.bankTransferReceived)];
    await Promise.all([
      startServiceGroupsAtEnd(services),
      startGroupsAtEnd(servers.kafkaBrokers, [{ groupId: probeGroup, topics: probeTopics }]),
    ]);
    apps = await startPipeline(services);
    probe = new TopicProbe(servers.kafkaBrokers);
    await probe.start(probeTopics, probeGroup);
    driver = neo4j.driver(
      servers.neo4jUrl,
      servers.neo4jUser ? neo4j.auth.basic(servers.neo4jUser, servers.neo4jPassword) : undefined,
    );
  });

  afterAll(async () => {
    await stopPipeline(apps);
    await probe?.stop();
    await driver?.close();
    await graph.close();
  });

  const graph = new GraphProbe();
  const copiesInGraph = (transferId: string): Promise<number> => graph.copies(transferId);

  const alertsFor = (accountId: string): AlertRaised[] =>
    probe.alerts().filter((a) => a.subject.accountId === `${accountId}-${run}`);

  it('records a transfer produced twice exactly once in the graph', async () => {
    const once = transfer('dup', 'alice', 'bob', '1250.50', 0);
    const marker = transfer('after-dup', 'alice', 'bob', '10.00', 1);
    await probe.produce(TOPICS.bankTransferReceived, [encode(once), encode(once)]);
    await probe.produce(TOPICS.bankTransferReceived, [encode(once), encode(marker)]);

    await expectEventually(async () => expect(await copiesInGraph(graphId(marker))).toBe(1));
    expect(await copiesInGraph(graphId(once))).toBe(1);

    const { records } = await driver.executeQuery(
      `MATCH (d:Account)-[t:TRANSFERRED_TO {transferId: $transferId}]->(c:Account)
       RETURN d.accountKey AS debtor, c.accountKey AS creditor, t.amountMinor AS amountMinor, t.currency AS currency`,
      { transferId: graphId(once) },
      { database: servers.neo4jDatabase },
    );
    expect(records[0]?.toObject()).toEqual({
      debtor: `${bank(1)}:alice-${run}`,
      creditor: `${bank(2)}:bob-${run}`,
      amountMinor: '125050',
      currency: 'THB',
    });
  });

  it('dead-letters an invalid event with its reason and original bytes, and keeps the partition moving', async () => {
    const key = `carol-${run}`;
    const malformed = Buffer.from(`{"schemaVersion":1,"transferId":"broken-${run}",`);
    const floatAmount = {
      ...transfer('float', 'carol', 'dave', '1', 2),
      amount: { value: 99.5, currency: 'THB' },
    };
    const next = transfer('after-invalid', 'carol', 'dave', '20.00', 3);
    // Same key → same partition: the valid event behind the bad ones must still be processed.
    await probe.produce(TOPICS.bankTransferReceived, [
      { key, value: malformed },
      { key, value: JSON.stringify(floatAmount) },
      { key, value: JSON.stringify(next) },
    ]);

    await expectEventually(async () => expect(await copiesInGraph(graphId(next))).toBe(1));
    const dead = await expectEventually(() => {
      const mine = probe
        .on(deadLetterTopicOf(TOPICS.bankTransferReceived))
        .filter((m) => m.key?.toString() === key);
      expect(mine).toHaveLength(2);
      return mine;
    });

    const [first, second] = dead;
    expect(first?.value).toEqual(malformed);
    expect(first?.headers[DEAD_LETTER_HEADERS.reason]).toMatch(/malformed JSON/);
    expect(first?.headers[DEAD_LETTER_HEADERS.sourceTopic]).toBe(TOPICS.bankTransferReceived);
    expect(first?.headers[DEAD_LETTER_HEADERS.sourceOffset]).toMatch(/^\d+$/);
    expect(second?.value?.toString()).toBe(JSON.stringify(floatAmount));
    expect(second?.headers[DEAD_LETTER_HEADERS.reason]).toContain('amount.value');
  });

  it('raises one mule alert, versioned as evidence grows, for fan-in from many senders forwarded within minutes', async () => {
    const victims = Array.from({ length: 6 }, (_, i) =>
      transfer(`victim-${i}`, `victim${i}`, 'mule', '8000.00', 10 + i),
    );
    // The mule forwards almost everything to a collector at another bank within minutes.
    const forward = {
      ...transfer('forward', 'mule', 'collector', '47000.00', 20),
      debtor: { accountId: `mule-${run}`, bankId: bank(2), country: 'TH' },
    };
    const later = {
      ...forward,
      transferId: `forward-2-${run}`,
      amount: { value: '900.00', currency: 'THB' },
      bookedAt: at(22),
    };
    await probe.produce(TOPICS.bankTransferReceived, [...victims.map(encode), encode(forward)]);
    // Replayed feed and more evidence must not raise a second alert.
    await probe.produce(TOPICS.bankTransferReceived, [
      ...victims.map(encode),
      encode(forward),
      encode(later),
    ]);

    // Victims arrive on several partitions: the alert fires as soon as the thresholds are crossed, and
    // each batch that adds evidence makes a new version of the same alert, never a second alert.
    const latestAlert = async () =>
      expectEventually(() => {
        const alerts = alertsFor('mule');
        expect(new Set(alerts.map((a) => a.alertId)).size).toBe(1);
        expect(alerts.map((a) => a.version)).toEqual(alerts.map((_, i) => i + 1));
        const latest = alerts.at(-1);
        expect(latest?.evidence.inboundTransferIds).toHaveLength(victims.length);
        expect(latest?.evidence.outboundTransferIds).toHaveLength(2);
        return latest;
      });
    const alert = await latestAlert();
    expect([...(alert?.evidence.inboundTransferIds ?? [])].sort()).toEqual(victims.map(graphId).sort());
    expect(alert).toMatchObject({
      typology: 'mule.fan-in-pass-through',
      subject: { accountKey: `${bank(2)}:mule-${run}`, role: 'mule' },
      amounts: { inflow: { amountMinor: String(800_000 * victims.length), currency: 'THB' } },
      status: 'open',
    });
    expect(alert?.evidence.outboundTransferIds).toContain(`bank:${bank(1)}:forward-${run}`);
    expect(alert?.facts.filter((f) => f.fired).map((f) => f.name)).toEqual(
      expect.arrayContaining(['distinctSenders', 'passThroughRatio']),
    );

    // Wait until the last transfer is in the graph (so the detector has seen it too), then re-check:
    // the replayed feed added no version once all evidence was in.
    await expectEventually(async () =>
      expect(await copiesInGraph(`bank:${bank(1)}:forward-2-${run}`)).toBe(1),
    );
    expect((await latestAlert())?.version).toBe(alertsFor('mule').length);
    expect(alertsFor('collector')).toHaveLength(0);
    expect(alertsFor('victim0')).toHaveLength(0);
  });
});
