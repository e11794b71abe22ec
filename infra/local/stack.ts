/**
 * Local Kafka + Neo4j + Redis without Docker: Java processes from Maven Central jars, Debian's redis-server.
 * CLI: tsx infra/local/stack.ts up | down [server...] | status | logs [server...] [-n LINES] | provision | reset
 * All state lives under .local/ (jars in .local/{kafka,neo4j}, pids/logs/data in .local/run).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TOPIC_SPECS } from '../../libs/contracts/src/topics';
import { applyMigrations, type MigrationResult } from '../neo4j/migrate';
import type { Log } from './artifacts';
import {
  SERVER_NAMES,
  loadLocalStackConfig,
  logFileOf,
  pidFileOf,
  type LocalStackConfig,
  type ServerName,
} from './config';
import { endpointsFromEnv, type InfraEndpoints } from './endpoints';
import { withLock } from './lock';
import { isAlive, isPortOpen, ownedPid, rssMiB, stopProcess, tailFile } from './proc';
import { neo4jTargetOf, waitUntilReady } from './readiness';
import { SERVERS, kafkaBrokersOf, neo4jTargetOfConfig, redisUrlOf, type ServerDefinition } from './servers';
import { ensureTopics, type EnsureTopicsResult } from './topics';

export type ServerState = 'started' | 'running' | 'reused';

export interface ServerUpReport {
  readonly name: ServerName;
  readonly address: string;
  /** started: by this call; running: started earlier by the stack; reused: a server the stack does not own. */
  readonly state: ServerState;
  readonly pid?: number;
  /** Time from spawn (or from finding it) to passing the readiness probe. */
  readonly readyMs: number;
  readonly rssMiB?: number;
}

export interface StackUpResult {
  readonly endpoints: InfraEndpoints;
  /** Servers this call started (what a caller should stop when done). */
  readonly started: ServerName[];
  readonly servers: readonly ServerUpReport[];
  readonly topics: EnsureTopicsResult;
  readonly migrations: MigrationResult;
}

export interface ServerStatus {
  readonly name: ServerName;
  readonly address: string;
  readonly up: boolean;
  readonly owner: 'stack' | 'external' | 'none';
  readonly pid?: number;
  readonly rssMiB?: number;
  readonly logFile: string;
}

export interface StackOptions {
  readonly config?: LocalStackConfig;
  readonly log?: Log;
}

const defaultLog: Log = (line) => console.log(`[stack] ${line}`);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const lockFileOf = (config: LocalStackConfig): string => path.join(config.runDir, 'stack.lock');

export function endpointsOfConfig(config: LocalStackConfig): InfraEndpoints {
  const neo4j = neo4jTargetOfConfig(config);
  return {
    kafkaBrokers: kafkaBrokersOf(config),
    neo4jUrl: neo4j.url,
    neo4jDatabase: neo4j.database,
    redisUrl: redisUrlOf(config),
  };
}

/** Log files worth showing when a server fails: its stdout/stderr, plus Neo4j's own log files. */
function logFilesOf(config: LocalStackConfig, name: ServerName): string[] {
  const main = logFileOf(config, name);
  if (name !== 'neo4j') return [main];
  return [
    main,
    path.join(config.neo4j.homeDir, 'logs', 'neo4j.log'),
    path.join(config.neo4j.homeDir, 'logs', 'debug.log'),
  ];
}

/** Extra logs only if written since `sinceMs`: a JVM that died at once leaves Neo4j's debug.log of an older run. */
function failureDetails(config: LocalStackConfig, name: ServerName, sinceMs: number, lines = 25): string {
  const main = logFileOf(config, name);
  const relevant = (file: string): boolean =>
    fs.existsSync(file) && (file === main || fs.statSync(file).mtimeMs >= sinceMs);
  return logFilesOf(config, name)
    .filter(relevant)
    .map((file) => `--- last ${lines} lines of ${file}\n${tailFile(file, lines)}`)
    .join('\n');
}

async function probeOnce(def: ServerDefinition, config: LocalStackConfig): Promise<boolean> {
  try {
    await def.probe(config);
    return true;
  } catch {
    return false;
  }
}

async function waitReady(def: ServerDefinition, config: LocalStackConfig, pid: number): Promise<number> {
  const since = Date.now() - 1_000;
  try {
    return await waitUntilReady(def.name, () => def.probe(config), {
      timeoutMs: config.readyTimeoutMs,
      abortIf: () => (isAlive(pid) ? undefined : `process ${pid} exited`),
    });
  } catch (err) {
    throw new Error(
      `${def.name} at ${def.address(config)} did not become ready: ${errorText(err)}\n` +
        `log: ${logFileOf(config, def.name)}\n${failureDetails(config, def.name, since)}`,
    );
  }
}

