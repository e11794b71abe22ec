import { NestFactory } from '@nestjs/core';
import type { INestMicroservice } from '@nestjs/common';
import { logLevelsUpTo } from '@scamflow/config';
import { KafkaBatchServer, batchServerOptionsOf } from '@scamflow/messaging';
import type { NetworkDetectorConfig } from './network-detector.config';
import { NetworkDetectorModule } from './network-detector.module';

/** Builds the network detector microservice (streaming patterns over Redis; no graph reads) (used by main.ts and by integration tests). */
export const createNetworkDetector = (config: NetworkDetectorConfig): Promise<INestMicroservice> =>
  NestFactory.createMicroservice(NetworkDetectorModule.register(config), {
    strategy: new KafkaBatchServer(
      batchServerOptionsOf(
        config,
        config.KAFKA_CLIENT_ID ?? 'network-detector',
        config.NETWORK_DETECTOR_GROUP_ID,
      ),
    ),
    logger: logLevelsUpTo(config.LOG_LEVEL),
  });
