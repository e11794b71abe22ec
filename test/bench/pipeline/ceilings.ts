import { Kafka, logLevel } from 'kafkajs';
import neo4j, { isInt, type Driver } from 'neo4j-driver';
import { TransferAcceptedSchema } from '@scamflow/contracts';
import { toTransferRow, type TransferRow } from '@scamflow/graph';
import {
  BENCH_DELETE_SLICE,
  BENCH_RECORD_TRANSFERS,
  BENCH_SCHEMA_AWAIT,
  BENCH_SCHEMA_CREATE,
  BENCH_SCHEMA_DROP,
} from './bench.cypher';

export interface KafkaCeiling {
  readonly messages: number;
  readonly megabytes: number;
  /** From the first fetched batch to the last message (group join excluded). */
  readonly seconds: number;
  readonly messagesPerSecond: number;
  readonly secondsIncludingJoin: number;
}

/**
 * Raw kafkajs consume rate of a topic range: a throwaway group positioned at `starts`, reading to `ends`,
 * counting messages and keeping their bytes, with no parsing or processing, no commits.
 */
export const measureKafkaCeiling = async (
  brokers: readonly string[],
  topic: string,
  starts: ReadonlyMap<number, number>,
  ends: ReadonlyMap<number, number>,
  groupId: string,
): Promise<{ ceiling: KafkaCeiling; values: Buffer[] }> => {
  const kafka = new Kafka({ clientId: groupId, brokers: [...brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.setOffsets({
    groupId,
    topic,
    partitions: [...starts].map(([partition, offset]) => ({ partition, offset: String(offset) })),
  });
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId, maxBytesPerPartition: 4 * 1024 * 1024, maxWaitTimeInMs: 100 });
  const values: Buffer[] = [];
  let bytes = 0;
  const remaining = new Set([...ends].filter(([p, end]) => end > (starts.get(p) ?? end)).map(([p]) => p));
  let firstBatchAt: number | undefined;
  const joinedAt = performance.now();
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: false });
  const done = new Promise<number>((resolve) => {
    if (remaining.size === 0) resolve(performance.now());
    void consumer.run({
      autoCommit: false,
      eachBatch: ({ batch }) => {
        firstBatchAt ??= performance.now();
        const end = ends.get(batch.partition) ?? 0;
        for (const message of batch.messages) {
          if (Number(message.offset) >= end || !message.value) continue;
          values.push(message.value);
          bytes += message.value.length;
        }
        if (Number(batch.lastOffset()) >= end - 1) {
          remaining.delete(batch.partition);
          if (remaining.size === 0) resolve(performance.now());
        }
        return Promise.resolve();
      },
    });
  });
  const finishedAt = await done;
  await consumer.disconnect();
  const seconds = (finishedAt - (firstBatchAt ?? finishedAt)) / 1000;
  return {
    ceiling: {
      messages: values.length,
      megabytes: Number((bytes / 1024 / 1024).toFixed(1)),
      seconds: Number(seconds.toFixed(2)),
      messagesPerSecond: seconds > 0 ? Math.round(values.length / seconds) : 0,
      secondsIncludingJoin: Number(((finishedAt - joinedAt) / 1000).toFixed(2)),
    },
    values,
  };
};

export interface Neo4jCeiling {
  readonly rows: number;
  readonly unparsed: number;
  readonly batchSize: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  readonly cleanupSeconds: number;
}

/**
 * Raw batched write rate of the same transfers: the graph writer's statement shape on throwaway names, in
 * transactions of `batchSize` rows one after another, then everything it wrote is deleted.
 */
export const measureNeo4jCeiling = async (
  driver: Driver,
  database: string,
  values: readonly Buffer[],
  batchSize = 5_000,
): Promise<Neo4jCeiling> => {
  const unique = new Map<string, TransferRow>();
  let unparsed = 0;
  for (const value of values) {
    const parsed = TransferAcceptedSchema.safeParse(JSON.parse(value.toString('utf8')));
    if (parsed.success) unique.set(parsed.data.transferId, toTransferRow(parsed.data));
    else unparsed += 1;
  }
  const rows = [...unique.values()];
  for (const statement of BENCH_SCHEMA_CREATE) await driver.executeQuery(statement, {}, { database });
  await driver.executeQuery(BENCH_SCHEMA_AWAIT, {}, { database });
  let seconds = 0;
  let cleanupSeconds = 0;
  try {
    const started = performance.now();
    for (let i = 0; i < rows.length; i += batchSize) {
      await driver.executeQuery(
        BENCH_RECORD_TRANSFERS,
        { rows: rows.slice(i, i + batchSize) },
        { database, routing: neo4j.routing.WRITE },
      );
    }
    seconds = (performance.now() - started) / 1000;
  } finally {
    cleanupSeconds = await deleteBenchGraph(driver, database);
  }
  return {
    rows: rows.length,
    unparsed,
    batchSize,
    seconds: Number(seconds.toFixed(2)),
    rowsPerSecond: seconds > 0 ? Math.round(rows.length / seconds) : 0,
    cleanupSeconds: Number(cleanupSeconds.toFixed(1)),
  };
};

/** Deletes every throwaway node and relationship and the throwaway schema; returns the seconds it took. */
export const deleteBenchGraph = async (driver: Driver, database: string): Promise<number> => {
  const started = performance.now();
  for (;;) {
    const { records } = await driver.executeQuery(
      BENCH_DELETE_SLICE,
      { limit: neo4j.int(2_000) },
      { database, routing: neo4j.routing.WRITE },
    );
    const deleted: unknown = records[0]?.get('deleted');
    if (!isInt(deleted) || deleted.toNumber() === 0) break;
  }
  for (const statement of BENCH_SCHEMA_DROP) await driver.executeQuery(statement, {}, { database });
  return (performance.now() - started) / 1000;
};
