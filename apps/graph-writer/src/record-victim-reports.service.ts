import { Inject, Injectable, Logger } from '@nestjs/common';
import { TOPICS, VictimReportFiledSchema, type GraphCommitted } from '@scamflow/contracts';
import { VictimReportRepository, type VictimReportRecord } from '@scamflow/graph';
import {
  DeadLetterPublisher,
  KafkaPublisher,
  parseJsonBatch,
  type ConsumedBatch,
  type Rejection,
} from '@scamflow/messaging';
import { timeNeo4jTransaction } from '@scamflow/observability';
import { GRAPH_WRITER_CONFIG, type GraphWriterConfig } from './graph-writer.config';
import { toVictimReportRecord } from './victim-report.mapper';

/**
 * Writes victim reports into the graph, one case per node. A report whose schema or amounts are refused goes
 * to the dead-letter topic whole, with the reason. Reports are few, so each batch is written on its own.
 */
@Injectable()
export class RecordVictimReportsService {
  private readonly logger = new Logger(RecordVictimReportsService.name);

  constructor(
    @Inject(VictimReportRepository) private readonly reports: VictimReportRepository,
    @Inject(DeadLetterPublisher) private readonly deadLetters: DeadLetterPublisher,
    @Inject(KafkaPublisher) private readonly publisher: KafkaPublisher,
    @Inject(GRAPH_WRITER_CONFIG) private readonly config: GraphWriterConfig,
  ) {}

  async execute(batch: ConsumedBatch): Promise<void> {
    const { parsed, rejected } = parseJsonBatch(
      batch,
      VictimReportFiledSchema,
      this.config.GRAPH_WRITER_MAX_MESSAGE_BYTES,
    );
    const records: VictimReportRecord[] = [];
    const refused: Rejection[] = [...rejected];
    for (const { message, value } of parsed) {
      const record = toVictimReportRecord(value);
      if (record.ok) records.push(record.value);
      else refused.push({ message, reason: record.reason });
    }
    await this.deadLetters.publish(refused);
    const applied = await timeNeo4jTransaction('record-victim-reports', () =>
      this.reports.recordReports(records),
    );
    // Every report of the batch is announced (also unchanged re-filings: tracing is idempotent).
    await this.publisher.publish(
      TOPICS.graphCommitted,
      records.map((r) => {
        const value: GraphCommitted = {
          schemaVersion: 1,
          kind: 'victim-reports',
          committedAt: new Date().toISOString(),
          reports: [{ caseId: r.caseId, version: r.version }],
        };
        return { key: r.caseId, value: JSON.stringify(value) };
      }),
    );
    if (records.length > 0) {
      this.logger.log(
        `cases ${records.map((r) => `${r.caseId}@v${r.version}`).join(', ')}: ${applied} new or updated`,
      );
    }
  }
}
