import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Driver } from 'neo4j-driver';
import { ROOT } from '../bench-support';
import { NEO4J_VERSION } from './bench.cypher';

const git = (...args: string[]): string | null => {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
};

/** Kafka's version from its jar name in the local stack (null when the servers were given). */
const kafkaVersion = (): string | null => {
  try {
    const jar = readdirSync(join(ROOT, '.local', 'kafka', 'lib')).find((f) =>
      /^kafka_[\d.]+-[\d.]+\.jar$/.test(f),
    );
    return jar?.replace(/^kafka_[\d.]+-/, '').replace(/\.jar$/, '') ?? null;
  } catch {
    return null;
  }
};

const redisVersion = async (url: string): Promise<string | null> => {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    return /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? null;
  } catch {
    return null;
  } finally {
    redis.disconnect();
  }
};

const neo4jVersion = async (driver: Driver, database: string): Promise<string | null> => {
  const { records } = await driver.executeQuery(NEO4J_VERSION, {}, { database });
  const record = records[0];
  return record ? `${String(record.get('version'))} ${String(record.get('edition'))}` : null;
};

/** Machine, code and server versions: what a figure needs to be compared with another run's. */
export const describeEnvironment = async (driver: Driver, database: string, redisUrl: string) => ({
  date: new Date().toISOString(),
  gitCommit: git('rev-parse', 'HEAD'),
  gitDirty: (git('status', '--porcelain', '--untracked-files=no') ?? '') !== '',
  cpuCount: cpus().length,
  cpuModel: cpus()[0]?.model ?? null,
  memoryGiB: Number((totalmem() / 1024 ** 3).toFixed(1)),
  nodeVersion: process.version,
  loadAverageAtStart: loadavg().map((l) => Number(l.toFixed(2))),
  servers: {
    kafka: kafkaVersion(),
    neo4j: await neo4jVersion(driver, database),
    redis: await redisVersion(redisUrl),
  },
});

/** Other busy processes (not ours): what else shared the CPU, from `ps`. */
export const otherBusyProcesses = (ours: readonly number[]): string[] => {
  try {
    return execFileSync('ps', ['-eo', 'pid,pcpu,etimes,comm', '--sort=-pcpu', '--no-headers'], {
      encoding: 'utf8',
    })
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([pid, pcpu]) => pid !== undefined && !ours.includes(Number(pid)) && Number(pcpu) >= 5)
      .slice(0, 8)
      .map(([pid, pcpu, , comm]) => `${comm ?? '?'} (pid ${pid}, ${pcpu}% avg CPU)`);
  } catch {
    return [];
  }
};
