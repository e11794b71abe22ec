import { Inject, Injectable, Logger } from '@nestjs/common';
import { TOPICS, TransferAcceptedSchema, type TransferAccepted } from '@scamflow/contracts';
import { TransferRepository } from '@scamflow/graph';
import {
  BatchCoalescer,
  DeadLetterPublisher,
  KafkaPublisher,
  parseJsonBatch,
  type ConsumedBatch,
} from '@scamflow/messaging';
import { timeNeo4jTransaction } from '@scamflow/observability';
import { transfersCommittedMessages } from './graph-committed.messages';
import { GRAPH_WRITER_CONFIG, type GraphWriterConfig } from './graph-writer.config';

/**
 * Writes accepted transfers into the money-flow graph. Concurrent partition batches are merged into
 * idempotent `UNWIND` transactions of up to GRAPH_WRITER_FLUSH_ROWS rows; each batch returns (and its
 * offsets are committed) only after the transaction holding its rows has committed and been announced on
 * `flow.graph.committed.v1`.
 */
@Injectable()
export class RecordTransfersService {
  private readonly logger = new Logger(RecordTransfersService.name);
  private readonly writes: BatchCoalescer<TransferAccepted>;

  constructor(
    @Inject(TransferRepository) private readonly transfers: TransferRepository,
    @Inject(DeadLetterPublisher) private readonly deadLetters: DeadLetterPublisher,
    @Inject(KafkaPublisher) private readonly publisher: KafkaPublisher,
    @Inject(GRAPH_WRITER_CONFIG) private readonly config: GraphWriterConfig,
  ) {
    this.writes = new BatchCoalescer(
      async (rows) => {
        const created = await timeNeo4jTransaction('record-transfers', () =>
          this.transfers.recordTransfers(rows),
        );
        this.logger.debug(`committed ${created} new of ${rows.length} transfers`);
        // Announced before the batches' offsets are committed: a crash re-announces, never skips.
        await this.publisher.publish(TOPICS.graphCommitted, transfersCommittedMessages(rows, new Date()));
      },
      config.GRAPH_WRITER_FLUSH_ROWS,
      config.GRAPH_WRITER_LINGER_MS,
    );
  }

  async execute(batch: ConsumedBatch): Promise<void> {
    const { parsed, rejected } = parseJsonBatch(
      batch,
      TransferAcceptedSchema,
      this.config.GRAPH_WRITER_MAX_MESSAGE_BYTES,
    );
    await this.deadLetters.publish(rejected);
    await this.writes.submit(parsed.map((p) => p.value));
  }
}
