/**
 * The part every dataset evaluation shares: replay a file through the feed importer into the real services
 * (ingest-gateway, graph-writer, mule-detector, network-detector, each its own process) with fresh consumer
 * groups, a fresh Redis key prefix and the chosen detection profile; collect the alerts until every group is
 * caught up and no alert arrived for a while; delete the run's Redis keys.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { z } from 'zod';
import { CONSUMED_TOPICS, TOPICS } from '@scamflow/contracts';
import { scoresOf } from '@scamflow/evaluation';
import { endpointsEnv, resolveEndpoints, startGroupsAtEnd, startService } from '@scamflow/infra';
import { ROOT, sleep } from './bench-support';

/** Alerts count as settled once every group is caught up and no alert arrived for this long. */
const QUIET_MS = 10_000;

/** The alert fields scoring needs; typologies stay open strings so new detectors count without edits. */
export const ScoredAlertSchema = z.object({
  alertId: z.string(),
  version: z.number().int(),
  typology: z.string(),
  subject: z.object({ accountKey: z.string() }),
  involved: z.array(z.object({ accountKey: z.string(), role: z.string() })),
  evidence: z.object({
    inboundTransferIds: z.array(z.string()),
    outboundTransferIds: z.array(z.string()),
    edges: z.array(z.object({ transferId: z.string() }).passthrough()),
  }),
});
export type ScoredAlertMessage = z.infer<typeof ScoredAlertSchema>;

/** Every transfer an alert lists as evidence: inbound, outbound or a path edge. */
export const evidenceOf = (alert: ScoredAlertMessage): string[] => [
  ...alert.evidence.inboundTransferIds,
  ...alert.evidence.outboundTransferIds,
  ...alert.evidence.edges.map((e) => e.transferId),
];

/**
 * Transaction-level flags of a run: the transfers of this run (their id contains `tag`) that the latest version
 * of some alert lists as evidence, in all and per typology.
 */
export const flaggedTransfersOf = (latest: readonly ScoredAlertMessage[], tag: string) => {
  const flagged = new Set<string>();
  const perTypology = new Map<string, Set<string>>();
  for (const alert of latest) {
    const set = perTypology.get(alert.typology) ?? new Set<string>();
    for (const id of evidenceOf(alert)) {
      if (!id.includes(tag)) continue;
      flagged.add(id);
      set.add(id);
    }
    perTypology.set(alert.typology, set);
  }
  return { flagged, perTypology };
};

/** What a transaction-level evaluation knows at its end. */
export interface TransactionLevelRun {
  readonly dataset: string;
  readonly profile: string;
  readonly settled: boolean;
  readonly transactions: number;
  readonly positives: ReadonlySet<string>;
  readonly flagged: ReadonlySet<string>;
  readonly perTypology: ReadonlyMap<string, ReadonlySet<string>>;
  readonly alerts: number;
}

/**
 * The head every transaction-level result shares (minority-class F1 overall and per typology), printed as a
 * summary; each evaluation adds its dataset's own breakdowns after it.
 */
export const transactionLevelResult = (run: TransactionLevelRun) => {
  const overall = scoresOf(run.flagged, run.positives);
  const result = {
    dataset: run.dataset,
    profile: run.profile,
    level: 'transaction',
    metric: 'minority-class (laundering) F1',
    commit: commitOf(),
    date: new Date().toISOString(),
    settled: run.settled,
    transactions: run.transactions,
    labelledLaundering: run.positives.size,
    flagged: run.flagged.size,
    overall,
    perTypology: Object.fromEntries(
      [...run.perTypology]
        .sort()
        .map(([typology, set]) => [typology, { flagged: set.size, ...scoresOf(set, run.positives) }]),
    ),
  };
  console.log(
    `\n${run.dataset}: ${run.transactions} transactions, ${run.positives.size} laundering, ${run.flagged.size} ` +
      `flagged (${run.alerts} alerts): precision ${overall.precision}, recall ${overall.recall}, F1 ${overall.f1}`,
  );
  for (const [typology, t] of Object.entries(result.perTypology)) {
    console.log(`  ${typology.padEnd(30)} flagged ${t.flagged}, tp ${t.tp}, precision ${t.precision}`);
  }
  return result;
};

/** Runs an evaluation command's main and exits 0, or 1 with the error named after the command. */
export const runEvaluationCommand = (name: string, main: () => Promise<void>): void => {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`${name} failed:`, error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
};

/** Messages a group still has to read on its topics (end offset minus committed offset, per partition). */
const lagOf = async (admin: Admin, groupId: string, topics: readonly string[]): Promise<number> => {
  let lag = 0;
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const at = new Map(committed?.partitions.map((p) => [p.partition, Number(p.offset)]));
    for (const { partition, high } of ends) lag += Math.max(0, Number(high) - (at.get(partition) ?? 0));
  }
  return lag;
};

const runImporter = async (importerArgs: readonly string[], brokers: readonly string[]): Promise<void> => {
  const importer = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'apps', 'feed-importer', 'src', 'main.ts'),
      ...importerArgs,
      '--brokers',
      brokers.join(','),
      '--no-progress',
    ],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const [code] = (await once(importer, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`feed importer exited with ${code}`);
};

