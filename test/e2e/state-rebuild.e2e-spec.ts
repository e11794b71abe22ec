import { randomUUID } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import type Redis from 'ioredis';
import {
  ALERT_STATE_HEADERS,
  CONSUMED_TOPICS,
  TOPICS,
  type AlertRaised,
  type BankTransferReceived,
} from '@scamflow/contracts';
import { startGroupsAtEnd } from '@scamflow/infra';
import { pipelineMetrics } from '@scamflow/observability';
import { createRedis, redisKeys } from '@scamflow/rolling-state';
import {
  StateRebuildRefusedError,
  rebuildState,
  replayPlanOf,
  type StateRebuildOptions,
} from '../../infra/local/state-rebuild';
import { bankTransfers } from '../support/bank-transfers';
import { expectEventually } from '../support/expect-eventually';
import { GroupOffsets, startsOf, waitForProbePast } from '../support/group-offsets';
import { startPipeline, stopPipeline } from '../support/pipeline-apps';
import { serviceEnv, testServers } from '../support/test-env';
import { TopicProbe } from '../support/topic-probe';

const run = randomUUID().slice(0, 8);
const BANK = `SR${run.toUpperCase().slice(0, 6)}`;
const base = Date.parse('2026-11-21T02:00:00Z');

const transfer = bankTransfers(run, base, BANK);

/** Every key of the run's prefix deleted: what a Redis restart without persistence leaves. */
const loseEverything = async (redis: Redis, prefix: string): Promise<number> => {
  // All keys vanish at one instant in a restart: the marker the services judge the loss by goes first.
  let deleted = await redis.del(redisKeys.stateEpoch);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys.map((k) => k.slice(prefix.length)));
  } while (cursor !== '0');
  return deleted;
};

