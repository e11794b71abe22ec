import { NestFactory } from '@nestjs/core';
import type { INestMicroservice } from '@nestjs/common';
import { logLevelsUpTo } from '@scamflow/config';
import { KafkaBatchServer, batchServerOptionsOf } from '@scamflow/messaging';
import type { IngestGatewayConfig } from './ingest-gateway.config';
import { IngestGatewayModule } from './ingest-gateway.module';

/** Builds the ingest gateway microservice (used by main.ts and by end-to-end tests). */
export const createIngestGateway = (config: IngestGatewayConfig): Promise<INestMicroservice> =>
  NestFactory.createMicroservice(IngestGatewayModule.register(config), {
    strategy: new KafkaBatchServer(
      batchServerOptionsOf(config, config.KAFKA_CLIENT_ID ?? 'ingest-gateway', config.INGEST_GROUP_ID),
    ),
    logger: logLevelsUpTo(config.LOG_LEVEL),
  });
