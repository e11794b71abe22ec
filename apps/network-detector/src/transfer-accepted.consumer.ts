import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@scamflow/contracts';
import type { ConsumedBatch } from '@scamflow/messaging';
import { DetectFlowPatternsService } from './detect-flow-patterns.service';

@Controller()
export class TransferAcceptedConsumer {
  constructor(@Inject(DetectFlowPatternsService) private readonly flowPatterns: DetectFlowPatternsService) {}

  @EventPattern(TOPICS.transferAccepted)
  async onBatch(@Payload() batch: ConsumedBatch): Promise<void> {
    await this.flowPatterns.execute(batch);
  }
}
