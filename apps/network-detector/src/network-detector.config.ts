import { z } from 'zod';
import { kafkaEnvShape, logEnvShape, parseEnv, redisEnvShape } from '@scamflow/config';
import { consumerEnvShape, kafkaSecurityEnvShape } from '@scamflow/messaging';
import { DEFAULT_HTTP_PORTS, observabilityEnvShape } from '@scamflow/observability';
import { detectionProfileEnvShape } from '@scamflow/detection-profiles';
import { DEFAULT_SHARED_IDENTIFIER_RULE as SHARED } from './shared-identifier.detector';

const ratio = z.coerce.number().gt(0).max(1);

/**
 * Network detection reads Kafka and Redis only: windows, hop bounds and hub limits come from the detection
 * profile (`DETECTION_PROFILE`, `DETECTION_PROFILE_BY_INSTITUTION`; see libs/detection-profiles).
 */
export const NetworkDetectorConfigSchema = z.object({
  ...kafkaEnvShape,
  ...redisEnvShape,
  ...logEnvShape,
  ...kafkaSecurityEnvShape,
  ...consumerEnvShape,
  ...observabilityEnvShape(DEFAULT_HTTP_PORTS.networkDetector),
  ...detectionProfileEnvShape,
  NETWORK_DETECTOR_GROUP_ID: z.string().min(1).default('network-detector'),
  NETWORK_DETECTOR_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  /** A detector's mule.* alert at or above this score makes its subject a known mule. */
  KNOWN_MULE_MIN_SCORE: ratio.default(0.6),
  SHARED_ID_MAX_ACCOUNTS_PER_IDENTIFIER: z.coerce
    .number()
    .int()
    .min(2)
    .default(SHARED.maxAccountsPerIdentifier),
  /** Identifiers indexed per account (an account rotating IPs without end stops adding them). */
  SHARED_ID_MAX_IDENTIFIERS_PER_ACCOUNT: z.coerce.number().int().min(1).default(64),
});
export type NetworkDetectorConfig = z.infer<typeof NetworkDetectorConfigSchema>;

export const NETWORK_DETECTOR_CONFIG = Symbol('NETWORK_DETECTOR_CONFIG');

export const loadNetworkDetectorConfig = (
  env: Record<string, string | undefined> = process.env,
): NetworkDetectorConfig => parseEnv(NetworkDetectorConfigSchema, env);
