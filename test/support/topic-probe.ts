import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import {
  AlertRaisedSchema,
  DEAD_LETTER_HEADERS,
  TOPICS,
  deadLetterTopicOf,
  type AlertRaised,
  type Topic,
} from '@scamflow/contracts';
import type { ConsumedMessage } from '@scamflow/messaging';
import { toConsumedMessage } from '@scamflow/messaging';
import { startGroupsAtEnd } from '@scamflow/infra';
import { expectEventually } from './expect-eventually';

/** Test-side Kafka access: produce raw bytes, and record everything that appears on some topics. */
export class TopicProbe {
  readonly received: ConsumedMessage[] = [];
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private consumer: Consumer | undefined;
  private readonly starts = new Map<string, Map<number, bigint>>();

  constructor(private readonly brokers: string[]) {
    this.kafka = new Kafka({
      clientId: `test-probe-${randomUUID().slice(0, 8)}`,
      brokers,
      logLevel: logLevel.NOTHING,
    });
    this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
  }

  /**
   * Records what appears on `topics` from now on. Without `groupId` the probe's own new group is first positioned
   * at the topics' current ends: the servers are long-lived and shared, and a probe that read a topic's whole
   * history (the alert topic holds every earlier run's alerts) would spend its time parsing it. With `groupId`, a
   * group the caller positioned (startGroupsAtEnd), or one that reads from the beginning on purpose.
   */
  async start(topics: string[], groupId?: string): Promise<void> {
    await this.producer.connect();
    const group = groupId ?? `test-probe-${randomUUID()}`;
    if (groupId === undefined && topics.length > 0) {
      await startGroupsAtEnd(this.brokers, [{ groupId: group, topics }]);
      const admin = this.kafka.admin();
      await admin.connect();
      try {
        for (const { topic, partitions } of await admin.fetchOffsets({ groupId: group, topics })) {
          this.starts.set(topic, new Map(partitions.map((p) => [p.partition, BigInt(p.offset)])));
        }
      } finally {
        await admin.disconnect();
      }
    }
    this.consumer = this.kafka.consumer({ groupId: group, maxWaitTimeInMs: 100 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: true });
    await this.consumer.run({
      eachMessage: ({ topic, partition, message }) => {
        this.received.push(toConsumedMessage(topic, partition, message));
        return Promise.resolve();
      },
    });
  }

  /** Per partition of `topic`, the offset this probe started reading at (empty: from the beginning). */
  startsOf(topic: string): ReadonlyMap<number, bigint> {
    return this.starts.get(topic) ?? new Map();
  }

  async produce(topic: string, messages: { key: string; value: string | Buffer }[]): Promise<void> {
    await this.producer.send({ topic, messages });
  }

  on(topic: string): ConsumedMessage[] {
    return this.received.filter((m) => m.topic === topic);
  }

  /** Dead letters (the probe must read `deadLetterTopicOf(source)`) of the message that landed at `at`. */
  deadLettersOf(source: Topic, at: { partition: number; offset: string }): ConsumedMessage[] {
    return this.on(deadLetterTopicOf(source)).filter(
      (m) =>
        m.headers[DEAD_LETTER_HEADERS.sourceTopic] === source &&
        m.headers[DEAD_LETTER_HEADERS.sourcePartition] === String(at.partition) &&
        m.headers[DEAD_LETTER_HEADERS.sourceOffset] === at.offset,
    );
  }

  /** Waits for the dead letter of the message that landed at `at` and checks it is the only one. */
  async soleDeadLetterOf(source: Topic, at: { partition: number; offset: string }): Promise<ConsumedMessage> {
    const [dead, ...more] = await expectEventually(() => {
      const found = this.deadLettersOf(source, at);
      expect(found).not.toHaveLength(0);
      return found;
    });
    expect(more).toHaveLength(0);
    return dead as ConsumedMessage;
  }

  /**
   * The alerts seen on the alert topic, in order. Messages that are not alerts are skipped: the topic is shared
   * by every test of a run, and some put deliberately invalid messages on it to prove consumers dead-letter them.
   */
  alerts(): AlertRaised[] {
    return this.on(TOPICS.alertRaised).flatMap((m) => {
      try {
        const parsed = AlertRaisedSchema.safeParse(JSON.parse(m.value?.toString('utf8') ?? 'null'));
        return parsed.success ? [parsed.data] : [];
      } catch {
        return [];
      }
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer.disconnect();
  }
}
