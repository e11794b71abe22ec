/** Reading a stretch of a topic from tools (dead-letter replay, state rebuild): offsets by time, then a range. */
import { randomUUID } from 'node:crypto';
import type { Admin, IHeaders, Kafka } from 'kafkajs';

/** One message as a tool sees it; `id` is `<topic>/<partition>@<offset>`. */
export interface TopicRecord {
  readonly id: string;
  readonly partition: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, string>;
  readonly timestampMs: number;
}

const text = (headers: IHeaders | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
};

/**
 * Per partition, the offset of the first message stamped at or after `ms` (the end of the partition when none
 * is: kafkajs answers the high watermark then).
 */
export const offsetsAt = async (admin: Admin, topic: string, ms: number): Promise<Map<number, string>> =>
  new Map(
    (await admin.fetchTopicOffsetsByTimestamp(topic, ms)).map((p) => [
      p.partition,
      p.offset === '-1' ? '0' : p.offset,
    ]),
  );

/** Reads every message of `topic` from per-partition start offsets up to the current ends, in partition order. */
export const readTopicRange = async (
  kafka: Kafka,
  admin: Admin,
  topic: string,
  starts: ReadonlyMap<number, string>,
): Promise<TopicRecord[]> => {
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
  const pending = new Set(
    [...starts].filter(([partition, offset]) => BigInt(offset) < (ends.get(partition) ?? 0n)).map(([p]) => p),
  );
  const records: TopicRecord[] = [];
  if (pending.size === 0) return records;
  const consumer = kafka.consumer({ groupId: `topic-range-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        autoCommit: false,
        eachMessage: ({ partition, message }) => {
          const end = ends.get(partition) ?? 0n;
          const start = BigInt(starts.get(partition) ?? end);
          const offset = BigInt(message.offset);
          if (offset >= start && offset < end) {
            records.push({
              id: `${topic}/${partition}@${message.offset}`,
              partition,
              key: message.key,
              value: message.value,
              headers: text(message.headers),
              timestampMs: Number(message.timestamp),
            });
          }
          if (offset >= end - 1n) {
            pending.delete(partition);
            if (pending.size === 0) resolve();
          }
          return Promise.resolve();
        },
      });
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      for (const [partition, offset] of starts) consumer.seek({ topic, partition, offset });
    });
    await done;
  } finally {
    await consumer.disconnect();
  }
  return records;
};
