import { NestFactory } from '@nestjs/core';
import type { INestMicroservice } from '@nestjs/common';
import { logLevelsUpTo } from '@scamflow/config';
import { KafkaBatchServer, batchServerOptionsOf } from '@scamflow/messaging';
import type { MuleDetectorConfig } from './mule-detector.config';
import { MuleDetectorModule } from './mule-detector.module';

/** Builds the mule detector microservice (used by main.ts and by end-to-end tests). */
export const createMuleDetector = (config: MuleDetectorConfig): Promise<INestMicroservice> =>
  NestFactory.createMicroservice(MuleDetectorModule.register(config), {
    strategy: new KafkaBatchServer(
      batchServerOptionsOf(config, config.KAFKA_CLIENT_ID ?? 'mule-detector', config.MULE_DETECTOR_GROUP_ID),
    ),
    logger: logLevelsUpTo(config.LOG_LEVEL),
  });
