/**
 * `npm run drill [-- --only kill:graph-writer,poison --transfers 6000 --rate 300]`
 *
 * Fault drills on the local stack, each under a steady feed (planted fan-in mules among ordinary senders):
 * SIGKILL of each service mid-feed and restart; Kafka restart; Neo4j stopped for 60 s during writes; Redis state
 * lost (the run's keys deleted: the machine's Redis is shared, so it is not restarted); a burst of poison
 * messages. After each: every produced transfer is reconciled per id (in the graph, or dead-lettered, exactly
 * once), no (alertId, version) was issued with two contents, the planted mules are alerted and no mule is alerted
 * under two alert ids. The Redis loss follows the runbook: the stateful services are stopped, `state:rebuild`
 * restores alert states and rewinds their groups, they start again and replay. Writes `bench-results/drills.json`.
 *
 * Server drills stop servers the local stack started (`npm run infra -- up`); with servers given by
 * KAFKA_BROKERS/NEO4J_URL/REDIS_URL they are skipped. Run on a quiet machine: it restarts shared servers.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'expect';
import type Redis from 'ioredis';
import {
  AlertRaisedSchema,
  CONSUMED_TOPICS,
  DEAD_LETTER_HEADERS,
  TOPICS,
  deadLetterTopicOf,
  type AlertRaised,
  type BankTransferReceived,
} from '@scamflow/contracts';
import {
  endpointsEnv,
  endpointsFromEnv,
  resolveEndpoints,
  stackDown,
  stackUp,
  startGroupsAtEnd,
  type InfraEndpoints,
} from '@scamflow/infra';
import { createRedis, redisKeys } from '@scamflow/rolling-state';
import {
  STATEFUL_SERVICES,
  rebuildState,
  replayPlanOf,
  type StateRebuildReport,
} from '../../infra/local/state-rebuild';
import { sleep, writeResult } from '../bench/bench-support';
import { expectEventually } from '../support/expect-eventually';
import { canonicalIdOf, fanInFeed } from '../support/fan-in-feed';
import { GraphProbe } from '../support/graph-probe';
import { GroupOffsets } from '../support/group-offsets';
import { TopicProbe } from '../support/topic-probe';
import { ServiceProcess } from './service-process';

const SERVICES = [
  { app: 'ingest-gateway', groupEnv: 'INGEST_GROUP_ID', consumes: CONSUMED_TOPICS.ingestGateway },
  { app: 'graph-writer', groupEnv: 'GRAPH_WRITER_GROUP_ID', consumes: CONSUMED_TOPICS.graphWriter },
  { app: 'mule-detector', groupEnv: 'MULE_DETECTOR_GROUP_ID', consumes: CONSUMED_TOPICS.muleDetector },
  {
    app: 'network-detector',
    groupEnv: 'NETWORK_DETECTOR_GROUP_ID',
    consumes: CONSUMED_TOPICS.networkDetector,
  },
  { app: 'proceeds-tracer', groupEnv: 'PROCEEDS_TRACER_GROUP_ID', consumes: CONSUMED_TOPICS.proceedsTracer },
] as const;

const DRILLS = [
  ...SERVICES.map((s) => `kill:${s.app}`),
  'restart:kafka',
  'stop:neo4j',
  'lose:redis',
  'poison',
] as const;
type Drill = (typeof DRILLS)[number];

interface Options {
  readonly only: readonly Drill[];
  readonly transfers: number;
  readonly rate: number;
  readonly poison: number;
  readonly neo4jDownMs: number;
}

export interface DrillResult {
  readonly drill: Drill;
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly reason?: string;
  /** From the fault until every service is ready again and every group has caught up. */
  readonly recoveryMs?: number;
  readonly produced: number;
  readonly poisonProduced: number;
  readonly inGraph: number;
  readonly deadLettered: number;
  /** Valid transfers neither in the graph nor dead-lettered. */
  readonly lost: number;
  /** Transfers in the graph more than once, or dead-lettered more than once. */
  readonly doubled: number;
  readonly alertVersions: number;
  readonly conflictingAlertVersions: readonly string[];
  readonly plantedMules: number;
  readonly alertedMules: number;
  /** Redis-loss drill: what the run's state held when it was deleted, by kind of key. */
  readonly stateLost?: Readonly<Record<string, number>>;
  /** Redis-loss drill: what `npm run state:rebuild` restored and how much input each service replayed. */
  readonly rebuild?: {
    readonly alertStatesRestored: number;
    readonly messagesReplayed: Readonly<Record<string, number>>;
  };
  /** (typology, subject) pairs alerted under more than one alert id: an analyst would see one mule twice. */
  readonly subjectsWithSeveralAlertIds: number;
  readonly serviceExits: readonly string[];
  readonly lostSample?: readonly string[];
}