/** Deletes every key under the prefix (SCAN, never KEYS: the server is shared). */
const deleteRedisPrefix = async (url: string, prefix: string): Promise<number> => {
  const redis = new Redis(url, { maxRetriesPerRequest: 5 });
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
  return deleted;
};

export const commitOf = (): string => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};

export interface EvaluationRun {
  /** Short id naming the run's groups and Redis prefix. */
  readonly run: string;
  readonly profile: string;
  /** Feed importer arguments (format, path and options; brokers are added). */
  readonly importerArgs: readonly string[];
  /** Keeps the alerts of this run (other runs share the alert topic). */
  readonly ofThisRun: (alert: ScoredAlertMessage) => boolean;
  readonly timeoutMs: number;
}

export interface EvaluationOutcome {
  readonly alerts: ScoredAlertMessage[];
  readonly unreadable: number;
  readonly settled: boolean;
  readonly redisKeysDeleted: number;
}

export const runEvaluationPipeline = async ({
  run,
  profile,
  importerArgs,
  ofThisRun,
  timeoutMs,
}: EvaluationRun): Promise<EvaluationOutcome> => {
  const servers = await resolveEndpoints();
  const groups = {
    ingest: { groupId: `eval-ingest-${run}`, topics: CONSUMED_TOPICS.ingestGateway },
    graph: { groupId: `eval-graph-${run}`, topics: CONSUMED_TOPICS.graphWriter },
    mule: { groupId: `eval-mule-${run}`, topics: CONSUMED_TOPICS.muleDetector },
    network: { groupId: `eval-network-${run}`, topics: CONSUMED_TOPICS.networkDetector },
    alerts: { groupId: `eval-alerts-${run}`, topics: [TOPICS.alertRaised] },
  };
  // New groups start at the current end of the topics: earlier runs' messages are not re-read.
  await startGroupsAtEnd(servers.kafkaBrokers, Object.values(groups));

  const kafka = new Kafka({
    clientId: `eval-${run}`,
    brokers: servers.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const alerts: ScoredAlertMessage[] = [];
  let lastAlertAt = performance.now();
  let unreadable = 0;
  const consumer = kafka.consumer({ groupId: groups.alerts.groupId, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topics: groups.alerts.topics });
  await consumer.run({
    eachMessage: ({ message }) => {
      const parsed = ScoredAlertSchema.safeParse(JSON.parse(message.value?.toString('utf8') ?? 'null'));
      if (!parsed.success) unreadable += 1;
      else if (ofThisRun(parsed.data)) {
        alerts.push(parsed.data);
        lastAlertAt = performance.now();
      }
      return Promise.resolve();
    },
  });

  const redisKeyPrefix = `eval-${run}:`;
  const env = {
    ...endpointsEnv(servers),
    INGEST_GROUP_ID: groups.ingest.groupId,
    GRAPH_WRITER_GROUP_ID: groups.graph.groupId,
    MULE_DETECTOR_GROUP_ID: groups.mule.groupId,
    NETWORK_DETECTOR_GROUP_ID: groups.network.groupId,
    REDIS_KEY_PREFIX: redisKeyPrefix,
    DETECTION_PROFILE: profile,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
  };
  const services = (['ingest-gateway', 'graph-writer', 'mule-detector', 'network-detector'] as const).map(
    (name) => startService(name, env),
  );
  // Never leave the services running if the evaluation itself fails.
  process.on('exit', () => services.forEach((s) => s.kill('SIGTERM')));

  let settled = false;
  try {
    await runImporter(importerArgs, servers.kafkaBrokers);
    const deadline = performance.now() + timeoutMs;
    while (!settled && performance.now() < deadline) {
      await sleep(1000);
      const lags = {
        ingest: await lagOf(admin, groups.ingest.groupId, groups.ingest.topics),
        graph: await lagOf(admin, groups.graph.groupId, groups.graph.topics),
        mule: await lagOf(admin, groups.mule.groupId, groups.mule.topics),
        network: await lagOf(admin, groups.network.groupId, groups.network.topics),
      };
      const behind = lags.ingest + lags.graph + lags.mule + lags.network;
      // The alert topic's committed lag is never zero while other pipelines on the shared servers keep alerting
      // (offsets are committed every few seconds): the detectors caught up and quiet time are what count.
      settled = behind === 0 && performance.now() - lastAlertAt >= QUIET_MS;
      process.stdout.write(
        `\r  lag: ingest ${lags.ingest}, graph ${lags.graph}, mule ${lags.mule}, network ${lags.network}; alerts on this run ${alerts.length}   `,
      );
    }
    process.stdout.write('\n');
  } finally {
    services.forEach((s) => s.kill('SIGTERM'));
    await consumer.disconnect();
    await admin.disconnect();
  }
  // The services are stopped: nothing writes under the prefix any more.
  // A child killed by a signal has signalCode set and exitCode null: waiting on it would never resolve, and
  // node would exit silently with nothing left on its event loop.
  await Promise.all(
    services.map((s) => (s.exitCode === null && s.signalCode === null ? once(s, 'exit') : Promise.resolve())),
  );
  const redisKeysDeleted = await deleteRedisPrefix(servers.redisUrl, redisKeyPrefix);
  return { alerts, unreadable, settled, redisKeysDeleted };
};
