import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AccountFactObservedSchema,
  TOPICS,
  accountKeyOf,
  type AccountFactObserved,
  type GraphCommitted,
} from '@scamflow/contracts';
import { AccountFactRepository } from '@scamflow/graph';
import {
  BatchCoalescer,
  DeadLetterPublisher,
  KafkaPublisher,
  parseJsonBatch,
  type ConsumedBatch,
} from '@scamflow/messaging';
import { timeNeo4jTransaction } from '@scamflow/observability';
import { GRAPH_WRITER_CONFIG, type GraphWriterConfig } from './graph-writer.config';

/**
 * Writes account facts (opened, closed, identifier seen) into the graph. Partition batches are merged into
 * one transaction at a time, like transfers: identifiers are shared across accounts on different partitions,
 * and serial flushes keep them from contending for the same Identifier node.
 */
@Injectable()
export class RecordAccountFactsService {
  private readonly logger = new Logger(RecordAccountFactsService.name);
  private readonly writes: BatchCoalescer<AccountFactObserved>;

  constructor(
    @Inject(AccountFactRepository) private readonly facts: AccountFactRepository,
    @Inject(DeadLetterPublisher) private readonly deadLetters: DeadLetterPublisher,
    @Inject(KafkaPublisher) private readonly publisher: KafkaPublisher,
    @Inject(GRAPH_WRITER_CONFIG) private readonly config: GraphWriterConfig,
  ) {
    this.writes = new BatchCoalescer(
      async (rows) => {
        const applied = await timeNeo4jTransaction('record-account-facts', () =>
          this.facts.recordFacts(rows),
        );
        this.logger.debug(
          `committed ${rows.length} facts: ${applied.opened} opened, ${applied.closed} closed, ` +
            `${applied.identifiers} identifier links`,
        );
        const value: GraphCommitted = {
          schemaVersion: 1,
          kind: 'account-facts',
          committedAt: new Date().toISOString(),
          accountKeys: [...new Set(rows.map((f) => accountKeyOf(f.institutionId, f.accountId)))],
        };
        await this.publisher.publish(TOPICS.graphCommitted, [{ key: null, value: JSON.stringify(value) }]);
      },
      config.GRAPH_WRITER_FLUSH_ROWS,
      config.GRAPH_WRITER_LINGER_MS,
    );
  }

  async execute(batch: ConsumedBatch): Promise<void> {
    const { parsed, rejected } = parseJsonBatch(
      batch,
      AccountFactObservedSchema,
      this.config.GRAPH_WRITER_MAX_MESSAGE_BYTES,
    );
    await this.deadLetters.publish(rejected);
    await this.writes.submit(parsed.map((p) => p.value));
  }
}
