import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@scamflow/contracts';
import type { ConsumedBatch } from '@scamflow/messaging';
import { DetectMuleAccountsService } from './detect-mule-accounts.service';

@Controller()
export class TransferAcceptedConsumer {
  constructor(
    @Inject(DetectMuleAccountsService) private readonly detectMuleAccounts: DetectMuleAccountsService,
  ) {}

  @EventPattern(TOPICS.transferAccepted)
  async onBatch(@Payload() batch: ConsumedBatch): Promise<void> {
    await this.detectMuleAccounts.execute(batch);
  }
}
