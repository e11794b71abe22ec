import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { TYPOLOGIES, type TracedHolder } from '@scamflow/contracts';
import { runSimulation } from '../../scam-simulator/src/run-simulation';
import { SCENARIOS } from '../../scam-simulator/src/scenarios';
import { KafkaSimulationSink } from '../../scam-simulator/src/simulation.sink';
import { expectEventually } from '../../../test/support/expect-eventually';
import { startPipeline, stopPipeline } from '../../../test/support/pipeline-apps';
import { serviceEnv, startServiceGroupsAtEnd, testServers } from '../../../test/support/test-env';
import { VerifyAuditChainService } from './audit/verify-audit-chain.service';
import { request } from './testing/api-client.testing';
import { startApiHarness, type ApiHarness } from './testing/api-harness.testing';
import { StoreProbe } from './testing/store-probe.testing';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The simulator's namespace: 4-16 lowercase hex digits, written into every id of this run. */
const run = randomBytes(4).toString('hex');
const startAt = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 8 * DAY_MS).toISOString();

interface AlertItem {
  alertId: string;
  caseIds: string[];
  typology: string;
}
interface AlertDetail {
  alertId: string;
  caseIds: string[];
  latest: { tracing: { preferredRule: string; holders: TracedHolder[] } | null };
  lifecycle: { state: string; disposition: string | null; history: { action: string; by: string }[] };
}
interface FreezeRequests {
  items: {
    institutionId: string;
    quotedRule: string;
    accounts: {
      accountKey: string;
      amounts: { rule: string; amount: { amountMinor: string; currency: string } }[];
    }[];
  }[];
}
interface AuditPage {
  items: { route: string; status: number; sub: string; alerts: string[]; cases: string[] }[];
}

describe('investigator journey: simulated scam in, alert worked, filed, frozen and audited over HTTP', () => {
  const servers = testServers();
  const store = new StoreProbe();
  const truthDir = mkdtempSync(join(tmpdir(), 'journey-'));
  let pipeline: INestMicroservice[] = [];
  let api: ApiHarness;
  const token = (role: 'analyst' | 'supervisor' | 'investigator' | 'auditor') =>
    api.tokenFor(role, { sub: `journey-${role}-${run}` });

  beforeAll(async () => {
    const env = serviceEnv(run);
    await startServiceGroupsAtEnd(env);
    api = await startApiHarness();
    pipeline = await startPipeline(env, [
      'ingest-gateway',
      'graph-writer',
      'mule-detector',
      'network-detector',
      'proceeds-tracer',
    ]);
    await runSimulation(
      { scenario: SCENARIOS.demo, seed: 11, namespace: run, startAt },
      KafkaSimulationSink.create(servers.kafkaBrokers, join(truthDir, 'truth.jsonl')),
    );
  }, 300_000);

  afterAll(async () => {
    await stopPipeline(pipeline);
    await api.close();
    await store.close();
    rmSync(truthDir, { recursive: true, force: true });
  });

  it('lists the run’s cross-border alert, works it to closed, files it, freezes its amounts and audits every call', async () => {
    // 1. The alert reaches the inbox and is listed over HTTP.
    const listed = await expectEventually(
      async () => {
        const page = await request<{ items: AlertItem[] }>(
          api.baseUrl,
          'GET',
          `/alerts?typology=${TYPOLOGIES.crossBorderProceeds}&sort=-raisedAt&limit=500`,
          { token: token('analyst') },
        );
        const ours = page.body.items.find((a) => a.caseIds.some((id) => id.includes(run)));
        expect(ours).toBeDefined();
        return ours as AlertItem;
      },
      { timeoutMs: 420_000, intervalMs: 2_000 },
    );
    const { alertId } = listed;
    const caseId = listed.caseIds.find((id) => id.includes(run)) ?? '';

    // 2. The whole lifecycle.
    const step = async (role: 'analyst' | 'supervisor', body: object) => {
      const answer = await request<AlertDetail>(api.baseUrl, 'POST', `/alerts/${alertId}/transitions`, {
        token: token(role),
        body,
      });
      expect(answer.status).toBe(200);
      return answer.body;
    };
    await step('analyst', { action: 'acknowledge' });
    await step('analyst', { action: 'assign', assignee: `journey-analyst-${run}` });
    await step('analyst', { action: 'escalate', strReference: `STR-${run}` });
    const closed = await step('supervisor', { action: 'close', disposition: 'confirmed-proceeds' });
    expect(closed.lifecycle).toMatchObject({ state: 'closed', disposition: 'confirmed-proceeds' });

    // 3. Its goAML report, downloaded and parsed.
    const goaml = await request<string>(api.baseUrl, 'GET', `/alerts/${alertId}/goaml.xml`, {
      token: token('supervisor'),
    });
    expect(goaml.status).toBe(200);
    expect(goaml.contentType).toContain('xml');
    expect(XMLValidator.validate(goaml.body)).toBe(true);
    expect(Object.keys(new XMLParser().parse(goaml.body) as object)).toContain('report');

    // 4. The case's freeze requests quote exactly the alert's traced amounts.
    const detail = (
      await request<AlertDetail>(api.baseUrl, 'GET', `/alerts/${alertId}`, { token: token('investigator') })
    ).body;
    const tracing = detail.latest.tracing;
    expect(tracing).not.toBeNull();
    const traced = new Map<string, string>(
      (tracing?.holders ?? []).flatMap((holder) =>
        holder.amounts
          .filter((a) => a.caseId === caseId)
          .map((a): [string, string] => [`${holder.account.accountKey}|${a.rule}`, a.amount.amountMinor]),
      ),
    );
    const freeze = await request<FreezeRequests>(api.baseUrl, 'GET', `/cases/${caseId}/freeze-requests`, {
      token: token('investigator'),
    });
    expect(freeze.status).toBe(200);
    const quoted = freeze.body.items.flatMap((item) =>
      item.accounts.flatMap((account) =>
        account.amounts
          .filter((a) => a.rule === item.quotedRule)
          .map((a) => ({ key: `${account.accountKey}|${a.rule}`, amountMinor: a.amount.amountMinor })),
      ),
    );
    expect(quoted.length).toBeGreaterThan(0);
    for (const { key, amountMinor } of quoted)
      expect({ key, amountMinor }).toEqual({ key, amountMinor: traced.get(key) });

    // 5. The audit log shows every one of those calls, and the chain verifies; altering one entry breaks it there.
    const audit = await request<AuditPage>(api.baseUrl, 'GET', '/audit?limit=500', {
      token: token('auditor'),
    });
    const ours = audit.body.items.filter((e) => e.sub.endsWith(run)).reverse();
    expect(
      ours.filter((e) => e.route === 'POST /alerts/:alertId/transitions' && e.alerts.includes(alertId)),
    ).toHaveLength(4);
    expect(ours.some((e) => e.route === 'GET /alerts/:alertId/goaml.xml' && e.status === 200)).toBe(true);
    expect(
      ours.some((e) => e.route === 'GET /cases/:caseId/freeze-requests' && e.cases.includes(caseId)),
    ).toBe(true);
    expect(ours.some((e) => e.route === 'GET /alerts/:alertId' && e.alerts.includes(alertId))).toBe(true);
    const chain = api.config.API_AUDIT_CHAIN_ID;
    const verify = api.app.get(VerifyAuditChainService);
    expect(await verify.execute(chain)).toMatchObject({ ok: true });
    await store.tamperAuditEntry(chain, 3, 500);
    expect(await verify.execute(chain)).toMatchObject({ ok: false, broken: { seq: 3 } });
  }, 540_000);
});
