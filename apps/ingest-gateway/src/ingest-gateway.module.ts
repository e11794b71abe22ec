import { Module, type DynamicModule } from '@nestjs/common';
import { MessagingModule } from '@scamflow/messaging';
import { AcceptBankTransfersService } from './accept-bank-transfers.service';
import { BankTransferConsumer } from './bank-transfer.consumer';
import { INGEST_GATEWAY_CONFIG, type IngestGatewayConfig } from './ingest-gateway.config';

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
      controllers: [BankTransferConsumer],
      providers: [{ provide: INGEST_GATEWAY_CONFIG, useValue: config }, AcceptBankTransfersService],
    };
  }
}
