/**
 * `npm run state:rebuild [-- --lost-at <ISO>] [--from <ISO>] [--services mule-detector,…] [--dry-run]`
 *
 * After Redis lost the detectors' state (a restart without persistence, a flush, a failover to an empty replica),
 * with the stateful services stopped: puts back every alert's issued state from the alert topic, then moves the
 * services' consumer groups back over the stretch of input their windows span, so that on restart each service
 * replays it through its own code and rebuilds its rolling windows, known mules and traced cases. Every state
 * write is idempotent per transfer id and the restored alert states make re-detections of already-alerted
 * subjects "unchanged" (or a new version of the same alert id), never a second alert id. Design:
 * docs/operations.md ("Redis state lost").
 */
import type Redis from 'ioredis';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { recoverIssuedStates, type PublishedAlert } from '@scamflow/alerting';
import { AlertRaisedSchema, TOPICS } from '@scamflow/contracts';
import { detectionProfileSelectionOf, profilesIn } from '@scamflow/detection-profiles';
import {
  AlertStateRepository,
  REDIS_TTL_SECONDS,
  createRedis,
  markStateEpoch,
} from '@scamflow/rolling-state';
import {
  loadMuleDetectorConfig,
  muleDetectionPlanOf,
} from '../../apps/mule-detector/src/mule-detector.config';
import { loadNetworkDetectorConfig } from '../../apps/network-detector/src/network-detector.config';
import { networkRulesOf } from '../../apps/network-detector/src/network-rules';
import { loadProceedsTracerConfig } from '../../apps/proceeds-tracer/src/proceeds-tracer.config';
import { argValue } from './cli-args';
import { resolveEndpoints } from './services';
import { offsetsAt, readTopicRange } from './topic-range';

/** How far back one service must replay one topic to rebuild what it keeps from it. */
export interface ReplayedTopic {
  readonly topic: string;
  readonly lookBackMs: number;
  /** What the replay rebuilds (for the report). */
  readonly rebuilds: string;
}

export interface ReplayPlan {
  readonly service: string;
  readonly groupId: string;
  readonly topics: readonly ReplayedTopic[];
}

const SECOND_MS = 1_000;
export const STATEFUL_SERVICES = ['mule-detector', 'network-detector', 'proceeds-tracer'] as const;
export type StatefulService = (typeof STATEFUL_SERVICES)[number];

/**
 * Each stateful service's groups and look-backs, from the same configuration the service reads (group ids,
 * detection profiles, trace horizon): a window's longest span plus its allowed lateness, or the lifetime of what
 * the service keeps from a topic.
 */
export const replayPlanOf = (
  service: StatefulService,
  env: Record<string, string | undefined> = process.env,
): ReplayPlan => {
  switch (service) {
    case 'mule-detector': {
      const config = loadMuleDetectorConfig(env);
      return {
        service,
        groupId: config.MULE_DETECTOR_GROUP_ID,
        topics: [
          {
            topic: TOPICS.transferAccepted,
            lookBackMs: muleDetectionPlanOf(config).retentionMs,
            rebuilds: 'rolling flows, senders and flow statistics',
          },
          {
            topic: TOPICS.accountFactObserved,
            lookBackMs: REDIS_TTL_SECONDS.accountProfile * SECOND_MS,
            rebuilds: 'account profiles (opened date, type)',
          },
        ],
      };
    }
    case 'network-detector': {
      const config = loadNetworkDetectorConfig(env);
      const profiles = profilesIn(detectionProfileSelectionOf(config));
      return {
        service,
        groupId: config.NETWORK_DETECTOR_GROUP_ID,
        topics: [
          {
            topic: TOPICS.transferAccepted,
            lookBackMs: Math.max(...profiles.map((p) => networkRulesOf(p).retentionMs)),
            rebuilds: 'temporal adjacency',
          },
          {
            topic: TOPICS.accountFactObserved,
            lookBackMs: REDIS_TTL_SECONDS.identifierIndex * SECOND_MS,
            rebuilds: 'identifier index',
          },
          {
            topic: TOPICS.alertRaised,
            lookBackMs: REDIS_TTL_SECONDS.knownMule * SECOND_MS,
            rebuilds: 'known mules',
          },
        ],
      };
    }
    case 'proceeds-tracer': {
      const config = loadProceedsTracerConfig(env);
      return {
        service,
        groupId: config.PROCEEDS_TRACER_GROUP_ID,
        topics: [
          {
            topic: TOPICS.graphCommitted,
            lookBackMs: Math.max(config.PROCEEDS_HORIZON_MS, REDIS_TTL_SECONDS.proceedsState * SECOND_MS),
            rebuilds: 'victim cases (re-traced from the graph), taint state, victim payment watches',
          },
        ],
      };
    }
  }
};

