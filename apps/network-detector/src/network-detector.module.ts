import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AlertIssuer } from '@scamflow/alerting';
import { MessagingModule, kafkaConnectionOf } from '@scamflow/messaging';
import { ObservabilityModule, redisProbe } from '@scamflow/observability';
import {
  AlertStateRepository,
  IdentifierIndexRepository,
  KnownMuleRepository,
  REDIS_CLIENT,
  RedisModule,
  TemporalAdjacencyRepository,
  StateEpochGuard,
} from '@scamflow/rolling-state';
import { AccountFactObservedConsumer } from './account-fact-observed.consumer';
import { AlertRaisedConsumer } from './alert-raised.consumer';
import { DetectFlowPatternsService } from './detect-flow-patterns.service';
import { DetectSharedIdentifiersService } from './detect-shared-identifiers.service';
import { LearnKnownMulesService } from './learn-known-mules.service';
import { NETWORK_DETECTOR_CONFIG, type NetworkDetectorConfig } from './network-detector.config';
import { TransferAcceptedConsumer } from './transfer-accepted.consumer';

@Module({})
export class NetworkDetectorModule {
  static register(config: NetworkDetectorConfig): DynamicModule {
    return {
      module: NetworkDetectorModule,
      imports: [
        MessagingModule.forRoot(kafkaConnectionOf(config, config.KAFKA_CLIENT_ID ?? 'network-detector')),
        RedisModule.forRoot({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX }),
        ObservabilityModule.forService(
          'network-detector',
          config,
          [config.NETWORK_DETECTOR_GROUP_ID],
          [redisProbe(REDIS_CLIENT)],
        ),
      ],
      controllers: [TransferAcceptedConsumer, AccountFactObservedConsumer, AlertRaisedConsumer],
      providers: [
        // No batch runs on state Redis has lost (see StateEpochGuard).
        { provide: APP_GUARD, useClass: StateEpochGuard },
        { provide: NETWORK_DETECTOR_CONFIG, useValue: config },
        TemporalAdjacencyRepository,
        IdentifierIndexRepository,
        KnownMuleRepository,
        AlertStateRepository,
        AlertIssuer,
        DetectFlowPatternsService,
        DetectSharedIdentifiersService,
        LearnKnownMulesService,
      ],
    };
  }
}
