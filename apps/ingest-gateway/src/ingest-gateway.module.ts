import { Module, type DynamicModule } from '@nestjs/common';
import { MessagingModule, kafkaConnectionOf } from '@scamflow/messaging';
import { ObservabilityModule, redisProbe } from '@scamflow/observability';
import { FxRateRepository, REDIS_CLIENT, RedisModule } from '@scamflow/rolling-state';
import { AcceptJsonTransfersService } from './accept-json-transfers.service';
import { AcceptPacs008TransfersService } from './accept-pacs008-transfers.service';
import { AttachReferenceAmountsService } from './attach-reference-amounts.service';
import { BankTransferConsumer } from './bank-transfer.consumer';
import { FxRateConsumer } from './fx-rate.consumer';
import { INGEST_GATEWAY_CONFIG, type IngestGatewayConfig } from './ingest-gateway.config';
import { Pacs008Consumer } from './pacs008.consumer';
import { RecordFxRatesService } from './record-fx-rates.service';
import { VaTransferConsumer } from './va-transfer.consumer';

@Module({})
export class IngestGatewayModule {
  static register(config: IngestGatewayConfig): DynamicModule {
    return {
      module: IngestGatewayModule,
      imports: [
        MessagingModule.forRoot(kafkaConnectionOf(config, config.KAFKA_CLIENT_ID ?? 'ingest-gateway')),
        RedisModule.forRoot({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX }),
        ObservabilityModule.forService(
          'ingest-gateway',
          config,
          [config.INGEST_GROUP_ID],
          [redisProbe(REDIS_CLIENT)],
        ),
      ],
      controllers: [BankTransferConsumer, Pacs008Consumer, VaTransferConsumer, FxRateConsumer],
      providers: [
        { provide: INGEST_GATEWAY_CONFIG, useValue: config },
        AcceptJsonTransfersService,
        AcceptPacs008TransfersService,
        AttachReferenceAmountsService,
        RecordFxRatesService,
        FxRateRepository,
      ],
    };
  }
}
