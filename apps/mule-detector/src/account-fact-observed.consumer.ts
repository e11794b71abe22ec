import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@scamflow/contracts';
import type { ConsumedBatch } from '@scamflow/messaging';
import { RecordAccountProfilesService } from './record-account-profiles.service';

@Controller()
export class AccountFactObservedConsumer {
  constructor(
    @Inject(RecordAccountProfilesService) private readonly recordProfiles: RecordAccountProfilesService,
  ) {}

  @EventPattern(TOPICS.accountFactObserved)
  async onBatch(@Payload() batch: ConsumedBatch): Promise<void> {
    await this.recordProfiles.execute(batch);
  }
}