const parseOptions = (argv: readonly string[]): Options => {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const isDrill = (d: string): d is Drill => (DRILLS as readonly string[]).includes(d);
  const only: string[] = (value('only')?.split(',') ?? [...DRILLS]).map((d) => d.trim());
  const unknown = only.filter((d) => !isDrill(d));
  if (unknown.length > 0)
    throw new Error(`unknown drill(s) ${unknown.join(', ')}; known: ${DRILLS.join(', ')}`);
  return {
    only: only.filter(isDrill),
    transfers: Number(value('transfers') ?? 12_000),
    rate: Number(value('rate') ?? 300),
    poison: Number(value('poison') ?? 500),
    neo4jDownMs: Number(value('neo4j-down-ms') ?? 60_000),
  };
};

const log = (message: string): void => console.log(`[drill] ${message}`);

// The polling helpers shared with the specs (test/support) assert with jest's `expect`.
Object.assign(globalThis, { expect });

/** Alert versions issued with more than one content (issue time and trigger aside). */
export const conflictingVersions = (alerts: readonly AlertRaised[]): string[] => {
  const contents = new Map<string, Set<string>>();
  for (const alert of alerts) {
    const { raisedAt: _at, trigger: _trigger, ...content } = alert;
    const pair = `${alert.alertId}@v${alert.version}`;
    contents.set(pair, (contents.get(pair) ?? new Set()).add(JSON.stringify(content)));
  }
  return [...contents].filter(([, set]) => set.size > 1).map(([pair]) => pair);
};

/** (typology, subject) pairs alerted under more than one alert id (proceeds alerts: one id per case, left out). */
export const subjectsWithSeveralIds = (alerts: readonly AlertRaised[]): number => {
  const ids = new Map<string, Set<string>>();
  for (const alert of alerts.filter((a) => a.typology.startsWith('mule.'))) {
    const subject = `${alert.typology}|${alert.subject.accountKey}`;
    ids.set(subject, (ids.get(subject) ?? new Set()).add(alert.alertId));
  }
  return [...ids.values()].filter((set) => set.size > 1).length;
};

