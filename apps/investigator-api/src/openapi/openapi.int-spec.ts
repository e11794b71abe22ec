import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { request } from '../testing/api-client.testing';
import { startApiHarness, type ApiHarness } from '../testing/api-harness.testing';

const COMMITTED = path.resolve(__dirname, '../../../../docs/openapi.json');

describe('OpenAPI document', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApiHarness({ API_CONSUME_ALERTS: 'false' });
  });

  afterAll(async () => {
    await api.close();
  });

  it('is served at /docs-json exactly as committed in docs/openapi.json (run `npm run openapi` after changing routes)', async () => {
    const served = await request<object>(api.baseUrl, 'GET', '/docs-json');
    expect(served.status).toBe(200);
    const committed = JSON.parse(await readFile(COMMITTED, 'utf8')) as object;
    expect(served.body).toEqual(committed);
  });

  it('serves Swagger UI at /docs and documents bearer auth and problem+json errors', async () => {
    const ui = await request<string>(api.baseUrl, 'GET', '/docs');
    expect(ui.status).toBe(200);
    expect(ui.contentType).toContain('text/html');
    const document = (
      await request<{
        components: { securitySchemes: Record<string, { scheme: string }> };
        paths: Record<
          string,
          Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
        >;
      }>(api.baseUrl, 'GET', '/docs-json')
    ).body;
    expect(document.components.securitySchemes['bearer']?.scheme).toBe('bearer');
    expect(Object.keys(document.paths['/alerts']?.['get']?.responses['400']?.content ?? {})).toEqual([
      'application/problem+json',
    ]);
  });
});
