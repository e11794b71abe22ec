import { Module, type DynamicModule } from '@nestjs/common';
import { Neo4jModule, TransferRepository } from '@scamflow/graph';
import { MessagingModule } from '@scamflow/messaging';
import { GRAPH_WRITER_CONFIG, type GraphWriterConfig } from './graph-writer.config';
import { RecordTransfersService } from './record-transfers.service';
import { TransferAcceptedConsumer } from './transfer-accepted.consumer';

@Module({})
export class GraphWriterModule {
  static register(config: GraphWriterConfig): DynamicModule {
    return {
      module: GraphWriterModule,
      imports: [
        MessagingModule.forRoot({
          brokers: config.KAFKA_BROKERS,
          clientId: config.KAFKA_CLIENT_ID ?? 'graph-writer',
        }),
        Neo4jModule.forRoot({
          url: config.NEO4J_URL,
          user: config.NEO4J_USER,
          password: config.NEO4J_PASSWORD,
          database: config.NEO4J_DATABASE,
        }),
      ],
      controllers: [TransferAcceptedConsumer],
      providers: [
        { provide: GRAPH_WRITER_CONFIG, useValue: config },
        TransferRepository,
        RecordTransfersService,
      ],
    };
  }
}
