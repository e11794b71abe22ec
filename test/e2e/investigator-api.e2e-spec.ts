import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import neo4j from 'neo4j-driver';
import type { Tracing } from '@scamflow/contracts';
import { AuditLogRepository } from '@scamflow/graph';
import { formatMinor } from '@scamflow/money';
import { VerifyAuditChainService } from '../../apps/investigator-api/src/audit/verify-audit-chain.service';
import { StoreProbe } from '../../apps/investigator-api/src/testing/store-probe.testing';
import {
  startApiHarness,
  type ApiHarness,
} from '../../apps/investigator-api/src/testing/api-harness.testing';
import { runSimulation } from '../../apps/scam-simulator/src/run-simulation';
import { SCENARIOS } from '../../apps/scam-simulator/src/scenarios';
import { KafkaSimulationSink } from '../../apps/scam-simulator/src/simulation.sink';
import { expectEventually } from '../support/expect-eventually';
import { startPipeline, stopPipeline } from '../support/pipeline-apps';
import { serviceEnv, startServiceGroupsAtEnd, testServers } from '../support/test-env';

const run = randomUUID().replace(/-/g, '').slice(0, 10);
const DAY_MS = 24 * 60 * 60 * 1000;
/** Eight days ago at midnight UTC: the whole demo lies in the past, as the gateway requires. */
const startAt = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 8 * DAY_MS).toISOString();

interface AlertSummary {
  readonly alertId: string;
  readonly version: number;
  readonly state: string;
  readonly subject: { readonly accountKey: string };
}

interface AlertDetail extends AlertSummary {
  readonly lifecycle: { readonly state: string; readonly history: readonly { to: string; by: string }[] };
  readonly tracing: Tracing | null;
}

/**
 * The "Must show" story on real servers: the simulator's demo scenario through the five services →
 * alerts listed over HTTP → one cross-border proceeds alert through its whole lifecycle → its goAML XML →
 * the case's freeze requests quoting exactly the alert's traced amounts → every call in the audit log,
 * whose chain verifies, and stops verifying once one stored entry is tampered with.
 */
