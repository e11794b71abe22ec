import { z } from 'zod';
import { kafkaEnvShape, logEnvShape, parseEnv, redisEnvShape } from '@scamflow/config';
import { DEFAULT_FAN_IN_PASS_THROUGH_RULE as RULE } from './fan-in-pass-through.detector';

export const MuleDetectorConfigSchema = z.object({
  ...kafkaEnvShape,
  ...redisEnvShape,
  ...logEnvShape,
  MULE_DETECTOR_GROUP_ID: z.string().min(1).default('mule-detector'),
  MULE_DETECTOR_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024),
  FAN_IN_WINDOW_MS: z.coerce.number().int().positive().default(RULE.windowMs),
  FAN_IN_MIN_DISTINCT_SENDERS: z.coerce.number().int().min(2).default(RULE.minDistinctSenders),
  FAN_IN_MIN_PASS_THROUGH_RATIO: z.coerce.number().gt(0).max(1).default(RULE.minPassThroughRatio),
  FAN_IN_MAX_DWELL_MS: z.coerce.number().int().positive().default(RULE.maxDwellMs),
});
export type MuleDetectorConfig = z.infer<typeof MuleDetectorConfigSchema>;

export const MULE_DETECTOR_CONFIG = Symbol('MULE_DETECTOR_CONFIG');

export const loadMuleDetectorConfig = (
  env: Record<string, string | undefined> = process.env,
): MuleDetectorConfig => parseEnv(MuleDetectorConfigSchema, env);
