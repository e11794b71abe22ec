import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { TOPICS } from '@scamflow/contracts';
import type { ConsumedBatch } from '@scamflow/messaging';
import { RecordAlertsService } from './record-alerts.service';

@Controller()
export class AlertRaisedConsumer {
  constructor(@Inject(RecordAlertsService) private readonly recordAlerts: RecordAlertsService) {}

  @EventPattern(TOPICS.alertRaised)
  async onBatch(@Payload() batch: ConsumedBatch): Promise<void> {
    await this.recordAlerts.execute(batch);
  }
}
