import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import { INPUT_TOPICS, TOPICS, type AlertRaised, type BankTransferReceived } from '@scamflow/contracts';
import { expectEventually } from '../support/expect-eventually';
import { canonicalIdOf, fanInFeed } from '../support/fan-in-feed';
import { GraphProbe } from '../support/graph-probe';
import { GroupOffsets, type PartitionOffsets } from '../support/group-offsets';
import { startPipeline, stopPipeline } from '../support/pipeline-apps';
import { RawProducer } from '../support/raw-producer';
import { RollingStateProbe } from '../support/rolling-state-probe';
import { serviceEnv, startServiceGroupsAtEnd, testServers } from '../support/test-env';
import { TopicProbe } from '../support/topic-probe';

const run = randomUUID().slice(0, 8);
/** Reporting bank and bank of every account of this run: canonical ids and account keys are unique per run. */
const BANK = `R${run.toUpperCase().slice(0, 7)}`;
const MIN = 60_000;
/** Positioning the run's consumer groups (startServiceGroupsAtEnd) alone takes about 105 s here. */
const SETUP_TIMEOUT_MS = 240_000;
const input = TOPICS.bankTransferReceived;

const encode = (t: BankTransferReceived) => ({ key: t.debtor.accountId, value: JSON.stringify(t) });

const groupIdsOf = (env: Record<string, string>): string[] =>
  ['INGEST_GROUP_ID', 'GRAPH_WRITER_GROUP_ID', 'MULE_DETECTOR_GROUP_ID'].map((name) => {
    const groupId = env[name];
    if (!groupId) throw new Error(`serviceEnv names no ${name}`);
    return groupId;
  });

