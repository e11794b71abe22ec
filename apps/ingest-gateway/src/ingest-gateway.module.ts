import { Module, type DynamicModule } from '@nestjs/common';
import { MessagingModule } from '@scamflow/messaging';
import { AcceptJsonTransfersService } from './accept-json-transfers.service';
import { AcceptPacs008TransfersService } from './accept-pacs008-transfers.service';
import { BankTransferConsumer } from './bank-transfer.consumer';
import { INGEST_GATEWAY_CONFIG, type IngestGatewayConfig } from './ingest-gateway.config';
import { Pacs008Consumer } from './pacs008.consumer';
import { VaTransferConsumer } from './va-transfer.consumer';

@Module({})
export class IngestGatewayModule {
  static register(config: IngestGatewayConfig): DynamicModule {
    return {
      module: IngestGatewayModule,
      imports: [
        MessagingModule.forRoot({
          brokers: config.KAFKA_BROKERS,
          clientId: config.KAFKA_CLIENT_ID ?? 'ingest-gateway',
        }),
      ],
      controllers: [BankTransferConsumer, Pacs008Consumer, VaTransferConsumer],
      providers: [
        { provide: INGEST_GATEWAY_CONFIG, useValue: config },
        AcceptJsonTransfersService,
        AcceptPacs008TransfersService,
      ],
    };
  }
}
