import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import {
  ALERT_PRODUCER_DETECTOR,
  ALERT_PRODUCER_HEADER,
  AlertRaisedSchema,
  TOPICS,
  TYPOLOGIES,
  type AccountFactObserved,
  type AlertRaised,
  type BankTransferReceived,
} from '@scamflow/contracts';
import { startGroupsAtEnd } from '@scamflow/infra';
import { KafkaPublisher } from '@scamflow/messaging';
import { expectEventually } from '../../../test/support/expect-eventually';
import { GroupOffsets } from '../../../test/support/group-offsets';
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
/** The shared machine runs other pipelines at the same time: allow for slow consumers. */
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
const idOf = (t: BankTransferReceived) => `bank:${t.reportedBy}:${t.transferId}`;
const encode = (t: BankTransferReceived) => ({ key: t.debtor.accountId, value: JSON.stringify(t) });

let factSequence = 0;
const seen = (
  bank: string,
  account: string,
  identifierType: 'device' | 'ip',
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

/** A mule alert as a detector raises it: marks the account as a known mule. */
const muleAlert = (accountKey: string, accountId: string): AlertRaised => ({
  schemaVersion: 1,
  alertId: `known-${accountId}`,
  version: 1,
  typology: TYPOLOGIES.fanInPassThrough,
  subject: { accountKey, accountId, institutionId: BANK_B, country: 'TH', role: 'mule' },
  involved: [{ accountKey, accountId, institutionId: BANK_B, country: 'TH', role: 'mule' }],
  score: 0.85,
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

// Planted patterns, each subject in exactly one.
const layering = [
  transfer('l1', 'victim', 'm1', '50000.00', DAY, [BANK_A, BANK_B]),
  transfer('l2', 'm1', 'm2', '48500.00', DAY + 12 * MIN, [BANK_B, BANK_A]),
  transfer('l3', 'm2', 'm3', '47000.00', DAY + 30 * MIN, [BANK_A, BANK_B]),
  transfer('l4', 'm3', 'cashout', '46000.00', DAY + 41 * MIN, [BANK_B, BANK_B]),
];
const cycle = [
  transfer('c1', 'origin', 'hopx', '100000.00', 2 * DAY),
  transfer('c2', 'hopx', 'hopy', '97000.00', 2 * DAY + 120 * MIN),
  transfer('c3', 'hopy', 'hopz', '95000.00', 2 * DAY + 200 * MIN),
  transfer('c4', 'hopz', 'origin', '92000.00', 2 * DAY + 300 * MIN),
];
const scatterGather = [
  ...['sg1', 'sg2', 'sg3'].map((m, i) => transfer(`s-${m}`, 'boss', m, '30000.00', 3 * DAY + i * 5 * MIN)),
  ...['sg1', 'sg2', 'sg3'].map((m, i) =>
    transfer(`g-${m}`, m, 'sink', '29500.00', 3 * DAY + (40 + i * 10) * MIN),
  ),
];
const bipartite = [
  ...['bs1', 'bs2', 'bs3'].flatMap((s, i) =>
    ['bk1', 'bk2', 'bk3'].map((k, j) =>
      transfer(`b-${s}-${k}`, s, k, '10000.00', 4 * DAY + (i * 3 + j) * MIN),
    ),
  ),
  ...['bk1', 'bk2', 'bk3'].map((k, j) => transfer(`o-${k}`, k, 'next', '29500.00', 4 * DAY + (60 + j) * MIN)),
];
// Look-alikes: salary → rent → mortgage, a refund weeks later, three flatmates paying the same three people.
const ordinary = [
  transfer('salary', 'employer', 'worker', '50000.00', 0),
  transfer('rent', 'worker', 'landlord', '15000.00', 3 * DAY),
  transfer('mortgage', 'landlord', 'lender', '9000.00', 10 * DAY),
  transfer('buy', 'shopper', 'shop', '20000.00', 0),
  transfer('refund', 'shop', 'shopper', '1500.00', 21 * DAY),
  ...['flat1', 'flat2', 'flat3'].flatMap((s, i) =>
    ['owner', 'cleaner', 'internet'].map((k, j) =>
      transfer(`bill-${s}-${k}`, s, k, '3000.00', 5 * DAY + i * MIN + j),
    ),
  ),
];
const quietAccounts = [
  'employer',
  'worker',
  'landlord',
  'lender',
  'shopper',
  'shop',
  'flat1',
  'flat2',
  'flat3',
  'owner',
  'cleaner',
  'internet',
].map((a) => keyOf(BANK_A, a));

/** What an analyst would compare: typology, subject, evidence transfers and score of each alert's last version. */
const summaryOf = (alerts: readonly AlertRaised[]) =>
  [
    ...new Map(
      [...alerts]
        .sort((a, b) => a.version - b.version)
        .map((a) => [
          `${a.typology} ${a.subject.accountKey}`,
          { edges: a.evidence.edges.map((e) => e.transferId).sort(), score: a.score },
        ]),
    ),
  ].sort((a, b) => a[0].localeCompare(b[0]));

describe('network-detector: streaming network typologies on real servers (no graph on the alert path)', () => {
  const servers = testServers();
  const one = serviceEnv(`${run}a`);
  const two = serviceEnv(`${run}b`);
  let ingest: INestMicroservice[] = [];
  let detectors: INestMicroservice[] = [];
  let probe: TopicProbe;
  const offsets = new GroupOffsets(servers.kafkaBrokers);
  const publisher = new KafkaPublisher({ brokers: servers.kafkaBrokers, clientId: `test-${run}` });

  beforeAll(async () => {
    console.log('RUNID', run);
    await offsets.connect();
    await Promise.all([startServiceGroupsAtEnd(one), startServiceGroupsAtEnd(two)]);
    ingest = await startPipeline(one, ['ingest-gateway']);
    detectors = await startPipeline(one, ['network-detector']);
    // The alerts topic holds every earlier run's alerts: the probe starts at its end.
    const probeGroup = `network-probe-${run}`;
    await startGroupsAtEnd(servers.kafkaBrokers, [{ groupId: probeGroup, topics: [TOPICS.alertRaised] }]);
    probe = new TopicProbe(servers.kafkaBrokers);
    await probe.start([TOPICS.alertRaised], probeGroup);
  });

  afterAll(async () => {
    await stopPipeline([...detectors, ...ingest]);
    await probe?.stop();
    await publisher.onApplicationShutdown();
    await offsets.disconnect();
  });

  const alerts = (from = 0): AlertRaised[] =>
    probe
      .on(TOPICS.alertRaised)
      .slice(from)
      .map((m) => m.value?.toString('utf8') ?? '')
      .filter((text) => text.includes(`-${run}`))
      .map((text) => AlertRaisedSchema.parse(JSON.parse(text)))
      .filter((a) => a.subject.accountKey.endsWith(`-${run}`));
  const latestFor = (typology: string, accountKey: string, from = 0) =>
    alerts(from)
      .filter((a) => a.typology === typology && a.subject.accountKey === accountKey)
      .at(-1);

  it('raises every planted pattern, a late transfer completing a chain included, and nothing on look-alikes; two instances raise the same alerts as one', async () => {
    // The chain's second hop is held back: the rest is detected first, then it arrives late and completes it.
    const early = [
      ...ordinary,
      ...layering.filter((t) => t !== layering[1]),
      ...cycle,
      ...scatterGather,
      ...bipartite,
    ];
    await probe.produce(TOPICS.bankTransferReceived, early.map(encode));
    await expectEventually(() => {
      expect(latestFor(TYPOLOGIES.roundTripping, keyOf(BANK_A, 'origin'))).toBeDefined();
      expect(latestFor(TYPOLOGIES.scatterGather, keyOf(BANK_A, 'sink'))).toBeDefined();
    }, SLOW);
    expect(latestFor(TYPOLOGIES.layeringChain, keyOf(BANK_A, 'm2'))).toBeUndefined();
    await probe.produce(TOPICS.bankTransferReceived, [encode(layering[1]!)]);

    const chain = await expectEventually(() => {
      const alert = latestFor(TYPOLOGIES.layeringChain, keyOf(BANK_A, 'm2'));
      expect(alert?.evidence.edges.map((e) => e.transferId)).toEqual(layering.map(idOf));
      return alert!;
    }, SLOW);
    expect(chain.trigger.transferId).toBe(idOf(layering[1]!));
    expect(chain.facts.find((f) => f.name === 'chainHops')).toMatchObject({
      value: '4',
      fired: true,
      unit: 'transfers',
    });
    expect(chain.involved.find((a) => a.accountKey === keyOf(BANK_B, 'cashout'))?.role).toBe('collector');

    const roundTrip = latestFor(TYPOLOGIES.roundTripping, keyOf(BANK_A, 'origin'));
    expect(roundTrip?.evidence.edges.map((e) => e.transferId)).toEqual(cycle.map(idOf));
    const gathered = latestFor(TYPOLOGIES.scatterGather, keyOf(BANK_A, 'sink'));
    expect(gathered?.subject.role).toBe('collector');
    expect(gathered?.facts.find((f) => f.name === 'intermediaries')?.value).toBe('3');
    await expectEventually(() => {
      for (const k of ['bk1', 'bk2', 'bk3'])
        expect(latestFor(TYPOLOGIES.bipartiteLayering, keyOf(BANK_A, k))).toBeDefined();
    }, SLOW);

    // Everything the one instance read is handled: nothing was raised on the ordinary accounts.
    await offsets.waitForGroupAtEnd(one.NETWORK_DETECTOR_GROUP_ID!, TOPICS.transferAccepted);
    await offsets.waitForProbeAtEnd(probe, TOPICS.alertRaised);
    const subjects = new Set(alerts().map((a) => a.subject.accountKey));
    for (const key of quietAccounts) expect(subjects).not.toContain(key);
    const byOne = summaryOf(alerts());

    // Two instances in one fresh group (own Redis state) read the same accepted transfers from the start.
    const mark = probe.on(TOPICS.alertRaised).length;
    detectors.push(...(await startPipeline(two, ['network-detector', 'network-detector'])));
    await offsets.waitForGroupAtEnd(two.NETWORK_DETECTOR_GROUP_ID!, TOPICS.transferAccepted, 180_000);
    await offsets.waitForProbeAtEnd(probe, TOPICS.alertRaised);
    const byTwo = summaryOf(alerts(mark));
    expect(byTwo).toEqual(byOne);
    expect(byOne.length).toBeGreaterThanOrEqual(9);
    // Two deployments each catch up with whatever other runs put on the shared topics meanwhile.
  }, 400_000);

  it('links an account at another bank to a known mule by a shared device, but not by a hub IP, and never on an alert no detector produced', async () => {
    const mule = keyOf(BANK_B, 'known-mule');
    const forged = keyOf(BANK_B, 'forged-mule');
    const facts = [
      seen(BANK_B, 'known-mule', 'device', 'dev-shared'),
      seen(BANK_A, 'alice', 'device', 'dev-shared'),
      seen(BANK_B, 'forged-mule', 'device', 'dev-forged'),
      seen(BANK_A, 'bob', 'device', 'dev-forged'),
      // A carrier IP used by many accounts, the mule among them.
      ...Array.from({ length: 10 }, (_, i) => seen(BANK_A, `nat-${i}`, 'ip', 'carrier-nat')),
      seen(BANK_B, 'known-mule', 'ip', 'carrier-nat'),
    ];
    await probe.produce(
      TOPICS.accountFactObserved,
      facts.map((f) => ({ key: f.accountId, value: JSON.stringify(f) })),
    );
    await offsets.waitForGroupAtEnd(one.NETWORK_DETECTOR_GROUP_ID!, TOPICS.accountFactObserved);
    await publisher.publish(TOPICS.alertRaised, [
      { key: forged, value: JSON.stringify(muleAlert(forged, `forged-mule-${run}`)) },
      {
        key: mule,
        value: JSON.stringify(muleAlert(mule, `known-mule-${run}`)),
        headers: { [ALERT_PRODUCER_HEADER]: ALERT_PRODUCER_DETECTOR },
      },
    ]);

    const alert = await expectEventually(() => {
      const found = latestFor(TYPOLOGIES.sharedIdentifier, keyOf(BANK_A, 'alice'));
      expect(found).toBeDefined();
      return found;
    }, SLOW);
    expect(alert).toMatchObject({
      subject: { accountKey: keyOf(BANK_A, 'alice'), role: 'mule', country: 'TH' },
    });
    expect(alert?.evidence.counterparties).toEqual([mule]);
    expect(alert?.facts.find((f) => f.name === 'crossInstitution')).toMatchObject({ fired: true });

    await offsets.waitForGroupAtEnd(one.NETWORK_DETECTOR_GROUP_ID!, TOPICS.alertRaised);
    await offsets.waitForProbeAtEnd(probe, TOPICS.alertRaised);
    const shared = alerts().filter((a) => a.typology === TYPOLOGIES.sharedIdentifier);
    // Bob shares a device with an account only a header-less alert named; the carrier IP is a hub.
    expect(new Set(shared.map((a) => a.subject.accountKey))).toEqual(new Set([keyOf(BANK_A, 'alice')]));
  });
});
