import { Inject, Injectable, Logger } from '@nestjs/common';
import { AccountFactObservedSchema, accountKeyOf, type AccountOpened } from '@scamflow/contracts';
import { DeadLetterPublisher, parseJsonBatch, type ConsumedBatch } from '@scamflow/messaging';
import { AccountProfileRepository } from '@scamflow/rolling-state';
import { MULE_DETECTOR_CONFIG, type MuleDetectorConfig } from './mule-detector.config';

/**
 * Keeps what the detectors need from account facts: when each account was opened and its type (new accounts
 * weigh up fan-in; hub types need stronger evidence or are skipped). Other fact kinds are not needed here.
 */
@Injectable()
export class RecordAccountProfilesService {
  private readonly logger = new Logger(RecordAccountProfilesService.name);

  constructor(
    @Inject(AccountProfileRepository) private readonly profiles: AccountProfileRepository,
    @Inject(DeadLetterPublisher) private readonly deadLetters: DeadLetterPublisher,
    @Inject(MULE_DETECTOR_CONFIG) private readonly config: MuleDetectorConfig,
  ) {}

  async execute(batch: ConsumedBatch): Promise<void> {
    const { parsed, rejected } = parseJsonBatch(
      batch,
      AccountFactObservedSchema,
      this.config.MULE_DETECTOR_MAX_MESSAGE_BYTES,
    );
    await this.deadLetters.publish(rejected);
    const opened = parsed
      .map((p) => p.value)
      .filter((fact): fact is AccountOpened => fact.kind === 'account-opened');
    await this.profiles.record(
      opened.map((fact) => ({
        accountKey: accountKeyOf(fact.institutionId, fact.accountId),
        openedAtMs: Date.parse(fact.openedAt),
        accountType: fact.accountType,
        observedAtMs: Date.parse(fact.observedAt),
      })),
    );
    if (opened.length > 0) this.logger.debug(`recorded ${opened.length} account-opened facts`);
  }
}
