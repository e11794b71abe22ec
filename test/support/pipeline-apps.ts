import type { INestMicroservice } from '@nestjs/common';
import { createGraphWriter } from '../../apps/graph-writer/src/graph-writer.app';
import { loadGraphWriterConfig } from '../../apps/graph-writer/src/graph-writer.config';
import { createIngestGateway } from '../../apps/ingest-gateway/src/ingest-gateway.app';
import { loadIngestGatewayConfig } from '../../apps/ingest-gateway/src/ingest-gateway.config';
import { createMuleDetector } from '../../apps/mule-detector/src/mule-detector.app';
import { loadMuleDetectorConfig } from '../../apps/mule-detector/src/mule-detector.config';
import { createNetworkDetector } from '../../apps/network-detector/src/network-detector.app';
import { loadNetworkDetectorConfig } from '../../apps/network-detector/src/network-detector.config';
import { createProceedsTracer } from '../../apps/proceeds-tracer/src/proceeds-tracer.app';
import { loadProceedsTracerConfig } from '../../apps/proceeds-tracer/src/proceeds-tracer.config';

export type PipelineService =
  'ingest-gateway' | 'graph-writer' | 'mule-detector' | 'proceeds-tracer' | 'network-detector';

const ALL: readonly PipelineService[] = ['ingest-gateway', 'graph-writer', 'mule-detector'];

const create = (service: PipelineService, env: Record<string, string | undefined>) => {
  switch (service) {
    case 'ingest-gateway':
      return createIngestGateway(loadIngestGatewayConfig(env));
    case 'graph-writer':
      return createGraphWriter(loadGraphWriterConfig(env));
    case 'mule-detector':
      return createMuleDetector(loadMuleDetectorConfig(env));
    case 'network-detector':
      return createNetworkDetector(loadNetworkDetectorConfig(env));
    case 'proceeds-tracer':
      return createProceedsTracer(loadProceedsTracerConfig(env));
  }
};

/** Boots services in-process with `env` (from `serviceEnv`) and starts them consuming. */
export const startPipeline = async (
  env: Record<string, string>,
  services: readonly PipelineService[] = ALL,
): Promise<INestMicroservice[]> => {
  const apps = await Promise.all(services.map((service) => create(service, { ...process.env, ...env })));
  await Promise.all(apps.map((app) => app.listen()));
  return apps;
};

export const stopPipeline = async (apps: readonly INestMicroservice[]): Promise<void> => {
  await Promise.all(apps.map((app) => app.close()));
};
