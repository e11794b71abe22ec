import { request } from '../testing/api-client.testing';
import { startApiHarness, type ApiHarness } from '../testing/api-harness.testing';

describe('investigator API health probes', () => {
  let up: ApiHarness;
  let storeDown: ApiHarness;

  beforeAll(async () => {
    up = await startApiHarness();
    // Nothing listens on port 1: the graph store never answers.
    storeDown = await startApiHarness({ NEO4J_URL: 'bolt://127.0.0.1:1', API_CONSUME_ALERTS: 'false' });
  });

  afterAll(async () => {
    await up?.close();
    await storeDown?.close();
  });

  it('reports ready, without a token, when the graph store answers', async () => {
    const ready = await request(up.baseUrl, 'GET', '/health/ready');
    expect({ status: ready.status, body: ready.body }).toEqual({
      status: 200,
      body: { status: 'ok', neo4j: 'up' },
    });
  });

  it('reports 503 problem+json when the graph store does not answer, while liveness still answers', async () => {
    const ready = await request<{ detail: string }>(storeDown.baseUrl, 'GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.contentType).toContain('application/problem+json');
    expect(ready.body.detail).toBe('the graph store does not answer');
    expect((await request(storeDown.baseUrl, 'GET', '/health')).status).toBe(200);
  });
});
