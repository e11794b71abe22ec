import { generateKeyPairSync } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { request } from '../testing/api-client.testing';
import { startApiHarness, type ApiHarness } from '../testing/api-harness.testing';

describe('bearer tokens signed with an RS256 key pair, and the rate limit per token', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const jwt = new JwtService();
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApiHarness({
      API_CONSUME_ALERTS: 'false',
      API_JWT_PUBLIC_KEY: publicKey.replace(/\n/g, '\\n'),
      API_RATE_LIMIT: '3',
      API_RATE_WINDOW_MS: '600000',
    });
  });

  afterAll(async () => {
    await api.close();
  });

  it("accepts the identity provider's RS256 tokens and refuses HS256 ones made with the public key", async () => {
    const good = jwt.sign(
      { sub: 'rsa-user', role: 'auditor' },
      { privateKey, algorithm: 'RS256', expiresIn: '5m' },
    );
    expect((await request(api.baseUrl, 'GET', '/audit?limit=1', { token: good })).status).toBe(200);
    // Algorithm confusion: the public key is public, so a token "signed" with it as an HMAC secret must fail.
    const confused = jwt.sign({ sub: 'mallory', role: 'auditor' }, { secret: publicKey, algorithm: 'HS256' });
    const refused = await request(api.baseUrl, 'GET', '/audit?limit=1', { token: confused });
    expect(refused.status).toBe(401);
    expect(refused.contentType).toContain('application/problem+json');
  });

  it('limits requests per token subject with 429 problem+json, leaving other callers alone', async () => {
    const sign = (sub: string) =>
      jwt.sign({ sub, role: 'auditor' }, { privateKey, algorithm: 'RS256', expiresIn: '5m' });
    const busy = sign('busy-auditor');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await request(api.baseUrl, 'GET', '/audit?limit=1', { token: busy })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await request(api.baseUrl, 'GET', '/audit?limit=1', { token: busy });
    expect(limited.contentType).toContain('application/problem+json');
    expect(
      (await request(api.baseUrl, 'GET', '/audit?limit=1', { token: sign('other-auditor') })).status,
    ).toBe(200);
  });
});
