import path from 'node:path';
import { z } from 'zod';
import { kafkaEnvShape, logEnvShape, neo4jEnvShape, parseEnv } from '@scamflow/config';
import { REPO_ROOT } from './repo-root';

/** Signs development tokens only: a production deployment must name its own secret or public key. */
export const DEV_JWT_SECRET = 'investigator-api-development-secret-not-for-production';

const positiveInt = z.coerce.number().int().positive();

export const InvestigatorApiConfigSchema = z
  .object({
    ...kafkaEnvShape,
    ...neo4jEnvShape,
    ...logEnvShape,
    NODE_ENV: z.string().default('development'),
    /** 0 picks a free port (tests). */
    API_PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
    /** Address the HTTP server binds to. */
    API_HOST: z.string().min(1).default('0.0.0.0'),
    /** HS256 shared secret. Either this or API_JWT_PUBLIC_KEY (RS256, PEM) must be set in production. */
    API_JWT_SECRET: z.string().min(16).optional(),
    /** RS256 public key (PEM); `\n` escapes are accepted so the key fits one environment line. */
    API_JWT_PUBLIC_KEY: z
      .string()
      .min(1)
      .transform((pem) => pem.replace(/\\n/g, '\n'))
      .optional(),
    /** Expected `iss` / `aud` claims, when the identity provider sets them. */
    API_JWT_ISSUER: z.string().min(1).optional(),
    API_JWT_AUDIENCE: z.string().min(1).optional(),
    /** Consumer group of the alert inbox (its own: the inbox must see every alert, whatever other groups do). */
    API_ALERT_GROUP_ID: z.string().min(1).default('investigator-api'),
    /** Set to false to run an instance that serves HTTP only (the inbox is fed by another instance). */
    API_CONSUME_ALERTS: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    /** One alert message is at most Kafka's message size (alerts are shortened to fit by the issuer). */
    API_ALERT_MAX_MESSAGE_BYTES: positiveInt.default(1024 * 1024),
    /** Largest request body accepted (a victim report with its payments fits easily). */
    API_BODY_LIMIT_BYTES: positiveInt.default(256 * 1024),
    /** Requests per token subject per window. */
    API_RATE_LIMIT: positiveInt.default(600),
    API_RATE_WINDOW_MS: positiveInt.default(60_000),
    /**
     * Graph traversals (trace, paths and their exports) served at once; more wait in a queue of at most
     * API_TRAVERSAL_QUEUE, past it 503 with Retry-After. The bulkhead keeps heavy traversals from starving the
     * inbox, profiles and filings on the same CPU (docs/investigator-api.md, "Load").
     */
    API_TRAVERSAL_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(2),
    API_TRAVERSAL_QUEUE: z.coerce.number().int().min(0).max(10_000).default(100),
    /** Page sizes of list endpoints. */
    API_DEFAULT_PAGE_SIZE: positiveInt.default(50),
    API_MAX_PAGE_SIZE: positiveInt.default(500),
    /** The audit chain this deployment appends to (tests use their own so tampering one never breaks another). */
    API_AUDIT_CHAIN_ID: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/)
      .default('main'),
    /** Most audit entries one group commit writes in a transaction (the rest wait for the next one). */
    API_AUDIT_MAX_BATCH: z.coerce.number().int().min(1).max(1000).default(100),
    /** How often an open `GET /alerts/stream` polls the store for new alert versions. */
    API_STREAM_POLL_MS: positiveInt.default(1_000),
    /** goAML profile of the FIU the exports are filed with (infra/goaml/profiles; default the demo profile). */
    API_GOAML_PROFILE_FILE: z.string().min(1).default(path.join(REPO_ROOT, 'infra/goaml/profiles/demo.json')),
  })
  .transform((config, ctx) => {
    if (config.API_JWT_SECRET || config.API_JWT_PUBLIC_KEY) return config;
    if (config.NODE_ENV === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['API_JWT_SECRET'],
        message: 'set API_JWT_SECRET or API_JWT_PUBLIC_KEY (no development default in production)',
      });
      return z.NEVER;
    }
    return { ...config, API_JWT_SECRET: DEV_JWT_SECRET };
  });
export type InvestigatorApiConfig = z.infer<typeof InvestigatorApiConfigSchema>;

export const INVESTIGATOR_API_CONFIG = Symbol('INVESTIGATOR_API_CONFIG');

export const loadInvestigatorApiConfig = (
  env: Record<string, string | undefined> = process.env,
): InvestigatorApiConfig => parseEnv(InvestigatorApiConfigSchema, env);
