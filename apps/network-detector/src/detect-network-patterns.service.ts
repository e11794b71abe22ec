import { Inject, Injectable, Logger } from '@nestjs/common';
import { GraphCommittedSchema } from '@scamflow/contracts';
import { DeadLetterPublisher, parseJsonBatch, type ConsumedBatch } from '@scamflow/messaging';
import { DetectFlowPatternsService } from './detect-flow-patterns.service';
import { DetectSharedIdentifiersService } from './detect-shared-identifiers.service';
import { NETWORK_DETECTOR_CONFIG, type NetworkDetectorConfig } from './network-detector.config';

/** Routes what graph-writer committed: transfers to the flow patterns, account facts to shared identifiers. */
@Injectable()
export class DetectNetworkPatternsService {
  private readonly logger = new Logger(DetectNetworkPatternsService.name);

  constructor(
    @Inject(DetectFlowPatternsService) private readonly flowPatterns: DetectFlowPatternsService,
    @Inject(DetectSharedIdentifiersService)
    private readonly sharedIdentifiers: DetectSharedIdentifiersService,
    @Inject(DeadLetterPublisher) private readonly deadLetters: DeadLetterPublisher,
    @Inject(NETWORK_DETECTOR_CONFIG) private readonly config: NetworkDetectorConfig,
  ) {}

  async execute(batch: ConsumedBatch): Promise<void> {
    const { parsed, rejected } = parseJsonBatch(
      batch,
      GraphCommittedSchema,
      this.config.NETWORK_DETECTOR_MAX_MESSAGE_BYTES,
    );
    await this.deadLetters.publish(rejected);
    const factAccounts = new Set<string>();
    for (const { value, message } of parsed) {
      switch (value.kind) {
        case 'transfers':
          // One query per committed message (up to 1,000 transfers).
          await this.flowPatterns.execute(value.transfers.map((t) => t.transferId));
          this.logger.debug(`evaluated ${value.transfers.length} transfers of offset ${message.offset}`);
          break;
        case 'account-facts':
          for (const key of value.accountKeys) factAccounts.add(key);
          break;
        case 'victim-reports':
          break;
      }
    }
    await this.sharedIdentifiers.execute([...factAccounts]);
  }
}
