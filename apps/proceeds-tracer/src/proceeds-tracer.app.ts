import { NestFactory } from '@nestjs/core';
import type { INestMicroservice } from '@nestjs/common';
import { logLevelsUpTo } from '@scamflow/config';
import { KafkaBatchServer } from '@scamflow/messaging';
import type { ProceedsTracerConfig } from './proceeds-tracer.config';
import { ProceedsTracerModule } from './proceeds-tracer.module';

/** Builds the proceeds tracer microservice (used by main.ts and by end-to-end tests). */
export const createProceedsTracer = (config: ProceedsTracerConfig): Promise<INestMicroservice> =>
  NestFactory.createMicroservice(ProceedsTracerModule.register(config), {
    strategy: new KafkaBatchServer({
      brokers: config.KAFKA_BROKERS,
      clientId: config.KAFKA_CLIENT_ID ?? 'proceeds-tracer',
      groupId: config.PROCEEDS_TRACER_GROUP_ID,
    }),
    logger: logLevelsUpTo(config.LOG_LEVEL),
  });
