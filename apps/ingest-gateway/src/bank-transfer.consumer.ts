import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { BankTransferReceivedSchema, TOPICS } from '@scamflow/contracts';
import type { ConsumedBatch } from '@scamflow/messaging';
import { AcceptJsonTransfersService } from './accept-json-transfers.service';
import { mapBankTransfer } from './bank-transfer.mapper';

const BANK_TRANSFER_FEED = {
  schema: BankTransferReceivedSchema,
  map: mapBankTransfer,
  reportedBy: (event: { reportedBy: string }) => event.reportedBy,
};

@Controller()
export class BankTransferConsumer {
  constructor(
    @Inject(AcceptJsonTransfersService) private readonly acceptTransfers: AcceptJsonTransfersService,
  ) {}

  @EventPattern(TOPICS.bankTransferReceived)
  async onBatch(@Payload() batch: ConsumedBatch): Promise<void> {
    await this.acceptTransfers.execute(batch, BANK_TRANSFER_FEED);
  }
}
