import { randomUUID } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import neo4j, { type Driver } from 'neo4j-driver';
import {
  accountKeyOf,
  bankTransferIdOf,
  TOPICS,
  VictimReportFiledSchema,
  type AlertRaised,
  type InvolvedAccount,
  type Role,
  type TracedHop,
  type TransferAccepted,
} from '@scamflow/contracts';
import { AlertInboxRepository, TransferRepository, VictimReportRepository } from '@scamflow/graph';
import { startGroupsAtEnd } from '@scamflow/infra';
import { expectEventually } from '../../../../test/support/expect-eventually';
import { testServers } from '../../../../test/support/test-env';
import { TopicProbe } from '../../../../test/support/topic-probe';
import { startApiHarness, type ApiHarness } from '../testing/api-harness.testing';
import { StoreProbe } from '../testing/store-probe.testing';

const run = randomUUID().slice(0, 8).toUpperCase();
const caseId = `CASE-IT-${run}`;
const thb = (amountMinor: string) => ({ amountMinor, currency: 'THB', scale: 2 });
const account = (
  bank: string,
  name: string,
  role: InvolvedAccount['role'],
  country = 'TH',
): InvolvedAccount => ({
  accountKey: accountKeyOf(bank, `${name}-${run}`),
  accountId: `${name}-${run}`,
  institutionId: bank,
  country,
  kind: 'bank-account',
  role,
});
const victim = account('KASITHBK', 'victim', 'victim');
const mule = account('SCBLTHBX', 'mule', 'mule');
const collector = account('ABAAKHPP', 'collector', 'beneficiary', 'KH');

let sequence = 0;
const transfer = (
  from: InvolvedAccount,
  to: InvolvedAccount,
  bookedAt: string,
  amountMinor: string,
): TransferAccepted => {
  sequence += 1;
  const party = ({ role: _role, ...ref }: InvolvedAccount) => ref;
  return {
    schemaVersion: 1,
    transferId: bankTransferIdOf(from.institutionId, `C${sequence}-${run}`),
    rail: 'bank',
    reportedBy: from.institutionId,
    bookedAt,
    amount: thb(amountMinor),
    debtor: party(from),
    creditor: party(to),
    source: { topic: 'cases.int-spec', partition: 0, offset: String(sequence) },
    acceptedAt: bookedAt,
  };
};
const transfers = [
  transfer(victim, mule, '2026-11-22T10:00:00.000Z', '1500000'),
  transfer(mule, collector, '2026-11-22T10:05:00.000Z', '1400000'),
];
const hop = (t: TransferAccepted, fifo: string): TracedHop => ({
  transferId: t.transferId,
  fromKey: t.debtor.accountKey,
  toKey: t.creditor.accountKey,
  bookedAt: t.bookedAt,
  amount: t.amount,
  tainted: [{ rule: 'fifo', caseId, amount: thb(fifo) }],
});

const alert: AlertRaised = {
  schemaVersion: 1,
  alertId: `ALERT-IT-${run}`,
  version: 1,
  typology: 'proceeds.cross-border',
  subject: victim,
  involved: [victim, mule, collector],
  score: 0.9,
  severity: 'critical',
  summary: `Victim money of ${caseId} reached Cambodia`,
  facts: [],
  evidence: { inboundTransferIds: [], outboundTransferIds: [], counterparties: [], edges: [] },
  tracing: {
    preferredRule: 'fifo',
    victims: [
      {
        caseId,
        caseVersion: 1,
        victimAccountKeys: [victim.accountKey],
        reportedAt: '2026-11-22T11:00:00.000Z',
        seeded: thb('1500000'),
      },
    ],
    holders: [
      {
        account: collector,
        amounts: [
          { rule: 'fifo', caseId, amount: thb('1400000') },
          { rule: 'haircut', caseId, amount: thb('1400000') },
        ],
        crossBorderReasons: ['foreign-jurisdiction:KH'],
        librApplied: false,
      },
      {
        account: mule,
        amounts: [
          { rule: 'fifo', caseId, amount: thb('100000') },
          { rule: 'haircut', caseId, amount: thb('100000') },
        ],
        crossBorderReasons: [],
        librApplied: false,
      },
    ],
    ledger: [
      hop(transfers[0] as TransferAccepted, '1500000'),
      hop(transfers[1] as TransferAccepted, '1400000'),
    ],
    untraceable: [],
  },
  trigger: { caseId },
  jurisdictions: ['TH', 'KH'],
  institutions: ['KASITHBK', 'SCBLTHBX', 'ABAAKHPP'],
  firstSeenAt: '2026-11-22T10:00:00.000Z',
  lastSeenAt: '2026-11-22T10:05:00.000Z',
  raisedAt: '2026-11-22T11:01:00.000Z',
  status: 'open',
  recommendedActions: [
    {
      kind: 'freeze-request',
      institutionId: 'ABAAKHPP',
      accountKey: collector.accountKey,
      amount: thb('1400000'),
      rule: 'fifo',
      rationale: 'Freeze 14000.00 THB at ABAAKHPP.',
    },
  ],
};

