import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';
import type { Neo4jTarget } from '../neo4j/driver';
import {
  assertJava17,
  ensureJars,
  ensureNeo4jLauncher,
  javaTool,
  runForOutput,
  runLogged,
  type Log,
} from './artifacts';
import { logFileOf, pidFileOf, type LocalStackConfig, type ServerName } from './config';
import { probeKafka, probeNeo4j, probeRedis } from './readiness';
import { readPidFile, sleep, spawnDetached } from './proc';

/** What the stack needs to know to manage one server. */
export interface ServerDefinition {
  readonly name: ServerName;
  /** Substring of the process command line, checked before trusting a pid file. */
  readonly marker: string;
  address(config: LocalStackConfig): string;
  probe(config: LocalStackConfig): Promise<void>;
  /** Fetches/compiles/formats whatever the first start needs. Idempotent. */
  prepare(config: LocalStackConfig, log: Log): Promise<void>;
  /** Starts the server in the background and returns its pid. */
  start(config: LocalStackConfig): Promise<number>;
  /** Pid of a server the stack did not start (only Redis can tell us), for status output. */
  externalPid?(config: LocalStackConfig): Promise<number | undefined>;
}

export const kafkaBrokersOf = (config: LocalStackConfig): string[] => [
  `${config.kafka.host}:${config.kafka.port}`,
];
export const neo4jTargetOfConfig = (config: LocalStackConfig): Neo4jTarget => ({
  url: `bolt://${config.neo4j.host}:${config.neo4j.port}`,
  database: config.neo4j.database,
});
export const redisUrlOf = (config: LocalStackConfig): string =>
  `redis://${config.redis.host}:${config.redis.port}`;

// ---------------------------------------------------------------- Kafka

function kafkaServerProperties(config: LocalStackConfig): string {
  const { host, port, controllerPort, dataDir } = config.kafka;
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@${host}:${controllerPort}`,
    `listeners=PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://${host}:${port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${dataDir}`,
    'num.partitions=3',
    'offsets.topic.replication.factor=1',
    // One partition each: creating 50 internal partitions on the first consumer/transaction slows tests down.
    'offsets.topic.num.partitions=1',
    'transaction.state.log.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    '',
  ].join('\n');
}

/** Without an explicit config log4j 1 complains and prints nothing useful. */
const KAFKA_LOG4J = [
  'log4j.rootLogger=WARN, stdout',
  'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
  'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
  'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
  'log4j.logger.kafka.server.BrokerServer=INFO',
  '',
].join('\n');

const kafkaFiles = (config: LocalStackConfig): { props: string; log4j: string } => ({
  props: path.join(config.kafka.confDir, 'server.properties'),
  log4j: path.join(config.kafka.confDir, 'log4j.properties'),
});

const kafkaJvmBase = (config: LocalStackConfig): string[] => [
  `-Dlog4j.configuration=file:${kafkaFiles(config).log4j}`,
  '-cp',
  `${config.kafka.libDir}/*`,
];

/** KRaft storage is formatted once; meta.properties marks a formatted log dir. */
async function formatKafkaStorage(config: LocalStackConfig, log: Log): Promise<void> {
  if (fs.existsSync(path.join(config.kafka.dataDir, 'meta.properties'))) return;
  const java = javaTool(config, 'java');
  const clusterId = await runForOutput(java, [
    ...kafkaJvmBase(config),
    'kafka.tools.StorageTool',
    'random-uuid',
  ]);
  const args = [...kafkaJvmBase(config), 'kafka.tools.StorageTool', 'format', '-t', clusterId];
  await runLogged(java, [...args, '-c', kafkaFiles(config).props], logFileOf(config, 'kafka'));
  log(`formatted Kafka storage (cluster id ${clusterId})`);
}

export const kafkaServer: ServerDefinition = {
  name: 'kafka',
  marker: 'kafka.Kafka',
  address: (config) => `${config.kafka.host}:${config.kafka.port}`,
  probe: (config) => probeKafka(kafkaBrokersOf(config)),
  async prepare(config, log) {
    assertJava17(config);
    await ensureJars(config, config.kafka.pom, config.kafka.libDir, log);
    const files = kafkaFiles(config);
    fs.mkdirSync(config.kafka.confDir, { recursive: true });
    fs.writeFileSync(files.props, kafkaServerProperties(config));
    fs.writeFileSync(files.log4j, KAFKA_LOG4J);
    await formatKafkaStorage(config, log);
  },
  start(config) {
    const { heapMin, heapMax } = config.kafka;
    const args = [
      `-Xms${heapMin}`,
      `-Xmx${heapMax}`,
      '-XX:+ExitOnOutOfMemoryError',
      ...kafkaJvmBase(config),
      'kafka.Kafka',
      kafkaFiles(config).props,
    ];
    return Promise.resolve().then(() =>
      spawnDetached(javaTool(config, 'java'), args, logFileOf(config, 'kafka'), config.runDir),
    );
  },
};

