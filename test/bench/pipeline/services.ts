import type { ChildProcess } from 'node:child_process';
import type { Admin } from 'kafkajs';
import { CONSUMED_TOPICS, type Topic } from '@scamflow/contracts';
import { startService } from '@scamflow/infra';
import { DEFAULT_HTTP_PORTS } from '@scamflow/observability';
import { sleep } from '../bench-support';

export interface PipelineService {
  /** Folder under apps/ whose src/main.ts is started. */
  readonly app: string;
  /** Environment variable holding the service's consumer group id. */
  readonly groupEnv: string;
  readonly consumes: readonly Topic[];
  /** `graph`: its lag reaching 0 means committed to the graph; `detector`: means evaluated. */
  readonly stage: 'ingest' | 'graph' | 'detector';
}

/**
 * Every service the benchmark starts, upstream first. A new detector or tracer joins the benchmark by
 * adding one line here: the run waits for its consumer group too, and reports its memory and CPU.
 */
export const PIPELINE_SERVICES: readonly PipelineService[] = [
  {
    app: 'ingest-gateway',
    groupEnv: 'INGEST_GROUP_ID',
    consumes: CONSUMED_TOPICS.ingestGateway,
    stage: 'ingest',
  },
  {
    app: 'graph-writer',
    groupEnv: 'GRAPH_WRITER_GROUP_ID',
    consumes: CONSUMED_TOPICS.graphWriter,
    stage: 'graph',
  },
  {
    app: 'mule-detector',
    groupEnv: 'MULE_DETECTOR_GROUP_ID',
    consumes: CONSUMED_TOPICS.muleDetector,
    stage: 'detector',
  },
  {
    app: 'network-detector',
    groupEnv: 'NETWORK_DETECTOR_GROUP_ID',
    consumes: CONSUMED_TOPICS.networkDetector,
    stage: 'detector',
  },
  {
    app: 'proceeds-tracer',
    groupEnv: 'PROCEEDS_TRACER_GROUP_ID',
    consumes: CONSUMED_TOPICS.proceedsTracer,
    stage: 'detector',
  },
];

export interface RunningService {
  readonly service: PipelineService;
  readonly groupId: string;
  readonly child: ChildProcess;
}

export const groupIdOf = (service: PipelineService, run: string): string => `bench-${service.app}-${run}`;

export const serviceGroupEnv = (run: string): Record<string, string> =>
  Object.fromEntries(PIPELINE_SERVICES.map((s) => [s.groupEnv, groupIdOf(s, run)]));

/** The service's default health and metrics port: the benchmark reads counters from `/metrics` there. */
export const httpPortOf = (app: string): number =>
  DEFAULT_HTTP_PORTS[
    app.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof typeof DEFAULT_HTTP_PORTS
  ];

/**
 * Starts each service in its own process, compiled as deployed (`npm run bench` builds `dist/` first), so its
 * memory and CPU can be read from /proc.
 */
export const startPipelineServices = (
  run: string,
  env: Record<string, string>,
  cpuProfileDir?: string,
): RunningService[] =>
  PIPELINE_SERVICES.map((service) => {
    const child = startService(
      service.app,
      { ...env, ...serviceGroupEnv(run), HTTP_PORT: String(httpPortOf(service.app)) },
      { compiled: true, ...(cpuProfileDir ? { cpuProfileDir } : {}) },
    );
    child.on('exit', (code, signal) => {
      if (code !== 0 && code !== null && signal === null) {
        console.error(`\n${service.app} exited with code ${code}`);
      }
    });
    return { service, groupId: groupIdOf(service, run), child };
  });

export const stopServices = (services: readonly RunningService[]): void => {
  for (const { child } of services) if (child.exitCode === null) child.kill('SIGTERM');
};

/** Waits until every group has joined with at least one member (its consumer holds partitions). */
export const waitForGroupsStable = async (
  admin: Admin,
  groupIds: readonly string[],
  timeoutMs = 120_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { groups } = await admin.describeGroups([...groupIds]);
    const waiting = groups.filter((g) => g.state !== 'Stable' || g.members.length === 0);
    if (waiting.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(
        `consumer groups not stable: ${waiting.map((g) => `${g.groupId}=${g.state}`).join(', ')}`,
      );
    }
    await sleep(500);
  }
};
