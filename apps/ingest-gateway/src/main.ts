import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { errorSummary } from '@scamflow/observability';
import { createIngestGateway } from './ingest-gateway.app';
import { loadIngestGatewayConfig } from './ingest-gateway.config';

const bootstrap = async (): Promise<void> => {
  const config = loadIngestGatewayConfig();
  const app = await createIngestGateway(config);
  app.enableShutdownHooks();
  if (!config.INGEST_PRODUCER_KEYS) {
    new Logger('IngestGateway').warn(
      'INGEST_PRODUCER_KEYS is not set: producer identity is not checked (development only; see docs/operations.md)',
    );
  }
  await app.listen();
};

bootstrap().catch((error: unknown) => {
  console.error(
    `ingest-gateway failed to start: ${errorSummary(error)}`,
    error instanceof Error ? error.stack : '',
  );
  process.exit(1);
});
