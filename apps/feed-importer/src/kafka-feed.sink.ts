import 'reflect-metadata';
import { KafkaPublisher } from '@scamflow/messaging';
import type { FeedMessage, FeedSink } from './feed.sink';

/** Sends batches to one topic with the shared publisher (acks=all, murmur2 partitioning by key). */
export class KafkaFeedSink implements FeedSink {
  readonly dryRun = false;
  private readonly publisher: KafkaPublisher;

  constructor(
    brokers: readonly string[],
    private readonly topic: string,
    clientId = 'feed-importer',
  ) {
    this.publisher = new KafkaPublisher({ brokers, clientId });
  }

  send(messages: readonly FeedMessage[]): Promise<void> {
    return this.publisher.publish(this.topic, messages);
  }

  close(): Promise<void> {
    return this.publisher.onApplicationShutdown();
  }
}
