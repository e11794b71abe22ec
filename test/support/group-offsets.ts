import { Kafka, logLevel, type Admin } from 'kafkajs';
import { expectEventually } from './expect-eventually';
import type { TopicProbe } from './topic-probe';

/** Offset per partition of one topic (the next offset to read, i.e. the end when taken from the topic). */
export type PartitionOffsets = readonly { readonly partition: number; readonly offset: string }[];

/** Consumer-group positions for tests: where topics end, where a group starts, and whether it has caught up. */
export class GroupOffsets {
  private readonly admin: Admin;

  constructor(brokers: string[]) {
    this.admin = new Kafka({ clientId: 'test-group-offsets', brokers, logLevel: logLevel.NOTHING }).admin();
  }

  async connect(): Promise<void> {
    await this.admin.connect();
  }

  async topicEnds(topic: string): Promise<PartitionOffsets> {
    const ends = await this.admin.fetchTopicOffsets(topic);
    return ends.map(({ partition, high }) => ({ partition, offset: high }));
  }

  /**
   * Positions new consumer groups (no running members) before they start: each at `starts` on the topics named
   * there and at the current end of every other topic in `topics`. Groups are positioned in parallel; one
   * group's topics one after another (kafkajs positions a group by briefly joining it, about 5 s a topic).
   */
  async startGroupsAt(
    groupIds: readonly string[],
    topics: readonly string[],
    starts: ReadonlyMap<string, PartitionOffsets>,
  ): Promise<void> {
    await Promise.all(
      groupIds.map(async (groupId) => {
        for (const topic of topics) {
          const partitions = starts.get(topic) ?? (await this.topicEnds(topic));
          await this.admin.setOffsets({ groupId, topic, partitions: [...partitions] });
        }
      }),
    );
  }

  /** Waits until `groupId` has committed at least `targets` on every partition of `topic`. */
  async waitForGroup(
    groupId: string,
    topic: string,
    targets: PartitionOffsets,
    timeoutMs = 120_000,
  ): Promise<void> {
    await expectEventually(
      async () => {
        const [committed] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
        const at = new Map(committed?.partitions.map((p) => [p.partition, BigInt(p.offset)]));
        const behind = targets.filter((t) => (at.get(t.partition) ?? -1n) < BigInt(t.offset));
        expect({ groupId, behind }).toEqual({ groupId, behind: [] });
      },
      { timeoutMs, intervalMs: 250 },
    );
  }

  /** Waits until `groupId` has caught up with the current end of `topic`. */
  async waitForGroupAtEnd(groupId: string, topic: string, timeoutMs?: number): Promise<void> {
    await this.waitForGroup(groupId, topic, await this.topicEnds(topic), timeoutMs);
  }

  /** Waits until a TopicProbe has received everything currently in `topic`. */
  async waitForProbeAtEnd(probe: TopicProbe, topic: string, timeoutMs = 30_000): Promise<void> {
    const ends = await this.topicEnds(topic);
    await expectEventually(
      () => {
        const latest = new Map<number, bigint>();
        for (const m of probe.on(topic)) {
          const offset = BigInt(m.offset);
          if (offset > (latest.get(m.partition) ?? -1n)) latest.set(m.partition, offset);
        }
        // A partition with nothing new since the probe started has nothing to wait for.
        const starts = probe.startsOf(topic);
        const behind = ends.filter(
          (e) =>
            BigInt(e.offset) > (starts.get(e.partition) ?? 0n) &&
            (latest.get(e.partition) ?? -1n) < BigInt(e.offset) - 1n,
        );
        expect(behind).toEqual([]);
      },
      { timeoutMs, intervalMs: 100 },
    );
  }

  async disconnect(): Promise<void> {
    await this.admin.disconnect();
  }
}

/** Waits until a probe positioned at `starts` has read every message written since to `topic`. */
export const waitForProbePast = async (
  probe: TopicProbe,
  offsets: GroupOffsets,
  topic: string,
  starts: ReadonlyMap<number, bigint>,
): Promise<void> => {
  const ends = await offsets.topicEnds(topic);
  await expectEventually(() => {
    const read = new Map<number, bigint>();
    for (const m of probe.on(topic)) {
      const next = BigInt(m.offset) + 1n;
      if (next > (read.get(m.partition) ?? 0n)) read.set(m.partition, next);
    }
    const behind = ends.filter(
      (e) =>
        BigInt(e.offset) > (starts.get(e.partition) ?? 0n) &&
        (read.get(e.partition) ?? 0n) < BigInt(e.offset),
    );
    expect({ topic, behind }).toEqual({ topic, behind: [] });
  });
};

/** Each partition's end offset now: where a probe started after this point begins reading. */
export const startsOf = async (offsets: GroupOffsets, topic: string): Promise<Map<number, bigint>> =>
  new Map((await offsets.topicEnds(topic)).map((e) => [e.partition, BigInt(e.offset)]));
