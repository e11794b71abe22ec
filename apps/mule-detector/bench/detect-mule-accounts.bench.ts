/**
 * Mule-detector throughput on the real Redis: transfers per second through DetectMuleAccountsService
 * (parse, record, one read, every detector) with alert publishing counted instead of sent to Kafka, so
 * the figure is the detector's own. Prints figures and writes bench-results/mule-detector.json.
 *   npx tsx apps/mule-detector/bench/detect-mule-accounts.bench.ts [transfers=100000] [batch=500]
 */
import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { AlertIssuer } from '@scamflow/alerting';
import { TOPICS, type AlertDraft, type TransferAccepted } from '@scamflow/contracts';
import type { ConsumedBatch, DeadLetterPublisher } from '@scamflow/messaging';
import { AccountFlowRepository, AccountProfileRepository, createRedis } from '@scamflow/rolling-state';
import { SeededRandom } from '../../scam-simulator/src/seeded-random';
import { DetectMuleAccountsService } from '../src/detect-mule-accounts.service';
import { loadMuleDetectorConfig } from '../src/mule-detector.config';

const total = Number(process.argv[2] ?? 100_000);
const batchSize = Number(process.argv[3] ?? 500);
const run = randomUUID().slice(0, 8);
const config = loadMuleDetectorConfig();
/** A prefix of its own, removed at the end, so the bench never touches other state on the shared Redis. */
const keyPrefix = `bench-md-${run}:`;

/** Background: 50,000 accounts paying each other; every 40th transfer goes to one of 200 fan-in mules. */
const feed = (): TransferAccepted[] => {
  const random = new SeededRandom(20_261_201);
  const account = (id: string) => ({
    accountKey: `BENCHBK:${id}`,
    accountId: id,
    institutionId: 'BENCHBK',
    country: 'TH',
  });
  const start = Date.now() - 60 * 60 * 1000;
  return Array.from({ length: total }, (_, i) => {
    const mule = i % 40 === 0;
    const from = `a${random.int(0, 49_999)}`;
    const to = mule ? `mule${random.int(0, 199)}` : `a${random.int(0, 49_999)}`;
    return {
      schemaVersion: 1,
      transferId: `bank:BENCHBK:${run}-${i}`,
      rail: 'bank',
      reportedBy: 'BENCHBK',
      bookedAt: new Date(start + Math.floor((i * 3_600_000) / total)).toISOString(),
      amount: { amountMinor: String(random.int(10_000, 5_000_000)), currency: 'THB', scale: 2 },
      debtor: account(from),
      creditor: account(to),
      debtorBalanceAfter: { amountMinor: String(random.int(0, 9_000_000)), currency: 'THB', scale: 2 },
      source: { topic: TOPICS.bankTransferReceived, partition: 0, offset: String(i) },
      acceptedAt: new Date().toISOString(),
    } satisfies TransferAccepted;
  });
};

const main = async (): Promise<void> => {
  const redis = createRedis({ url: config.REDIS_URL, keyPrefix });
  let drafts = 0;
  const alerts = {
    issue: (d: readonly AlertDraft[]) => {
      drafts += d.length;
      return Promise.resolve([]);
    },
  } as unknown as AlertIssuer;
  const deadLetters = { publish: () => Promise.resolve() } as unknown as DeadLetterPublisher;
  const service = new DetectMuleAccountsService(
    new AccountFlowRepository(redis),
    new AccountProfileRepository(redis),
    alerts,
    deadLetters,
    config,
  );
  const batches: ConsumedBatch[] = [];
  const transfers = feed();
  for (let i = 0; i < transfers.length; i += batchSize) {
    batches.push({
      topic: TOPICS.transferAccepted,
      partition: 0,
      messages: transfers.slice(i, i + batchSize).map((t, j) => ({
        topic: TOPICS.transferAccepted,
        partition: 0,
        offset: String(i + j),
        key: null,
        value: Buffer.from(JSON.stringify(t)),
        headers: {},
        timestamp: '0',
      })),
    });
  }
  const batchMs: number[] = [];
  const started = performance.now();
  for (const batch of batches) {
    const t0 = performance.now();
    await service.execute(batch);
    batchMs.push(performance.now() - t0);
  }
  const seconds = (performance.now() - started) / 1_000;
  batchMs.sort((a, b) => a - b);
  const result = {
    bench: 'mule-detector',
    transfers: total,
    batchSize,
    seconds: Number(seconds.toFixed(2)),
    transfersPerSecond: Math.round(total / seconds),
    batchP50Ms: Number((batchMs[Math.floor(batchMs.length / 2)] ?? 0).toFixed(1)),
    batchP99Ms: Number((batchMs[Math.floor(batchMs.length * 0.99)] ?? 0).toFixed(1)),
    draftsIssued: drafts,
    at: new Date().toISOString(),
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/mule-detector.json', `${JSON.stringify(result, null, 2)}\n`);
  // Leave no bench state behind on the shared Redis.
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1_000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys.map((k) => k.slice(keyPrefix.length)));
  } while (cursor !== '0');
  await redis.quit();
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
