/**
 * Detection quality on IBM AMLSim (../shared/data/amlsim-20k-fanin200) through the real pipeline: the feed
 * importer sends the transactions to Kafka, ingest-gateway, graph-writer, mule-detector and network-detector (each in its own
 * process) consume them, and the alerts raised on this run's accounts are scored at account level against
 * the dataset's `isFraud` labels. Prints a table and writes bench-results/eval-amlsim.json.
 *
 *   npm run eval:amlsim -- [--data <amlsim output dir>] [--timeout-minutes 20]
 *
 * Isolation on a shared stack: this run's bank id (`AMLSIM-<run>`) is in every account key, the service
 * consumer groups are new and start at the topic ends, and Redis keys carry a fresh prefix.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { z } from 'zod';
import { CONSUMED_TOPICS, TOPICS, accountKeyOf } from '@scamflow/contracts';
import { latestAlertVersions, scoreDetections, type Scores } from '@scamflow/evaluation';
import { endpointsEnv, resolveEndpoints, startGroupsAtEnd, startService } from '@scamflow/infra';
import { ROOT, sleep, writeResult } from './bench-support';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: join(ROOT, '..', 'shared', 'data', 'amlsim-20k-fanin200') },
    'timeout-minutes': { type: 'string', default: '20' },
  },
});
const DATA_DIR = resolve(args.data);
const TIMEOUT_MS = Number(args['timeout-minutes']) * 60_000;
/** Alerts count as settled once every group is caught up and no alert arrived for this long. */
const QUIET_MS = 10_000;

/** The few alert fields scoring needs; typologies stay open strings so new detectors count without edits. */
const ScoredAlertSchema = z.object({
  alertId: z.string(),
  version: z.number().int(),
  typology: z.string(),
  subject: z.object({ accountKey: z.string() }),
});
type ScoredAlertMessage = z.infer<typeof ScoredAlertSchema>;

const LabelSchema = z.object({ bankId: z.string(), accountId: z.string(), isFraud: z.boolean() });

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

const runImporter = async (bank: string, sourceId: string, labelsOut: string, brokers: string[]) => {
  const importer = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'apps', 'feed-importer', 'src', 'main.ts'),
      'amlsim',
      DATA_DIR,
      '--bank',
      bank,
      '--source-id',
      sourceId,
      '--labels-out',
      labelsOut,
      '--brokers',
      brokers.join(','),
      '--no-progress',
    ],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] },
  );
  const [code] = (await once(importer, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`feed importer exited with ${code}`);
};

const commitOf = (): string => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};

const row = (name: string, s: Scores & { alerted?: number }): string =>
  [
    name.padEnd(34),
    String(s.alerted ?? s.tp + s.fp).padStart(7),
    String(s.tp).padStart(5),
    String(s.fp).padStart(5),
    String(s.fn).padStart(5),
    s.precision.toFixed(3).padStart(9),
    s.recall.toFixed(3).padStart(7),
    s.f1.toFixed(3).padStart(6),
  ].join(' ');

const main = async (): Promise<void> => {
  const startedAt = performance.now();
  const run = randomUUID().slice(0, 8);
  const bank = `AMLSIM-${run}`;
  const dataset = basename(DATA_DIR);
  const labelsOut = join(tmpdir(), `eval-amlsim-${run}-labels.jsonl`);
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
      else if (parsed.data.subject.accountKey.startsWith(`${bank}:`)) {
        alerts.push(parsed.data);
        lastAlertAt = performance.now();
      }
      return Promise.resolve();
    },
  });

  const env = {
    ...endpointsEnv(servers),
    INGEST_GROUP_ID: groups.ingest.groupId,
    GRAPH_WRITER_GROUP_ID: groups.graph.groupId,
    MULE_DETECTOR_GROUP_ID: groups.mule.groupId,
    NETWORK_DETECTOR_GROUP_ID: groups.network.groupId,
    REDIS_KEY_PREFIX: `eval-${run}:`,
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
  };
  const services = (['ingest-gateway', 'graph-writer', 'mule-detector', 'network-detector'] as const).map(
    (name) => startService(name, env),
  );
  // Never leave the services running if the evaluation itself fails.
  process.on('exit', () => services.forEach((s) => s.kill('SIGTERM')));

  console.log(`eval-amlsim ${run}: importing ${DATA_DIR} as bank ${bank}`);
  await runImporter(bank, `${dataset}-${run}`, labelsOut, servers.kafkaBrokers);

  const deadline = performance.now() + TIMEOUT_MS;
  let settled = false;
  while (!settled && performance.now() < deadline) {
    await sleep(1000);
    const lags = {
      ingest: await lagOf(admin, groups.ingest.groupId, groups.ingest.topics),
      graph: await lagOf(admin, groups.graph.groupId, groups.graph.topics),
      mule: await lagOf(admin, groups.mule.groupId, groups.mule.topics),
      network: await lagOf(admin, groups.network.groupId, groups.network.topics),
      alerts: await lagOf(admin, groups.alerts.groupId, groups.alerts.topics),
    };
    const behind = lags.ingest + lags.graph + lags.mule + lags.network;
    settled = behind === 0 && lags.alerts === 0 && performance.now() - lastAlertAt >= QUIET_MS;
    process.stdout.write(
      `\r  lag: ingest ${lags.ingest}, graph ${lags.graph}, mule ${lags.mule}, network ${lags.network}; alerts on this run ${alerts.length}   `,
    );
  }
  process.stdout.write('\n');
  services.forEach((s) => s.kill('SIGTERM'));
  await consumer.disconnect();
  await admin.disconnect();

  const labels = readFileSync(labelsOut, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => LabelSchema.parse(JSON.parse(line)));
  rmSync(labelsOut, { force: true });
  const latest = latestAlertVersions(alerts);
  const scores = scoreDetections({
    accounts: new Set(labels.map((l) => accountKeyOf(l.bankId, l.accountId))),
    positives: new Set(labels.filter((l) => l.isFraud).map((l) => accountKeyOf(l.bankId, l.accountId))),
    alerts: latest.map((a) => ({ accountKey: a.subject.accountKey, typology: a.typology })),
  });

  const result = {
    dataset,
    commit: commitOf(),
    date: new Date().toISOString(),
    settled,
    ...scores,
    alerts: latest.length,
    durationMs: Math.round(performance.now() - startedAt),
  };
  console.log(
    `\n${dataset}: ${scores.accounts} accounts, ${scores.labelledPositive} labelled positive, ` +
      `${scores.alerted} alerted (${latest.length} alerts${unreadable > 0 ? `, ${unreadable} unreadable on the topic` : ''})`,
  );
  console.log(
    `${'typology'.padEnd(34)} alerted    tp    fp    fn precision recall    f1\n${row('all (account level)', {
      ...scores.overall,
      alerted: scores.alerted,
    })}`,
  );
  for (const [typology, s] of Object.entries(scores.perTypology)) console.log(row(typology, s));
  if (!settled) console.log(`not settled within ${args['timeout-minutes']} min: figures are partial`);
  console.log(`written ${writeResult('eval-amlsim', result)}`);
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('eval-amlsim failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
