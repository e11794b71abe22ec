import { Inject, Injectable, Logger } from '@nestjs/common';
import { AlertRaisedSchema } from '@scamflow/contracts';
import { AlertInboxRepository } from '@scamflow/graph';
import { DeadLetterPublisher, parseJsonBatch, type ConsumedBatch } from '@scamflow/messaging';
import { INVESTIGATOR_API_CONFIG, type InvestigatorApiConfig } from '../investigator-api.config';

/**
 * Keeps every alert version in the inbox: invalid messages are dead-lettered, replays change nothing, a late
 * older version joins the history without overwriting a newer one.
 */
@Injectable()
export class RecordAlertsService {
  private readonly logger = new Logger(RecordAlertsService.name);

  constructor(
    @Inject(AlertInboxRepository) private readonly inbox: AlertInboxRepository,
    @Inject(DeadLetterPublisher) private readonly deadLetters: DeadLetterPublisher,
    @Inject(INVESTIGATOR_API_CONFIG) private readonly config: InvestigatorApiConfig,
  ) {}

  async execute(batch: ConsumedBatch, receivedAt: string = new Date().toISOString()): Promise<number> {
    const { parsed, rejected } = parseJsonBatch(
      batch,
      AlertRaisedSchema,
      this.config.API_ALERT_MAX_MESSAGE_BYTES,
    );
    await this.deadLetters.publish(rejected);
    const recorded = await this.inbox.recordVersions(
      parsed.map((p) => p.value),
      receivedAt,
    );
    if (recorded.length > 0) {
      this.logger.debug(
        `inbox recorded ${recorded.length} alert versions from ${batch.topic}/${batch.partition}`,
      );
    }
    return recorded.length;
  }
}
