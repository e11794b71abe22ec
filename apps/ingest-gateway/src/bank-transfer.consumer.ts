import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@scamflow/contracts';
import type { ConsumedBatch } from '@scamflow/messaging';
import { AcceptBankTransfersService } from './accept-bank-transfers.service';

@Controller()
export class BankTransferConsumer {
  constructor(
    @Inject(AcceptBankTransfersService) private readonly acceptBankTransfers: AcceptBankTransfersService,
  ) {}

  @EventPattern(TOPICS.bankTransferReceived)
  async onBatch(@Payload() batch: ConsumedBatch): Promise<void> {
    await this.acceptBankTransfers.execute(batch);
  }
}