describe('rebuilding the mule detector state after Redis lost it (npm run state:rebuild)', () => {
  const servers = testServers();
  const services = serviceEnv(run);
  const prefix = services.REDIS_KEY_PREFIX ?? '';
  const muleGroup = services.MULE_DETECTOR_GROUP_ID ?? '';
  const muleKey = `${BANK}:mule-${run}`;
  const startedAt = Date.now();
  let ingest: INestMicroservice[] = [];
  let detector: INestMicroservice[] = [];
  let alerts: TopicProbe;
  let offsets: GroupOffsets;
  let redis: Redis;
  let alertStarts: Map<number, bigint>;
  const options = (): StateRebuildOptions => ({
    brokers: servers.kafkaBrokers,
    plans: [replayPlanOf('mule-detector', { ...process.env, ...services })],
    lostAtMs: Date.now(),
    // The shared broker holds other runs' input: replay only this spec's stretch.
    fromMs: startedAt,
    dryRun: false,
  });
  const onMule = (): AlertRaised[] => alerts.alerts().filter((a) => a.subject.accountKey === muleKey);
  const lostStateFailures = async (): Promise<number> =>
    (await pipelineMetrics().batchFailures.get()).values
      .filter((v) => v.labels.errorClass === 'RedisStateLostError')
      .reduce((sum, v) => sum + v.value, 0);
  const send = (transfers: BankTransferReceived[]) =>
    alerts.produce(
      TOPICS.bankTransferReceived,
      transfers.map((t) => ({ key: t.debtor.accountId, value: JSON.stringify(t) })),
    );

  beforeAll(async () => {
    const probeGroup = `probe-rebuild-${run}`;
    await startGroupsAtEnd(servers.kafkaBrokers, [
      { groupId: services.INGEST_GROUP_ID ?? '', topics: CONSUMED_TOPICS.ingestGateway },
      { groupId: muleGroup, topics: CONSUMED_TOPICS.muleDetector },
      { groupId: probeGroup, topics: [TOPICS.alertRaised] },
    ]);
    redis = createRedis({ url: servers.redisUrl, keyPrefix: prefix });
    ingest = await startPipeline(services, ['ingest-gateway']);
    detector = await startPipeline(services, ['mule-detector']);
    alerts = new TopicProbe(servers.kafkaBrokers);
    await alerts.start([TOPICS.alertRaised], probeGroup);
    offsets = new GroupOffsets(servers.kafkaBrokers);
    await offsets.connect();
    alertStarts = await startsOf(offsets, TOPICS.alertRaised);
  }, 240_000);

  afterAll(async () => {
    await stopPipeline([...ingest, ...detector]);
    await alerts?.stop();
    await offsets?.disconnect();
    await redis?.quit();
  });

  let first: AlertRaised;
  /** `alertId@vN` of every alert on the mule before the loss. */
  let issuedBefore: string[];
  const issued = (): string[] => onMule().map((a) => `${a.alertId}@v${a.version}`);

  it('alerts a fan-in mule and publishes what its issued state is rebuilt from', async () => {
    await send([
      ...Array.from({ length: 6 }, (_, i) =>
        transfer(`victim-${i}`, `victim${i}`, 'mule', '8000.00', 10 + i),
      ),
      transfer('forward', 'mule', 'collector', '47000.00', 20),
    ]);
    first = await expectEventually(
      () => {
        const raised = onMule();
        expect(raised.length).toBeGreaterThan(0);
        return raised.at(-1)!;
      },
      { timeoutMs: 180_000, intervalMs: 1_000 },
    );
    const message = alerts
      .on(TOPICS.alertRaised)
      .find((m) => m.value?.toString('utf8').includes(`"alertId":"${first.alertId}"`));
    expect(message?.headers[ALERT_STATE_HEADERS.issueKey]).toBe(muleKey);
    expect(message?.headers[ALERT_STATE_HEADERS.fingerprint]).toMatch(/^[0-9a-f]{32}$/);
    await offsets.waitForGroupAtEnd(muleGroup, TOPICS.transferAccepted, 120_000);
    await waitForProbePast(alerts, offsets, TOPICS.alertRaised, alertStarts);
    issuedBefore = issued();
  }, 240_000);

  it('refuses while the detector runs, and changes nothing', async () => {
    const stateBefore = await redis.get(redisKeys.alertState(first.typology, muleKey));
    await expect(rebuildState(options(), redis)).rejects.toThrow(StateRebuildRefusedError);
    await expect(rebuildState(options(), redis)).rejects.toThrow(/mule-detector \(group mule-detector-/);
    expect(await redis.get(redisKeys.alertState(first.typology, muleKey))).toBe(stateBefore);
    // The group was not moved back: nothing left to consume.
    await offsets.waitForGroupAtEnd(muleGroup, TOPICS.transferAccepted, 10_000);
  }, 120_000);

  it('after the loss, the running detector stops on it; rebuilt, it has its windows back and updates the same alert id', async () => {
    const inflowsBefore = await redis.zcard(redisKeys.accountInflows(muleKey));
    expect(inflowsBefore).toBe(6);
    expect(await loseEverything(redis, prefix)).toBeGreaterThan(0);

    // Input arriving after the loss is not handled on empty windows: its batch fails, nothing is committed.
    const failuresBefore = await lostStateFailures();
    await send([transfer('during-loss', 'payer', 'shop', '120.00', 30)]);
    await expectEventually(async () => expect(await lostStateFailures()).toBeGreaterThan(failuresBefore), {
      timeoutMs: 60_000,
      intervalMs: 500,
    });
    await stopPipeline(detector);
    expect(await redis.zcard(redisKeys.accountInflows(`${BANK}:shop-${run}`))).toBe(0);

    const report = await rebuildState(options(), redis);
    expect(report.alertStates.restored).toBeGreaterThanOrEqual(1);
    const accepted = report.rewinds.find((r) => r.topic === TOPICS.transferAccepted);
    expect(accepted?.messagesToReplay).toBeGreaterThanOrEqual(7);
    expect(await redis.exists(redisKeys.stateEpoch)).toBe(1);
    expect(
      JSON.parse((await redis.get(redisKeys.alertState(first.typology, muleKey))) ?? 'null'),
    ).toMatchObject({
      alertId: first.alertId,
      version: first.version,
    });

    detector = await startPipeline(services, ['mule-detector']);
    await offsets.waitForGroupAtEnd(muleGroup, TOPICS.transferAccepted, 180_000);
    expect(await redis.zcard(redisKeys.accountInflows(muleKey))).toBe(inflowsBefore);
    expect(await redis.zcard(redisKeys.accountInflows(`${BANK}:shop-${run}`))).toBe(1);
    // The replay re-detected the mule with the content already issued: no new version, no second alert id.
    await waitForProbePast(alerts, offsets, TOPICS.alertRaised, alertStarts);
    expect(issued()).toEqual(issuedBefore);

    // More victims pay the mule: a new version of the same alert, with the evidence from before the loss.
    await send([
      ...Array.from({ length: 3 }, (_, i) => transfer(`later-${i}`, `later${i}`, 'mule', '8000.00', 40 + i)),
      transfer('forward-2', 'mule', 'collector', '23500.00', 45),
    ]);
    const laterVictim = new RegExp(`later-\\d-${run}`);
    const updated = await expectEventually(
      () => {
        const latest = onMule().find(
          (a) => a.alertId === first.alertId && laterVictim.test(a.evidence.inboundTransferIds.join(' ')),
        );
        expect(latest).toBeDefined();
        return latest!;
      },
      { timeoutMs: 180_000, intervalMs: 1_000 },
    );
    expect(updated.version).toBeGreaterThan(first.version);
    const idsBefore = new Set(issuedBefore.map((pair) => pair.split('@')[0]));
    expect(new Set(onMule().map((a) => a.alertId))).toEqual(idsBefore);
    expect(updated.evidence.inboundTransferIds.join(' ')).toContain(`victim-0-${run}`);
  }, 600_000);
});
