import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@scamflow/contracts';
import type { ConsumedBatch } from '@scamflow/messaging';
import { AcceptPacs008TransfersService } from './accept-pacs008-transfers.service';

@Controller()
export class Pacs008Consumer {
  constructor(
    @Inject(AcceptPacs008TransfersService)
    private readonly acceptPacs008Transfers: AcceptPacs008TransfersService,
  ) {}

  @EventPattern(TOPICS.bankPacs008Received)
  async onBatch(@Payload() batch: ConsumedBatch): Promise<void> {
    await this.acceptPacs008Transfers.execute(batch);
  }
}
