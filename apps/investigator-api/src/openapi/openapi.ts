import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export const OPENAPI_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs-json';

/** The OpenAPI 3 document generated from the controllers' decorators (and their zod schemas). */
export const buildOpenApiDocument = (app: INestApplication): OpenAPIObject =>
  SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Investigator API')
      .setDescription(
        'Alert inbox, graph queries, cases and filing documents for FIU analysts, investigators, supervisors, ' +
          'reporting banks, hotline operators and auditors. Every route but /health needs a bearer JWT; errors ' +
          'are application/problem+json (RFC 9457). See docs/investigator-api.md.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
      .addSecurityRequirements('bearer')
      .build(),
  );

/**
 * Serves the document at /docs (Swagger UI) and /docs-json. Both describe the API only (no data), so they are
 * served without a token, like the description a client generator fetches.
 */
export const setUpOpenApi = (app: INestApplication): OpenAPIObject => {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup(OPENAPI_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    yamlDocumentUrl: `${OPENAPI_PATH}-yaml`,
  });
  return document;
};
