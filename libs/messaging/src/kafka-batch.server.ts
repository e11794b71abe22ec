import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import type { Consumer, ConsumerConfig, EachBatchPayload } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { createKafka, type KafkaConnection } from './kafka-client';
import { toConsumedMessage, type ConsumedBatch } from './consumed-message';

const HEARTBEAT_INTERVAL_MS = 3_000;

export interface KafkaBatchServerOptions extends KafkaConnection {
  readonly groupId: string;
  /** Where a new consumer group starts. Pipelines start at the beginning so nothing produced earlier is missed. */
  readonly fromBeginning?: boolean;
  readonly consumer?: Omit<ConsumerConfig, 'groupId'>;
  /** Partitions processed at once; per-partition order is kept either way. */
  readonly partitionsConsumedConcurrently?: number;
}

/**
 * Nest microservice transport that hands whole kafkajs batches to `@EventPattern(topic)` handlers.
 *
 * Nest's built-in Kafka transport dispatches message by message; ingestion needs batches (for `UNWIND` writes
 * and batched produces). Offsets are committed only after the handler resolves, so a crash re-delivers the
 * batch; handlers are idempotent. A handler that throws is treated as a transient failure: kafkajs restarts
 * the consumer with back-off and the batch is retried. Handlers must therefore dead-letter bad input
 * themselves instead of throwing on it.
 */
export class KafkaBatchServer extends Server implements CustomTransportStrategy {
  private consumer: Consumer | undefined;

  constructor(private readonly options: KafkaBatchServerOptions) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  async close(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  on(): never {
    throw new Error(
      'KafkaBatchServer does not expose transport events; use unwrap() for the kafkajs consumer.',
    );
  }

  unwrap<T>(): T {
    if (!this.consumer) throw new Error('KafkaBatchServer is not listening yet.');
    return this.consumer as T;
  }

  private async start(): Promise<void> {
    const topics = [...this.messageHandlers.keys()];
    if (topics.length === 0) throw new Error('KafkaBatchServer has no @EventPattern handlers to subscribe.');
    const kafka = createKafka(this.options);
    const consumer = kafka.consumer({
      sessionTimeout: 30_000,
      heartbeatInterval: HEARTBEAT_INTERVAL_MS,
      maxBytesPerPartition: 4 * 1024 * 1024,
      maxWaitTimeInMs: 100,
      ...this.options.consumer,
      groupId: this.options.groupId,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: this.options.fromBeginning ?? true });
    await consumer.run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    this.logger.log(`Consuming ${topics.join(', ')} as group ${this.options.groupId}`);
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (batch.isEmpty() || !payload.isRunning() || payload.isStale()) return;
    const handler = this.getHandlerByPattern(batch.topic);
    if (!handler) throw new Error(`No handler for subscribed topic ${batch.topic}`);
    const consumed: ConsumedBatch = {
      topic: batch.topic,
      partition: batch.partition,
      messages: batch.messages.map((message) => toConsumedMessage(batch.topic, batch.partition, message)),
    };
    // A slow handler (a large trace, a busy graph) keeps the group membership alive: without heartbeats the
    // coordinator evicts the member after the session timeout and the batch is redone, over and over.
    const beat = setInterval(() => {
      payload.heartbeat().catch((error: unknown) => {
        this.logger.warn(`heartbeat during a long batch failed: ${String(error)}`);
      });
    }, HEARTBEAT_INTERVAL_MS);
    try {
      const result: unknown = await handler(consumed);
      await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
    } finally {
      clearInterval(beat);
    }
    payload.resolveOffset(batch.lastOffset());
    await payload.commitOffsetsIfNecessary();
    await payload.heartbeat();
  }
}
