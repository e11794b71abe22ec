import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import {
  AlertRaisedSchema,
  TOPICS,
  TYPOLOGIES,
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
const BANK = `MI${run.toUpperCase().slice(0, 7)}`;
const MIN = 60_000;
const base = Date.now() - 6 * 60 * MIN;
/** The shared machine runs other pipelines at the same time: allow for slow consumers. */
const SLOW = { timeoutMs: 180_000, intervalMs: 1_000 };
const keyOf = (account: string) => `${BANK}:${account}-${run}`;

let sequence = 0;
const transfer = (from: string, to: string, value: string, minutes: number): BankTransferReceived => ({
  schemaVersion: 1,
  reportedBy: BANK,
  transferId: `t${(sequence += 1)}-${run}`,
  bookedAt: new Date(base + minutes * MIN).toISOString(),
  amount: { value, currency: 'THB' },
  debtor: { accountId: `${from}-${run}`, bankId: BANK, country: 'TH' },
  creditor: { accountId: `${to}-${run}`, bankId: BANK, country: 'TH' },
});
const encode = (t: BankTransferReceived) => ({ key: t.debtor.accountId, value: JSON.stringify(t) });

/** A payment split in four within ten minutes; the fourth part is booked at minute 10 but arrives last. */
const split = [
  transfer('smurf', 'target', '4000.00', 0),
  transfer('smurf', 'target', '3500.00', 3),
  transfer('smurf', 'target', '3800.00', 6),
];
const lateFourth = transfer('smurf', 'target', '3900.00', 10);
/** The target's next inflow, an hour and a half later: a window ending there no longer holds the split. */
const later = transfer('friend', 'target', '800.00', 100);
/** Twelve strangers pay a fresh account within half an hour. */
const crowd = Array.from({ length: 12 }, (_, i) => transfer(`stranger${i}`, 'crowd', '2500.00', 120 + 2 * i));
/** Six senders in, six receivers out within minutes: gather-scatter (and fan-in pass-through). */
const gatherScatter = [
  ...Array.from({ length: 6 }, (_, i) => transfer(`giver${i}`, 'relay', '10000.00', 200 + i)),
  ...Array.from({ length: 6 }, (_, i) => transfer('relay', `taker${i}`, '9500.00', 210 + i)),
];
/** Look-alikes: a parent tops up a child twice in an afternoon; a friend repays a loan once. */
const quiet = [
  transfer('parent', 'child', '500.00', 60),
  transfer('parent', 'child', '700.00', 180),
  transfer('borrower', 'lender', '5000.00', 90),
];

/** Every account of the feed, for reading what each pipeline issued on it. */
const ACCOUNTS = [
  'smurf',
  'target',
  'friend',
  'crowd',
  ...crowd.map((t) => t.debtor.accountId.replace(`-${run}`, '')),
  'relay',
  ...gatherScatter.map((t) => t.debtor.accountId.replace(`-${run}`, '')),
  ...gatherScatter.map((t) => t.creditor.accountId.replace(`-${run}`, '')),
  'parent',
  'child',
  'borrower',
  'lender',
];
const MULE_TYPOLOGIES = Object.values(TYPOLOGIES).filter((t) => t.startsWith('mule.'));

describe('mule-detector on real servers: a late transfer completes a pattern; two instances raise what one raises', () => {
  const servers = testServers();
  const one = serviceEnv(`${run}a`);
  const two = serviceEnv(`${run}b`);
  let apps: INestMicroservice[] = [];
  let probe: TopicProbe;
  const offsets = new GroupOffsets(servers.kafkaBrokers);
  // Other pipelines on the shared servers read the same topics (with their own profiles) and raise alerts on
  // these accounts too: what this run's pipelines issued is read from their own alert state in Redis.
  let redisOne: Redis;
  let redisTwo: Redis;
  /** Typology + subject → fingerprint of the latest alert content each pipeline issued. */
  const issuedBy = async (
    redis: Redis,
  ): Promise<Map<string, { alertId: string; version: number; fingerprint: string }>> => {
    const refs = MULE_TYPOLOGIES.flatMap((typology) =>
      ACCOUNTS.map((a) => ({ typology, subjectKey: keyOf(a) })),
    );
    const states = await new AlertStateRepository(redis).read(refs);
    const issued = new Map<string, { alertId: string; version: number; fingerprint: string }>();
    states.forEach((state, i) => {
      const ref = refs[i];
      if (state && ref) issued.set(`${ref.typology} ${ref.subjectKey}`, state);
    });
    return issued;
  };
  const fingerprints = (issued: Map<string, { fingerprint: string }>) =>
    new Map([...issued].map(([key, state]) => [key, state.fingerprint]));

  beforeAll(async () => {
    await offsets.connect();
    await Promise.all([startServiceGroupsAtEnd(one), startServiceGroupsAtEnd(two)]);
    apps = await startPipeline(one, ['ingest-gateway', 'mule-detector']);
    probe = new TopicProbe(servers.kafkaBrokers);
    await probe.start([TOPICS.alertRaised]);
    redisOne = createRedis({ url: servers.redisUrl, keyPrefix: one.REDIS_KEY_PREFIX ?? '' });
    redisTwo = createRedis({ url: servers.redisUrl, keyPrefix: two.REDIS_KEY_PREFIX ?? '' });
  }, 300_000);

  afterAll(async () => {
    await stopPipeline(apps);
    await probe?.stop();
    await offsets.disconnect();
    await redisOne?.quit();
    await redisTwo?.quit();
  });

  /** The alert message this run's pipeline issued as its latest version of (typology, account). */
  const issuedAlert = async (typology: string, account: string): Promise<AlertRaised | undefined> => {
    const state = (await issuedBy(redisOne)).get(`${typology} ${keyOf(account)}`);
    return probe
      .on(TOPICS.alertRaised)
      .flatMap((m) => alertOf(m.value))
      .find((a) => a.alertId === state?.alertId && a.version === state.version);
  };

  it('raises fan-in, fan-out and gather-scatter, the split only once its late fourth part arrives, and the same with two instances', async () => {
    await probe.produce(
      TOPICS.bankTransferReceived,
      [...split, later, ...crowd, ...gatherScatter, ...quiet].map(encode),
    );
    await expectEventually(async () => {
      const issued = await issuedBy(redisOne);
      expect(issued.has(`${TYPOLOGIES.fanIn} ${keyOf('crowd')}`)).toBe(true);
      expect(issued.has(`${TYPOLOGIES.gatherScatter} ${keyOf('relay')}`)).toBe(true);
    }, SLOW);
    await offsets.waitForGroupAtEnd(one.MULE_DETECTOR_GROUP_ID!, TOPICS.transferAccepted, 180_000);
    expect((await issuedBy(redisOne)).has(`${TYPOLOGIES.fanIn} ${keyOf('target')}`)).toBe(false);

    await probe.produce(TOPICS.bankTransferReceived, [encode(lateFourth)]);
    const splitAlert = await expectEventually(async () => {
      const alert = await issuedAlert(TYPOLOGIES.fanIn, 'target');
      expect(alert?.evidence.inboundTransferIds).toHaveLength(4);
      return alert!;
    }, SLOW);
    expect(splitAlert.trigger.transferId).toBe(`bank:${BANK}:${lateFourth.transferId}`);
    expect(splitAlert.involved.find((a) => a.accountKey === keyOf('smurf'))?.role).toBe('mule');
    expect(splitAlert.facts.find((f) => f.name === 'mostTransfersFromOneCounterparty')).toMatchObject({
      value: '4',
      unit: 'transfers',
      fired: true,
    });
    const fanOut = await expectEventually(async () => {
      const alert = await issuedAlert(TYPOLOGIES.fanOut, 'smurf');
      expect(alert).toBeDefined();
      return alert!;
    }, SLOW);
    expect(fanOut.involved.find((a) => a.accountKey === keyOf('target'))?.role).toBe('collector');

    await offsets.waitForGroupAtEnd(one.MULE_DETECTOR_GROUP_ID!, TOPICS.transferAccepted, 180_000);
    const byOne = await issuedBy(redisOne);
    const subjects = new Set([...byOne.keys()].map((key) => key.split(' ')[1]));
    for (const account of ['parent', 'child', 'borrower', 'lender', 'friend']) {
      expect(subjects).not.toContain(keyOf(account));
    }
    for (const typology of [TYPOLOGIES.fanIn, TYPOLOGIES.fanOut, TYPOLOGIES.gatherScatter]) {
      expect([...byOne.keys()].some((key) => key.startsWith(`${typology} `))).toBe(true);
    }

    // Two instances in one fresh group (own Redis state) read the same accepted transfers from the start.
    apps.push(...(await startPipeline(two, ['mule-detector', 'mule-detector'])));
    await offsets.waitForGroupAtEnd(two.MULE_DETECTOR_GROUP_ID!, TOPICS.transferAccepted, 180_000);
    await expectEventually(async () => {
      expect(fingerprints(await issuedBy(redisTwo))).toEqual(fingerprints(byOne));
    }, SLOW);
  }, 900_000);
});
