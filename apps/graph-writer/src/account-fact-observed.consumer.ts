import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@scamflow/contracts';
import type { ConsumedBatch } from '@scamflow/messaging';
import { RecordAccountFactsService } from './record-account-facts.service';

@Controller()
export class AccountFactObservedConsumer {
  constructor(@Inject(RecordAccountFactsService) private readonly recordFacts: RecordAccountFactsService) {}

  @EventPattern(TOPICS.accountFactObserved)
  async onBatch(@Payload() batch: ConsumedBatch): Promise<void> {
    await this.recordFacts.execute(batch);
  }
}
