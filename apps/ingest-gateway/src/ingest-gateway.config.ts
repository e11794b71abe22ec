import { z } from 'zod';
import { kafkaEnvShape, logEnvShape, parseEnv, redisEnvShape } from '@scamflow/config';
import { consumerEnvShape, kafkaSecurityEnvShape, ProducerKeysSchema } from '@scamflow/messaging';
import { DEFAULT_HTTP_PORTS, observabilityEnvShape } from '@scamflow/observability';
import { currencyScale } from '@scamflow/money';

export const IngestGatewayConfigSchema = z.object({
  ...kafkaEnvShape,
  ...logEnvShape,
  ...redisEnvShape,
  ...kafkaSecurityEnvShape,
  ...consumerEnvShape,
  ...observabilityEnvShape(DEFAULT_HTTP_PORTS.ingestGateway),
  /** Every accepted transfer also carries its amount in this ISO 4217 currency (or why it could not). */
  FX_REFERENCE_CURRENCY: z
    .string()
    .default('USD')
    .refine((code) => currencyScale(code) !== undefined, 'must be an ISO 4217 currency code such as "USD"'),
  INGEST_GROUP_ID: z.string().min(1).default('ingest-gateway'),
  /** Larger messages are dead-lettered unread: a transfer event is a few hundred bytes. */
  INGEST_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 1024),
  /**
   * Larger XML messages (pacs.008) are dead-lettered unread. One message may carry many transactions, so the
   * limit is higher than for JSON events; 1 MiB is also Kafka's default largest message.
   */
  INGEST_MAX_XML_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  /** Events booked further than this in the future are refused (clock skew allowance). */
  INGEST_MAX_FUTURE_SKEW_MS: z.coerce
    .number()
    .int()
    .nonnegative()
    .default(5 * 60 * 1000),
  /** Largest single amount accepted, in major units of any currency; above it is a feed error, not money. */
  INGEST_MAX_AMOUNT_MAJOR: z.coerce
    .bigint()
    .positive()
    .default(10n ** 13n),
  /**
   * Producer identity (docs/operations.md): JSON of institution id → base64 HMAC key. Set, every feed message
   * must be signed by the institution it reports as, or it is dead-lettered; unset, nothing is checked
   * (development and the demo only).
   */
  INGEST_PRODUCER_KEYS: ProducerKeysSchema.optional(),
});
export type IngestGatewayConfig = z.infer<typeof IngestGatewayConfigSchema>;

export const INGEST_GATEWAY_CONFIG = Symbol('INGEST_GATEWAY_CONFIG');

export const loadIngestGatewayConfig = (
  env: Record<string, string | undefined> = process.env,
): IngestGatewayConfig => parseEnv(IngestGatewayConfigSchema, env);
