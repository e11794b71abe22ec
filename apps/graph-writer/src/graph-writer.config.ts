import { z } from 'zod';
import { kafkaEnvShape, logEnvShape, neo4jEnvShape, parseEnv } from '@scamflow/config';
import { consumerEnvShape, kafkaSecurityEnvShape } from '@scamflow/messaging';
import { DEFAULT_HTTP_PORTS, observabilityEnvShape } from '@scamflow/observability';

export const GraphWriterConfigSchema = z.object({
  ...kafkaEnvShape,
  ...neo4jEnvShape,
  ...logEnvShape,
  ...kafkaSecurityEnvShape,
  ...consumerEnvShape,
  ...observabilityEnvShape(DEFAULT_HTTP_PORTS.graphWriter),
  GRAPH_WRITER_GROUP_ID: z.string().min(1).default('graph-writer'),
  GRAPH_WRITER_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024),
  /** Rows per Neo4j transaction: partition batches are merged up to this size (measured best ~5,000). */
  GRAPH_WRITER_FLUSH_ROWS: z.coerce.number().int().positive().default(5_000),
  /** How long a partial flush waits for more partition batches. */
  GRAPH_WRITER_LINGER_MS: z.coerce.number().int().nonnegative().default(25),
  /** Partition batches handled at once (they are merged into shared flushes). */
  GRAPH_WRITER_PARTITIONS_CONCURRENTLY: z.coerce.number().int().min(1).default(6),
});
export type GraphWriterConfig = z.infer<typeof GraphWriterConfigSchema>;

export const GRAPH_WRITER_CONFIG = Symbol('GRAPH_WRITER_CONFIG');

export const loadGraphWriterConfig = (
  env: Record<string, string | undefined> = process.env,
): GraphWriterConfig => parseEnv(GraphWriterConfigSchema, env);
