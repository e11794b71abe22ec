import { Module } from '@nestjs/common';
import { AlertInboxRepository } from '@scamflow/graph';
import { AlertRaisedConsumer } from './alert-raised.consumer';
import { RecordAlertsService } from './record-alerts.service';

@Module({
  controllers: [AlertRaisedConsumer],
  providers: [AlertInboxRepository, RecordAlertsService],
  exports: [AlertInboxRepository],
})
export class AlertsModule {}
