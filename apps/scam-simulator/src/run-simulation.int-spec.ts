import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import {
  AccountFactObservedSchema,
  BankTransferReceivedSchema,
  CONSUMED_TOPICS,
  DEAD_LETTER_HEADERS,
  INPUT_TOPICS,
  TOPICS,
  VaTransferReceivedSchema,
  VictimReportFiledSchema,
  FxRatePublishedSchema,
  deadLetterTopicOf,
} from '@scamflow/contracts';
import { startGroupsAtEnd } from '@scamflow/infra';
import type { ConsumedMessage } from '@scamflow/messaging';
import type { z } from 'zod';
import { expectEventually } from '../../../test/support/expect-eventually';
import { GraphProbe } from '../../../test/support/graph-probe';
import { GroupOffsets, startsOf, waitForProbePast } from '../../../test/support/group-offsets';
import { startPipeline, stopPipeline } from '../../../test/support/pipeline-apps';
import { serviceEnv, startServiceGroupsAtEnd, testServers } from '../../../test/support/test-env';
import { TopicProbe } from '../../../test/support/topic-probe';
import type { GroundTruthRecord, TransferTruth } from './ground-truth';
import { runSimulation, type SimulationOutcome } from './run-simulation';
import { SCENARIOS } from './scenarios';
import { FEED_TOPICS, type FeedTopic } from './sim-item';
import { KafkaSimulationSink } from './simulation.sink';

const run = randomUUID().replace(/-/g, '').slice(0, 10);
const DAY_MS = 24 * 60 * 60 * 1000;
/** Eight days ago at midnight UTC: the demo (3 days, reports up to 3 days later) ends before now. */
const startAt = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 8 * DAY_MS).toISOString();

const SCHEMAS: Readonly<Record<FeedTopic, z.ZodType>> = {
  [TOPICS.bankTransferReceived]: BankTransferReceivedSchema,
  [TOPICS.vaTransferReceived]: VaTransferReceivedSchema,
  [TOPICS.accountFactObserved]: AccountFactObservedSchema,
  [TOPICS.victimReportFiled]: VictimReportFiledSchema,
  [TOPICS.fxRatePublished]: FxRatePublishedSchema,
};
const DEAD_LETTER_TOPICS = INPUT_TOPICS.map(deadLetterTopicOf);

describe('scam simulator publishing the demo to Kafka', () => {
  const servers = testServers();
  let apps: INestMicroservice[] = [];
  let probe: TopicProbe;
  let graph: GraphProbe;
  let outcome: SimulationOutcome;
  let truth: GroundTruthRecord[];
  const truthDir = mkdtempSync(join(tmpdir(), 'sim-truth-'));
  const textOf = (m: ConsumedMessage): string => m.value?.toString('utf8') ?? '';
  /** This run's events: the namespace is in every id the simulator writes. */
  const ours = (text: string) => text.includes(run);
  let env: Record<string, string>;
  let offsets: GroupOffsets;
  const deadLetterStarts = new Map<string, Map<number, bigint>>();

  beforeAll(async () => {
    env = serviceEnv(run);
    offsets = new GroupOffsets(servers.kafkaBrokers);
    await offsets.connect();
    const probeGroup = `test-probe-sim-${run}`;
    await Promise.all([
      startServiceGroupsAtEnd(env),
      startGroupsAtEnd(servers.kafkaBrokers, [
        { groupId: probeGroup, topics: [...FEED_TOPICS, ...DEAD_LETTER_TOPICS] },
      ]),
    ]);
    // Read after the probe group is positioned: the probe sees at least everything from here on.
    for (const topic of DEAD_LETTER_TOPICS) deadLetterStarts.set(topic, await startsOf(offsets, topic));
    apps = await startPipeline(env, ['ingest-gateway', 'graph-writer']);
    probe = new TopicProbe(servers.kafkaBrokers);
    await probe.start([...FEED_TOPICS, ...DEAD_LETTER_TOPICS], probeGroup);
    graph = new GraphProbe();

    // The same path as `scam-simulator --brokers`: the simulation streamed into the Kafka sink.
    const truthFile = join(truthDir, 'ground-truth.jsonl');
    outcome = await runSimulation(
      { scenario: SCENARIOS.demo, seed: 42, namespace: run, startAt },
      KafkaSimulationSink.create(servers.kafkaBrokers, truthFile),
    );
    truth = readFileSync(truthFile, 'utf8')
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as GroundTruthRecord);
  });

  afterAll(async () => {
    await stopPipeline(apps);
    await probe?.stop();
    await graph?.close();
    await offsets?.disconnect();
    rmSync(truthDir, { recursive: true, force: true });
  });

  it('puts every event on its topic, as many as the simulator says it wrote, each passing its contract', async () => {
    expect(outcome.events).toBeGreaterThan(200);
    await expectEventually(() => {
      for (const topic of FEED_TOPICS) {
        expect({ topic, arrived: probe.on(topic).filter((m) => ours(textOf(m))).length }).toEqual({
          topic,
          arrived: outcome.counts.get(topic) ?? 0,
        });
      }
    });
    for (const topic of FEED_TOPICS) {
      for (const message of probe.on(topic).filter((m) => ours(textOf(m)))) {
        const parsed = SCHEMAS[topic].safeParse(JSON.parse(textOf(message)));
        expect({ topic, key: message.key?.toString(), ok: parsed.success }).toEqual({
          topic,
          key: message.key?.toString(),
          ok: true,
        });
      }
    }
  });

  it('is accepted by the gateway and the graph writer: every simulated transfer in the graph, nothing dead-lettered', async () => {
    const transferKeys = truth
      .filter((t): t is TransferTruth => t.record === 'transfer')
      .map((t) => t.transferKey);
    expect(transferKeys.length).toBeGreaterThan(200);
    await expectEventually(
      async () => {
        const found = await graph.bookedAt(transferKeys);
        expect(transferKeys.filter((key) => !found.has(key))).toEqual([]);
      },
      { timeoutMs: 90_000, intervalMs: 1000 },
    );
    // Dead letters are published before offsets are committed: once both services have read past our
    // events and the probe has read the dead-letter topics to their ends, a rejection would be in hand.
    for (const topic of CONSUMED_TOPICS.ingestGateway)
      await offsets.waitForGroupAtEnd(env.INGEST_GROUP_ID ?? '', topic);
    for (const topic of CONSUMED_TOPICS.graphWriter)
      await offsets.waitForGroupAtEnd(env.GRAPH_WRITER_GROUP_ID ?? '', topic);
    for (const topic of DEAD_LETTER_TOPICS) {
      await waitForProbePast(probe, offsets, topic, deadLetterStarts.get(topic) ?? new Map());
    }
    const deadLettered = DEAD_LETTER_TOPICS.flatMap((topic) =>
      probe
        .on(topic)
        .filter((m) => ours(textOf(m)))
        .map((m) => `${topic}: ${m.headers[DEAD_LETTER_HEADERS.reason] ?? '?'}`),
    );
    expect(deadLettered).toEqual([]);
  });
});
