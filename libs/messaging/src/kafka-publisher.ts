import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { CompressionTypes, Partitioners, type Producer } from 'kafkajs';
import { createKafka, type KafkaConnection } from './kafka-client';

export interface OutgoingMessage {
  readonly key: string | Buffer | null;
  readonly value: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

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
    this.connected ??= this.producer.connect();
    await this.connected;
    await this.producer.send({
      topic,
      acks: -1,
      compression: CompressionTypes.None,
      messages: messages.map((m) => ({
        key: m.key,
        value: m.value,
        headers: m.headers ? { ...m.headers } : {},
      })),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
  }
}
