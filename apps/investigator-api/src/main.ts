import 'reflect-metadata';
import { createInvestigatorApi, startInvestigatorApi } from './investigator-api.app';
import { loadInvestigatorApiConfig } from './investigator-api.config';

const bootstrap = async (): Promise<void> => {
  const config = loadInvestigatorApiConfig();
  const app = await createInvestigatorApi(config);
  const url = await startInvestigatorApi(app, config);
  console.log(`investigator-api listening on ${url} (OpenAPI at ${url}/docs)`);
};

bootstrap().catch((error: unknown) => {
  console.error('investigator-api failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