/** An alert from the shared alert topic; other runs' test messages (even malformed ones) are skipped. */
const alertOf = (value: Buffer | null): AlertRaised | undefined => {
  try {
    const parsed = AlertRaisedSchema.safeParse(JSON.parse(value?.toString('utf8') ?? 'null'));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

/** Keys of the run's prefix, counted by kind (`account:*:in` → `account:in`), then deleted. */
const loseRedisState = async (redis: Redis, prefix: string): Promise<Record<string, number>> => {
  const lost: Record<string, number> = {};
  // A restart or flush loses every key at one instant; deleting key by key does not, so the state epoch marker
  // goes first, as it would at that instant (the services judge the loss by it).
  await redis.del(redisKeys.stateEpoch);
  let cursor = '0';
  do {
    // SCAN matches the full key; the client prefix is not applied to MATCH.
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
    cursor = next;
    for (const key of keys) {
      const parts = key.slice(prefix.length).split(':');
      const kind = parts.length > 2 ? `${parts[0]}:${parts.at(-1)}` : (parts[0] ?? '?');
      lost[kind] = (lost[kind] ?? 0) + 1;
    }
    // DEL through the prefixed client would prefix twice: strip it.
    if (keys.length > 0) await redis.del(...keys.map((k) => k.slice(prefix.length)));
  } while (cursor !== '0');
  return lost;
};

class DrillRun {
  readonly tag = `d${randomUUID().slice(0, 6)}`;
  readonly bank = `DR${randomUUID().slice(0, 6).toUpperCase()}`;
  readonly prefix = `drill-${this.tag}:`;
  readonly env: Record<string, string>;
  readonly processes = new Map<string, ServiceProcess>();
  readonly exits: string[] = [];

  constructor(
    readonly drill: Drill,
    readonly endpoints: InfraEndpoints,
  ) {
    this.env = {
      ...endpointsEnv(endpoints),
      REDIS_KEY_PREFIX: this.prefix,
      LOG_FORMAT: 'json',
      ...Object.fromEntries(SERVICES.map((s) => [s.groupEnv, `drill-${s.app}-${this.tag}`])),
    };
  }

  groupOf(app: string): string {
    return this.env[SERVICES.find((s) => s.app === app)?.groupEnv ?? ''] ?? '';
  }

  start(app: string): ServiceProcess {
    const proc = new ServiceProcess(app, this.env);
    void proc.exited.then((code) => {
      if (code !== 0 && code !== null) this.exits.push(`${app} exited ${code}`);
    });
    this.processes.set(app, proc);
    return proc;
  }

  async allReady(timeoutMs: number): Promise<void> {
    await expectEventually(
      async () => {
        for (const [app, proc] of this.processes) {
          expect({ app, status: (await proc.get('/health/ready'))?.status }).toEqual({ app, status: 200 });
        }
      },
      { timeoutMs, intervalMs: 500 },
    );
  }

  async stop(): Promise<void> {
    await Promise.all([...this.processes.values()].map((p) => p.stop()));
  }
}

const runDrill = async (drill: Drill, endpoints: InfraEndpoints, o: Options): Promise<DrillResult> => {
  const run = new DrillRun(drill, endpoints);
  const brokers = endpoints.kafkaBrokers;
  const probeGroup = `drill-probe-${run.tag}`;
  const input = TOPICS.bankTransferReceived;
  const dlq = deadLetterTopicOf(input);
  log(`${drill}: positioning groups (run ${run.tag})`);
  await startGroupsAtEnd(brokers, [
    ...SERVICES.map((s) => ({ groupId: run.groupOf(s.app), topics: s.consumes })),
    { groupId: probeGroup, topics: [TOPICS.alertRaised, dlq] },
  ]);
  const probe = new TopicProbe([...brokers]);
  await probe.start([TOPICS.alertRaised, dlq], probeGroup);
  const offsets = new GroupOffsets([...brokers]);
  await offsets.connect();
  const graph = new GraphProbe();
  const redis = createRedis({ url: endpoints.redisUrl, keyPrefix: run.prefix });

  try {
    for (const s of SERVICES) run.start(s.app);
    await run.allReady(180_000);

    const mules = Math.max(4, Math.round(o.transfers / 600));
    const feed: BankTransferReceived[] = fanInFeed({
      tag: run.tag,
      bank: run.bank,
      transfers: o.transfers,
      senders: Math.max(50, Math.round(o.transfers / 20)),
      mules,
      collectors: 10,
      seed: 20_261_201,
      startMs: Math.floor((Date.now() - 2 * 3_600_000) / 60_000) * 60_000,
    });
    const chunk = Math.max(1, Math.round(o.rate / 4));
    let faultAt = 0;
    let stateLost: Record<string, number> | undefined;
    let rebuilt: StateRebuildReport | undefined;
    const feedStartMs = Date.now();
    let poisonProduced = 0;
    const faultAfter = Math.floor(feed.length / 3);
    const fault = async (): Promise<void> => {
      faultAt = Date.now();
      log(`${drill}: fault`);
      if (drill.startsWith('kill:')) {
        const app = drill.slice('kill:'.length);
        const victim = run.processes.get(app);
        victim?.kill('SIGKILL');
        await victim?.exited;
        run.start(app);
      } else if (drill === 'restart:kafka') {
        await stackDown({ only: ['kafka'] });
        await stackUp();
      } else if (drill === 'stop:neo4j') {
        await stackDown({ only: ['neo4j'] });
        await sleep(o.neo4jDownMs);
        await stackUp();
      } else if (drill === 'lose:redis') {
        stateLost = await loseRedisState(redis, run.prefix);
        // The runbook (docs/operations.md): stop the stateful services, rebuild, start them again.
        await Promise.all(STATEFUL_SERVICES.map(async (app) => run.processes.get(app)?.stop()));
        rebuilt = await expectEventually(
          () =>
            rebuildState(
              {
                brokers,
                plans: STATEFUL_SERVICES.map((app) => replayPlanOf(app, { ...process.env, ...run.env })),
                lostAtMs: Date.now(),
                // Earlier runs' input on the shared topics is not this run's state.
                fromMs: feedStartMs,
                dryRun: false,
              },
              redis,
            ),
          { timeoutMs: 60_000, intervalMs: 2_000 },
        );
        for (const app of STATEFUL_SERVICES) run.start(app);
      } else {
        const poison = Array.from({ length: o.poison }, (_, i) => ({
          key: `poison-${run.tag}-${i}`,
          value: i % 2 === 0 ? `{"poison": ${i},` : Buffer.from([0xff, 0xfe, i % 256]),
        }));
        await probe.produce(input, poison);
        poisonProduced = poison.length;
      }
    };

    log(`${drill}: feeding ${feed.length} transfers at ${o.rate}/s (${mules} planted mules)`);
    // The fault runs beside the feed: the feed keeps its rate while a service is down or a server restarts.
    let faultDone: Promise<void> | undefined;
    for (let i = 0; i < feed.length; i += chunk) {
      const t0 = Date.now();
      if (faultDone === undefined && i >= faultAfter) faultDone = fault();
      const slice = feed.slice(i, i + chunk);
      // The producer retries while Kafka restarts; a send that still fails is retried here, never dropped.
      await expectEventually(
        () =>
          probe.produce(
            input,
            slice.map((t) => ({ key: t.debtor.accountId, value: JSON.stringify(t) })),
          ),
        { timeoutMs: 120_000, intervalMs: 1_000 },
      );
      await sleep(Math.max(0, 250 - (Date.now() - t0)));
    }

    await (faultDone ?? fault());
    log(`${drill}: waiting for every group to catch up`);
    await run.allReady(300_000);
    for (const s of SERVICES) {
      for (const topic of s.consumes) await offsets.waitForGroupAtEnd(run.groupOf(s.app), topic, 600_000);
    }
    await offsets.waitForProbeAtEnd(probe, TOPICS.alertRaised, 120_000);
    const recoveryMs = Date.now() - faultAt;

    const ids = feed.map(canonicalIdOf);
    const inGraphTotal = await graph.countWithPrefix(`bank:${run.bank}:`);
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += 5_000) {
      for (const id of (await graph.bookedAt(ids.slice(i, i + 5_000))).keys()) found.add(id);
    }
    const dead = probe.on(dlq).filter((m) => m.key?.toString().startsWith(`poison-${run.tag}-`) ?? false);
    const deadKeys = new Set(dead.map((m) => m.key?.toString()));
    const alerts = probe
      .on(TOPICS.alertRaised)
      .map((m) => alertOf(m.value))
      .filter((a): a is AlertRaised => a?.subject.accountKey.startsWith(`${run.bank}:`) ?? false);
    const muleKeys = Array.from({ length: mules }, (_, i) => `${run.bank}:mule${i}-${run.tag}`);
    const alerted = new Set(alerts.map((a) => a.subject.accountKey));
    const conflicts = conflictingVersions(alerts);
    // Valid transfers are not expected in the dead-letter topic; any that are count as handled, not lost.
    const deadValid = new Set(
      probe
        .on(dlq)
        .filter((m) => m.headers[DEAD_LETTER_HEADERS.sourceTopic] === input)
        .map((m) => /"transferId":"([^"]+)"/.exec(m.value?.toString('utf8') ?? '')?.[1])
        .filter((id): id is string => id?.startsWith(`${run.tag}-`) ?? false)
        .map((id) => `bank:${run.bank}:${id}`),
    );
    const validDeadLettered = deadValid.size;
    const lostIds = ids.filter((id) => !found.has(id) && !deadValid.has(id));
    const lost = lostIds.length;
    const doubled = inGraphTotal - found.size + (dead.length - deadKeys.size);
    const result: DrillResult = {
      drill,
      status: 'passed',
      recoveryMs,
      produced: ids.length,
      poisonProduced,
      inGraph: inGraphTotal,
      deadLettered: dead.length + validDeadLettered,
      lost: lost + (poisonProduced - deadKeys.size),
      ...(lostIds.length > 0 ? { lostSample: lostIds.slice(0, 10) } : {}),
      doubled,
      alertVersions: alerts.length,
      conflictingAlertVersions: conflicts,
      plantedMules: muleKeys.length,
      alertedMules: muleKeys.filter((k) => alerted.has(k)).length,
      ...(stateLost ? { stateLost } : {}),
      ...(rebuilt
        ? {
            rebuild: {
              alertStatesRestored: rebuilt.alertStates.restored,
              messagesReplayed: Object.fromEntries(
                rebuilt.rewinds.map((r) => [`${r.service} ${r.topic}`, r.messagesToReplay]),
              ),
            },
          }
        : {}),
      subjectsWithSeveralAlertIds: subjectsWithSeveralIds(alerts),
      serviceExits: run.exits,
    };
    const ok =
      result.lost === 0 &&
      result.doubled === 0 &&
      conflicts.length === 0 &&
      result.alertedMules === result.plantedMules &&
      result.subjectsWithSeveralAlertIds === 0;
    return ok
      ? result
      : { ...result, status: 'failed', reason: 'lost, doubled, conflicting, unalerted or alerted twice' };
  } finally {
    await run.stop();
    await probe.stop();
    await offsets.disconnect();
    await graph.close();
    await redis.quit();
  }
};

