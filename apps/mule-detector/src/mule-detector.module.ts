import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MessagingModule, kafkaConnectionOf } from '@scamflow/messaging';
import { ObservabilityModule, redisProbe } from '@scamflow/observability';
import { AlertIssuer } from '@scamflow/alerting';
import {
  AccountFlowRepository,
  AccountProfileRepository,
  AlertStateRepository,
  REDIS_CLIENT,
  RedisModule,
  StateEpochGuard,
} from '@scamflow/rolling-state';
import { AccountFactObservedConsumer } from './account-fact-observed.consumer';
import { DetectMuleAccountsService } from './detect-mule-accounts.service';
import { MULE_DETECTOR_CONFIG, type MuleDetectorConfig } from './mule-detector.config';
import { RecordAccountProfilesService } from './record-account-profiles.service';
import { TransferAcceptedConsumer } from './transfer-accepted.consumer';

@Module({})
export class MuleDetectorModule {
  static register(config: MuleDetectorConfig): DynamicModule {
    return {
      module: MuleDetectorModule,
      imports: [
        MessagingModule.forRoot(kafkaConnectionOf(config, config.KAFKA_CLIENT_ID ?? 'mule-detector')),
        RedisModule.forRoot({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX }),
        ObservabilityModule.forService(
          'mule-detector',
          config,
          [config.MULE_DETECTOR_GROUP_ID],
          [redisProbe(REDIS_CLIENT)],
        ),
      ],
      controllers: [TransferAcceptedConsumer, AccountFactObservedConsumer],
      providers: [
        // No batch runs on state Redis has lost (see StateEpochGuard).
        { provide: APP_GUARD, useClass: StateEpochGuard },
        { provide: MULE_DETECTOR_CONFIG, useValue: config },
        AccountFlowRepository,
        AccountProfileRepository,
        AlertStateRepository,
        AlertIssuer,
        DetectMuleAccountsService,
        RecordAccountProfilesService,
      ],
    };
  }
}
