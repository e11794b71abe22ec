import { z } from 'zod';
import { TRACE_CEILINGS, TRACE_DEFAULTS } from '@scamflow/graph';
import { toMinorUnits } from '@scamflow/money';
import { EXPORT_FORMATS } from '@scamflow/filings';

/** Hard limits of the graph queries; a request past one gets a 400 naming it. */
export const GRAPH_LIMITS = {
  maxHops: TRACE_CEILINGS.maxHops,
  maxFanOut: TRACE_CEILINGS.fanOut,
  /** Transfers one trace or export may return. */
  maxExportTransfers: TRACE_CEILINGS.maxTransfers,
  /** Longest time window of a trace or a path search. */
  maxWindowDays: 366,
  maxPathHops: 8,
} as const;

/** Account keys: `<institution>:<account>` or `<chain>:<address>`, printable, no whitespace. */
export const AccountKeySchema = z
  .string()
  .min(3)
  .max(260)
  .regex(/^[A-Za-z0-9._\-/#]+:[A-Za-z0-9._:\-/#]+$/, 'must be an account key such as "KASITHBK:1234567890"');

const IsoTime = z.iso.datetime({ offset: true });
const DAY_MS = 86_400_000;

const withinWindow = (
  from: string | undefined,
  to: string | undefined,
  ctx: z.RefinementCtx,
  names: [string, string],
) => {
  if (from === undefined || to === undefined) return;
  const span = Date.parse(to) - Date.parse(from);
  if (span < 0) ctx.addIssue({ code: 'custom', path: [names[1]], message: `must not be before ${names[0]}` });
  if (span > GRAPH_LIMITS.maxWindowDays * DAY_MS) {
    ctx.addIssue({
      code: 'custom',
      path: [names[1]],
      message: `window is limited to ${GRAPH_LIMITS.maxWindowDays} days (limit maxWindowDays)`,
    });
  }
};

const intParam = (name: string, min: number, max: number, fallback: number) =>
  z.coerce
    .number()
    .int(`${name} must be an integer`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} is limited to ${max} (limit ${name})`)
    .default(fallback);

export const PageQueryShape = {
  cursor: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor returned by the previous page')
    .optional(),
};

export const ExportQueryShape = {
  /** `json` (default: the page of hops plus the whole graph), `csv` (one file: `part=nodes|edges`) or `graphml`. */
  format: z.enum(EXPORT_FORMATS).default('json'),
  part: z.enum(['nodes', 'edges']).optional(),
};

export const TraceQuerySchema = z
  .strictObject({
    direction: z.enum(['forward', 'backward']).default('forward'),
    hops: intParam('hops', 1, GRAPH_LIMITS.maxHops, 6),
    /** Forward: money leaving from this time on; backward: every hop from this time on. */
    from: IsoTime.optional(),
    /** Forward: every hop up to this time; backward: money that arrived up to this time. */
    to: IsoTime.optional(),
    minAmount: z
      .string()
      .regex(/^\d{1,28}(\.\d{1,18})?$/, 'must be a decimal string such as "1000.00"')
      .optional(),
    /** Currency of minAmount (ISO 4217); transfers in other currencies are not filtered by it. */
    minAmountCurrency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional(),
    fanOut: intParam('fanOut', 1, GRAPH_LIMITS.maxFanOut, TRACE_DEFAULTS.fanOut),
    maxTransfers: intParam('maxTransfers', 1, GRAPH_LIMITS.maxExportTransfers, TRACE_DEFAULTS.maxTransfers),
    limit: z.coerce.number().int().min(1).optional(),
    ...PageQueryShape,
    ...ExportQueryShape,
  })
  .superRefine((q, ctx) => {
    withinWindow(q.from, q.to, ctx, ['from', 'to']);
    if (q.minAmount !== undefined && q.minAmountCurrency === undefined) {
      ctx.addIssue({ code: 'custom', path: ['minAmountCurrency'], message: 'is required with minAmount' });
    }
    if (q.minAmount !== undefined && q.minAmountCurrency !== undefined) {
      const parsed = toMinorUnits(q.minAmount, q.minAmountCurrency);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', path: ['minAmount'], message: parsed.reason });
    }
    if (q.format === 'csv' && q.part === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['part'],
        message: 'is required with format=csv: nodes or edges',
      });
    }
  });
export type TraceQuery = z.infer<typeof TraceQuerySchema>;

/** `window`: an ISO 8601 interval `<start>/<end>`, or `P<n>D` for the last n days. */
const WindowSchema = z
  .string()
  .max(100)
  .transform((text, ctx) => {
    const days = /^P(\d{1,4})D$/.exec(text);
    if (days) {
      const n = Number(days[1]);
      if (n > GRAPH_LIMITS.maxWindowDays) {
        ctx.addIssue({
          code: 'custom',
          message: `window is limited to ${GRAPH_LIMITS.maxWindowDays} days (limit maxWindowDays)`,
        });
        return z.NEVER;
      }
      return { start: new Date(Date.now() - n * DAY_MS).toISOString(), end: undefined };
    }
    const [start, end, ...rest] = text.split('/');
    if (rest.length > 0 || !IsoTime.safeParse(start).success || !IsoTime.safeParse(end).success) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 interval "<start>/<end>" or "P<n>D"' });
      return z.NEVER;
    }
    const span = Date.parse(end ?? '') - Date.parse(start ?? '');
    if (span < 0 || span > GRAPH_LIMITS.maxWindowDays * DAY_MS) {
      ctx.addIssue({
        code: 'custom',
        message: `end must follow start, and the window is limited to ${GRAPH_LIMITS.maxWindowDays} days (limit maxWindowDays)`,
      });
      return z.NEVER;
    }
    return { start, end };
  });

export const PathsQuerySchema = z
  .strictObject({
    from: AccountKeySchema,
    to: AccountKeySchema,
    maxHops: intParam('maxHops', 1, GRAPH_LIMITS.maxPathHops, 4),
    window: WindowSchema.optional(),
    ...ExportQueryShape,
  })
  .superRefine((q, ctx) => {
    if (q.format === 'csv' && q.part === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['part'],
        message: 'is required with format=csv: nodes or edges',
      });
    }
  });
export type PathsQuery = z.infer<typeof PathsQuerySchema>;

export const AccountPathSchema = z.strictObject({ accountKey: AccountKeySchema });
export const AccountQuerySchema = z.strictObject({});
