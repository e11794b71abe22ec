import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import type Redis from 'ioredis';
import { CONSUMED_TOPICS, TOPICS, TYPOLOGIES, type AlertRaised } from '@scamflow/contracts';
import { startGroupsAtEnd } from '@scamflow/infra';
import { createRedis, redisKeys } from '@scamflow/rolling-state';
import { bankTransfers } from '../support/bank-transfers';
import { expectEventually } from '../support/expect-eventually';
import { GroupOffsets } from '../support/group-offsets';
import { startPipeline, stopPipeline } from '../support/pipeline-apps';
import { serviceEnv, testServers } from '../support/test-env';
import { TopicProbe } from '../support/topic-probe';

const run = randomUUID().slice(0, 8);
const BANK = `CS${run.toUpperCase().slice(0, 6)}`;
const base = Date.parse('2026-11-20T02:00:00Z');
const CORRUPT = '{"alertId": "half-written", "version": 3,';

const transfer = bankTransfers(run, base, BANK);

describe('a corrupt stored alert state on the path of a planted mule', () => {
  const servers = testServers();
  const services = serviceEnv(run);
  const muleKey = `${BANK}:mule-${run}`;
  let apps: INestMicroservice[] = [];
  let alerts: TopicProbe;
  let offsets: GroupOffsets;
  let redis: Redis;

  beforeAll(async () => {
    const probeGroup = `probe-corrupt-${run}`;
    await startGroupsAtEnd(servers.kafkaBrokers, [
      { groupId: services.INGEST_GROUP_ID ?? '', topics: CONSUMED_TOPICS.ingestGateway },
      { groupId: services.MULE_DETECTOR_GROUP_ID ?? '', topics: CONSUMED_TOPICS.muleDetector },
      { groupId: probeGroup, topics: [TOPICS.alertRaised] },
    ]);
    redis = createRedis({ url: servers.redisUrl, keyPrefix: services.REDIS_KEY_PREFIX ?? '' });
    // A half-written value under every mule typology of the planted mule: whichever fires reads one.
    for (const typology of Object.values(TYPOLOGIES)) {
      await redis.set(redisKeys.alertState(typology, muleKey), CORRUPT);
    }
    apps = await startPipeline(services, ['ingest-gateway', 'mule-detector']);
    alerts = new TopicProbe(servers.kafkaBrokers);
    await alerts.start([TOPICS.alertRaised], probeGroup);
    offsets = new GroupOffsets(servers.kafkaBrokers);
    await offsets.connect();
  }, 240_000);

  afterAll(async () => {
    await stopPipeline(apps);
    await alerts?.stop();
    await offsets?.disconnect();
    await redis?.quit();
  });

  it('quarantines the value, keeps the partition moving and still raises the alert', async () => {
    const victims = Array.from({ length: 6 }, (_, i) =>
      transfer(`victim-${i}`, `victim${i}`, 'mule', '8000.00', 10 + i),
    );
    const forward = transfer('forward', 'mule', 'collector', '47000.00', 20);
    // Ordinary traffic behind the mule's transfers, on the same partitions.
    const after = Array.from({ length: 20 }, (_, i) =>
      transfer(`after-${i}`, `payer${i}`, `shop${i}`, '120.00', 30 + i),
    );
    await alerts.produce(
      TOPICS.bankTransferReceived,
      [...victims, forward, ...after].map((t) => ({ key: t.debtor.accountId, value: JSON.stringify(t) })),
    );

    const raised = await expectEventually(
      () => {
        const onMule = alerts.alerts().filter((a: AlertRaised) => a.subject.accountKey === muleKey);
        expect(onMule.length).toBeGreaterThan(0);
        return onMule;
      },
      { timeoutMs: 180_000, intervalMs: 1_000 },
    );
    // The state was lost, so the alert starts a fresh id at v1: never a "v4" of the half-written id.
    expect(raised[0]).toMatchObject({ version: 1 });
    expect(raised.map((a) => a.alertId)).not.toContain('half-written');

    await offsets.waitForGroupAtEnd(services.MULE_DETECTOR_GROUP_ID ?? '', TOPICS.transferAccepted, 180_000);
    const typology = raised[0]?.typology ?? '';
    const key = redisKeys.alertState(typology, muleKey);
    expect(await redis.get(redisKeys.quarantine(key))).toBe(CORRUPT);
    expect(JSON.parse((await redis.get(key)) ?? 'null')).toMatchObject({ alertId: raised.at(-1)?.alertId });
  }, 400_000);
});