describe('cases, freeze requests and goAML over HTTP', () => {
  const servers = testServers();
  let driver: Driver;
  let api: ApiHarness;
  let probe: TopicProbe;
  const get = (path: string, token: string) =>
    fetch(`${api.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const post = (path: string, token: string, body: unknown) =>
    fetch(`${api.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    driver = neo4j.driver(
      servers.neo4jUrl,
      servers.neo4jUser ? neo4j.auth.basic(servers.neo4jUser, servers.neo4jPassword) : undefined,
    );
    await new TransferRepository(driver, servers.neo4jDatabase).recordTransfers(transfers);
    await new VictimReportRepository(driver, servers.neo4jDatabase).recordReports([
      {
        caseId,
        version: 1,
        channel: 'hotline-1441',
        scamType: 'call-centre-impersonation',
        reportedAt: '2026-11-22T11:00:00.000Z',
        victimAccounts: [
          {
            accountKey: victim.accountKey,
            accountId: victim.accountId,
            institutionId: 'KASITHBK',
            country: 'TH',
          },
        ],
        reportedTransfers: [{ transferId: transfers[0]?.transferId, paidAt: '2026-11-22T10:00:00.000Z' }],
      },
    ]);
    await new AlertInboxRepository(driver, servers.neo4jDatabase).recordVersions(
      [alert],
      new Date().toISOString(),
    );
    const probeGroup = `test-probe-cases-${run}`;
    await startGroupsAtEnd(servers.kafkaBrokers, [
      { groupId: probeGroup, topics: [TOPICS.victimReportFiled] },
    ]);
    probe = new TopicProbe(servers.kafkaBrokers);
    await probe.start([TOPICS.victimReportFiled], probeGroup);
    api = await startApiHarness({
      API_CONSUME_ALERTS: 'false',
    });
  });

  afterAll(async () => {
    await api.close();
    await probe.stop();
    await driver.close();
  });

  it('shows a case with its victim report, traced holders per rule, jurisdictions and open freeze actions', async () => {
    const response = await get(`/cases/${caseId}`, api.tokenFor('investigator'));
    const body = (await response.json()) as {
      report: { victimAccountKeys: string[] };
      holders: {
        account: { accountKey: string };
        amounts: { rule: string; amount: { decimal: string } }[];
      }[];
      jurisdictions: string[];
      openFreezeActions: { institutionId: string; amount: { decimal: string } }[];
      tracing: { alertId: string; alertState: string };
    };

    expect(response.status).toBe(200);
    expect(body.report.victimAccountKeys).toEqual([victim.accountKey]);
    expect(
      body.holders.map((h) => [h.account.accountKey, h.amounts.map((a) => `${a.rule} ${a.amount.decimal}`)]),
    ).toEqual([
      [collector.accountKey, ['fifo 14000.00', 'haircut 14000.00']],
      [mule.accountKey, ['fifo 1000.00', 'haircut 1000.00']],
    ]);
    expect(body.jurisdictions).toEqual(['KH', 'TH']);
    expect(body.openFreezeActions).toMatchObject([
      { institutionId: 'ABAAKHPP', amount: { decimal: '14000.00' } },
    ]);
    expect(body.tracing).toMatchObject({ alertId: alert.alertId, alertState: 'new' });
    expect((await get(`/cases/NO-SUCH-${run}`, api.tokenFor('investigator'))).status).toBe(404);
  });

  it('writes one freeze request per holding institution with the ledger that proves it, as JSON and printable HTML', async () => {
    const json = (await (
      await get(`/cases/${caseId}/freeze-requests`, api.tokenFor('investigator'))
    ).json()) as {
      items: {
        institutionId: string;
        quoted: { decimal: string }[];
        ledger: { transferId: string }[];
        clock: { victimPaidAt: string };
      }[];
    };

    expect(json.items.map((r) => [r.institutionId, r.quoted.map((q) => q.decimal), r.ledger.length])).toEqual(
      [
        ['ABAAKHPP', ['14000.00'], 2],
        ['SCBLTHBX', ['1000.00'], 1],
      ],
    );
    expect(json.items[0]?.clock.victimPaidAt).toBe('2026-11-22T10:00:00.000Z');
    const html = await get(`/cases/${caseId}/freeze-requests?format=html`, api.tokenFor('investigator'));
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(await html.text()).toContain(`Freeze request ${caseId}:ABAAKHPP`);
  });

  it('lets a supervisor download the goAML STR of the case and of the alert; an analyst gets 403', async () => {
    const parser = new XMLParser({ parseTagValue: false });
    for (const path of [`/cases/${caseId}/goaml.xml`, `/alerts/${alert.alertId}/goaml.xml`]) {
      const response = await get(path, api.tokenFor('supervisor'));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/xml');
      const xml = await response.text();
      expect(XMLValidator.validate(xml)).toBe(true);
      const report = (
        parser.parse(xml) as { report: { report_code: string; transaction: { amount_local: string }[] } }
      ).report;
      expect(report.report_code).toBe('STR');
      expect(report.transaction.map((t) => t.amount_local)).toEqual(['15000.00', '14000.00']);
      expect((await get(path, api.tokenFor('analyst'))).status).toBe(403);
    }
  });

  it('has the goAML downloads and the printable freeze requests on the audit log by the time they arrive', async () => {
    const store = new StoreProbe();
    try {
      const chain = api.config.API_AUDIT_CHAIN_ID;
      const downloads: [string, Role, string][] = [
        [`/cases/${caseId}/goaml.xml`, 'supervisor', 'GET /cases/:caseId/goaml.xml'],
        [`/alerts/${alert.alertId}/goaml.xml`, 'supervisor', 'GET /alerts/:alertId/goaml.xml'],
        [
          `/cases/${caseId}/freeze-requests?format=html`,
          'investigator',
          'GET /cases/:caseId/freeze-requests',
        ],
      ];
      for (const [n, [path, role, route]] of downloads.entries()) {
        const before = (await store.auditEntries(chain)).length;
        const response = await get(path, api.tokenFor(role, { sub: `dl-${n}` }));
        await response.text();
        // No polling: the entry must already be there when the last byte has arrived.
        expect((await store.auditEntries(chain)).slice(before)).toEqual([
          expect.objectContaining({ route, status: 200, sub: `dl-${n}` }),
        ]);
      }
    } finally {
      await store.close();
    }
  });

  it('files a hotline report on the victim-report topic and answers 202 with the case id', async () => {
    const response = await post('/cases', api.tokenFor('hotline'), {
      reportingChannel: 'hotline-1441',
      reportedAt: '2026-11-22T12:00:00+07:00',
      scamType: 'romance',
      victimAccounts: [{ accountId: `v-${run}`, institutionId: 'KASITHBK', country: 'TH' }],
      reportedTransfers: [
        { amount: { value: '2500.50', currency: 'THB' }, paidAt: '2026-11-22T11:00:00+07:00' },
      ],
    });
    const body = (await response.json()) as { caseId: string };

    expect(response.status).toBe(202);
    await expectEventually(() => {
      const message = probe.on(TOPICS.victimReportFiled).find((m) => m.key?.toString() === body.caseId);
      expect(message).toBeDefined();
      expect(VictimReportFiledSchema.parse(JSON.parse(message?.value?.toString() ?? 'null'))).toMatchObject({
        caseId: body.caseId,
        reportedTransfers: [{ amount: { value: '2500.50', currency: 'THB' } }],
      });
    });
  });

  it('refuses a bad report with every field problem listed and publishes nothing', async () => {
    const bad = `CASE-BAD-${run}`;
    const response = await post('/cases', api.tokenFor('hotline'), {
      caseId: bad,
      reportingChannel: 'carrier-pigeon',
      scamType: 'romance',
      victimAccounts: [],
      reportedTransfers: [{ amount: { value: 2500.5, currency: 'THB' } }],
    });
    const body = (await response.json()) as { errors: { path: string }[] };

    expect(response.status).toBe(400);
    expect(body.errors.map((e) => e.path).sort()).toEqual([
      'body.reportedAt',
      'body.reportedTransfers.0.amount.value',
      'body.reportingChannel',
      'body.victimAccounts',
    ]);
    // A good report filed after it arrives; the bad one never does.
    const good = `CASE-GOOD-${run}`;
    const filed = await post('/cases', api.tokenFor('hotline'), {
      caseId: good,
      reportingChannel: 'police',
      reportedAt: '2026-11-22T12:00:00Z',
      scamType: 'other',
      victimAccounts: [{ accountId: `w-${run}`, institutionId: 'KASITHBK', country: 'TH' }],
      reportedTransfers: [{ amount: { value: '10.00', currency: 'THB' }, paidAt: '2026-11-22T11:00:00Z' }],
    });
    expect(filed.status).toBe(202);
    await expectEventually(() =>
      expect(probe.on(TOPICS.victimReportFiled).some((m) => m.key?.toString() === good)).toBe(true),
    );
    expect(probe.on(TOPICS.victimReportFiled).some((m) => m.key?.toString() === bad)).toBe(false);
    expect((await post('/cases', api.tokenFor('investigator'), {})).status).toBe(400);
    expect((await post('/cases', api.tokenFor('analyst'), {})).status).toBe(403);
  });
});
