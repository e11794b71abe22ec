/**
 * `npm run openapi`: writes the OpenAPI document generated from the controllers to docs/openapi.json (formatted
 * as Prettier formats it, so `npm run check` stays green). Needs no server: the app is built, never started.
 */
import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { createInvestigatorApi } from '../investigator-api.app';
import { loadInvestigatorApiConfig } from '../investigator-api.config';
import { buildOpenApiDocument } from './openapi';

export const OPENAPI_FILE = path.resolve(__dirname, '../../../../docs/openapi.json');

const main = async (): Promise<void> => {
  const app = await createInvestigatorApi(
    loadInvestigatorApiConfig({ API_CONSUME_ALERTS: 'false', LOG_LEVEL: 'error' }),
  );
  try {
    const document = buildOpenApiDocument(app);
    await writeFile(
      OPENAPI_FILE,
      await format(JSON.stringify(document), {
        ...(await resolveConfig(OPENAPI_FILE)),
        filepath: OPENAPI_FILE,
      }),
    );
    console.log(
      `wrote ${path.relative(process.cwd(), OPENAPI_FILE)} (${Object.keys(document.paths).length} paths)`,
    );
  } finally {
    await app.close();
  }
};

main().catch((error: unknown) => {
  console.error(`openapi failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
