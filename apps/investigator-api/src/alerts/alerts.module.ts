import { Module } from '@nestjs/common';
import { AlertInboxRepository } from '@scamflow/graph';
import { AlertPrecisionService } from './alert-precision.service';
import { AlertRaisedConsumer } from './alert-raised.consumer';
import { AlertsController } from './alerts.controller';
import { GetAlertService } from './get-alert.service';
import { ListAlertsService } from './list-alerts.service';
import { RecordAlertsService } from './record-alerts.service';
import { StreamAlertsService } from './stream-alerts.service';
import { TransitionAlertService } from './transition-alert.service';

@Module({
  controllers: [AlertsController, AlertRaisedConsumer],
  providers: [
    AlertInboxRepository,
    RecordAlertsService,
    ListAlertsService,
    GetAlertService,
    TransitionAlertService,
    StreamAlertsService,
    AlertPrecisionService,
  ],
  exports: [AlertInboxRepository],
})
export class AlertsModule {}
