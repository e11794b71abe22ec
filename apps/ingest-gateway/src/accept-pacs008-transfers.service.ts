import { Inject, Injectable, Logger } from '@nestjs/common';
import { TOPICS, type TransferAccepted } from '@scamflow/contracts';
import {
  DeadLetterPublisher,
  KafkaPublisher,
  producerIdentityProblem,
  type ConsumedBatch,
  type OutgoingMessage,
  type Rejection,
} from '@scamflow/messaging';
import { AttachReferenceAmountsService } from './attach-reference-amounts.service';
import { INGEST_GATEWAY_CONFIG, type IngestGatewayConfig } from './ingest-gateway.config';
import { mapPacs008 } from './pacs008.mapper';
import { parsePacs008Document } from './pacs008.parser';

/**
 * Validates a batch of ISO 20022 pacs.008 messages and forwards every transaction of each valid message,
 * normalised, to the accepted-transfer topic. A message that is hostile, malformed, invalid, or holds any
 * invalid transaction goes whole to the dead-letter topic with its reason. Nothing is dropped.
 */
@Injectable()
export class AcceptPacs008TransfersService {
  private readonly logger = new Logger(AcceptPacs008TransfersService.name);

  constructor(
    @Inject(KafkaPublisher) private readonly publisher: KafkaPublisher,
    @Inject(DeadLetterPublisher) private readonly deadLetters: DeadLetterPublisher,
    @Inject(INGEST_GATEWAY_CONFIG) private readonly config: IngestGatewayConfig,
    @Inject(AttachReferenceAmountsService) private readonly referenceAmounts: AttachReferenceAmountsService,
  ) {}

  async execute(batch: ConsumedBatch, now: Date = new Date()): Promise<void> {
    const transfers: TransferAccepted[] = [];
    const refused: Rejection[] = [];
    const limits = {
      maxFutureSkewMs: this.config.INGEST_MAX_FUTURE_SKEW_MS,
      maxAmountMajor: this.config.INGEST_MAX_AMOUNT_MAJOR,
    };
    for (const message of batch.messages) {
      const document = parsePacs008Document(message.value, this.config.INGEST_MAX_XML_BYTES);
      const mapped = document.ok ? mapPacs008(document.value, message, limits, now) : document;
      if (!mapped.ok) {
        refused.push({ message, reason: mapped.reason });
        continue;
      }
      // Every transaction's instructing agent must be the message's signed producer.
      const keys = this.config.INGEST_PRODUCER_KEYS;
      const impostor =
        keys &&
        [...new Set(mapped.value.map((t) => t.reportedBy))]
          .map((claimed) => producerIdentityProblem(message, claimed, keys))
          .find((problem) => problem !== undefined);
      if (impostor) {
        refused.push({ message, reason: impostor });
        continue;
      }
      transfers.push(...mapped.value);
    }
    const accepted: OutgoingMessage[] = (await this.referenceAmounts.execute(transfers)).map((t) => ({
      key: t.creditor.accountKey,
      value: JSON.stringify(t),
    }));
    await this.publisher.publish(TOPICS.transferAccepted, accepted);
    await this.deadLetters.publish(refused);
    this.logger.debug(
      `${batch.topic}/${batch.partition}: ${batch.messages.length - refused.length} messages accepted ` +
        `(${accepted.length} transfers), ${refused.length} dead-lettered`,
    );
  }
}