async function startServer(
  def: ServerDefinition,
  config: LocalStackConfig,
  log: Log,
): Promise<ServerUpReport> {
  const { host, port } = config[def.name];
  if (await isPortOpen(host, port)) {
    throw new Error(
      `${def.name}: ${def.address(config)} is taken by a process that does not answer as ${def.name}`,
    );
  }
  await def.prepare(config, log);
  const spawnedAt = Date.now();
  const pid = await def.start(config);
  fs.writeFileSync(pidFileOf(config, def.name), `${pid}\n`);
  try {
    await waitReady(def, config, pid);
  } catch (err) {
    // Do not leave a half-started server behind: the next `up` would wait on it again.
    await stopProcess(pid, config.stopTimeoutMs);
    fs.rmSync(pidFileOf(config, def.name), { force: true });
    throw err;
  }
  return {
    name: def.name,
    address: def.address(config),
    state: 'started',
    pid,
    readyMs: Date.now() - spawnedAt,
  };
}

/** Leaves a server alone when it already runs; starts it otherwise. */
async function upServer(def: ServerDefinition, config: LocalStackConfig, log: Log): Promise<ServerUpReport> {
  const found = Date.now();
  const address = def.address(config);
  const own = ownedPid(pidFileOf(config, def.name), def.marker);
  if (own !== undefined) {
    await waitReady(def, config, own); // it may still be starting from a previous call
    return { name: def.name, address, state: 'running', pid: own, readyMs: Date.now() - found };
  }
  if (await probeOnce(def, config)) {
    const pid = await def.externalPid?.(config);
    return { name: def.name, address, state: 'reused', pid, readyMs: Date.now() - found };
  }
  return startServer(def, config, log);
}

function describeUp(report: ServerUpReport): string {
  const rss = report.pid === undefined ? undefined : rssMiB(report.pid);
  const parts = [
    report.name.padEnd(6),
    report.state.padEnd(8),
    report.address.padEnd(16),
    report.pid === undefined ? 'pid -' : `pid ${report.pid}`,
    `ready in ${seconds(report.readyMs)}`,
    rss === undefined ? '' : `RSS ${rss} MiB`,
  ];
  return parts.join('  ').trimEnd();
}

async function upAll(config: LocalStackConfig, log: Log): Promise<ServerUpReport[]> {
  const results = await Promise.allSettled(SERVERS.map((def) => upServer(def, config, log)));
  const reports = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [errorText(r.reason)] : []));
  if (failures.length === 0) return reports;
  // All or nothing: stop what this call started so a failed `up` leaves the machine as it found it.
  const started = reports.filter((r) => r.state === 'started').map((r) => r.name);
  if (started.length > 0) await downServers(config, started, log);
  throw new Error(`local stack failed to start:\n${failures.join('\n\n')}`);
}

async function provision(
  endpoints: InfraEndpoints,
  log: Log,
): Promise<Pick<StackUpResult, 'topics' | 'migrations'>> {
  const t0 = Date.now();
  const topics = await ensureTopics(endpoints.kafkaBrokers, TOPIC_SPECS);
  for (const warning of topics.warnings) log(`topic warning: ${warning}`);
  log(
    `topics: ${topics.created.length} created, ${topics.retentionUpdated.length} retention updated, ` +
      `${topics.unchanged.length} unchanged (${Date.now() - t0} ms)`,
  );
  const t1 = Date.now();
  const migrations = await applyMigrations(neo4jTargetOf(endpoints), { log: (line) => log(`neo4j ${line}`) });
  log(
    `neo4j migrations: ${migrations.applied.length} applied, ${migrations.alreadyApplied.length} already applied ` +
      `(${Date.now() - t1} ms)`,
  );
  return { topics, migrations };
}

/** Idempotent: starts what is missing, waits until all three answer, then creates topics and applies migrations. */
export async function stackUp(options: StackOptions = {}): Promise<StackUpResult> {
  const config = options.config ?? loadLocalStackConfig();
  const log = options.log ?? defaultLog;
  const t0 = Date.now();
  fs.mkdirSync(config.runDir, { recursive: true });
  const servers = await withLock(lockFileOf(config), 5 * 60_000, () => upAll(config, log));
  for (const report of servers) log(describeUp(report));
  const endpoints = endpointsOfConfig(config);
  const provisioned = await provision(endpoints, log);
  const started = servers.filter((s) => s.state === 'started').map((s) => s.name);
  log(`up in ${seconds(Date.now() - t0)}${started.length > 0 ? ` (started ${started.join(', ')})` : ''}`);
  return { endpoints, started, servers, ...provisioned };
}

async function downServers(
  config: LocalStackConfig,
  names: readonly ServerName[],
  log: Log,
): Promise<ServerName[]> {
  const stopped = await Promise.all(
    SERVERS.filter((def) => names.includes(def.name)).map(async (def): Promise<ServerName | undefined> => {
      const pidFile = pidFileOf(config, def.name);
      const pid = ownedPid(pidFile, def.marker);
      if (pid === undefined) return undefined;
      const t0 = Date.now();
      const killed = await stopProcess(pid, config.stopTimeoutMs);
      fs.rmSync(pidFile, { force: true });
      log(
        `${def.name} stopped (pid ${pid}, ${killed ? 'SIGKILL after timeout' : 'SIGTERM'}, ${Date.now() - t0} ms)`,
      );
      return def.name;
    }),
  );
  return stopped.filter((name): name is ServerName => name !== undefined);
}

