import { NestFactory } from '@nestjs/core';
import type { INestMicroservice } from '@nestjs/common';
import { logLevelsUpTo } from '@scamflow/config';
import { KafkaBatchServer, batchServerOptionsOf } from '@scamflow/messaging';
import type { ProceedsTracerConfig } from './proceeds-tracer.config';
import { ProceedsTracerModule } from './proceeds-tracer.module';

/** Builds the proceeds tracer microservice (used by main.ts and by end-to-end tests). */
export const createProceedsTracer = (config: ProceedsTracerConfig): Promise<INestMicroservice> =>
  NestFactory.createMicroservice(ProceedsTracerModule.register(config), {
    strategy: new KafkaBatchServer(
      batchServerOptionsOf(
        config,
        config.KAFKA_CLIENT_ID ?? 'proceeds-tracer',
        config.PROCEEDS_TRACER_GROUP_ID,
      ),
    ),
    logger: logLevelsUpTo(config.LOG_LEVEL),
  });
