/**
 * `npm run demo`: starts (or reuses) the local Kafka, Neo4j and Redis, starts every service, plays the
 * simulator's `demo` scenario (banks and VASPs in seven countries, three planted scam operations, victim reports
 * filed later, ordinary traffic around them) into the real input topics, plus one malformed event, and prints
 * alerts and dead letters as they arrive. Servers given in KAFKA_BROKERS / NEO4J_URL / REDIS_URL are used
 * instead of the local stack.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import {
  AlertRaisedSchema,
  CONSUMED_TOPICS,
  DEAD_LETTER_HEADERS,
  INPUT_TOPICS,
  TOPICS,
  TYPOLOGIES,
  ROLES,
  deadLetterTopicOf,
  type AlertRaised,
} from '../../libs/contracts/src';
import { formatMinor } from '../../libs/money/src';
import { mintToken } from '../../apps/investigator-api/src/auth/mint-token';
import { ensureConsoleBuilt } from '../../apps/investigator-api/src/console/console-bundle';
import { loadInvestigatorApiConfig } from '../../apps/investigator-api/src/investigator-api.config';
import {
  endpointsEnv,
  resolveEndpoints,
  startGroupsAtEnd,
  startService,
  type InfraEndpoints,
} from '../index';

const ROOT = path.resolve(__dirname, '../..');
/** Each service with the variable naming its consumer group and the topics it reads. */
const SERVICES = [
  { name: 'ingest-gateway', groupEnv: 'INGEST_GROUP_ID', topics: CONSUMED_TOPICS.ingestGateway },
  { name: 'graph-writer', groupEnv: 'GRAPH_WRITER_GROUP_ID', topics: CONSUMED_TOPICS.graphWriter },
  { name: 'mule-detector', groupEnv: 'MULE_DETECTOR_GROUP_ID', topics: CONSUMED_TOPICS.muleDetector },
  {
    name: 'network-detector',
    groupEnv: 'NETWORK_DETECTOR_GROUP_ID',
    topics: CONSUMED_TOPICS.networkDetector,
  },
  {
    name: 'proceeds-tracer',
    groupEnv: 'PROCEEDS_TRACER_GROUP_ID',
    topics: CONSUMED_TOPICS.proceedsTracer,
  },
] as const;
const TIMEOUT_MS = 150_000;
/** The investigator API's port (API_PORT, default 8080). */
const API_PORT = process.env['API_PORT'] ?? '8080';
/** After both kinds of alert have fired, the demo ends once no alert has arrived for this long. */
const QUIET_MS = 8_000;
const DAY_MS = 24 * 60 * 60 * 1000;

const c = {
  red: '\x1b[31m',
  yellow: '\x1b[33m',
  green: '\x1b[32m',
  cyan: '\x1b[36m',
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

const money = (m: { amountMinor: string; currency: string; scale: number }): string =>
  `${formatMinor(BigInt(m.amountMinor), m.scale)} ${m.currency}`;

const printAlert = (alert: AlertRaised): void => {
  if (alert.version > 1) {
    console.log(
      `${c.cyan}UPDATE v${alert.version}${c.off} ${alert.typology} on ${alert.subject.accountKey}: ${alert.summary}`,
    );
    return;
  }
  console.log(
    `\n${c.bold}${c.red}ALERT ${alert.severity.toUpperCase()}${c.off} ${alert.typology}  score ${alert.score}  ` +
      `subject ${alert.subject.accountKey} (${alert.subject.role})`,
  );
  console.log(`  ${alert.summary}`);
  for (const fact of alert.facts.filter((f) => f.fired)) {
    console.log(`  ✔ ${fact.description}: ${fact.value} (${fact.threshold})`);
  }
  for (const holder of alert.tracing?.holders ?? []) {
    const amounts = holder.amounts
      .filter((a) => a.rule === 'fifo' || a.rule === 'haircut')
      .map((a) => `${a.rule} ${money(a.amount)}`)
      .join(', ');
    const why = holder.crossBorderReasons.length > 0 ? `  ← ${holder.crossBorderReasons.join('; ')}` : '';
    console.log(`  holds ${holder.account.accountKey} (${holder.account.role}): ${amounts}${why}`);
  }
  for (const action of alert.recommendedActions) console.log(`  → ${action.kind}: ${action.rationale}`);
};

/** Waits until the investigator API answers its health check (it starts beside the pipeline services). */
const waitForApi = async (baseUrl: string, timeoutMs = 60_000): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
};

