/**
 * `npm run demo`: starts (or reuses) the local Kafka, Neo4j and Redis, starts the three services, plays a
 * short demo feed into `bank.transfer.received.v1` and prints alerts and dead letters as they arrive.
 * Servers given in KAFKA_BROKERS / NEO4J_URL / REDIS_URL are used instead of the local stack.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import {
  AlertRaisedSchema,
  DEAD_LETTER_HEADERS,
  CONSUMED_TOPICS,
  TOPICS,
  deadLetterTopicOf,
} from '../../libs/contracts/src';
import {
  endpointsEnv,
  resolveEndpoints,
  startGroupsAtEnd,
  startService,
  type InfraEndpoints,
} from '../index';
import { buildDemoFeed } from './demo-feed';

const SERVICES = ['ingest-gateway', 'graph-writer', 'mule-detector'] as const;
const TIMEOUT_MS = 90_000;
/** The demo feed holds one scam (one mule) and one malformed event. */
const EXPECTED_ALERTS = 1;
const EXPECTED_DEAD_LETTERS = 1;

const c = {
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  green: '\x1b[32m',
  dim: '\x1b[2m',
  bold: '\x1b[1m',
  off: '\x1b[0m',
};
const log = (text: string) => console.log(`${c.dim}[demo]${c.off} ${text}`);

const startDemoService = (
  name: string,
  servers: InfraEndpoints,
  groups: Record<string, string>,
): ChildProcess => {
  const child = startService(name, { ...endpointsEnv(servers), LOG_LEVEL: 'warn', ...groups });
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal === null) log(`${c.red}${name} exited with code ${code}${c.off}`);
  });
  return child;
};

const main = async (): Promise<void> => {
  const run = randomUUID().slice(0, 6);
  log('starting or reusing Kafka, Neo4j and Redis (first run downloads Kafka and Neo4j from Maven Central)…');
  const servers = await resolveEndpoints();
  log(
    `servers ready: Kafka ${servers.kafkaBrokers.join(',')}, Neo4j ${servers.neo4jUrl}, Redis ${servers.redisUrl}`,
  );

  // Fresh consumer groups positioned at the end of their topics: the demo shows its own feed, not the
  // backlog earlier runs, tests or imports left on a long-lived stack.
  const groups = {
    INGEST_GROUP_ID: `demo-ingest-gateway-${run}`,
    GRAPH_WRITER_GROUP_ID: `demo-graph-writer-${run}`,
    MULE_DETECTOR_GROUP_ID: `demo-mule-detector-${run}`,
  };
  await startGroupsAtEnd(servers.kafkaBrokers, [
    { groupId: groups.INGEST_GROUP_ID, topics: CONSUMED_TOPICS.ingestGateway },
    { groupId: groups.GRAPH_WRITER_GROUP_ID, topics: CONSUMED_TOPICS.graphWriter },
    { groupId: groups.MULE_DETECTOR_GROUP_ID, topics: CONSUMED_TOPICS.muleDetector },
  ]);
  const children = SERVICES.map((name) => startDemoService(name, servers, groups));
  const stop = () => children.forEach((child) => child.kill('SIGTERM'));
  process.on('SIGINT', () => {
    stop();
    process.exit(130);
  });

  const kafka = new Kafka({
    clientId: `demo-${run}`,
    brokers: servers.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  const watcher = kafka.consumer({ groupId: `demo-watch-${run}`, maxWaitTimeInMs: 100 });
  await watcher.connect();
  await watcher.subscribe({ topics: [TOPICS.alertRaised, deadLetterTopicOf(TOPICS.bankTransferReceived)] });
  let alerts = 0;
  let deadLetters = 0;
  const seen = new Set<string>();
  const done = new Promise<void>((resolve) => {
    void watcher.run({
      eachMessage: ({ topic, partition, message }) => {
        // A consumer can see a message again after a rebalance; show each once.
        const id = `${topic}/${partition}/${message.offset}`;
        if (seen.has(id)) return Promise.resolve();
        seen.add(id);
        const text = message.value?.toString('utf8') ?? '';
        if (!text.includes(run) && !message.key?.toString().includes(run)) return Promise.resolve();
        if (topic === TOPICS.alertRaised) {
          const alert = AlertRaisedSchema.parse(JSON.parse(text));
          alerts += 1;
          console.log(
            `\n${c.bold}${c.red}ALERT ${alert.severity.toUpperCase()}${c.off} ${alert.typology}  score ${alert.score}`,
          );
          console.log(`  ${alert.summary}`);
          for (const fact of alert.facts) {
            console.log(`  ${fact.fired ? '✔' : '·'} ${fact.description}: ${fact.value} (${fact.threshold})`);
          }
          console.log(
            `  evidence: ${alert.evidence.inboundTransferIds.length} inbound, ${alert.evidence.outboundTransferIds.length} outbound transfers`,
          );
          for (const action of alert.recommendedActions)
            console.log(`  → ${action.kind}: ${action.rationale}`);
          console.log();
        } else {
          deadLetters += 1;
          const reason = message.headers?.[DEAD_LETTER_HEADERS.reason]?.toString() ?? '';
          log(
            `${c.yellow}dead letter${c.off} (key ${message.key?.toString() ?? ''}): ${reason.split('\n').slice(0, 3).join(' ')}`,
          );
        }
        if (alerts >= EXPECTED_ALERTS && deadLetters >= EXPECTED_DEAD_LETTERS) resolve();
        return Promise.resolve();
      },
    });
  });
  // Give the watcher its partitions before the feed starts (it reads from the latest offsets).
  await new Promise((resolve) => setTimeout(resolve, 3_000));

  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const feed = buildDemoFeed(run, new Date(Date.now() - 30 * 60_000));
  log(`playing ${feed.length} events into ${TOPICS.bankTransferReceived}`);
  for (const event of feed) {
    await producer.send({
      topic: TOPICS.bankTransferReceived,
      messages: [{ key: event.key, value: event.value }],
    });
    process.stdout.write(`${c.dim}  sent ${event.label}${c.off}\n`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  await producer.disconnect();

  const timeout = new Promise<'timeout'>((resolve) =>
    setTimeout(() => resolve('timeout'), TIMEOUT_MS).unref(),
  );
  const outcome = await Promise.race([done.then(() => 'done' as const), timeout]);
  await watcher.disconnect();
  stop();
  if (outcome === 'timeout') {
    log(`${c.red}no alert within ${TIMEOUT_MS / 1000}s; see the service output above${c.off}`);
    process.exitCode = 1;
  } else {
    log(
      `${c.green}demo finished: ${alerts} alert(s).${c.off} The servers keep running; stop them with: npm run infra -- down`,
    );
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
