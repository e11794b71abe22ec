import { JwtService } from '@nestjs/jwt';
import { AlertInboxRepository } from '@scamflow/graph';
import { alertFixture, runIds } from '../testing/alert-fixtures.testing';
import { request, type ApiResponse } from '../testing/api-client.testing';
import { startApiHarness, type ApiHarness } from '../testing/api-harness.testing';
import { StoreProbe } from '../testing/store-probe.testing';

const expectProblem = (answer: ApiResponse, status: number): void => {
  expect(answer.status).toBe(status);
  expect(answer.contentType).toContain('application/problem+json');
  const body = answer.body as { status?: unknown; title?: unknown; detail?: unknown };
  expect([body.status, typeof body.title, typeof body.detail]).toEqual([status, 'string', 'string']);
  expect(JSON.stringify(answer.body)).not.toMatch(/\bat .+\.(ts|js):\d+/);
};

describe('hostile HTTP input (answered 4xx problem+json, nothing written)', () => {
  let api: ApiHarness;
  const store = new StoreProbe();
  const ids = runIds();
  const alertId = `${ids.run}-hostile`;

  beforeAll(async () => {
    api = await startApiHarness({ API_CONSUME_ALERTS: 'false', API_BODY_LIMIT_BYTES: '65536' });
    await api.app
      .get(AlertInboxRepository)
      .recordVersions(
        [alertFixture({ alertId, ownBank: ids.ownBank, otherBank: ids.otherBank })],
        new Date().toISOString(),
      );
  });

  afterAll(async () => {
    await api.close();
    await store.close();
  });

  const analyst = () => api.tokenFor('analyst');
  const post = (path: string, body: unknown, headers: Record<string, string> = {}, token = analyst()) =>
    request(api.baseUrl, 'POST', path, { token, body, headers });

  it('refuses bad and Cypher-looking identifiers and filters, listing every problem', async () => {
    for (const path of [
      `/alerts/${encodeURIComponent("x' OR 1=1 //")}`,
      `/alerts/${encodeURIComponent('a b')}`,
      `/alerts?caseId=${encodeURIComponent("x') MATCH (n) DETACH DELETE n //")}`,
      '/alerts?severity=apocalyptic&status=open',
      '/alerts?limit=100000',
      '/alerts?hops=1000',
      '/alerts?from=yesterday',
      '/alerts?cursor=not-a-cursor',
    ]) {
      const answer = await request(api.baseUrl, 'GET', path, { token: analyst() });
      expect([400, 404]).toContain(answer.status);
      expectProblem(answer, answer.status);
    }
    const both = await request<{ errors: { path: string }[] }>(
      api.baseUrl,
      'GET',
      '/alerts?severity=apocalyptic&status=open',
      { token: analyst() },
    );
    expect(both.body.errors.map((e) => e.path).sort()).toEqual(['query.severity.0', 'query.status.0']);
  });

  it('bounds graph queries: hops=1000 is 400 saying which limit', async () => {
    const answer = await request(
      api.baseUrl,
      'GET',
      `/accounts/${ids.ownBank}:MULE0001/trace?direction=forward&hops=1000`,
      {
        token: api.tokenFor('investigator'),
      },
    );
    expectProblem(answer, 400);
    expect(JSON.stringify(answer.body)).toContain('hops');
  });

  it('refuses huge bodies (413), wrong content types (415), malformed JSON and bad commands (400)', async () => {
    const path = `/alerts/${alertId}/transitions`;
    expectProblem(
      await post(path, JSON.stringify({ action: 'acknowledge', note: 'x'.repeat(200_000) })),
      413,
    );
    expectProblem(
      await post(path, 'action=acknowledge', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
    );
    expectProblem(
      await post(path, '<action>acknowledge</action>', { 'content-type': 'application/xml' }),
      415,
    );
    expectProblem(await post(path, '{"action": "acknowledge"', { 'content-type': 'application/json' }), 400);
    expectProblem(await post(path, { action: 'acknowledge', $where: 'MATCH (n) DETACH DELETE n' }), 400);
    expectProblem(
      await post(path, { action: 'close', disposition: 'false-positive' }, {}, api.tokenFor('supervisor')),
      400,
    );
    expectProblem(await post(path, [{ action: 'acknowledge' }]), 400);
  });

  it('refuses expired, forged, unsigned and malformed tokens with 401', async () => {
    const forgedSecret = new JwtService().sign(
      { sub: 'mallory', role: 'supervisor' },
      { secret: 'not-the-api-secret-at-all', algorithm: 'HS256' },
    );
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const claims = Buffer.from(JSON.stringify({ sub: 'mallory', role: 'supervisor' })).toString('base64url');
    const tokens = {
      expired: api.tokenFor('supervisor', { expiresIn: -60 }),
      forged: forgedSecret,
      unsigned: `${header}.${claims}.`,
      'unknown role': new JwtService().sign(
        { sub: 'x', role: 'admin' },
        { secret: api.config.API_JWT_SECRET ?? '' },
      ),
      'bank without institution': new JwtService().sign(
        { sub: 'x', role: 'bank' },
        { secret: api.config.API_JWT_SECRET ?? '' },
      ),
      garbage: 'Bearer Bearer',
    };
    for (const [name, token] of Object.entries(tokens)) {
      const answer = await post(`/alerts/${alertId}/transitions`, { action: 'acknowledge' }, {}, token);
      expect({ name, status: answer.status }).toEqual({ name, status: 401 });
      expectProblem(answer, 401);
    }
    const expired = await request<{ detail: string }>(api.baseUrl, 'GET', '/alerts', {
      token: tokens.expired,
    });
    expect(expired.body.detail).toContain('expired');
  });

  it('wrote nothing: the alert is still new without transitions, and no node has a hostile id', async () => {
    expect(await store.alertsWithPrefix(alertId)).toEqual([{ alertId, state: 'new', transitions: 0 }]);
    expect(await store.alertsWithPrefix("x'")).toEqual([]);
  });

  it('answers unknown routes and methods with 404 problem+json', async () => {
    expectProblem(await request(api.baseUrl, 'GET', '/no/such/route', { token: analyst() }), 404);
    expectProblem(await request(api.baseUrl, 'DELETE', `/alerts/${alertId}`, { token: analyst() }), 404);
  });
});
