import 'reflect-metadata';
import { createIngestGateway } from './ingest-gateway.app';
import { loadIngestGatewayConfig } from './ingest-gateway.config';

const bootstrap = async (): Promise<void> => {
  const app = await createIngestGateway(loadIngestGatewayConfig());
  app.enableShutdownHooks();
  await app.listen();
};

bootstrap().catch((error: unknown) => {
  console.error('ingest-gateway failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
