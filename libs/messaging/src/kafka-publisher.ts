import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { CompressionTypes, Partitioners, type Producer } from 'kafkajs';
import { createKafka, type KafkaConnection } from './kafka-client';

export interface OutgoingMessage {
  readonly key: string | Buffer | null;
  /** `null` only to pass on a tombstone as it was received (dead letters keep the original value). */
  readonly value: string | Buffer | null;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Kafka refuses a produce request whose record batch exceeds the broker's `message.max.bytes` (1 MiB by
 * default); large consumer batches are therefore sent in chunks well below it.
 */
const MAX_CHUNK_BYTES = 512 * 1024;

const sizeOf = (m: OutgoingMessage): number =>
  (m.value === null ? 0 : typeof m.value === 'string' ? Buffer.byteLength(m.value) : m.value.length) +
  (m.key === null ? 0 : typeof m.key === 'string' ? Buffer.byteLength(m.key) : m.key.length) +
  64;

/** Splits messages into consecutive chunks of at most `maxBytes` (a single larger message is its own chunk). */
export const chunkBySize = (messages: readonly OutgoingMessage[], maxBytes: number): OutgoingMessage[][] => {
  const chunks: OutgoingMessage[][] = [];
  let current: OutgoingMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = sizeOf(message);
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
};

/** Batched producer shared by a service; acknowledged by all in-sync replicas before a batch counts as sent. */
@Injectable()
export class KafkaPublisher implements OnApplicationShutdown {
  private readonly producer: Producer;
  private connected: Promise<void> | undefined;

  constructor(connection: KafkaConnection) {
    this.producer = createKafka(connection).producer({
      allowAutoTopicCreation: false,
      // Murmur2 partitioning as in the Java client, so producers in any language agree on a key's partition.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  async publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    // A failed connect is forgotten, so the next publish (the retried batch) connects again.
    this.connected ??= this.producer.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    await this.connected;
    for (const chunk of chunkBySize(messages, MAX_CHUNK_BYTES)) {
      await this.producer.send({
        topic,
        acks: -1,
        compression: CompressionTypes.None,
        messages: chunk.map((m) => ({
          key: m.key,
          value: m.value,
          headers: m.headers ? { ...m.headers } : {},
        })),
      });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
  }
}
