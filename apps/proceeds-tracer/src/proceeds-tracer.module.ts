import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AlertIssuer } from '@scamflow/alerting';
import { NEO4J_DRIVER, Neo4jModule, ProceedsSubgraphRepository, neo4jConnectionOf } from '@scamflow/graph';
import { MessagingModule, kafkaConnectionOf } from '@scamflow/messaging';
import { ObservabilityModule, neo4jProbe, redisProbe } from '@scamflow/observability';
import {
  AlertStateRepository,
  RetraceScheduleRepository,
  VictimPaymentWatchRepository,
  REDIS_CLIENT,
  RedisModule,
  StateEpochGuard,
} from '@scamflow/rolling-state';
import { GraphCommittedConsumer } from './graph-committed.consumer';
import { PROCEEDS_TRACER_CONFIG, type ProceedsTracerConfig } from './proceeds-tracer.config';
import { TraceVictimCasesService } from './trace-victim-cases.service';
import { TaintStateRepository } from '@scamflow/rolling-state';
import { CarryCaseTaintService } from './carry-case-taint.service';
import { RetraceCasesService } from './retrace-cases.service';

@Module({})
export class ProceedsTracerModule {
  static register(config: ProceedsTracerConfig): DynamicModule {
    return {
      module: ProceedsTracerModule,
      imports: [
        MessagingModule.forRoot(kafkaConnectionOf(config, config.KAFKA_CLIENT_ID ?? 'proceeds-tracer')),
        Neo4jModule.forRoot(neo4jConnectionOf(config)),
        RedisModule.forRoot({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX }),
        ObservabilityModule.forService(
          'proceeds-tracer',
          config,
          [config.PROCEEDS_TRACER_GROUP_ID],
          [neo4jProbe(NEO4J_DRIVER), redisProbe(REDIS_CLIENT)],
        ),
      ],
      controllers: [GraphCommittedConsumer],
      providers: [
        // No batch runs on state Redis has lost (see StateEpochGuard).
        { provide: APP_GUARD, useClass: StateEpochGuard },
        { provide: PROCEEDS_TRACER_CONFIG, useValue: config },
        ProceedsSubgraphRepository,
        VictimPaymentWatchRepository,
        RetraceScheduleRepository,
        AlertStateRepository,
        AlertIssuer,
        TraceVictimCasesService,
        TaintStateRepository,
        RetraceCasesService,
        CarryCaseTaintService,
      ],
    };
  }
}
