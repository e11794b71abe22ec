import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import type Redis from 'ioredis';
import {
  CONSUMED_TOPICS,
  DEAD_LETTER_HEADERS,
  TOPICS,
  TransferAcceptedSchema,
  deadLetterTopicOf,
  type BankTransferReceived,
} from '@scamflow/contracts';
import { createRedis } from '@scamflow/rolling-state';
import { expectEventually } from '../../test/support/expect-eventually';
import { startPipeline, stopPipeline } from '../../test/support/pipeline-apps';
import { serviceEnv, testServers } from '../../test/support/test-env';
import { TopicProbe } from '../../test/support/topic-probe';
import { startGroupsAtEnd } from './consumer-groups';
import { replayDeadLetters } from './dlq-replay';

const run = randomUUID().slice(0, 8);
const BANK = `RP${run}`.toUpperCase();
const input = TOPICS.bankTransferReceived;
const dlq = deadLetterTopicOf(input);

const transfer = (id: string, value: string): BankTransferReceived => ({
  schemaVersion: 1,
  reportedBy: BANK,
  transferId: `${id}-${run}`,
  bookedAt: new Date(Date.now() - 60_000).toISOString(),
  amount: { value, currency: 'THB' },
  debtor: { accountId: `payer-${run}`, bankId: BANK, country: 'TH' },
  creditor: { accountId: `payee-${run}`, bankId: BANK, country: 'TH' },
});

const deadLetter = (key: string, value: string, reason: string) => ({
  key,
  value,
  headers: {
    [DEAD_LETTER_HEADERS.reason]: reason,
    [DEAD_LETTER_HEADERS.sourceTopic]: input,
    [DEAD_LETTER_HEADERS.sourcePartition]: '0',
    [DEAD_LETTER_HEADERS.sourceOffset]: '0',
    [DEAD_LETTER_HEADERS.rejectedAt]: new Date().toISOString(),
    [DEAD_LETTER_HEADERS.rejectedBy]: 'ingest-gateway',
  },
});

describe('dead-letter replay', () => {
  const servers = testServers();
  const services = serviceEnv(run);
  let apps: INestMicroservice[] = [];
  let probe: TopicProbe;
  let redis: Redis;

  beforeAll(async () => {
    const probeGroup = `probe-replay-${run}`;
    await startGroupsAtEnd(servers.kafkaBrokers, [
      { groupId: services.INGEST_GROUP_ID ?? '', topics: CONSUMED_TOPICS.ingestGateway },
      { groupId: probeGroup, topics: [TOPICS.transferAccepted] },
    ]);
    apps = await startPipeline(services, ['ingest-gateway']);
    probe = new TopicProbe(servers.kafkaBrokers);
    await probe.start([TOPICS.transferAccepted], probeGroup);
    redis = createRedis({ url: servers.redisUrl, keyPrefix: services.REDIS_KEY_PREFIX ?? '' });
  }, 240_000);

  afterAll(async () => {
    await stopPipeline(apps);
    await probe?.stop();
    await redis?.quit();
  });

  it('re-sends dead letters once, reports what failed again and why, and skips them on a second run', async () => {
    const sinceMs = Date.now() - 1_000;
    // Refused earlier (say, an amount limit since raised): acceptable now. And one that is still broken.
    const fixed = transfer('fixed', '900.00');
    await probe.produce(dlq, [
      deadLetter(`${run}-payer`, JSON.stringify(fixed), 'amount above INGEST_MAX_AMOUNT_MAJOR'),
      deadLetter(
        `${run}-broken`,
        `{"reportedBy": "${BANK}", "transferId": "broken-${run}",`,
        'malformed JSON',
      ),
    ]);
    // Only this run's dead letters: the topic is shared with concurrent runs.
    const options = {
      brokers: servers.kafkaBrokers,
      topic: dlq,
      sinceMs,
      keyPrefix: `${run}-`,
      waitMs: 20_000,
    };

    const dry = await replayDeadLetters({ ...options, dryRun: true }, redis);
    expect(dry).toMatchObject({ read: 2, resent: 0, alreadyReplayed: 0 });
    expect(new Set(dry.byReason)).toEqual(
      new Set([
        { sourceTopic: input, reason: 'amount above INGEST_MAX_AMOUNT_MAJOR', count: 1 },
        { sourceTopic: input, reason: 'malformed JSON', count: 1 },
      ]),
    );

    const first = await replayDeadLetters({ ...options, dryRun: false }, redis);
    expect(first.resent).toBe(2);
    expect(first.failedAgain.map((f) => [f.reason, f.newReason.split(':')[0]])).toEqual([
      ['malformed JSON', 'malformed JSON'],
    ]);
    // Other runs' gateways read the shared input topic too: count the input messages it came from, not copies.
    const sources = () =>
      new Set(
        probe
          .on(TOPICS.transferAccepted)
          .map((m) => TransferAcceptedSchema.parse(JSON.parse(m.value?.toString('utf8') ?? 'null')))
          .filter((t) => t.transferId === `bank:${BANK}:${fixed.transferId}`)
          .map((t) => `${t.source.partition}@${t.source.offset}`),
      );
    await expectEventually(() => expect(sources().size).toBe(1), { timeoutMs: 60_000 });

    const second = await replayDeadLetters({ ...options, dryRun: false }, redis);
    // The failure dead-lettered again is reported, not re-sent (the original is the unit of replay).
    expect(second).toMatchObject({ resent: 0, alreadyReplayed: 2, failedAgain: [] });
    expect(second.fromEarlierReplays).toBeGreaterThanOrEqual(1);
    expect(sources().size).toBe(1);
  }, 300_000);
});
