import { Module, type DynamicModule } from '@nestjs/common';
import { Neo4jModule, neo4jConnectionOf } from '@scamflow/graph';
import { MessagingModule } from '@scamflow/messaging';
import { AlertsModule } from './alerts/alerts.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CasesModule } from './cases/cases.module';
import { ConsoleModule } from './console/console.module';
import { FilingsModule } from './filings/filings.module';
import { GraphModule } from './graph/graph.module';
import { HealthModule } from './health/health.module';
import { INVESTIGATOR_API_CONFIG, type InvestigatorApiConfig } from './investigator-api.config';

/**
 * The investigator API. Global: every feature module can inject INVESTIGATOR_API_CONFIG, the Neo4j driver and
 * the Kafka publisher. Feature modules are listed at the end of `imports`.
 */
@Module({})
export class InvestigatorApiModule {
  static register(config: InvestigatorApiConfig): DynamicModule {
    return {
      module: InvestigatorApiModule,
      global: true,
      imports: [
        MessagingModule.forRoot({
          brokers: config.KAFKA_BROKERS,
          clientId: config.KAFKA_CLIENT_ID ?? 'investigator-api',
        }),
        Neo4jModule.forRoot(neo4jConnectionOf(config)),
        AuthModule.register(config),
        AuditModule,
        HealthModule,
        AlertsModule,
        // Feature modules:
        GraphModule,
        CasesModule,
        FilingsModule,
        ConsoleModule,
      ],
      providers: [{ provide: INVESTIGATOR_API_CONFIG, useValue: config }],
      exports: [INVESTIGATOR_API_CONFIG],
    };
  }
}