/** The investigator API's URL, its docs, the console, and a development token per role. */
const printInvestigatorApi = async (baseUrl: string): Promise<void> => {
  const config = loadInvestigatorApiConfig({ ...process.env, API_PORT });
  const secret = config.API_JWT_SECRET;
  console.log();
  log(
    `${c.bold}investigator API${c.off} ${baseUrl}  (OpenAPI: ${baseUrl}/docs, console: ${baseUrl}/console/)`,
  );
  if (!secret) {
    log('API_JWT_SECRET is not set (RS256 deployment): get tokens from your identity provider');
    return;
  }
  const tokens = Object.fromEntries(
    ROLES.map((role) => [
      role,
      mintToken(secret, {
        role,
        sub: `${role}-demo`,
        ...(role === 'bank' ? { institutionId: process.env['DEMO_BANK'] ?? 'KASITHBK' } : {}),
      }),
    ]),
  );
  try {
    const inbox = (await (
      await fetch(`${baseUrl}/alerts?limit=1`, { headers: { authorization: `Bearer ${tokens['analyst']}` } })
    ).json()) as { counts?: Record<string, number> };
    log(`inbox counts per state: ${JSON.stringify(inbox.counts ?? {})}`);
  } catch (error) {
    log(`${c.yellow}the inbox did not answer: ${String(error)}${c.off}`);
  }
  log('development tokens (8 h), one per role:');
  for (const [role, token] of Object.entries(tokens))
    console.log(`  ${c.cyan}${role.padEnd(12)}${c.off} ${token}`);
  log(
    `try: curl -H "Authorization: Bearer <analyst token>" "${baseUrl}/alerts?severity=critical,high&limit=5"`,
  );
};

/** Publishes the simulator's demo scenario to Kafka (the simulator's own CLI, as an operator would run it). */
const playScenario = (servers: InfraEndpoints, namespace: string): Promise<void> => {
  const outDir = path.join(ROOT, '.local', 'demo');
  mkdirSync(outDir, { recursive: true });
  // Eight days ago at midnight UTC: the three simulated days and reports filed up to three days later are past.
  const startAt = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 8 * DAY_MS).toISOString();
  const args = [
    '--import',
    'tsx',
    path.join(ROOT, 'apps/scam-simulator/src/main.ts'),
    '--scenario',
    'demo',
    '--seed',
    '7',
    '--namespace',
    namespace,
    '--start-at',
    startAt,
    '--brokers',
    servers.kafkaBrokers.join(','),
    '--truth-out',
    path.join(outDir, `ground-truth-${namespace}.jsonl`),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`scam-simulator exited with code ${code}`)),
    );
  });
};

