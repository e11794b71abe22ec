import { Module, type DynamicModule } from '@nestjs/common';
import { AlertIssuer } from '@scamflow/alerting';
import { Neo4jModule, NetworkPatternRepository } from '@scamflow/graph';
import { MessagingModule } from '@scamflow/messaging';
import { AlertStateRepository, KnownMuleRepository, RedisModule } from '@scamflow/rolling-state';
import { AlertRaisedConsumer } from './alert-raised.consumer';
import { DetectFlowPatternsService } from './detect-flow-patterns.service';
import { DetectNetworkPatternsService } from './detect-network-patterns.service';
import { DetectSharedIdentifiersService } from './detect-shared-identifiers.service';
import { GraphCommittedConsumer } from './graph-committed.consumer';
import { LearnKnownMulesService } from './learn-known-mules.service';
import { NETWORK_DETECTOR_CONFIG, type NetworkDetectorConfig } from './network-detector.config';

@Module({})
export class NetworkDetectorModule {
  static register(config: NetworkDetectorConfig): DynamicModule {
    return {
      module: NetworkDetectorModule,
      imports: [
        MessagingModule.forRoot({
          brokers: config.KAFKA_BROKERS,
          clientId: config.KAFKA_CLIENT_ID ?? 'network-detector',
        }),
        Neo4jModule.forRoot({
          url: config.NEO4J_URL,
          user: config.NEO4J_USER,
          password: config.NEO4J_PASSWORD,
          database: config.NEO4J_DATABASE,
        }),
        RedisModule.forRoot({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX }),
      ],
      controllers: [GraphCommittedConsumer, AlertRaisedConsumer],
      providers: [
        { provide: NETWORK_DETECTOR_CONFIG, useValue: config },
        NetworkPatternRepository,
        KnownMuleRepository,
        AlertStateRepository,
        AlertIssuer,
        DetectFlowPatternsService,
        DetectSharedIdentifiersService,
        DetectNetworkPatternsService,
        LearnKnownMulesService,
      ],
    };
  }
}
