import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@scamflow/contracts';
import type { ConsumedBatch } from '@scamflow/messaging';
import { DetectSharedIdentifiersService } from './detect-shared-identifiers.service';

@Controller()
export class AccountFactObservedConsumer {
  constructor(
    @Inject(DetectSharedIdentifiersService)
    private readonly sharedIdentifiers: DetectSharedIdentifiersService,
  ) {}

  @EventPattern(TOPICS.accountFactObserved)
  async onBatch(@Payload() batch: ConsumedBatch): Promise<void> {
    await this.sharedIdentifiers.recordFacts(batch);
  }
}
