import { z } from 'zod';
import { kafkaEnvShape, logEnvShape, neo4jEnvShape, parseEnv } from '@scamflow/config';

export const GraphWriterConfigSchema = z.object({
  ...kafkaEnvShape,
  ...neo4jEnvShape,
  ...logEnvShape,
  GRAPH_WRITER_GROUP_ID: z.string().min(1).default('graph-writer'),
  GRAPH_WRITER_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024),
});
export type GraphWriterConfig = z.infer<typeof GraphWriterConfigSchema>;

export const GRAPH_WRITER_CONFIG = Symbol('GRAPH_WRITER_CONFIG');

export const loadGraphWriterConfig = (
  env: Record<string, string | undefined> = process.env,
): GraphWriterConfig => parseEnv(GraphWriterConfigSchema, env);
