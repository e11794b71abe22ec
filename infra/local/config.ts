import * as path from 'node:path';

/** Repository root: this file lives in <root>/infra/local. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export type ServerName = 'kafka' | 'neo4j' | 'redis';
export const SERVER_NAMES: readonly ServerName[] = ['kafka', 'neo4j', 'redis'];

export interface KafkaLocalConfig {
  readonly host: string;
  readonly port: number;
  readonly controllerPort: number;
  readonly heapMin: string;
  readonly heapMax: string;
  readonly pom: string;
  readonly libDir: string;
  /** Generated server.properties / log4j.properties live here. */
  readonly confDir: string;
  readonly dataDir: string;
}

export interface Neo4jLocalConfig {
  readonly host: string;
  readonly port: number;
  readonly heapMin: string;
  readonly heapMax: string;
  readonly pageCacheMiB: number;
  readonly database: string;
  readonly pom: string;
  readonly libDir: string;
  readonly launcherSource: string;
  readonly classesDir: string;
  readonly homeDir: string;
}

export interface RedisLocalConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
}

export interface LocalStackConfig {
  readonly localDir: string;
  /** Everything stateful (pids, logs, data): deleting it gives a fresh stack but keeps downloaded jars. */
  readonly runDir: string;
  readonly javaHome: string;
  readonly readyTimeoutMs: number;
  readonly stopTimeoutMs: number;
  readonly kafka: KafkaLocalConfig;
  readonly neo4j: Neo4jLocalConfig;
  readonly redis: RedisLocalConfig;
}

type Env = Readonly<Record<string, string | undefined>>;

function str(env: Env, name: string, fallback: string): string {
  const value = env[name];
  return value === undefined || value.trim() === '' ? fallback : value.trim();
}

function int(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return value;
}

/** JVM memory flags are passed through verbatim, so reject anything java would choke on late. */
function heap(env: Env, name: string, fallback: string): string {
  const value = str(env, name, fallback);
  if (!/^\d+[kKmMgG]?$/.test(value)) throw new Error(`${name} must look like 512m or 1g, got '${value}'`);
  return value;
}

const UNIT_BYTES: Readonly<Record<string, number>> = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 };

const heapBytes = (size: string): number => {
  const match = /^(\d+)([kmg]?)$/i.exec(size);
  return Number(match?.[1] ?? 0) * (UNIT_BYTES[(match?.[2] ?? '').toLowerCase()] ?? 1);
};

/** -Xms above -Xmx makes the JVM refuse to start, so lowering only the max heap must lower the initial one too. */
function heapRange(env: Env, minName: string, maxName: string, min: string, max: string): [string, string] {
  const heapMax = heap(env, maxName, max);
  const heapMin = heap(env, minName, min);
  return [heapBytes(heapMin) > heapBytes(heapMax) ? heapMax : heapMin, heapMax];
}

/**
 * Reads the local stack settings. Env names use a LOCAL_ prefix on purpose: KAFKA_BROKERS / NEO4J_URL / REDIS_URL
 * mean "use these existing servers" to the test setup and must not be confused with where the stack listens.
 */
export function loadLocalStackConfig(env: Env = process.env): LocalStackConfig {
  const localDir = path.resolve(str(env, 'LOCAL_STACK_DIR', path.join(REPO_ROOT, '.local')));
  const runDir = path.join(localDir, 'run');
  const [kafkaHeapMin, kafkaHeapMax] = heapRange(
    env,
    'LOCAL_KAFKA_HEAP_MIN',
    'LOCAL_KAFKA_HEAP',
    '256m',
    '512m',
  );
  const [neo4jHeapMin, neo4jHeapMax] = heapRange(
    env,
    'LOCAL_NEO4J_HEAP_MIN',
    'LOCAL_NEO4J_HEAP',
    '512m',
    '1g',
  );
  return {
    localDir,
    runDir,
    javaHome: str(env, 'JAVA_HOME_17', '/usr/lib/jvm/java-17-openjdk-amd64'),
    readyTimeoutMs: int(env, 'LOCAL_STACK_READY_TIMEOUT_MS', 90_000),
    stopTimeoutMs: int(env, 'LOCAL_STACK_STOP_TIMEOUT_MS', 30_000),
    kafka: {
      host: '127.0.0.1',
      port: int(env, 'LOCAL_KAFKA_PORT', 19092),
      controllerPort: int(env, 'LOCAL_KAFKA_CONTROLLER_PORT', 19093),
      heapMin: kafkaHeapMin,
      heapMax: kafkaHeapMax,
      pom: path.join(REPO_ROOT, 'infra', 'local', 'kafka', 'pom.xml'),
      libDir: path.join(localDir, 'kafka', 'lib'),
      confDir: path.join(runDir, 'kafka'),
      dataDir: path.join(runDir, 'data', 'kafka'),
    },
    neo4j: {
      host: '127.0.0.1',
      port: int(env, 'LOCAL_NEO4J_BOLT_PORT', 17687),
      heapMin: neo4jHeapMin,
      heapMax: neo4jHeapMax,
      pageCacheMiB: int(env, 'LOCAL_NEO4J_PAGECACHE_MB', 512),
      database: 'neo4j',
      pom: path.join(REPO_ROOT, 'infra', 'local', 'neo4j', 'pom.xml'),
      libDir: path.join(localDir, 'neo4j', 'lib'),
      launcherSource: path.join(REPO_ROOT, 'infra', 'local', 'neo4j', 'Neo4jLauncher.java'),
      classesDir: path.join(localDir, 'neo4j', 'classes'),
      homeDir: path.join(runDir, 'data', 'neo4j'),
    },
    redis: {
      host: str(env, 'LOCAL_REDIS_HOST', '127.0.0.1'),
      port: int(env, 'LOCAL_REDIS_PORT', 6379),
      dataDir: path.join(runDir, 'data', 'redis'),
    },
  };
}

export const pidFileOf = (config: LocalStackConfig, name: ServerName): string =>
  path.join(config.runDir, `${name}.pid`);

export const logFileOf = (config: LocalStackConfig, name: ServerName): string =>
  path.join(config.runDir, `${name}.log`);

export const addressOf = (config: LocalStackConfig, name: ServerName): string => {
  const server = config[name];
  return `${server.host}:${server.port}`;
};
