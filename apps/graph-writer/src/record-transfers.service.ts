import { Inject, Injectable, Logger } from '@nestjs/common';
import { TransferAcceptedSchema } from '@scamflow/contracts';
import { TransferRepository } from '@scamflow/graph';
import { DeadLetterPublisher, parseJsonBatch, type ConsumedBatch } from '@scamflow/messaging';
import { GRAPH_WRITER_CONFIG, type GraphWriterConfig } from './graph-writer.config';

/** Writes a batch of accepted transfers into the money-flow graph in one idempotent transaction. */
@Injectable()
export class RecordTransfersService {
  private readonly logger = new Logger(RecordTransfersService.name);

  constructor(
    @Inject(TransferRepository) private readonly transfers: TransferRepository,
    @Inject(DeadLetterPublisher) private readonly deadLetters: DeadLetterPublisher,
    @Inject(GRAPH_WRITER_CONFIG) private readonly config: GraphWriterConfig,
  ) {}

  async execute(batch: ConsumedBatch): Promise<void> {
    const { parsed, rejected } = parseJsonBatch(
      batch,
      TransferAcceptedSchema,
      this.config.GRAPH_WRITER_MAX_MESSAGE_BYTES,
    );
    const created = await this.transfers.recordTransfers(parsed.map((p) => p.value));
    await this.deadLetters.publish(rejected);
    this.logger.debug(
      `${batch.topic}/${batch.partition}: ${created} new of ${parsed.length} transfers, ${rejected.length} rejected`,
    );
  }
}
