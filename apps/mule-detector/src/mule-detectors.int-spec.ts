import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import {
  AlertRaisedSchema,
  DEAD_LETTER_HEADERS,
  TOPICS,
  TYPOLOGIES,
  deadLetterTopicOf,
  type AccountOpened,
  type AlertRaised,
  type BankTransferReceived,
} from '@scamflow/contracts';
import type Redis from 'ioredis';
import { AlertStateRepository, createRedis } from '@scamflow/rolling-state';
import { expectEventually } from '../../../test/support/expect-eventually';
import { GroupOffsets } from '../../../test/support/group-offsets';
import { startPipeline, stopPipeline } from '../../../test/support/pipeline-apps';
import { serviceEnv, startServiceGroupsAtEnd, testServers } from '../../../test/support/test-env';
import { TopicProbe } from '../../../test/support/topic-probe';

/** Other tests on the shared topic publish garbage on purpose (poison-message specs): skip what is not an alert. */
const alertOf = (value: Buffer | null | undefined): AlertRaised[] => {
  try {
    const parsed = AlertRaisedSchema.safeParse(JSON.parse(value?.toString('utf8') ?? 'null'));
    return parsed.success ? [parsed.data] : [];
  } catch {
    return [];
  }
};

const run = randomUUID().slice(0, 8);
/** Bank of every account of this run: account keys and transfer ids are unique per run. */
const BANK = `M${run.toUpperCase().slice(0, 7)}`;
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
/** Positioning the run's consumer groups on every consumed topic takes minutes on a busy machine. */
const SETUP_TIMEOUT_MS = 300_000;
const base = Date.now() - 4 * 60 * MIN;

const keyOf = (account: string) => `${BANK}:${account}-${run}`;

let sequence = 0;
const transfer = (
  from: string,
  to: string,
  value: string,
  minutes: number,
  debtorBalanceAfter?: string,
): BankTransferReceived => ({
  schemaVersion: 1,
  reportedBy: BANK,
  transferId: `t${(sequence += 1)}-${run}`,
  bookedAt: new Date(base + minutes * MIN).toISOString(),
  amount: { value, currency: 'THB' },
  debtor: { accountId: `${from}-${run}`, bankId: BANK, country: 'TH' },
  creditor: { accountId: `${to}-${run}`, bankId: BANK, country: 'TH' },
  ...(debtorBalanceAfter ? { debtorBalanceAfter } : {}),
});

const openedFact = (account: string, accountType: AccountOpened['accountType'], daysAgo: number) => ({
  key: `${account}-${run}`,
  value: JSON.stringify({
    schemaVersion: 1,
    kind: 'account-opened',
    factId: `opened-${account}-${run}`,
    reportedBy: BANK,
    observedAt: new Date().toISOString(),
    accountId: `${account}-${run}`,
    institutionId: BANK,
    country: 'TH',
    // Relative to the feed's event times: account age is measured at the account's latest transfer.
    openedAt: new Date(base - daysAgo * DAY).toISOString(),
    accountType,
  } satisfies AccountOpened),
});

/** Four credits from different payers, each forwarded three minutes later, leaving about nothing behind. */
const quickCycles = (account: string, firstMinute: number, withBalance: boolean) =>
  Array.from({ length: 4 }, (_, i) => [
    transfer(`payer${i}-${account}`, account, '20000.00', firstMinute + i * 40),
    transfer(
      account,
      `hop${i}-${account}`,
      '19800.00',
      firstMinute + i * 40 + 3,
      withBalance ? '200.00' : undefined,
    ),
  ]).flat();

/** Three senders, 95 % forwarded to a collector within minutes. */
const smallFanIn = (account: string, firstMinute: number) => [
  ...[0, 1, 2].map((i) => transfer(`sender${i}-${account}`, account, '10000.00', firstMinute + i * 2)),
  transfer(account, `collector-${account}`, '28500.00', firstMinute + 8),
];

/** A funding credit, then six transfers just under THB 50,000 to distinct receivers. */
const structuredScatter = (account: string, firstMinute: number) => [
  transfer(`funder-${account}`, account, '300000.00', firstMinute),
  ...['49500.00', '48800.00', '49900.00', '47250.00', '49990.00', '46100.00'].map((value, i) =>
    transfer(account, `receiver${i}-${account}`, value, firstMinute + 10 + i * 4),
  ),
];

const SCENARIOS = {
  rapid: quickCycles('rapid', 0, true),
  /** Salary, then rent and bills: one cycle with savings left. */
  salaried: [
    transfer('employer-salaried', 'salaried', '45000.00', 0),
    transfer('salaried', 'landlord-salaried', '15000.00', 5, '110000.00'),
    transfer('salaried', 'utility-salaried', '2300.00', 30, '107700.00'),
  ],
  remittanceHub: quickCycles('remit', 10, false),
  fresh: smallFanIn('fresh', 20),
  veteran: smallFanIn('veteran', 20),
  /** The fresh account's shape, paid on to a merchant (its bank reports the payee's type): a group's organiser. */
  organiser: smallFanIn('organiser', 20),
  scatter: structuredScatter('scatter', 30),
  /** A month's salaries from a payroll account topped up the same day: varied amounts. */
  payroll: [
    transfer('company-payroll', 'payroll', '600000.00', 30),
    ...['31250.00', '18900.00', '52000.00', '27480.00', '64300.00', '22150.00', '35700.00', '41000.00'].map(
      (value, i) => transfer('payroll', `employee${i}-payroll`, value, 90 + i),
    ),
  ],
  allowListed: structuredScatter('allowlisted', 40),
};

