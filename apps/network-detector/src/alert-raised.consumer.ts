import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@scamflow/contracts';
import type { ConsumedBatch } from '@scamflow/messaging';
import { LearnKnownMulesService } from './learn-known-mules.service';

@Controller()
export class AlertRaisedConsumer {
  constructor(@Inject(LearnKnownMulesService) private readonly learnKnownMules: LearnKnownMulesService) {}

  @EventPattern(TOPICS.alertRaised)
  async onBatch(@Payload() batch: ConsumedBatch): Promise<void> {
    await this.learnKnownMules.execute(batch);
  }
}
