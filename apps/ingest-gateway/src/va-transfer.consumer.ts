import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS, VaTransferReceivedSchema } from '@scamflow/contracts';
import type { ConsumedBatch } from '@scamflow/messaging';
import { AcceptJsonTransfersService } from './accept-json-transfers.service';
import { mapVaTransfer } from './va-transfer.mapper';

const VA_TRANSFER_FEED = {
  schema: VaTransferReceivedSchema,
  map: mapVaTransfer,
  reportedBy: (event: { reportedBy: string }) => event.reportedBy,
};

@Controller()
export class VaTransferConsumer {
  constructor(
    @Inject(AcceptJsonTransfersService) private readonly acceptTransfers: AcceptJsonTransfersService,
  ) {}

  @EventPattern(TOPICS.vaTransferReceived)
  async onBatch(@Payload() batch: ConsumedBatch): Promise<void> {
    await this.acceptTransfers.execute(batch, VA_TRANSFER_FEED);
  }
}
