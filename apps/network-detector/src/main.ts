import 'reflect-metadata';
import { createNetworkDetector } from './network-detector.app';
import { loadNetworkDetectorConfig } from './network-detector.config';

const bootstrap = async (): Promise<void> => {
  const app = await createNetworkDetector(loadNetworkDetectorConfig());
  app.enableShutdownHooks();
  await app.listen();
};

bootstrap().catch((error: unknown) => {
  console.error('network-detector failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
