import { z } from 'zod';
import { kafkaEnvShape, logEnvShape, neo4jEnvShape, parseEnv, redisEnvShape } from '@scamflow/config';
import { DEFAULT_LAYERING_CHAIN_RULE as CHAIN } from './layering-chain.detector';
import { DEFAULT_ROUND_TRIPPING_RULE as CYCLE } from './round-tripping.detector';
import { DEFAULT_SHARED_IDENTIFIER_RULE as SHARED } from './shared-identifier.detector';

const ratio = z.coerce.number().gt(0).max(1);
const ms = z.coerce.number().int().positive();

export const NetworkDetectorConfigSchema = z.object({
  ...kafkaEnvShape,
  ...neo4jEnvShape,
  ...redisEnvShape,
  ...logEnvShape,
  NETWORK_DETECTOR_GROUP_ID: z.string().min(1).default('network-detector'),
  NETWORK_DETECTOR_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  /** A mule.* alert at or above this score makes its subject a known mule. */
  KNOWN_MULE_MIN_SCORE: ratio.default(0.6),
  /** Accounts with more transfers than this are hubs: chains and cycles are not followed through them. */
  NETWORK_MAX_ACCOUNT_DEGREE: z.coerce.number().int().positive().default(200),
  NETWORK_MAX_PATHS_PER_TRANSFER: z.coerce.number().int().positive().default(10),
  SHARED_ID_MAX_ACCOUNTS_PER_IDENTIFIER: z.coerce
    .number()
    .int()
    .min(2)
    .default(SHARED.maxAccountsPerIdentifier),
  LAYERING_MIN_HOPS: z.coerce.number().int().min(3).max(5).default(CHAIN.minHops),
  LAYERING_MAX_GAP_MS: ms.default(CHAIN.maxGapMs),
  LAYERING_MIN_KEPT_RATIO: ratio.default(CHAIN.minKeptRatio),
  LAYERING_MAX_GAIN_RATIO: z.coerce.number().min(1).default(CHAIN.maxGainRatio),
  ROUND_TRIP_WINDOW_MS: ms.default(CYCLE.windowMs),
  ROUND_TRIP_MIN_HOPS: z.coerce.number().int().min(2).max(4).default(CYCLE.minHops),
  ROUND_TRIP_MIN_RETURNED_RATIO: ratio.default(CYCLE.minReturnedRatio),
});
export type NetworkDetectorConfig = z.infer<typeof NetworkDetectorConfigSchema>;

export const NETWORK_DETECTOR_CONFIG = Symbol('NETWORK_DETECTOR_CONFIG');

export const loadNetworkDetectorConfig = (
  env: Record<string, string | undefined> = process.env,
): NetworkDetectorConfig => parseEnv(NetworkDetectorConfigSchema, env);