const main = async (): Promise<void> => {
  const options = parseOptions(process.argv.slice(2));
  const given = endpointsFromEnv() !== undefined;
  const endpoints = await resolveEndpoints();
  const results: DrillResult[] = [];
  for (const drill of options.only) {
    if (given && (drill === 'restart:kafka' || drill === 'stop:neo4j')) {
      results.push({
        drill,
        status: 'skipped',
        reason: 'servers given by environment: the drill only stops servers the local stack started',
        produced: 0,
        poisonProduced: 0,
        inGraph: 0,
        deadLettered: 0,
        lost: 0,
        doubled: 0,
        alertVersions: 0,
        conflictingAlertVersions: [],
        plantedMules: 0,
        alertedMules: 0,
        subjectsWithSeveralAlertIds: 0,
        serviceExits: [],
      });
      continue;
    }
    const result = await runDrill(drill, endpoints, options);
    log(
      `${drill}: ${result.status} in ${((result.recoveryMs ?? 0) / 1000).toFixed(1)} s: produced ${result.produced}` +
        ` + ${result.poisonProduced} poison, graph ${result.inGraph}, dead letters ${result.deadLettered},` +
        ` lost ${result.lost}, doubled ${result.doubled}, conflicting versions ${result.conflictingAlertVersions.length},` +
        ` mules alerted ${result.alertedMules}/${result.plantedMules},` +
        ` subjects under several alert ids ${result.subjectsWithSeveralAlertIds}`,
    );
    results.push(result);
  }
  const file = writeResult('drills', { createdAt: new Date().toISOString(), options, results });
  log(`wrote ${file}`);
  if (results.some((r) => r.status === 'failed')) process.exitCode = 1;
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
