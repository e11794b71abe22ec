import { z } from 'zod';
import { kafkaEnvShape, logEnvShape, neo4jEnvShape, parseEnv, redisEnvShape } from '@scamflow/config';
import { consumerEnvShape, kafkaSecurityEnvShape } from '@scamflow/messaging';
import { DEFAULT_HTTP_PORTS, observabilityEnvShape } from '@scamflow/observability';
import { currencyScale } from '@scamflow/money';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export const ProceedsTracerConfigSchema = z.object({
  ...kafkaEnvShape,
  ...neo4jEnvShape,
  ...redisEnvShape,
  ...logEnvShape,
  ...kafkaSecurityEnvShape,
  ...consumerEnvShape,
  ...observabilityEnvShape(DEFAULT_HTTP_PORTS.proceedsTracer),
  PROCEEDS_TRACER_GROUP_ID: z.string().min(1).default('proceeds-tracer'),
  /** A graph-committed message lists up to 1,000 transfers (about 200 bytes each). */
  PROCEEDS_TRACER_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  /** Hops followed from the victim's payments. */
  PROCEEDS_MAX_HOPS: z.coerce.number().int().min(1).max(20).default(8),
  /** Transfers booked later than this after the victim's first payment are not followed. */
  PROCEEDS_HORIZON_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(30 * DAY_MS),
  /**
   * An account with more transfers than this in its window (exchange hot wallet, merchant, remittance hub)
   * is a terminal holder: tracing stops there.
   */
  PROCEEDS_EDGE_CAP: z.coerce.number().int().min(2).default(200),
  /**
   * A payment the victim knows only by amount and time matches the victim's outgoing transfer of exactly that
   * amount booked within ± this of the stated time (victims remember times roughly); the closest one wins.
   */
  PROCEEDS_PAYMENT_MATCH_WINDOW_MS: z.coerce
    .number()
    .int()
    .nonnegative()
    .default(6 * HOUR_MS),
  /**
   * Flows of a reached account this long before traced money arrived are read as the pool it mixes into (older
   * money leaves first under FIFO and dilutes it under haircut); they are never followed.
   */
  PROCEEDS_MIX_LOOKBACK_MS: z.coerce.number().int().nonnegative().default(DAY_MS),
  /**
   * An account holding at least this share of a case's money (FIFO or haircut) is watched: its later outflows
   * re-trace the case. Haircut leaves cent-sized residues along every path; re-tracing on those would re-run
   * every case on ordinary traffic for no change an analyst could act on.
   */
  PROCEEDS_WATCH_MIN_SHARE: z.coerce.number().min(0).max(1).default(0.01),
  /**
   * The trace follows an account's outflows only if it received at least this share of the case's money under
   * FIFO or haircut. 0 follows everything reached (the subgraph then grows to the hop and edge caps).
   */
  PROCEEDS_FOLLOW_MIN_SHARE: z.coerce.number().min(0).max(1).default(0.001),
  /** ...if they received at least this share of a case's money (FIFO or haircut). */
  PROCEEDS_PROXIMITY_MIN_SHARE: z.coerce.number().min(0).max(1).default(0.01),
  /** Accounts that received traced money within this many hops of the victim get a proximity alert. */
  PROCEEDS_PROXIMITY_HOPS: z.coerce.number().int().min(1).default(3),
  /** Must match ingest's FX_REFERENCE_CURRENCY: mixed-currency traces use the transfers' reference amounts. */
  PROCEEDS_REFERENCE_CURRENCY: z
    .string()
    .default('USD')
    .refine((code) => currencyScale(code) !== undefined, 'must be an ISO 4217 currency code such as "USD"'),
  PROCEEDS_REFERENCE_SCALE: z.coerce.number().int().min(0).max(18).default(2),
  /**
   * FIFO lots kept per account and case in the incremental state; past it the oldest merge into two (the case's
   * money first), totals exact, and the alert says so.
   */
  PROCEEDS_STATE_MAX_LOTS: z.coerce.number().int().min(4).default(64),
  /**
   * Cases whose state one account may hold. A further case reaching a full account is not followed into it: its
   * amount there counts as untraceable (state bound), and the alert says so.
   */
  PROCEEDS_STATE_MAX_CASES: z.coerce.number().int().min(1).default(32),
  /**
   * A case's state is dropped once the feed's event time (the event-time watermark: the slowest partition's latest
   * transfer booked, never ahead of the clock) is this long past the case's horizon: a transfer booked within the horizon can still
   * arrive this late from another partition. Event time, not the clock: a feed replayed from history keeps its
   * cases (the clock only bounds storage, through the keys' TTL).
   */
  PROCEEDS_STATE_EXPIRY_LAG_MS: z.coerce.number().int().nonnegative().default(DAY_MS),
  /**
   * The feed's event time is the slowest partition's (see event-time-watermark.ts); a partition that has
   * delivered nothing for this long of the clock stops holding it back.
   */
  PROCEEDS_WATERMARK_IDLE_MS: z.coerce.number().int().positive().default(60_000),
  /**
   * Allowed lateness of the incremental trace: a transfer arriving after later ones of its accounts were applied,
   * booked at most this long before the case's latest applied transfer, rewinds the case from its journal (the
   * case's transfers since then, applied again in event order); an older one traces the case from the graph
   * (counted as a `late` re-trace). One day, as the state expiry lag: a partition can lag that far.
   */
  PROCEEDS_ALLOWED_LATENESS_MS: z.coerce.number().int().nonnegative().default(DAY_MS),
  /** Journal entries kept per case; past it the oldest go (a transfer older than those traces the case again). */
  PROCEEDS_JOURNAL_MAX_ENTRIES: z.coerce.number().int().min(1).default(1000),
  /**
   * A rewind applies again at most this many of the case's transfers; a transfer later than that traces the
   * case from the graph (one subgraph read costs about what replaying this many transfers does).
   */
  PROCEEDS_REWIND_MAX_ENTRIES: z.coerce.number().int().min(1).default(200),
  /**
   * A case the incremental state cannot carry exactly (a transfer late past its journal, another asset, the
   * victim's payment found after the report) is traced from the graph this long after the latest such transfer,
   * not at each one: while a feed's partitions catch up they come in bursts, and one trace then covers them all.
   * It delays only those cases' updated alerts; a report is traced at once.
   */
  PROCEEDS_RETRACE_SETTLE_MS: z.coerce.number().int().nonnegative().default(2_000),
  /** ...but never later than this after the first (a case late transfers keep reaching is still traced). */
  PROCEEDS_RETRACE_MAX_DELAY_MS: z.coerce.number().int().nonnegative().default(10_000),
  /**
   * The same two for a case asked for only by transfers late past its journal: its alert is out and only its
   * amounts change, and the partition that delivered one late transfer is catching up and delivers more (in
   * a standard benchmark run 246 cases drew 571 such traces). A victim's payment found or another
   * asset keeps the timing above (the first alert, or money moved into crypto).
   */
  PROCEEDS_RETRACE_LATE_SETTLE_MS: z.coerce.number().int().nonnegative().default(5_000),
  PROCEEDS_RETRACE_LATE_MAX_DELAY_MS: z.coerce.number().int().nonnegative().default(30_000),
  /** Hops kept per case for its alerts; past it the hops that carried least are left out (and counted). */
  PROCEEDS_STATE_MAX_HOPS: z.coerce.number().int().min(10).default(2000),
});
export type ProceedsTracerConfig = z.infer<typeof ProceedsTracerConfigSchema>;

export const PROCEEDS_TRACER_CONFIG = Symbol('PROCEEDS_TRACER_CONFIG');

export const loadProceedsTracerConfig = (
  env: Record<string, string | undefined> = process.env,
): ProceedsTracerConfig => parseEnv(ProceedsTracerConfigSchema, env);
