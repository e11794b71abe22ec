import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ALERT_PRODUCER_DETECTOR,
  ALERT_PRODUCER_HEADER,
  AlertRaisedSchema,
  TYPOLOGIES,
} from '@scamflow/contracts';
import { DeadLetterPublisher, parseJsonBatch, type ConsumedBatch } from '@scamflow/messaging';
import { maskIdentifier } from '@scamflow/observability';
import { KnownMuleRepository, type KnownMule } from '@scamflow/rolling-state';
import { DetectSharedIdentifiersService } from './detect-shared-identifiers.service';
import { NETWORK_DETECTOR_CONFIG, type NetworkDetectorConfig } from './network-detector.config';

/**
 * Learns known mules from detectors' mule alerts of sufficient score (the `alert-producer: detector` header the
 * alert issuer sets; an alert any other producer put on the topic names nobody) and re-evaluates the accounts sharing identifiers
 * with each newly known mule. Shared-identifier alerts themselves never make a known mule: guilt by
 * association must not spread from account to account.
 */
@Injectable()
export class LearnKnownMulesService {
  private readonly logger = new Logger(LearnKnownMulesService.name);

  constructor(
    @Inject(KnownMuleRepository) private readonly knownMules: KnownMuleRepository,
    @Inject(DetectSharedIdentifiersService)
    private readonly sharedIdentifiers: DetectSharedIdentifiersService,
    @Inject(DeadLetterPublisher) private readonly deadLetters: DeadLetterPublisher,
    @Inject(NETWORK_DETECTOR_CONFIG) private readonly config: NetworkDetectorConfig,
  ) {}

  async execute(batch: ConsumedBatch): Promise<void> {
    const { parsed, rejected } = parseJsonBatch(
      batch,
      AlertRaisedSchema,
      this.config.NETWORK_DETECTOR_MAX_MESSAGE_BYTES,
    );
    await this.deadLetters.publish(rejected);
    const mules: KnownMule[] = parsed
      .filter((p) => p.message.headers[ALERT_PRODUCER_HEADER] === ALERT_PRODUCER_DETECTOR)
      .map((p) => p.value)
      .filter(
        (a) =>
          a.typology.startsWith('mule.') &&
          a.typology !== TYPOLOGIES.sharedIdentifier &&
          a.score >= this.config.KNOWN_MULE_MIN_SCORE,
      )
      .map((a) => ({
        accountKey: a.subject.accountKey,
        alertId: a.alertId,
        typology: a.typology,
        score: a.score,
        raisedAt: a.raisedAt,
      }));
    const learned = await this.knownMules.remember(mules);
    for (const mule of learned)
      this.logger.log(`Known mule ${maskIdentifier(mule.accountKey)} from alert ${mule.alertId}`);
    await this.sharedIdentifiers.execute(learned.map((m) => m.accountKey));
  }
}
