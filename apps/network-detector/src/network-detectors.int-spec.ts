import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import {
  AlertRaisedSchema,
  TOPICS,
  TYPOLOGIES,
  type AccountFactObserved,
  type AlertRaised,
  type BankTransferReceived,
} from '@scamflow/contracts';
import { expectEventually } from '../../../test/support/expect-eventually';
import { GraphProbe } from '../../../test/support/graph-probe';
import { startPipeline, stopPipeline } from '../../../test/support/pipeline-apps';
import { serviceEnv, startServiceGroupsAtEnd, testServers } from '../../../test/support/test-env';
import { TopicProbe } from '../../../test/support/topic-probe';

const run = randomUUID().slice(0, 8);
const BANK_A = `NA${run}`.toUpperCase();
const BANK_B = `NB${run}`.toUpperCase();
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const base = Date.now() - 40 * DAY;
const at = (ms: number) => new Date(base + ms).toISOString();
/** The shared machine runs other pipelines at the same time: allow for slow commits. */
const SLOW = { timeoutMs: 120_000 };
const keyOf = (bank: string, account: string) => `${bank}:${account}-${run}`;

const transfer = (
  id: string,
  from: string,
  to: string,
  value: string,
  atMs: number,
  banks: [string, string] = [BANK_A, BANK_A],
): BankTransferReceived => ({
  schemaVersion: 1,
  reportedBy: banks[0],
  transferId: `${id}-${run}`,
  bookedAt: at(atMs),
  amount: { value, currency: 'THB' },
  debtor: { accountId: `${from}-${run}`, bankId: banks[0], country: 'TH' },
  creditor: { accountId: `${to}-${run}`, bankId: banks[1], country: 'TH' },
});
const graphId = (t: BankTransferReceived) => `bank:${t.reportedBy}:${t.transferId}`;

let factSequence = 0;
const seen = (
  bank: string,
  account: string,
  identifierType: 'device' | 'phone' | 'ip',
  value: string,
): AccountFactObserved => {
  factSequence += 1;
  return {
    schemaVersion: 1,
    kind: 'identifier-seen',
    factId: `F${factSequence}-${run}`,
    reportedBy: bank,
    observedAt: at(0),
    accountId: `${account}-${run}`,
    institutionId: bank,
    country: 'TH',
    identifierType,
    identifierValue: `${value}-${run}`,
    seenAt: at(0),
  };
};

/** A mule alert as mule-detector raises it: marks the account as a known mule. */
const muleAlert = (accountKey: string, accountId: string, score: number): AlertRaised => ({
  schemaVersion: 1,
  alertId: `known-${accountId}`,
  version: 1,
  typology: TYPOLOGIES.fanInPassThrough,
  subject: { accountKey, accountId, institutionId: BANK_B, country: 'TH', role: 'mule' },
  involved: [{ accountKey, accountId, institutionId: BANK_B, country: 'TH', role: 'mule' }],
  score,
  severity: 'high',
  summary: 'planted known mule',
  facts: [],
  evidence: { inboundTransferIds: [], outboundTransferIds: [], counterparties: [], edges: [] },
  trigger: {},
  jurisdictions: ['TH'],
  institutions: [BANK_B],
  firstSeenAt: at(0),
  lastSeenAt: at(0),
  raisedAt: new Date().toISOString(),
  status: 'open',
  recommendedActions: [],
});