describe('late and replayed bank feeds: same graph, rolling state and alerts', () => {
  const servers = testServers();
  const services = serviceEnv(run);
  let apps: INestMicroservice[] = [];
  let alerts: TopicProbe;
  let graph: GraphProbe;
  let producer: RawProducer;
  let offsets: GroupOffsets;
  let state: RollingStateProbe;

  beforeAll(async () => {
    await startServiceGroupsAtEnd(services);
    apps = await startPipeline(services);
    alerts = new TopicProbe(servers.kafkaBrokers);
    await alerts.start([TOPICS.alertRaised]);
    graph = new GraphProbe();
    producer = new RawProducer(servers.kafkaBrokers);
    await producer.connect();
    offsets = new GroupOffsets(servers.kafkaBrokers);
    await offsets.connect();
    state = new RollingStateProbe(services.REDIS_KEY_PREFIX ?? '');
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await stopPipeline(apps);
    await alerts?.stop();
    await graph?.close();
    await producer?.disconnect();
    await offsets?.disconnect();
    await state?.close();
  });

  const alertsOn = (accountKeySuffix: string): AlertRaised[] =>
    alerts
      .alerts()
      .filter(
        (a) => a.subject.accountKey.startsWith(`${BANK}:`) && a.subject.accountKey.endsWith(accountKeySuffix),
      );

  /** Waits until every group of `env` has consumed all there is, and the alert probe has read every alert. */
  const settle = async (env: Record<string, string>): Promise<void> => {
    const [ingest = '', writer = '', detector = ''] = groupIdsOf(env);
    await offsets.waitForGroupAtEnd(ingest, input, 180_000);
    await offsets.waitForGroupAtEnd(writer, TOPICS.transferAccepted, 180_000);
    await offsets.waitForGroupAtEnd(detector, TOPICS.transferAccepted, 180_000);
    await offsets.waitForProbeAtEnd(alerts, TOPICS.alertRaised);
  };

  it('records transfers that arrive newest first, and detects the mule on event time', async () => {
    const tag = `late-${run}`;
    const base = Date.now() - 2 * 60 * MIN;
    const transfer = (id: string, from: string, to: string, value: string, minutes: number) => ({
      schemaVersion: 1 as const,
      reportedBy: BANK,
      transferId: `${id}-${tag}`,
      bookedAt: new Date(base + minutes * MIN).toISOString(),
      amount: { value, currency: 'THB' },
      debtor: { accountId: `${from}-${tag}`, bankId: BANK, country: 'TH' },
      creditor: { accountId: `${to}-${tag}`, bankId: BANK, country: 'TH' },
    });
    const victims = Array.from({ length: 6 }, (_, i) =>
      transfer(`victim-${i}`, `victim${i}`, 'mule', '8000.00', 10 + i),
    );
    const forward = transfer('forward', 'mule', 'collector', '47000.00', 20);

    // The forward reaches the detector before any of the inflows it forwards, which then come newest first.
    await producer.sendAll(input, [encode(forward)]);
    await expectEventually(async () => expect(await state.outflowCount(`${BANK}:mule-${tag}`)).toBe(1));
    await producer.sendAll(input, [...victims].reverse().map(encode));

    const all = [forward, ...victims];
    await expectEventually(async () =>
      expect(await graph.bookedAt(all.map(canonicalIdOf))).toEqual(
        new Map(all.map((t) => [canonicalIdOf(t), t.bookedAt])),
      ),
    );
    await settle(services);
    const raised = alertsOn(`:mule-${tag}`);
    expect(new Set(raised.map((a) => a.alertId)).size).toBe(1);
    const latest = raised.at(-1);
    expect(latest?.evidence.outboundTransferIds).toEqual([canonicalIdOf(forward)]);
    expect(victims.map(canonicalIdOf)).toEqual(
      expect.arrayContaining(latest?.evidence.inboundTransferIds ?? []),
    );
    expect(new Set(alertsOn(`-${tag}`).map((a) => a.alertId)).size).toBe(1);
  });

  it('changes nothing when 10,000 transfers are replayed, live and through new consumer groups', async () => {
    const tag = `replay-${run}`;
    const mules = 40;
    const feed = fanInFeed({
      tag,
      bank: BANK,
      transfers: 10_000,
      senders: 150,
      mules,
      collectors: 10,
      seed: 20_261_123,
      startMs: Date.parse('2026-11-02T01:00:00Z'),
    });
    const outcome = async () => ({
      transfers: await graph.countWithPrefix(`bank:${BANK}:${tag}-`),
      inflowMembers: await state.inflowMembers(`${BANK}:*-${tag}`),
      alertIds: new Set(alertsOn(`-${tag}`).map((a) => a.alertId)).size,
      alertedAccounts: [...new Set(alertsOn(`-${tag}`).map((a) => a.subject.accountKey))].sort(),
      alertMessages: alertsOn(`-${tag}`).length,
    });
    const before = new Map<string, PartitionOffsets>([
      [input, await offsets.topicEnds(input)],
      [TOPICS.transferAccepted, await offsets.topicEnds(TOPICS.transferAccepted)],
    ]);

    await producer.sendAll(input, feed.map(encode));
    await expectEventually(
      async () => expect(await graph.countWithPrefix(`bank:${BANK}:${tag}-`)).toBe(feed.length),
      { timeoutMs: 180_000, intervalMs: 1_000 },
    );
    await settle(services);
    const first = await outcome();
    // Every transfer is one inflow member (the feed spans less than the retention); every mule is alerted
    // (fan-in, and rapid pass-through where its cycles qualify). In this feed each sender also pays dozens of
    // distinct mules and each collector is paid by dozens of mules within the window, the fan-out and fan-in
    // shapes, so they may be alerted too. The replays below must not add a single
    // alert message.
    expect(first).toMatchObject({ transfers: 10_000, inflowMembers: 10_000 });
    expect(first.alertedAccounts).toEqual(
      expect.arrayContaining(Array.from({ length: mules }, (_, i) => `${BANK}:mule${i}-${tag}`)),
    );

    // A producer replays the whole feed to the running services.
    await producer.sendAll(input, feed.map(encode));
    await settle(services);
    expect(await outcome()).toEqual(first);

    // The services restart with new consumer groups that re-read the run's range from before the first send.
    await stopPipeline(apps);
    const replayEnv = {
      ...services,
      INGEST_GROUP_ID: `ingest-gateway-${run}-replay`,
      GRAPH_WRITER_GROUP_ID: `graph-writer-${run}-replay`,
      MULE_DETECTOR_GROUP_ID: `mule-detector-${run}-replay`,
    };
    await offsets.startGroupsAt(groupIdsOf(replayEnv), INPUT_TOPICS, before);
    apps = await startPipeline(replayEnv);
    await settle(replayEnv);
    expect(await outcome()).toEqual(first);
  }, 600_000);
});
