import 'reflect-metadata';
import { createGraphWriter } from './graph-writer.app';
import { loadGraphWriterConfig } from './graph-writer.config';

const bootstrap = async (): Promise<void> => {
  const app = await createGraphWriter(loadGraphWriterConfig());
  app.enableShutdownHooks();
  await app.listen();
};

bootstrap().catch((error: unknown) => {
  console.error('graph-writer failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
