import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@scamflow/contracts';
import type { ConsumedBatch } from '@scamflow/messaging';
import { DetectNetworkPatternsService } from './detect-network-patterns.service';

@Controller()
export class GraphCommittedConsumer {
  constructor(
    @Inject(DetectNetworkPatternsService)
    private readonly detectNetworkPatterns: DetectNetworkPatternsService,
  ) {}

  @EventPattern(TOPICS.graphCommitted)
  async onBatch(@Payload() batch: ConsumedBatch): Promise<void> {
    await this.detectNetworkPatterns.execute(batch);
  }
}
