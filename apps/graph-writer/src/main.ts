import 'reflect-metadata';
import { errorSummary } from '@scamflow/observability';
import { createGraphWriter } from './graph-writer.app';
import { loadGraphWriterConfig } from './graph-writer.config';

const bootstrap = async (): Promise<void> => {
  const app = await createGraphWriter(loadGraphWriterConfig());
  app.enableShutdownHooks();
  await app.listen();
};

bootstrap().catch((error: unknown) => {
  console.error(
    `graph-writer failed to start: ${errorSummary(error)}`,
    error instanceof Error ? error.stack : '',
  );
  process.exit(1);
});