describe('network-detector: graph-pattern mule typologies on real servers', () => {
  let apps: INestMicroservice[] = [];
  let probe: TopicProbe;
  const graph = new GraphProbe();
  const servers = testServers();

  beforeAll(async () => {
    const env = serviceEnv(run);
    await startServiceGroupsAtEnd(env);
    apps = await startPipeline(env, ['ingest-gateway', 'graph-writer', 'network-detector']);
    probe = new TopicProbe(servers.kafkaBrokers);
    await probe.start([TOPICS.alertRaised]);
  });

  afterAll(async () => {
    await stopPipeline(apps);
    await probe?.stop();
    await graph.close();
  });

  const alerts = (): AlertRaised[] =>
    probe
      .on(TOPICS.alertRaised)
      .map((m) => AlertRaisedSchema.parse(JSON.parse(m.value?.toString('utf8') ?? 'null')))
      .filter((a) => a.subject.accountKey.endsWith(`-${run}`));
  const latestFor = (typology: string, accountKey: string): AlertRaised | undefined =>
    alerts()
      .filter((a) => a.typology === typology && a.subject.accountKey === accountKey)
      .at(-1);
  const subjectsOf = () => new Set(alerts().map((a) => a.subject.accountKey));
  const encode = (t: BankTransferReceived) => ({ key: t.debtor.accountId, value: JSON.stringify(t) });

  it('raises layering and round-tripping alerts on planted flows, and nothing on look-alike ordinary flows', async () => {
    const salary = [
      transfer('salary', 'employer', 'worker', '50000.00', 0),
      transfer('rent', 'worker', 'landlord', '15000.00', 3 * DAY),
      transfer('mortgage', 'landlord', 'lender', '9000.00', 10 * DAY),
    ];
    const refund = [
      transfer('buy', 'shopper', 'shop', '20000.00', 0),
      transfer('refund', 'shop', 'shopper', '1500.00', 21 * DAY),
    ];
    const layering = [
      transfer('l1', 'victim', 'm1', '50000.00', DAY, [BANK_A, BANK_B]),
      transfer('l2', 'm1', 'm2', '48500.00', DAY + 12 * MIN, [BANK_B, BANK_A]),
      transfer('l3', 'm2', 'm3', '47000.00', DAY + 30 * MIN, [BANK_A, BANK_B]),
      transfer('l4', 'm3', 'cashout', '46000.00', DAY + 41 * MIN, [BANK_B, BANK_B]),
    ];
    const cycle = [
      transfer('c1', 'origin', 'hopx', '100000.00', 2 * DAY),
      transfer('c2', 'hopx', 'hopy', '97000.00', 2 * DAY + 120 * MIN),
      transfer('c3', 'hopy', 'origin', '92000.00', 2 * DAY + 300 * MIN),
    ];
    await probe.produce(TOPICS.bankTransferReceived, [...salary, ...refund].map(encode));
    await probe.produce(TOPICS.bankTransferReceived, [...layering, ...cycle].map(encode));

    const layered = await expectEventually(() => {
      const found = ['m1', 'm2', 'm3'].map((m, i) =>
        latestFor(TYPOLOGIES.layeringChain, keyOf(i === 1 ? BANK_A : BANK_B, m)),
      );
      for (const alert of found) expect(alert?.evidence.edges).toHaveLength(4);
      return found;
    }, SLOW);
    expect(layered[1]).toMatchObject({
      subject: { accountKey: keyOf(BANK_A, 'm2'), role: 'mule' },
      evidence: {
        inboundTransferIds: [graphId(layering[1]!)],
        outboundTransferIds: [graphId(layering[2]!)],
      },
    });
    expect(layered[1]?.evidence.edges.map((e) => e.transferId)).toEqual(layering.map(graphId));
    expect(layered[1]?.facts.find((f) => f.name === 'chainHops')).toMatchObject({ value: '4', fired: true });
    expect(layered[1]?.involved.find((a) => a.accountKey === keyOf(BANK_B, 'cashout'))?.role).toBe(
      'collector',
    );

    const roundTrip = await expectEventually(() => {
      const alert = latestFor(TYPOLOGIES.roundTripping, keyOf(BANK_A, 'origin'));
      expect(alert).toBeDefined();
      return alert;
    }, SLOW);
    expect(roundTrip?.evidence.edges.map((e) => e.transferId)).toEqual(cycle.map(graphId));
    expect(roundTrip?.facts.find((f) => f.name === 'returnedRatio')).toMatchObject({
      value: '0.920',
      fired: true,
    });
    expect(roundTrip?.involved.map((a) => a.accountKey).sort()).toEqual(
      [keyOf(BANK_A, 'origin'), keyOf(BANK_A, 'hopx'), keyOf(BANK_A, 'hopy')].sort(),
    );

    // The ordinary flows were committed before the planted ones were evaluated: they raised nothing.
    expect(await graph.copies(graphId(salary[2]!))).toBe(1);
    expect(await graph.copies(graphId(refund[1]!))).toBe(1);
    const quiet = ['employer', 'worker', 'landlord', 'lender', 'shopper', 'shop'].map((a) =>
      keyOf(BANK_A, a),
    );
    for (const key of quiet) expect(subjectsOf()).not.toContain(key);
  });

  it('links an account at another bank to a known mule by a shared device, but not by a hub IP or a family phone', async () => {
    const mule = keyOf(BANK_B, 'known-mule');
    const facts = [
      seen(BANK_B, 'known-mule', 'device', 'dev-shared'),
      seen(BANK_A, 'alice', 'device', 'dev-shared'),
      // A carrier IP used by many accounts, the mule among them.
      ...Array.from({ length: 10 }, (_, i) => seen(BANK_A, `nat-${i}`, 'ip', 'carrier-nat')),
      seen(BANK_B, 'known-mule', 'ip', 'carrier-nat'),
      // A family sharing a phone with nobody suspicious.
      seen(BANK_A, 'mum', 'phone', 'family-phone'),
      seen(BANK_A, 'kid', 'phone', 'family-phone'),
    ];
    await probe.produce(
      TOPICS.accountFactObserved,
      facts.map((f) => ({ key: f.accountId, value: JSON.stringify(f) })),
    );
    // Once the graph holds the links, the account becomes a known mule.
    await expectEventually(
      async () => {
        expect(await identifierUsers(`ip:carrier-nat-${run}`)).toBe(11);
      },
      { timeoutMs: 120_000 },
    );
    await probe.produce(TOPICS.alertRaised, [
      { key: mule, value: JSON.stringify(muleAlert(mule, `known-mule-${run}`, 0.85)) },
    ]);

    const alert = await expectEventually(() => {
      const found = latestFor(TYPOLOGIES.sharedIdentifier, keyOf(BANK_A, 'alice'));
      expect(found).toBeDefined();
      return found;
    }, SLOW);
    expect(alert).toMatchObject({
      subject: { accountKey: keyOf(BANK_A, 'alice'), role: 'mule' },
      evidence: { counterparties: [mule] },
    });
    expect(alert?.facts.find((f) => f.name === 'crossInstitution')).toMatchObject({ fired: true });

    // The ten accounts behind the carrier IP share it with the mule: a hub, so none of them is alerted.
    const quiet = ['mum', 'kid', ...Array.from({ length: 10 }, (_, i) => `nat-${i}`)].map((a) =>
      keyOf(BANK_A, a),
    );
    for (const key of quiet) expect(subjectsOf()).not.toContain(key);
    expect(alerts().filter((a) => a.typology === TYPOLOGIES.sharedIdentifier)).toHaveLength(1);
  });

  const identifierUsers = async (identifierKey: string): Promise<number> => {
    const neo4j = await import('neo4j-driver');
    const driver = neo4j.default.driver(
      servers.neo4jUrl,
      servers.neo4jUser ? neo4j.default.auth.basic(servers.neo4jUser, servers.neo4jPassword) : undefined,
    );
    try {
      const { records } = await driver.executeQuery(
        'MATCH (:Identifier {identifierKey: $identifierKey})<-[u:USED_IDENTIFIER]-() RETURN count(u) AS n',
        { identifierKey },
        { database: servers.neo4jDatabase },
      );
      const n: unknown = records[0]?.get('n');
      return neo4j.isInt(n) ? n.toNumber() : 0;
    } finally {
      await driver.close();
    }
  };
});