// ---------------------------------------------------------------- Neo4j

export const neo4jServer: ServerDefinition = {
  name: 'neo4j',
  marker: 'Neo4jLauncher',
  address: (config) => `${config.neo4j.host}:${config.neo4j.port}`,
  probe: (config) => probeNeo4j(neo4jTargetOfConfig(config)),
  async prepare(config, log) {
    assertJava17(config);
    await ensureJars(config, config.neo4j.pom, config.neo4j.libDir, log);
    await ensureNeo4jLauncher(config, log);
    fs.mkdirSync(config.neo4j.homeDir, { recursive: true });
  },
  start(config) {
    const { heapMin, heapMax, libDir, classesDir, homeDir, port, pageCacheMiB } = config.neo4j;
    const args = [
      `-Xms${heapMin}`,
      `-Xmx${heapMax}`,
      '-XX:+ExitOnOutOfMemoryError',
      // Neo4j's off-heap memory and netty need these on Java 17.
      '--add-opens=java.base/java.nio=ALL-UNNAMED',
      '--add-opens=java.base/java.io=ALL-UNNAMED',
      '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
      '-Dio.netty.tryReflectionSetAccessible=true',
      '-cp',
      `${libDir}/*:${classesDir}`,
      'Neo4jLauncher',
      homeDir,
      String(port),
      String(pageCacheMiB),
    ];
    return Promise.resolve().then(() =>
      spawnDetached(javaTool(config, 'java'), args, logFileOf(config, 'neo4j'), config.runDir),
    );
  },
};

// ---------------------------------------------------------------- Redis

const hasCommand = (command: string): boolean =>
  spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

function aptInstall(pkg: string, log: Log): void {
  if (process.getuid?.() !== 0)
    throw new Error(`${pkg} is not installed; run: sudo apt-get install -y ${pkg}`);
  log(`${pkg} not found, installing it with apt-get...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = (): number | null =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], { stdio: 'inherit', env }).status;
  if (install() === 0) return;
  // A fresh machine may have empty package lists.
  spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  if (install() !== 0) throw new Error(`apt-get install -y ${pkg} failed`);
}

export const redisServer: ServerDefinition = {
  name: 'redis',
  marker: 'redis-server',
  address: (config) => `${config.redis.host}:${config.redis.port}`,
  probe: (config) => probeRedis(redisUrlOf(config)),
  prepare(config, log) {
    return Promise.resolve().then(() => {
      if (!hasCommand('redis-server')) aptInstall('redis-server', log);
      fs.mkdirSync(config.redis.dataDir, { recursive: true });
    });
  },
  async start(config) {
    const pidFile = pidFileOf(config, 'redis');
    fs.rmSync(pidFile, { force: true });
    // redis daemonizes itself and writes its own pid file; a pure cache needs no persistence.
    const args = [
      '--bind',
      config.redis.host,
      '--port',
      String(config.redis.port),
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'yes',
      '--dir',
      config.redis.dataDir,
      '--pidfile',
      pidFile,
      '--logfile',
      logFileOf(config, 'redis'),
    ];
    const result = spawnSync('redis-server', args, { stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`redis-server exited with ${result.status ?? result.signal}`);
    for (let i = 0; i < 50; i++) {
      const pid = readPidFile(pidFile);
      if (pid !== undefined) return pid;
      await sleep(100);
    }
    throw new Error(`redis-server did not write ${pidFile}`);
  },
  async externalPid(config) {
    const redis = new Redis(redisUrlOf(config), {
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      const info = await redis.info('server');
      const pid = /^process_id:(\d+)/m.exec(info)?.[1];
      return pid === undefined ? undefined : Number(pid);
    } catch {
      return undefined;
    } finally {
      redis.disconnect();
    }
  },
};

export const SERVERS: readonly ServerDefinition[] = [kafkaServer, neo4jServer, redisServer];
