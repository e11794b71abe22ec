import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@scamflow/contracts';
import type { ConsumedBatch } from '@scamflow/messaging';
import { RecordTransfersService } from './record-transfers.service';

@Controller()
export class TransferAcceptedConsumer {
  constructor(@Inject(RecordTransfersService) private readonly recordTransfers: RecordTransfersService) {}

  @EventPattern(TOPICS.transferAccepted)
  async onBatch(@Payload() batch: ConsumedBatch): Promise<void> {
    await this.recordTransfers.execute(batch);
  }
}
