import { Inject, Injectable, Logger } from '@nestjs/common';
import type { z } from 'zod';
import { TOPICS, type ParseResult, type TransferAccepted } from '@scamflow/contracts';
import {
  DeadLetterPublisher,
  KafkaPublisher,
  parseJsonBatch,
  producerIdentityProblem,
  type ConsumedBatch,
  type OutgoingMessage,
  type Rejection,
} from '@scamflow/messaging';
import { AttachReferenceAmountsService } from './attach-reference-amounts.service';
import type { MappingLimits, SourceCoordinates } from './canonical-transfer.mapper';
import { INGEST_GATEWAY_CONFIG, type IngestGatewayConfig } from './ingest-gateway.config';

/** A JSON producer feed: its contract and how a valid event becomes the canonical transfer. */
export interface JsonTransferFeed<S extends z.ZodType> {
  readonly schema: S;
  /** The institution the event says reported it (what its producer's signature must match). */
  readonly reportedBy: (event: z.output<S>) => string;
  readonly map: (
    event: z.output<S>,
    source: SourceCoordinates,
    limits: MappingLimits,
    now: Date,
  ) => ParseResult<TransferAccepted>;
}

/**
 * Validates a batch of JSON transfer events and forwards the valid ones, normalised, to the accepted-transfer
 * topic; everything else goes to the dead-letter topic with its reason (with producer keys configured, also an event
 * its producer may not report: unsigned, altered, or signed by another institution). Nothing is dropped.
 */
@Injectable()
export class AcceptJsonTransfersService {
  private readonly logger = new Logger(AcceptJsonTransfersService.name);

  constructor(
    @Inject(KafkaPublisher) private readonly publisher: KafkaPublisher,
    @Inject(DeadLetterPublisher) private readonly deadLetters: DeadLetterPublisher,
    @Inject(INGEST_GATEWAY_CONFIG) private readonly config: IngestGatewayConfig,
    @Inject(AttachReferenceAmountsService) private readonly referenceAmounts: AttachReferenceAmountsService,
  ) {}

  async execute<S extends z.ZodType>(
    batch: ConsumedBatch,
    feed: JsonTransferFeed<S>,
    now: Date = new Date(),
  ): Promise<void> {
    const { parsed, rejected } = parseJsonBatch(batch, feed.schema, this.config.INGEST_MAX_MESSAGE_BYTES);
    const mappedTransfers: TransferAccepted[] = [];
    const refused: Rejection[] = [...rejected];
    const limits = {
      maxFutureSkewMs: this.config.INGEST_MAX_FUTURE_SKEW_MS,
      maxAmountMajor: this.config.INGEST_MAX_AMOUNT_MAJOR,
    };
    const keys = this.config.INGEST_PRODUCER_KEYS;
    for (const { message, value } of parsed) {
      const impostor = keys && producerIdentityProblem(message, feed.reportedBy(value), keys);
      if (impostor) {
        refused.push({ message, reason: impostor });
        continue;
      }
      const mapped = feed.map(value, message, limits, now);
      if (mapped.ok) {
        mappedTransfers.push(mapped.value);
      } else {
        refused.push({ message, reason: mapped.reason });
      }
    }
    const accepted: OutgoingMessage[] = (await this.referenceAmounts.execute(mappedTransfers)).map((t) => ({
      key: t.creditor.accountKey,
      value: JSON.stringify(t),
    }));
    await this.publisher.publish(TOPICS.transferAccepted, accepted);
    await this.deadLetters.publish(refused);
    this.logger.debug(
      `${batch.topic}/${batch.partition}: accepted ${accepted.length}, dead-lettered ${refused.length}`,
    );
  }
}
