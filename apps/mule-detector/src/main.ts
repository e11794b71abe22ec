import 'reflect-metadata';
import { createMuleDetector } from './mule-detector.app';
import { loadMuleDetectorConfig } from './mule-detector.config';

const bootstrap = async (): Promise<void> => {
  const app = await createMuleDetector(loadMuleDetectorConfig());
  app.enableShutdownHooks();
  await app.listen();
};

bootstrap().catch((error: unknown) => {
  console.error('mule-detector failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
