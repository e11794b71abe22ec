import { collectEvents, request } from '../testing/api-client.testing';
import { startApiHarness, type ApiHarness } from '../testing/api-harness.testing';
import { ROLE_MATRIX, ROLES, type Role, type RouteId } from '@scamflow/contracts';

const BANK = 'MATRIXBANK';
/** Sample path parameters: unknown ids (a 404 is an allowed answer), the account at the bank's own institution. */
const SAMPLE_PARAMS: Record<string, string> = {
  alertId: 'matrix-no-such-alert',
  accountKey: `${BANK}:ACC0001`,
  caseId: 'matrix-no-such-case',
};
const SAMPLE_QUERIES: Partial<Record<RouteId, string>> = {
  'GET /paths': `?from=${BANK}:ACC0001&to=${BANK}:ACC0002`,
  'GET /accounts/:accountKey/trace': '?direction=forward&hops=2',
};
/** Bodies that may be refused as invalid (400) but never change anything. */
const SAMPLE_BODIES: Partial<Record<RouteId, unknown>> = {
  'POST /alerts/:alertId/transitions': { action: 'acknowledge' },
  'POST /cases': {},
};

const pathOf = (route: RouteId): { method: string; path: string } => {
  const [method = 'GET', template = '/'] = route.split(' ');
  const path = template.replace(/:([A-Za-z]+)/g, (_, name: string) =>
    encodeURIComponent(SAMPLE_PARAMS[name] ?? 'x'),
  );
  return { method, path: `${path}${SAMPLE_QUERIES[route] ?? ''}` };
};

const call = async (
  api: ApiHarness,
  route: RouteId,
  token: string | undefined,
): Promise<{ status: number; contentType: string }> => {
  const { method, path } = pathOf(route);
  if (route === 'GET /alerts/stream' && token) {
    // The stream never ends by itself: take the answer's status and hang up.
    return collectEvents(`${api.baseUrl}${path}`, token, () => true);
  }
  const body = SAMPLE_BODIES[route];
  return request(api.baseUrl, method, path, {
    ...(token ? { token } : {}),
    ...(body === undefined ? {} : { body }),
  });
};

describe('role × endpoint matrix (every cell on the real API)', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApiHarness({ API_CONSUME_ALERTS: 'false' });
  });

  afterAll(async () => {
    await api.close();
  });

  const cells = (Object.keys(ROLE_MATRIX) as RouteId[]).flatMap((route) =>
    ROLES.map((role) => ({ route, role, allowed: (ROLE_MATRIX[route] as readonly Role[]).includes(role) })),
  );

  it.each(cells)('$route as $role: allowed=$allowed', async ({ route, role, allowed }) => {
    const token = api.tokenFor(role, role === 'bank' ? { institutionId: BANK } : {});
    const answer = await call(api, route, token);
    if (allowed) {
      expect([401, 403]).not.toContain(answer.status);
      expect(answer.status).toBeLessThan(500);
    } else {
      expect(answer.status).toBe(403);
      expect(answer.contentType).toContain('application/problem+json');
    }
  });

  it.each(Object.keys(ROLE_MATRIX) as RouteId[])('%s without a token is 401 problem+json', async (route) => {
    const answer = await call(api, route, undefined);
    expect(answer.status).toBe(401);
    expect(answer.contentType).toContain('application/problem+json');
  });

  it('lists every served route in the matrix, and only served routes', async () => {
    const document = await request<{ paths: Record<string, Record<string, unknown>> }>(
      api.baseUrl,
      'GET',
      '/docs-json',
    );
    const served = Object.entries(document.body.paths)
      .flatMap(([path, operations]) =>
        Object.keys(operations).map(
          (method) => `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`,
        ),
      )
      .filter((route) => !route.startsWith('GET /health'))
      .sort();
    expect(served).toEqual(Object.keys(ROLE_MATRIX).sort());
  });
});
