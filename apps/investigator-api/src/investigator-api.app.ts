import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { logLevelsUpTo } from '@scamflow/config';
import { KafkaBatchServer } from '@scamflow/messaging';
import { jsonBodyMiddleware } from './http/json-body.middleware';
import { ProblemFilter } from './http/problem.filter';
import type { InvestigatorApiConfig } from './investigator-api.config';
import { InvestigatorApiModule } from './investigator-api.module';
import { setUpOpenApi } from './openapi/openapi';

/**
 * Builds the investigator API: the HTTP app, plus (unless API_CONSUME_ALERTS=false) the Kafka alert-inbox
 * consumer as a connected microservice. Used by main.ts, the test harness and the OpenAPI writer.
 * Call `startInvestigatorApi` (or `startAllMicroservices()` and `listen()`) to run it.
 */
export const createInvestigatorApi = async (
  config: InvestigatorApiConfig,
): Promise<NestExpressApplication> => {
  const app = await NestFactory.create<NestExpressApplication>(InvestigatorApiModule.register(config), {
    // Bodies are read by jsonBodyMiddleware (JSON only, bounded, refusals as problem+json).
    bodyParser: false,
    logger: logLevelsUpTo(config.LOG_LEVEL),
  });
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(jsonBodyMiddleware(config.API_BODY_LIMIT_BYTES));
  // Global (not APP_FILTER) so unknown routes' 404s are problem+json too; HTTP only, not the Kafka consumer.
  app.useGlobalFilters(new ProblemFilter());
  setUpOpenApi(app);
  if (config.API_CONSUME_ALERTS) {
    app.connectMicroservice(
      {
        strategy: new KafkaBatchServer({
          brokers: config.KAFKA_BROKERS,
          clientId: config.KAFKA_CLIENT_ID ?? 'investigator-api',
          groupId: config.API_ALERT_GROUP_ID,
        }),
      },
      // Guards, interceptors and filters are HTTP concerns: the consumer does not inherit them.
      { inheritAppConfig: false },
    );
  }
  app.enableShutdownHooks();
  return app;
};

/** Starts the consumer and the HTTP server; resolves with the base URL. */
export const startInvestigatorApi = async (
  app: INestApplication,
  config: Pick<InvestigatorApiConfig, 'API_PORT' | 'API_HOST'>,
): Promise<string> => {
  await app.startAllMicroservices();
  await app.listen(config.API_PORT, config.API_HOST);
  const server = app.getHttpServer() as Server;
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.API_PORT;
  const host = config.API_HOST === '0.0.0.0' || config.API_HOST === '::' ? '127.0.0.1' : config.API_HOST;
  return `http://${host}:${port}`;
};