/** Stops servers the stack started (all, or only `only`); never touches servers it did not start. */
export async function stackDown(
  options: StackOptions & { only?: readonly ServerName[] } = {},
): Promise<ServerName[]> {
  const config = options.config ?? loadLocalStackConfig();
  const log = options.log ?? defaultLog;
  if (!fs.existsSync(config.runDir)) return [];
  const names = options.only ?? SERVER_NAMES;
  const stopped = await withLock(lockFileOf(config), 5 * 60_000, () => downServers(config, names, log));
  if (stopped.length === 0) log('nothing to stop (no server started by the stack is running)');
  return stopped;
}

export async function stackStatus(options: StackOptions = {}): Promise<ServerStatus[]> {
  const config = options.config ?? loadLocalStackConfig();
  return Promise.all(
    SERVERS.map(async (def): Promise<ServerStatus> => {
      const own = ownedPid(pidFileOf(config, def.name), def.marker);
      const up = await probeOnce(def, config);
      const pid = own ?? (up ? await def.externalPid?.(config) : undefined);
      const owner = own !== undefined ? 'stack' : up ? 'external' : 'none';
      const rss = pid === undefined ? undefined : rssMiB(pid);
      return {
        name: def.name,
        address: def.address(config),
        up,
        owner,
        pid,
        rssMiB: rss,
        logFile: logFileOf(config, def.name),
      };
    }),
  );
}

export function formatStatus(statuses: readonly ServerStatus[]): string {
  return statuses
    .map((s) =>
      [
        s.name.padEnd(6),
        (s.up ? 'up' : 'down').padEnd(5),
        s.address.padEnd(16),
        (s.pid === undefined ? 'pid -' : `pid ${s.pid}`).padEnd(10),
        (s.rssMiB === undefined ? 'RSS -' : `RSS ${s.rssMiB} MiB`).padEnd(13),
        s.owner === 'stack' ? 'started by stack' : s.owner === 'external' ? 'not started by stack' : '',
      ]
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function stackLogs(
  names: readonly ServerName[],
  lines: number,
  config = loadLocalStackConfig(),
): string {
  return names
    .flatMap((name) => logFilesOf(config, name))
    .map((file) => `===== ${file}\n${tailFile(file, lines)}`)
    .join('\n');
}

/** Topics + migrations on already running servers (e.g. docker compose), from env or the local defaults. */
export async function provisionInfra(
  options: StackOptions = {},
): Promise<Pick<StackUpResult, 'topics' | 'migrations'>> {
  const endpoints = endpointsFromEnv() ?? endpointsOfConfig(options.config ?? loadLocalStackConfig());
  return provision(endpoints, options.log ?? defaultLog);
}

/** Stops the stack's servers and deletes .local/run (data, logs, pids); downloaded jars are kept. */
export async function stackReset(options: StackOptions = {}): Promise<void> {
  const config = options.config ?? loadLocalStackConfig();
  await stackDown(options);
  fs.rmSync(config.runDir, { recursive: true, force: true });
  (options.log ?? defaultLog)(`removed ${config.runDir}`);
}

// ---------------------------------------------------------------- CLI

function parseServerNames(args: readonly string[]): ServerName[] {
  const names = args.filter((arg) => !arg.startsWith('-') && !/^\d+$/.test(arg));
  for (const name of names) {
    if (!SERVER_NAMES.includes(name as ServerName))
      throw new Error(`unknown server '${name}' (${SERVER_NAMES.join(', ')})`);
  }
  return names.length > 0 ? (names as ServerName[]) : [...SERVER_NAMES];
}

function parseLines(args: readonly string[]): number {
  const index = args.findIndex((arg) => arg === '-n' || arg === '--lines');
  const value = index >= 0 ? Number(args[index + 1]) : 50;
  return Number.isInteger(value) && value > 0 ? value : 50;
}

async function main(argv: readonly string[]): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case 'up':
      await stackUp();
      return;
    case 'down':
      await stackDown({ only: parseServerNames(args) });
      return;
    case 'status':
      console.log(formatStatus(await stackStatus()));
      return;
    case 'logs':
      console.log(stackLogs(parseServerNames(args), parseLines(args)));
      return;
    case 'provision':
      await provisionInfra();
      return;
    case 'reset':
      await stackReset();
      return;
    case undefined:
    default:
      console.error(
        'usage: tsx infra/local/stack.ts up | down [server...] | status | logs [server...] [-n N] | provision | reset',
      );
      process.exitCode = 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`[stack] ${errorText(err)}`);
    process.exitCode = 1;
  });
}
