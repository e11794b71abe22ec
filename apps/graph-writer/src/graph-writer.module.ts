import { Module, type DynamicModule } from '@nestjs/common';
import {
  AccountFactRepository,
  Neo4jModule,
  TransferRepository,
  VictimReportRepository,
} from '@scamflow/graph';
import { MessagingModule } from '@scamflow/messaging';
import { AccountFactObservedConsumer } from './account-fact-observed.consumer';
import { GRAPH_WRITER_CONFIG, type GraphWriterConfig } from './graph-writer.config';
import { RecordAccountFactsService } from './record-account-facts.service';
import { RecordTransfersService } from './record-transfers.service';
import { RecordVictimReportsService } from './record-victim-reports.service';
import { TransferAcceptedConsumer } from './transfer-accepted.consumer';
import { VictimReportFiledConsumer } from './victim-report-filed.consumer';

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
      controllers: [TransferAcceptedConsumer, AccountFactObservedConsumer, VictimReportFiledConsumer],
      providers: [
        { provide: GRAPH_WRITER_CONFIG, useValue: config },
        TransferRepository,
        RecordTransfersService,
        AccountFactRepository,
        RecordAccountFactsService,
        VictimReportRepository,
        RecordVictimReportsService,
      ],
    };
  }
}
