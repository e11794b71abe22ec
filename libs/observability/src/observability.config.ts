import { z } from 'zod';

/** Environment of the health/metrics endpoint and the logs, spread into each app's config schema. */
export const observabilityEnvShape = (defaultHttpPort: number) => ({
  /** Port of `/health/live`, `/health/ready` and `/metrics` (0: any free port, as tests use). */
  HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(defaultHttpPort),
  /** Readiness fails while a consumer is more than this many messages behind. */
  HEALTH_MAX_LAG: z.coerce.number().int().positive().default(100_000),
  /** `json` (one line per event, masked identifiers) or `text` (Nest's console format, for development). */
  LOG_FORMAT: z.enum(['json', 'text']).default('json'),
});

/** Default HTTP ports of the five services. */
export const DEFAULT_HTTP_PORTS = {
  ingestGateway: 9101,
  graphWriter: 9102,
  muleDetector: 9103,
  networkDetector: 9104,
  proceedsTracer: 9105,
} as const;
