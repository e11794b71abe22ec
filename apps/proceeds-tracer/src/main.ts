import 'reflect-metadata';
import { createProceedsTracer } from './proceeds-tracer.app';
import { loadProceedsTracerConfig } from './proceeds-tracer.config';

const bootstrap = async (): Promise<void> => {
  const app = await createProceedsTracer(loadProceedsTracerConfig());
  app.enableShutdownHooks();
  await app.listen();
};

bootstrap().catch((error: unknown) => {
  console.error('proceeds-tracer failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