describe('investigator API on the demo scenario', () => {
  const servers = testServers();
  let apps: INestMicroservice[] = [];
  let api: ApiHarness;
  const truthDir = mkdtempSync(join(tmpdir(), 'api-e2e-'));
  const subs = {
    analyst: `analyst-${run}`,
    supervisor: `supervisor-${run}`,
    investigator: `investigator-${run}`,
  };
  let chosen: AlertDetail;
  /** Every call the story made, with its answer's status. */
  const calls: { path: string; status: number }[] = [];

  const call = async (method: 'GET' | 'POST', path: string, token: string, body?: unknown) => {
    const response = await fetch(`${api.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    calls.push({ path: `${method} ${path}`, status: response.status });
    return response;
  };
  const analyst = () => api.tokenFor('analyst', { sub: subs.analyst });
  const supervisor = () => api.tokenFor('supervisor', { sub: subs.supervisor });
  const investigator = () => api.tokenFor('investigator', { sub: subs.investigator });
  const detailOf = async (alertId: string): Promise<AlertDetail> =>
    (await (await call('GET', `/alerts/${encodeURIComponent(alertId)}`, analyst())).json()) as AlertDetail;

  beforeAll(async () => {
    const env = serviceEnv(run);
    await startServiceGroupsAtEnd(env);
    api = await startApiHarness();
    apps = await startPipeline(env, [
      'ingest-gateway',
      'graph-writer',
      'mule-detector',
      'network-detector',
      'proceeds-tracer',
    ]);
    await runSimulation(
      { scenario: SCENARIOS.demo, seed: 42, namespace: run, startAt },
      KafkaSimulationSink.create(servers.kafkaBrokers, join(truthDir, 'ground-truth.jsonl')),
    );
  }, 180_000);

  afterAll(async () => {
    await stopPipeline(apps);
    await api?.close();
    rmSync(truthDir, { recursive: true, force: true });
  });

  it("lists the run's cross-border proceeds alerts over HTTP", async () => {
    chosen = await expectEventually(
      async () => {
        const response = await call('GET', '/alerts?typology=proceeds.cross-border&limit=500', analyst());
        expect(response.status).toBe(200);
        const page = (await response.json()) as { items: AlertSummary[] };
        const ours = page.items.filter((item) => item.subject.accountKey.includes(run));
        expect(ours.length).toBeGreaterThan(0);
        const details = await Promise.all(ours.map((item) => detailOf(item.alertId)));
        const traced = details.find((d) => (d.tracing?.holders.length ?? 0) > 0);
        expect(traced).toBeDefined();
        return traced as AlertDetail;
      },
      { timeoutMs: 150_000, intervalMs: 2_000 },
    );
    expect(chosen.state).toBe('new');
  });

  it('takes the alert through its whole lifecycle, every step recorded with who did it', async () => {
    const path = `/alerts/${encodeURIComponent(chosen.alertId)}/transitions`;
    const steps: [string, Record<string, unknown>][] = [
      [analyst(), { action: 'acknowledge' }],
      [analyst(), { action: 'assign', assignee: subs.analyst }],
      [analyst(), { action: 'escalate', strReference: `STR-${run}` }],
      [supervisor(), { action: 'close', disposition: 'confirmed-proceeds' }],
    ];
    for (const [token, body] of steps) {
      const response = await call('POST', path, token, body);
      expect([body.action, response.ok]).toEqual([body.action, true]);
    }
    const detail = await detailOf(chosen.alertId);
    expect(detail.lifecycle.state).toBe('closed');
    expect(detail.lifecycle.history.map((t) => [t.to, t.by])).toEqual([
      ['acknowledged', subs.analyst],
      ['assigned', subs.analyst],
      ['escalated', subs.analyst],
      ['closed', subs.supervisor],
    ]);
  });

  it("downloads the alert's goAML STR: well-formed, one transaction per traced hop, exact local amounts", async () => {
    const response = await call(
      'GET',
      `/alerts/${encodeURIComponent(chosen.alertId)}/goaml.xml`,
      supervisor(),
    );
    expect(response.status).toBe(200);
    const xml = await response.text();
    expect(XMLValidator.validate(xml)).toBe(true);
    const report = (
      new XMLParser({ parseTagValue: false, isArray: (name) => name === 'transaction' }).parse(xml) as {
        report: {
          report_code: string;
          entity_reference: string;
          transaction: { transactionnumber: string; amount_local: string }[];
        };
      }
    ).report;
    expect(report.report_code).toBe('STR');
    expect(report.entity_reference).toBe(`${chosen.alertId}/v${chosen.version}`);
    expect(report.transaction).toHaveLength(chosen.tracing?.ledger.length ?? -1);
    for (const tx of report.transaction) expect(tx.amount_local).toMatch(/^\d+\.\d{2}$/);
    expect(
      (await call('GET', `/alerts/${encodeURIComponent(chosen.alertId)}/goaml.xml`, analyst())).status,
    ).toBe(403);
  });

  it("quotes in the case's freeze requests exactly the alert's traced amounts per holder", async () => {
    const tracing = chosen.tracing;
    const caseId = tracing?.victims[0]?.caseId ?? '';
    const response = await call(
      'GET',
      `/cases/${encodeURIComponent(caseId)}/freeze-requests`,
      investigator(),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      items: {
        accounts: {
          accountKey: string;
          amounts: { rule: string; amount: { amountMinor: string; currency: string; decimal: string } }[];
        }[];
      }[];
    };
    const quoted = body.items
      .flatMap((r) => r.accounts)
      .flatMap((a) =>
        a.amounts
          .filter((x) => x.rule === tracing?.preferredRule && BigInt(x.amount.amountMinor) > 0n)
          .map((x) => `${a.accountKey} ${x.amount.decimal} ${x.amount.currency}`),
      )
      .sort();
    const traced = (tracing?.holders ?? [])
      .flatMap((h) =>
        h.amounts
          .filter(
            (a) =>
              a.caseId === caseId && a.rule === tracing?.preferredRule && BigInt(a.amount.amountMinor) > 0n,
          )
          .map(
            (a) =>
              `${h.account.accountKey} ${formatMinor(a.amount.amountMinor, a.amount.scale)} ${a.amount.currency}`,
          ),
      )
      .sort();
    expect(traced.length).toBeGreaterThan(0);
    expect(quoted).toEqual(traced);
  });

  it('audits every one of those calls, verifies the chain, and names the entry someone tampered with', async () => {
    const chainId = api.config.API_AUDIT_CHAIN_ID;
    const driver = neo4j.driver(
      servers.neo4jUrl,
      servers.neo4jUser ? neo4j.auth.basic(servers.neo4jUser, servers.neo4jPassword) : undefined,
    );
    const store = new StoreProbe();
    try {
      // Refusals count too: the analyst's goAML download answered 403 and must be on record.
      expect(calls.some((c) => c.status === 403)).toBe(true);
      const audited = await expectEventually(async () => {
        const entries = (await store.auditEntries(chainId)).filter((e) =>
          Object.values(subs).includes(e.sub),
        );
        expect(entries.map((e) => e.status)).toEqual(calls.map((c) => c.status));
        return entries;
      });
      const routes = new Set(audited.map((e) => e.route));
      for (const route of [
        'GET /alerts',
        'GET /alerts/:alertId',
        'POST /alerts/:alertId/transitions',
        'GET /alerts/:alertId/goaml.xml',
        'GET /cases/:caseId/freeze-requests',
      ]) {
        expect(routes).toContain(route);
      }
      expect(audited.filter((e) => e.route === 'POST /alerts/:alertId/transitions')).toHaveLength(4);
      expect(
        audited.filter((e) => e.route === 'GET /alerts/:alertId/goaml.xml').map((e) => e.status),
      ).toEqual([200, 403]);

      const verify = new VerifyAuditChainService(new AuditLogRepository(driver, servers.neo4jDatabase));
      expect(await verify.execute(chainId)).toMatchObject({ ok: true });
      const tampered = audited[Math.floor(audited.length / 2)];
      if (!tampered) throw new Error('no audit entry to tamper with');
      await store.tamperAuditEntry(chainId, tampered.seq, tampered.status === 200 ? 204 : 200);
      expect(await verify.execute(chainId)).toMatchObject({ ok: false, broken: { seq: tampered.seq } });
    } finally {
      await store.close();
      await driver.close();
    }
  });
});
