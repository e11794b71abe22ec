import { Module, type DynamicModule } from '@nestjs/common';
import {
  AccountFactRepository,
  NEO4J_DRIVER,
  Neo4jModule,
  TransferRepository,
  VictimReportRepository,
  neo4jConnectionOf,
} from '@scamflow/graph';
import { MessagingModule, kafkaConnectionOf } from '@scamflow/messaging';
import { ObservabilityModule, neo4jProbe } from '@scamflow/observability';
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
        MessagingModule.forRoot(kafkaConnectionOf(config, config.KAFKA_CLIENT_ID ?? 'graph-writer')),
        Neo4jModule.forRoot(neo4jConnectionOf(config)),
        ObservabilityModule.forService(
          'graph-writer',
          config,
          [config.GRAPH_WRITER_GROUP_ID],
          [neo4jProbe(NEO4J_DRIVER)],
        ),
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
