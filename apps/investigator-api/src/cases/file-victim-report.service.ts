import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { TOPICS, VictimReportFiledSchema, type VictimReportFiled } from '@scamflow/contracts';
import { KafkaPublisher } from '@scamflow/messaging';
import { ProblemException } from '../http/problem';
import type { CaseIntake } from './case-intake.schema';

/** What the publisher is asked to do; the port the use case's spec fakes. */
export interface VictimReportSink {
  publish(topic: string, messages: readonly { key: string; value: string }[]): Promise<void>;
}

/** A new case id: `CASE-API-<yyyymmdd>-<8 hex>`, within the contract's identifier rules. */
export const newCaseId = (now: Date): string =>
  `CASE-API-${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomUUID().slice(0, 8)}`;

/**
 * Files a victim report from the hotline: assigns the case id when none was given, validates the complete
 * message with the topic's own contract, and publishes it as one message (all or nothing: graph-writer and
 * the proceeds tracer take it from there).
 */
@Injectable()
export class FileVictimReportService {
  private readonly logger = new Logger(FileVictimReportService.name);

  constructor(@Inject(KafkaPublisher) private readonly sink: VictimReportSink) {}

  async execute(intake: CaseIntake, now: Date = new Date()): Promise<VictimReportFiled> {
    const report = VictimReportFiledSchema.parse({ ...intake, caseId: intake.caseId ?? newCaseId(now) });
    try {
      await this.sink.publish(TOPICS.victimReportFiled, [
        { key: report.caseId, value: JSON.stringify(report) },
      ]);
    } catch (error) {
      this.logger.error(
        `victim report ${report.caseId} not published: ${error instanceof Error ? error.message : 'unknown error'}`,
      );
      throw new ProblemException(
        503,
        'Service unavailable',
        'the report could not be filed; nothing was recorded, retry',
      );
    }
    this.logger.log(`victim report ${report.caseId} v${report.version} filed`);
    return report;
  }
}
