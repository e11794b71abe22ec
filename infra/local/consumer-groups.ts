import { Kafka, logLevel } from 'kafkajs';

export interface GroupStart {
  readonly groupId: string;
  readonly topics: readonly string[];
}

/**
 * Commits offsets at the current end of each topic for (new) consumer groups, like
 * `kafka-consumer-groups --reset-offsets --to-latest`. Tests, benchmarks and the demo use fresh groups on
 * long-lived servers; without this they would first re-read every earlier run's messages.
 */
export async function startGroupsAtEnd(
  brokers: readonly string[],
  groups: readonly GroupStart[],
): Promise<void> {
  const admin = new Kafka({
    clientId: 'group-positioner',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    // kafkajs positions a group by briefly joining it (about 5 s a topic): groups go in parallel, the
    // topics of one group one after another (concurrent joins of one group would fence each other).
    await Promise.all(
      groups.map(async ({ groupId, topics }) => {
        for (const topic of topics) {
          const ends = await admin.fetchTopicOffsets(topic);
          await admin.setOffsets({
            groupId,
            topic,
            partitions: ends.map((p) => ({ partition: p.partition, offset: p.high })),
          });
        }
      }),
    );
  } finally {
    await admin.disconnect();
  }
}
