import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';

export interface RawMessage {
  readonly key: string;
  /** `null` is a tombstone. */
  readonly value: string | Buffer | null;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Where a message produced by `RawProducer.send` landed. */
export interface Landed {
  readonly partition: number;
  readonly offset: string;
}

/**
 * Produces exactly the bytes given (tombstones included) and reports each message's partition and offset,
 * so a test can find its messages again by source coordinates. Sends to one partition per call.
 */
export class RawProducer {
  private readonly producer: Producer;

  constructor(brokers: string[]) {
    this.producer = new Kafka({
      clientId: `test-raw-producer-${randomUUID().slice(0, 8)}`,
      brokers,
      logLevel: logLevel.NOTHING,
    }).producer({ allowAutoTopicCreation: false });
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  /** Messages that share a key land on one partition, in order; returns where each one landed. */
  async sendOnOneKey(topic: string, messages: readonly RawMessage[]): Promise<Landed[]> {
    const [meta, ...more] = await this.producer.send({
      topic,
      acks: -1,
      messages: messages.map((m) => ({ ...m, headers: m.headers ? { ...m.headers } : undefined })),
    });
    if (!meta?.baseOffset || more.length > 0) throw new Error('expected all messages on one partition');
    const base = BigInt(meta.baseOffset);
    return messages.map((_, i) => ({ partition: meta.partition, offset: String(base + BigInt(i)) }));
  }

  /** Sends many messages in requests of `chunk`, in order, without tracking where they land. */
  async sendAll(topic: string, messages: readonly RawMessage[], chunk = 1_000): Promise<void> {
    for (let i = 0; i < messages.length; i += chunk) {
      await this.producer.send({ topic, acks: -1, messages: messages.slice(i, i + chunk) });
    }
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }
}