describe('mule detectors on real servers: planted typologies raise alerts, look-alikes stay quiet', () => {
  const servers = testServers();
  const services: Record<string, string> = {
    ...serviceEnv(run),
    MULE_ALLOW_LIST_ACCOUNT_KEYS: keyOf('allowlisted'),
  };
  let apps: INestMicroservice[] = [];
  let probe: TopicProbe;
  let offsets: GroupOffsets;
  let redis: Redis;
  let state: AlertStateRepository;

  beforeAll(async () => {
    await startServiceGroupsAtEnd(services);
    apps = await startPipeline(services);
    probe = new TopicProbe(servers.kafkaBrokers);
    await probe.start([TOPICS.alertRaised, deadLetterTopicOf(TOPICS.accountFactObserved)]);
    offsets = new GroupOffsets(servers.kafkaBrokers);
    await offsets.connect();
    redis = createRedis({ url: servers.redisUrl, keyPrefix: services.REDIS_KEY_PREFIX ?? '' });
    state = new AlertStateRepository(redis);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await stopPipeline(apps);
    await probe?.stop();
    await offsets?.disconnect();
    await redis?.quit();
  });

  const alertsOn = (account: string): AlertRaised[] =>
    probe
      .on(TOPICS.alertRaised)
      .flatMap((m) => alertOf(m.value))
      .filter((a) => a.subject.accountKey === keyOf(account));

  const alertsOfRun = (): AlertRaised[] =>
    probe
      .on(TOPICS.alertRaised)
      .flatMap((m) => alertOf(m.value))
      .filter((a) => a.subject.accountKey.startsWith(`${BANK}:`));

  it('raises each new typology on its planted account and nothing on the look-alikes', async () => {
    const detector = services.MULE_DETECTOR_GROUP_ID ?? '';
    // Account facts first, and an invalid one, which must go to the dead-letter topic without stalling.
    const invalidKey = `broken-fact-${run}`;
    await probe.produce(TOPICS.accountFactObserved, [
      openedFact('remit', 'remittance', 2_000),
      openedFact('fresh', 'personal', 3),
      openedFact('veteran', 'personal', 2_200),
      openedFact('organiser', 'personal', 3),
      openedFact('collector-organiser', 'merchant', 2_500),
      openedFact('payroll', 'payroll', 3_000),
      {
        key: invalidKey,
        value: JSON.stringify({ schemaVersion: 1, kind: 'account-opened', accountId: 'x' }),
      },
    ]);
    await offsets.waitForGroupAtEnd(detector, TOPICS.accountFactObserved, 180_000);

    const feed = Object.values(SCENARIOS).flat();
    await probe.produce(
      TOPICS.bankTransferReceived,
      feed.map((t) => ({ key: t.debtor.accountId, value: JSON.stringify(t) })),
    );

    const latest = (account: string, typology: string) =>
      expectEventually(
        () => {
          const alert = alertsOn(account).at(-1);
          expect(alert?.typology).toBe(typology);
          return alert;
        },
        { timeoutMs: 300_000, intervalMs: 1_000 },
      );
    const rapid = await latest('rapid', 'mule.rapid-pass-through');
    const fresh = await latest('fresh', 'mule.fan-in-pass-through');
    const scatter = await latest('scatter', 'mule.fan-out-structuring');

    // Everything produced has been read by the detector and every alert it published has been seen.
    await offsets.waitForGroupAtEnd(services.INGEST_GROUP_ID ?? '', TOPICS.bankTransferReceived, 180_000);
    await offsets.waitForGroupAtEnd(detector, TOPICS.transferAccepted, 180_000);
    await offsets.waitForProbeAtEnd(probe, TOPICS.alertRaised);

    expect(rapid?.facts.filter((f) => f.fired).map((f) => f.name)).toEqual(
      expect.arrayContaining(['passThroughCycles', 'outInRatio', 'balanceNearZero']),
    );
    expect(rapid?.evidence.outboundTransferIds).toHaveLength(4);
    expect(fresh?.facts.find((f) => f.name === 'accountAgeDays')).toMatchObject({ value: '3', fired: true });
    expect(scatter?.facts.find((f) => f.name === 'structuredTransfers')).toMatchObject({
      value: '6',
      fired: true,
    });
    expect(scatter?.amounts?.outflow).toEqual({ amountMinor: '29154000', currency: 'THB', scale: 2 });

    // One alert per planted account (versions of the same id), none anywhere else in this run. Pipelines of
    // concurrent runs read the same topics without this run's allow-list, so the allow-listed account is
    // checked against what this run's detector issued (its alert state), not the shared alert topic.
    const ofRun = alertsOfRun().filter((a) => a.subject.accountKey !== keyOf('allowlisted'));
    expect(new Set(ofRun.map((a) => `${a.subject.accountKey} ${a.typology} ${a.alertId}`))).toEqual(
      new Set([
        `${keyOf('rapid')} mule.rapid-pass-through ${rapid?.alertId}`,
        `${keyOf('fresh')} mule.fan-in-pass-through ${fresh?.alertId}`,
        `${keyOf('scatter')} mule.fan-out-structuring ${scatter?.alertId}`,
      ]),
    );
    for (const quiet of ['salaried', 'remit', 'veteran', 'organiser', 'payroll']) {
      expect({ quiet, alerts: alertsOn(quiet) }).toEqual({ quiet, alerts: [] });
    }
    const issued = await state.read(
      Object.values(TYPOLOGIES).map((typology) => ({ typology, subjectKey: keyOf('allowlisted') })),
    );
    expect(issued.filter((s) => s !== undefined)).toEqual([]);

    await expectEventually(() => {
      const dead = probe
        .on(deadLetterTopicOf(TOPICS.accountFactObserved))
        .filter((m) => m.key?.toString() === invalidKey);
      expect(dead.map((m) => m.headers[DEAD_LETTER_HEADERS.rejectedBy])).toContain('mule-detector');
    });
  }, 900_000);
});