const main = async (): Promise<void> => {
  const namespace = randomBytes(4).toString('hex');
  log('starting or reusing Kafka, Neo4j and Redis (first run downloads Kafka and Neo4j from Maven Central)…');
  const servers = await resolveEndpoints();
  log(
    `servers ready: Kafka ${servers.kafkaBrokers.join(',')}, Neo4j ${servers.neo4jUrl}, Redis ${servers.redisUrl}`,
  );

  // Fresh consumer groups positioned at the end of their topics: the demo shows its own feed, not the
  // backlog earlier runs, tests or imports left on a long-lived stack.
  const groups = Object.fromEntries(
    SERVICES.map((s) => [s.groupEnv, `demo-${s.name}-${namespace}`]),
  ) as Record<string, string>;
  await startGroupsAtEnd(
    servers.kafkaBrokers,
    SERVICES.map((s) => ({ groupId: `demo-${s.name}-${namespace}`, topics: s.topics })),
  );
  const apiGroup = `demo-investigator-api-${namespace}`;
  await startGroupsAtEnd(servers.kafkaBrokers, [{ groupId: apiGroup, topics: [TOPICS.alertRaised] }]);
  const children = SERVICES.map((s) => startDemoService(s.name, servers, groups));
  // The investigator API beside them: its own inbox consumer group, the development token secret by default.
  // It serves the console at /console/: build it first when missing or older than its sources.
  if (ensureConsoleBuilt().built) log('built the investigator console (vite)');
  const api = startDemoService('investigator-api', servers, { API_PORT, API_ALERT_GROUP_ID: apiGroup });
  const apiUrl = `http://127.0.0.1:${API_PORT}`;
  const stopApi = () => api.kill('SIGTERM');
  const stop = () => children.forEach((child) => child.kill('SIGTERM'));
  process.on('SIGINT', () => {
    stop();
    stopApi();
    process.exit(130);
  });

  const kafka = new Kafka({
    clientId: `demo-${namespace}`,
    brokers: servers.kafkaBrokers,
    logLevel: logLevel.NOTHING,
  });
  const watcher = kafka.consumer({ groupId: `demo-watch-${namespace}`, maxWaitTimeInMs: 100 });
  await watcher.connect();
  await watcher.subscribe({ topics: [TOPICS.alertRaised, ...INPUT_TOPICS.map(deadLetterTopicOf)] });
  const alertIds = new Map<string, AlertRaised>();
  let versions = 0;
  let deadLetters = 0;
  let lastAlertAt = Date.now();
  const seen = new Set<string>();
  await watcher.run({
    eachMessage: ({ topic, partition, message }) => {
      // A consumer can see a message again after a rebalance; show each once.
      const id = `${topic}/${partition}/${message.offset}`;
      if (seen.has(id)) return Promise.resolve();
      seen.add(id);
      const text = message.value?.toString('utf8') ?? '';
      // Every id and address of this run carries its namespace: other runs' alerts are not shown.
      if (!text.includes(namespace)) return Promise.resolve();
      if (topic === TOPICS.alertRaised) {
        const alert = AlertRaisedSchema.parse(JSON.parse(text));
        alertIds.set(alert.alertId, alert);
        versions += 1;
        lastAlertAt = Date.now();
        printAlert(alert);
      } else {
        deadLetters += 1;
        const reason = message.headers?.[DEAD_LETTER_HEADERS.reason]?.toString() ?? '';
        log(`${c.yellow}dead letter${c.off} on ${topic}: ${reason.split('\n').slice(0, 2).join(' ')}`);
      }
      return Promise.resolve();
    },
  });
  // Give the watcher its partitions before the feed starts (it reads from the latest offsets).
  await new Promise((resolve) => setTimeout(resolve, 3_000));

  log(`playing the simulator's demo scenario (namespace ${namespace}) into the input topics…`);
  await playScenario(servers, namespace);
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  // One malformed event: it goes to the dead-letter topic with its reason and never stalls the partition.
  await producer.send({
    topic: TOPICS.bankTransferReceived,
    messages: [
      { key: `broken-${namespace}`, value: `{"transferId": "broken-${namespace}", "amount": 15000.5` },
    ],
  });
  await producer.disconnect();
  log('feed sent; alerts appear as the services process it (new evidence updates an alert as a new version)');

  const started = Date.now();
  const typologies = () => new Set([...alertIds.values()].map((a) => a.typology));
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const kinds = typologies();
    const bothKinds =
      kinds.has(TYPOLOGIES.crossBorderProceeds) && [...kinds].some((t) => t.startsWith('mule.'));
    if (bothKinds && deadLetters >= 1 && Date.now() - lastAlertAt > QUIET_MS) break;
    if (Date.now() - started > TIMEOUT_MS) break;
  }
  await watcher.disconnect();
  stop();

  const byTypology = new Map<string, number>();
  for (const alert of alertIds.values())
    byTypology.set(alert.typology, (byTypology.get(alert.typology) ?? 0) + 1);
  console.log();
  for (const [typology, count] of [...byTypology].sort()) log(`${typology}: ${count} alert(s)`);
  const crossBorder = byTypology.get(TYPOLOGIES.crossBorderProceeds) ?? 0;
  const mule = [...byTypology].filter(([t]) => t.startsWith('mule.')).reduce((n, [, k]) => n + k, 0);
  if (crossBorder === 0 || mule === 0) {
    log(
      `${c.red}expected mule and cross-border alerts within ${TIMEOUT_MS / 1000}s, got ${mule} mule and ` +
        `${crossBorder} cross-border; see the service output above${c.off}`,
    );
    process.exitCode = 1;
  } else {
    log(
      `${c.green}demo finished: ${alertIds.size} alerts (${versions} versions), ${deadLetters} dead letter(s).${c.off} ` +
        'The servers keep running; stop them with: npm run infra -- down',
    );
  }
  if (!(await waitForApi(apiUrl))) {
    log(
      `${c.red}the investigator API did not answer on ${apiUrl} (is port ${API_PORT} taken? set API_PORT)${c.off}`,
    );
    stopApi();
    process.exitCode = 1;
    return;
  }
  await printInvestigatorApi(apiUrl);
  if (process.stdout.isTTY) {
    // Interactive: the API stays up to be explored until Ctrl-C. Scripted runs end here.
    log('the investigator API keeps running; press Ctrl-C to stop it');
    return;
  }
  stopApi();
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