export interface StateRebuildOptions {
  readonly brokers: readonly string[];
  readonly plans: readonly ReplayPlan[];
  /** When the state was lost: look-backs count back from here. */
  readonly lostAtMs: number;
  /** Replay nothing stamped before this, whatever the look-backs (the state was empty before it, e.g. a new deployment). */
  readonly fromMs?: number;
  readonly dryRun: boolean;
}

export interface PartitionRewind {
  readonly partition: number;
  readonly committed: string;
  readonly rewoundTo: string;
  readonly toReplay: number;
  /** The wanted start precedes what the topic still holds: older input is gone (topic retention). */
  readonly cutByRetention: boolean;
}

export interface TopicRewind {
  readonly service: string;
  readonly groupId: string;
  readonly topic: string;
  readonly rebuilds: string;
  readonly replayFrom: string;
  readonly messagesToReplay: number;
  readonly partitions: readonly PartitionRewind[];
  /** Partitions the group never committed: it starts there by its own policy, nothing to move. */
  readonly uncommittedPartitions: number;
}

export interface StateRebuildReport {
  readonly lostAt: string;
  readonly from?: string;
  readonly dryRun: boolean;
  readonly alertStates: {
    readonly alertsRead: number;
    readonly recovered: number;
    /** Put back (dry run: would be); the others' issued state had expired anyway. */
    readonly restored: number;
  };
  readonly rewinds: readonly TopicRewind[];
}

export class StateRebuildRefusedError extends Error {
  override readonly name = 'StateRebuildRefusedError';
}

/** Groups must be stopped: Kafka refuses to move a running group's offsets, and a running service would race. */
const requireStopped = async (admin: Admin, plans: readonly ReplayPlan[]): Promise<void> => {
  const { groups } = await admin.describeGroups(plans.map((p) => p.groupId));
  const running = groups.filter((g) => g.state !== 'Empty' && g.state !== 'Dead');
  if (running.length > 0) {
    const names = running.map((g) => {
      const service = plans.find((p) => p.groupId === g.groupId)?.service ?? g.groupId;
      return `${service} (group ${g.groupId}: ${g.state}, ${g.members.length} member(s))`;
    });
    throw new StateRebuildRefusedError(
      `stop these services before rebuilding their state: ${names.join('; ')}. A service killed without ` +
        'shutting down stays a member until its session times out (10 s by default).',
    );
  }
};

const restoreAlertStates = async (
  kafka: Kafka,
  admin: Admin,
  redis: Redis,
  options: StateRebuildOptions,
): Promise<StateRebuildReport['alertStates']> => {
  const lifetimeMs = REDIS_TTL_SECONDS.alertState * SECOND_MS;
  const fromMs = Math.max(options.fromMs ?? 0, options.lostAtMs - lifetimeMs);
  const records = await readTopicRange(
    kafka,
    admin,
    TOPICS.alertRaised,
    await offsetsAt(admin, TOPICS.alertRaised, fromMs),
  );
  const published: PublishedAlert[] = [];
  for (const record of records) {
    if (record.timestampMs < fromMs) continue;
    try {
      const parsed = AlertRaisedSchema.safeParse(JSON.parse(record.value?.toString('utf8') ?? 'null'));
      if (parsed.success) published.push({ alert: parsed.data, headers: record.headers });
    } catch {
      // Not JSON: the network detector dead-letters it when it reads it; it carries no state.
    }
  }
  const recovered = recoverIssuedStates(published);
  const now = Date.now();
  const states = recovered
    .map((r) => ({
      typology: r.typology,
      subjectKey: r.subjectKey,
      ...r.state,
      ttlSeconds: (lifetimeMs - (now - r.raisedAtMs)) / SECOND_MS,
    }))
    .filter((s) => s.ttlSeconds >= 1);
  if (!options.dryRun) await new AlertStateRepository(redis).restore(states);
  return { alertsRead: published.length, recovered: recovered.length, restored: states.length };
};

