import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { endpointsFromEnv, type InfraEndpoints } from './endpoints';
import { provisionInfra, stackUp } from './stack';

const ROOT = path.join(__dirname, '..', '..');

/** Servers named in KAFKA_BROKERS / NEO4J_URL / REDIS_URL (provisioned), else the local stack (started or reused). */
export async function resolveEndpoints(): Promise<InfraEndpoints> {
  const given = endpointsFromEnv();
  if (given) {
    await provisionInfra();
    return given;
  }
  return (await stackUp()).endpoints;
}

/** The environment variables a service reads to reach these servers. */
export function endpointsEnv(endpoints: InfraEndpoints): Record<string, string> {
  return {
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    NEO4J_URL: endpoints.neo4jUrl,
    NEO4J_USER: endpoints.neo4jUser ?? '',
    NEO4J_PASSWORD: endpoints.neo4jPassword ?? '',
    NEO4J_DATABASE: endpoints.neo4jDatabase,
    REDIS_URL: endpoints.redisUrl,
  };
}

/**
 * Starts an app in its own process. Its health and metrics port is any free one unless `HTTP_PORT` is given, so a
 * demo, a benchmark and a drill never collide on the defaults. From source (`tsx`, development) by default;
 * `compiled` runs `dist/` under `NODE_ENV=production` as a deployment does (`npm run build` first), which is what
 * a benchmark measures: under `tsx` every stack trace is source-mapped, and the Neo4j driver takes one per query.
 * `cpuProfileDir` writes a V8 CPU profile there when the process exits.
 */
export function startService(
  name: string,
  env: Record<string, string>,
  options: { compiled?: boolean; cpuProfileDir?: string } = {},
): ChildProcess {
  const profile = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const entry = options.compiled
    ? [path.join(ROOT, 'dist', 'apps', name, 'src', 'main.js')]
    : ['--import', 'tsx', path.join(ROOT, 'apps', name, 'src', 'main.ts')];
  return spawn(process.execPath, [...profile, ...entry], {
    cwd: ROOT,
    env: {
      HTTP_PORT: '0',
      ...process.env,
      ...(options.compiled ? { NODE_ENV: 'production' } : {}),
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
