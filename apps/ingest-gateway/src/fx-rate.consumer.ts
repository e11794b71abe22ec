import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@scamflow/contracts';
import type { ConsumedBatch } from '@scamflow/messaging';
import { RecordFxRatesService } from './record-fx-rates.service';

@Controller()
export class FxRateConsumer {
  constructor(@Inject(RecordFxRatesService) private readonly recordFxRates: RecordFxRatesService) {}

  @EventPattern(TOPICS.fxRatePublished)
  async onBatch(@Payload() batch: ConsumedBatch): Promise<void> {
    await this.recordFxRates.execute(batch);
  }
}
