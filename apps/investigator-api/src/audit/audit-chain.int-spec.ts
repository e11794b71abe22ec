import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { request } from '../testing/api-client.testing';
import { startApiHarness, type ApiHarness } from '../testing/api-harness.testing';
import { StoreProbe } from '../testing/store-probe.testing';
import { testServers } from '../../../../test/support/test-env';
import { VerifyAuditChainService } from './verify-audit-chain.service';

const ROOT = path.resolve(__dirname, '../../../..');

interface AuditPage {
  items: {
    seq: number;
    route: string;
    status: number;
    sub: string;
    role: string;
    alerts: string[];
    prevHash: string;
    hash: string;
    params: { query?: Record<string, string> };
  }[];
  nextCursor: string | null;
}

/** Runs `npm run audit:verify -- --chain <id>` as an operator would; returns its exit code and output. */
const auditVerify = async (chainId: string): Promise<{ code: number; output: string }> => {
  const servers = testServers();
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(ROOT, 'apps/investigator-api/src/audit/verify-audit-chain.main.ts'),
        '--chain',
        chainId,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, NEO4J_URL: servers.neo4jUrl, NEO4J_DATABASE: servers.neo4jDatabase },
      },
    );
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
};

describe('audit log (hash-chained in Neo4j)', () => {
  let api: ApiHarness;
  let second: ApiHarness;
  const store = new StoreProbe();

  beforeAll(async () => {
    api = await startApiHarness({ API_CONSUME_ALERTS: 'false' });
    // A second instance appending to the same chain, as behind a load balancer.
    second = await startApiHarness({
      API_CONSUME_ALERTS: 'false',
      API_AUDIT_CHAIN_ID: api.config.API_AUDIT_CHAIN_ID,
    });
  });

  afterAll(async () => {
    await Promise.all([api.close(), second.close()]);
    await store.close();
  });

  it('records who asked what and the answer, refusals included, but nothing for unauthenticated requests', async () => {
    const chain = api.config.API_AUDIT_CHAIN_ID;
    await request(api.baseUrl, 'GET', '/alerts?severity=critical&limit=3', {
      token: api.tokenFor('analyst', { sub: 'ana' }),
    });
    await request(api.baseUrl, 'GET', '/alerts/no-such-alert', {
      token: api.tokenFor('investigator', { sub: 'ivy' }),
    });
    await request(api.baseUrl, 'GET', '/audit', { token: api.tokenFor('analyst', { sub: 'eve' }) });
    await request(api.baseUrl, 'GET', '/alerts', { token: 'forged.token.value' });
    await request(api.baseUrl, 'GET', '/alerts');

    const page = await request<AuditPage>(api.baseUrl, 'GET', '/audit?limit=10', {
      token: api.tokenFor('auditor'),
    });
    expect(page.status).toBe(200);
    const [refused, notFound, listed] = page.body.items;
    expect(refused).toMatchObject({ seq: 3, route: 'GET /audit', status: 403, sub: 'eve', role: 'analyst' });
    expect(notFound).toMatchObject({
      seq: 2,
      route: 'GET /alerts/:alertId',
      status: 404,
      sub: 'ivy',
      role: 'investigator',
    });
    expect(listed).toMatchObject({ seq: 1, route: 'GET /alerts', status: 200, sub: 'ana', role: 'analyst' });
    expect(listed?.params.query).toEqual({ severity: 'critical', limit: '3' });
    expect(notFound?.prevHash).toBe(listed?.hash);
    // The auditor's own reading is audited too; the forged and the anonymous request left nothing.
    expect((await store.auditEntries(chain)).map((e) => e.sub)).toEqual([
      'ana',
      'ivy',
      'eve',
      'auditor-test',
    ]);
  });

  it('never forks the chain under concurrent requests on two API instances', async () => {
    const chain = api.config.API_AUDIT_CHAIN_ID;
    const before = (await store.auditEntries(chain)).length;
    await Promise.all(
      Array.from({ length: 24 }, (_, i) => {
        const target = i % 2 === 0 ? api : second;
        return request(target.baseUrl, 'GET', `/alerts?limit=1&caseId=audit-${i}`, {
          token: target.tokenFor('analyst'),
        });
      }),
    );
    const entries = await store.auditEntries(chain);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: before + 24 }, (_, i) => i + 1));
    const verdict = await api.app.get(VerifyAuditChainService).execute(chain);
    expect(verdict).toMatchObject({ ok: true, entries: before + 24 });
  });

  it('passes audit:verify when intact and names the tampered entry when one is altered', async () => {
    const chain = api.config.API_AUDIT_CHAIN_ID;
    const intact = await auditVerify(chain);
    expect(intact.code).toBe(0);
    expect(intact.output).toContain('entries verified');

    await store.tamperAuditEntry(chain, 2, 200);
    const tampered = await auditVerify(chain);
    expect(tampered.code).toBe(1);
    expect(tampered.output).toContain('BROKEN at entry 2');
    expect(await api.app.get(VerifyAuditChainService).execute(chain)).toMatchObject({
      ok: false,
      broken: { seq: 2 },
    });
  });
});
