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
import { expectEventually } from './expect-eventually';

/** Test-side Kafka access: produce raw bytes, and record everything that appears on some topics. */
export class TopicProbe {
  readonly received: ConsumedMessage[] = [];
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private consumer: Consumer | undefined;

  constructor(brokers: string[]) {
    this.kafka = new Kafka({
      clientId: `test-probe-${randomUUID().slice(0, 8)}`,
      brokers,
      logLevel: logLevel.NOTHING,
    });
    this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
  }

  /** `groupId`: a group already positioned (startGroupsAtEnd), to skip a long topic's history. */
  async start(topics: string[], groupId = `test-probe-${randomUUID()}`): Promise<void> {
    await this.producer.connect();
    this.consumer = this.kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: true });
    await this.consumer.run({
      eachMessage: ({ topic, partition, message }) => {
        this.received.push(toConsumedMessage(topic, partition, message));
        return Promise.resolve();
      },
    });
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
