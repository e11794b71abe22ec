import { NestFactory } from '@nestjs/core';
import type { INestMicroservice } from '@nestjs/common';
import { logLevelsUpTo } from '@scamflow/config';
import { KafkaBatchServer, batchServerOptionsOf } from '@scamflow/messaging';
import type { GraphWriterConfig } from './graph-writer.config';
import { GraphWriterModule } from './graph-writer.module';

/** Builds the graph writer microservice (used by main.ts and by end-to-end tests). */
export const createGraphWriter = (config: GraphWriterConfig): Promise<INestMicroservice> =>
  NestFactory.createMicroservice(GraphWriterModule.register(config), {
    strategy: new KafkaBatchServer(
      batchServerOptionsOf(config, config.KAFKA_CLIENT_ID ?? 'graph-writer', config.GRAPH_WRITER_GROUP_ID, {
        partitionsConsumedConcurrently: config.GRAPH_WRITER_PARTITIONS_CONCURRENTLY,
      }),
    ),
    logger: logLevelsUpTo(config.LOG_LEVEL),
  });
