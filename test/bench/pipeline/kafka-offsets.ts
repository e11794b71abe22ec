import type { Admin } from 'kafkajs';

/** Sum of a consumer group's committed offsets on a topic (0 for partitions it never committed). */
export const groupOffsetSum = async (admin: Admin, groupId: string, topic: string): Promise<number> => {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (entry?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
};

/** Sum of a topic's end offsets (messages ever written, across partitions). */
export const topicEndSum = async (admin: Admin, topic: string): Promise<number> =>
  (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);

/** End offset of each partition of a topic. */
export const partitionEnds = async (admin: Admin, topic: string): Promise<Map<number, number>> =>
  new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));

/**
 * Messages a group has yet to process on its topics: end offset minus committed offset per partition.
 * A group that never committed a partition counts from the partition's start, as Kafka would.
 */
export const groupLag = async (admin: Admin, groupId: string, topics: readonly string[]): Promise<number> => {
  const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
  let lag = 0;
  for (const topic of topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const mine = committed.find((c) => c.topic === topic)?.partitions ?? [];
    for (const end of ends) {
      const offset = Number(mine.find((p) => p.partition === end.partition)?.offset ?? -1);
      lag += Number(end.high) - (offset >= 0 ? offset : Number(end.low));
    }
  }
  return lag;
};
