import { Injectable, Logger } from '@nestjs/common';
import { DEAD_LETTER_HEADERS } from '@scamflow/contracts';
import { recordDeadLetters } from '@scamflow/observability';
import type { ConsumedMessage } from './consumed-message';
import { KafkaPublisher } from './kafka-publisher';

export interface Rejection {
  readonly message: ConsumedMessage;
  readonly reason: string;
}

/** Header values are bounded so a hostile payload cannot make the dead letter itself unpublishable. */
const MAX_REASON_CHARS = 8_000;

/**
 * Sends rejected input to `<source topic>.dlq`: the original key and bytes untouched, the reason and the
 * source coordinates in headers. Logs coordinates only: payloads carry personal data.
 */
@Injectable()
export class DeadLetterPublisher {
  private readonly logger = new Logger(DeadLetterPublisher.name);

  constructor(
    private readonly publisher: KafkaPublisher,
    private readonly rejectedBy: string,
  ) {}

  async publish(rejections: readonly Rejection[]): Promise<void> {
    const byTopic = new Map<string, Rejection[]>();
    for (const rejection of rejections) {
      const list = byTopic.get(rejection.message.topic) ?? [];
      list.push(rejection);
      byTopic.set(rejection.message.topic, list);
    }
    const rejectedAt = new Date().toISOString();
    for (const [topic, list] of byTopic) {
      await this.publisher.publish(
        `${topic}.dlq`,
        list.map(({ message, reason }) => ({
          key: message.key,
          value: message.value,
          // The original headers travel along (a replayed message's `dlq-replay-of` among them), the
          // dead-letter headers of this rejection override any earlier ones.
          headers: {
            ...message.headers,
            [DEAD_LETTER_HEADERS.reason]: reason.slice(0, MAX_REASON_CHARS),
            [DEAD_LETTER_HEADERS.sourceTopic]: message.topic,
            [DEAD_LETTER_HEADERS.sourcePartition]: String(message.partition),
            [DEAD_LETTER_HEADERS.sourceOffset]: message.offset,
            [DEAD_LETTER_HEADERS.rejectedAt]: rejectedAt,
            [DEAD_LETTER_HEADERS.rejectedBy]: this.rejectedBy,
          },
        })),
      );
      recordDeadLetters(
        topic,
        list.map(({ reason }) => reason),
        this.rejectedBy,
      );
      for (const { message, reason } of list) {
        this.logger.warn(
          `Dead-lettered ${message.topic}/${message.partition}@${message.offset}: ${reason.split('\n')[0] ?? ''}`,
        );
      }
    }
  }
}
