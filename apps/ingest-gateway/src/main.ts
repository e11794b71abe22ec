import 'reflect-metadata';
import { errorSummary } from '@scamflow/observability';
import { createIngestGateway } from './ingest-gateway.app';
import { loadIngestGatewayConfig } from './ingest-gateway.config';

const bootstrap = async (): Promise<void> => {
  const app = await createIngestGateway(loadIngestGatewayConfig());
  app.enableShutdownHooks();
  await app.listen();
};

bootstrap().catch((error: unknown) => {
  console.error(
    `ingest-gateway failed to start: ${errorSummary(error)}`,
    error instanceof Error ? error.stack : '',
  );
  process.exit(1);
});
