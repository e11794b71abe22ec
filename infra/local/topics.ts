import {
  ConfigResourceTypes,
  ConfigSource,
  Kafka,
  logLevel,
  type Admin,
  type IResourceConfigEntry,
} from 'kafkajs';

/** Structural twin of TopicSpec in libs/contracts, so infra does not depend on the contracts build. */
export interface TopicSpecLike {
  readonly name: string;
  readonly partitions: number;
  readonly retentionMs: number;
}

export interface EnsureTopicsOptions {
  /** 1 for single-broker dev/test clusters. */
  readonly replicationFactor?: number;
}

export interface EnsureTopicsResult {
  readonly created: readonly string[];
  readonly retentionUpdated: readonly string[];
  readonly unchanged: readonly string[];
  /** Mismatches that are not fixed automatically (fewer/more partitions than the spec). */
  readonly warnings: readonly string[];
}

/**
 * Creates missing topics and aligns retention.ms of existing ones. Idempotent.
 * Partition counts are only reported: changing them re-maps keys to partitions and breaks per-key ordering.
 */
export async function ensureTopics(
  brokers: readonly string[],
  specs: readonly TopicSpecLike[],
  options: EnsureTopicsOptions = {},
): Promise<EnsureTopicsResult> {
  const kafka = new Kafka({ clientId: 'infra-topics', brokers: [...brokers], logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.name));
    const present = specs.filter((spec) => existing.has(spec.name));
    await createTopics(admin, missing, options.replicationFactor ?? 1);
    const warnings = await partitionWarnings(admin, present);
    const retentionUpdated = await alignRetention(admin, present);
    const unchanged = present.map((spec) => spec.name).filter((name) => !retentionUpdated.includes(name));
    return { created: missing.map((spec) => spec.name), retentionUpdated, unchanged, warnings };
  } finally {
    await admin.disconnect();
  }
}

async function createTopics(
  admin: Admin,
  specs: readonly TopicSpecLike[],
  replicationFactor: number,
): Promise<void> {
  if (specs.length === 0) return;
  await admin.createTopics({
    waitForLeaders: true,
    topics: specs.map((spec) => ({
      topic: spec.name,
      numPartitions: spec.partitions,
      replicationFactor,
      configEntries: [{ name: 'retention.ms', value: String(spec.retentionMs) }],
    })),
  });
}

async function partitionWarnings(admin: Admin, specs: readonly TopicSpecLike[]): Promise<string[]> {
  if (specs.length === 0) return [];
  const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((spec) => spec.name) });
  const counts = new Map(topics.map((topic) => [topic.name, topic.partitions.length]));
  return specs
    .filter((spec) => counts.get(spec.name) !== spec.partitions)
    .map(
      (spec) =>
        `${spec.name} has ${counts.get(spec.name)} partitions, spec says ${spec.partitions} (left as is)`,
    );
}

/** Returns the names whose retention.ms was changed. */
async function alignRetention(admin: Admin, specs: readonly TopicSpecLike[]): Promise<string[]> {
  if (specs.length === 0) return [];
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: specs.map((spec) => ({ type: ConfigResourceTypes.TOPIC, name: spec.name })),
  });
  const updated: string[] = [];
  for (const spec of specs) {
    const entries = described.resources.find((r) => r.resourceName === spec.name)?.configEntries ?? [];
    const retention = entries.find((entry) => entry.configName === 'retention.ms')?.configValue;
    if (retention === String(spec.retentionMs)) continue;
    // AlterConfigs replaces the whole per-topic override set, so carry the other overrides over.
    const overrides: IResourceConfigEntry[] = entries
      .filter(
        (entry) => entry.configSource === ConfigSource.TOPIC_CONFIG && entry.configName !== 'retention.ms',
      )
      .map((entry) => ({ name: entry.configName, value: entry.configValue }));
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: spec.name,
          configEntries: [...overrides, { name: 'retention.ms', value: String(spec.retentionMs) }],
        },
      ],
    });
    updated.push(spec.name);
  }
  return updated;
}