const rewindTopic = async (
  admin: Admin,
  plan: ReplayPlan,
  replayed: ReplayedTopic,
  options: StateRebuildOptions,
): Promise<TopicRewind> => {
  const replayFromMs = Math.max(options.fromMs ?? 0, options.lostAtMs - replayed.lookBackMs);
  const targets = await offsetsAt(admin, replayed.topic, replayFromMs);
  const lows = new Map(
    (await admin.fetchTopicOffsets(replayed.topic)).map((p) => [p.partition, BigInt(p.low)]),
  );
  const [committed] = await admin.fetchOffsets({ groupId: plan.groupId, topics: [replayed.topic] });
  const partitions: PartitionRewind[] = [];
  let uncommitted = 0;
  for (const { partition, offset } of committed?.partitions ?? []) {
    if (BigInt(offset) < 0n) {
      uncommitted += 1;
      continue;
    }
    const target = BigInt(targets.get(partition) ?? offset);
    const rewoundTo = target < BigInt(offset) ? target : BigInt(offset);
    const low = lows.get(partition) ?? 0n;
    partitions.push({
      partition,
      committed: offset,
      rewoundTo: rewoundTo.toString(),
      toReplay: Number(BigInt(offset) - rewoundTo),
      cutByRetention: low > 0n && rewoundTo === low,
    });
  }
  const moved = partitions.filter((p) => p.toReplay > 0);
  if (!options.dryRun && moved.length > 0) {
    await admin.setOffsets({
      groupId: plan.groupId,
      topic: replayed.topic,
      partitions: moved.map((p) => ({ partition: p.partition, offset: p.rewoundTo })),
    });
  }
  return {
    service: plan.service,
    groupId: plan.groupId,
    topic: replayed.topic,
    rebuilds: replayed.rebuilds,
    replayFrom: new Date(replayFromMs).toISOString(),
    messagesToReplay: partitions.reduce((sum, p) => sum + p.toReplay, 0),
    partitions,
    uncommittedPartitions: uncommitted,
  };
};

/** Restores alert states and rewinds the stopped services' groups (see the file comment). */
export const rebuildState = async (
  options: StateRebuildOptions,
  redis: Redis,
): Promise<StateRebuildReport> => {
  const kafka = new Kafka({
    clientId: 'state-rebuild',
    brokers: [...options.brokers],
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await requireStopped(admin, options.plans);
    const alertStates = await restoreAlertStates(kafka, admin, redis, options);
    const rewinds: TopicRewind[] = [];
    // One group's topics one after another: kafkajs moves offsets by briefly joining the group.
    for (const plan of options.plans) {
      for (const replayed of plan.topics) rewinds.push(await rewindTopic(admin, plan, replayed, options));
    }
    // The services may run again: their batches check this marker (StateEpochGuard).
    if (!options.dryRun) await markStateEpoch(redis);
    return {
      lostAt: new Date(options.lostAtMs).toISOString(),
      ...(options.fromMs === undefined ? {} : { from: new Date(options.fromMs).toISOString() }),
      dryRun: options.dryRun,
      alertStates,
      rewinds,
    };
  } finally {
    await admin.disconnect();
  }
};

const timeArg = (argv: readonly string[], name: string): number | undefined => {
  const value = argValue(argv, name);
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`--${name} must be an ISO time, got "${value}"`);
  return ms;
};

const main = async (argv: readonly string[]): Promise<void> => {
  const services = (argValue(argv, 'services')?.split(',') ?? [...STATEFUL_SERVICES]).map((s) => s.trim());
  const unknown = services.filter((s) => !(STATEFUL_SERVICES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw new Error(
      `unknown service(s) ${unknown.join(', ')}; stateful services: ${STATEFUL_SERVICES.join(', ')}`,
    );
  }
  const fromMs = timeArg(argv, 'from');
  const endpoints = await resolveEndpoints();
  const redis = createRedis({ url: endpoints.redisUrl, keyPrefix: process.env.REDIS_KEY_PREFIX ?? 'sft:' });
  try {
    const report = await rebuildState(
      {
        brokers: endpoints.kafkaBrokers,
        plans: services.map((s) => replayPlanOf(s as StatefulService)),
        lostAtMs: timeArg(argv, 'lost-at') ?? Date.now(),
        ...(fromMs === undefined ? {} : { fromMs }),
        dryRun: argv.includes('--dry-run'),
      },
      redis,
    );
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await redis.quit();
  }
};

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
