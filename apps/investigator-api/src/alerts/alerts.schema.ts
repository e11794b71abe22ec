import { z } from 'zod';
import { DISPOSITIONS, INBOX_STATES, SEVERITIES, TYPOLOGIES } from '@scamflow/contracts';

const Identifier = z
  .string()
  .min(1)
  .max(300)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:\-/#]*$/, 'must be letters, digits and . _ : - / # only');

/** `a,b` or repeated parameters (`?x=a&x=b`) → a list of allowed values. */
const listOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0))
    .pipe(z.array(z.enum(values)).max(values.length * 2))
    .optional();

const TYPOLOGY_VALUES = Object.values(TYPOLOGIES) as [string, ...string[]];
const Time = z.iso.datetime({ offset: true });

export const ALERT_SORTS = ['-raisedAt', 'raisedAt', '-severity', 'severity', '-score', 'score'] as const;

/** Filters shared by the list and the stream. */
export const AlertFilterQuerySchema = z.strictObject({
  status: listOf(INBOX_STATES).describe('inbox states, comma-separated'),
  typology: listOf(TYPOLOGY_VALUES).describe('typologies, comma-separated'),
  severity: listOf(SEVERITIES).describe('severities, comma-separated'),
  institution: Identifier.max(128).optional().describe('alerts involving this institution'),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as "TH"')
    .optional()
    .describe('alerts whose money touched this jurisdiction'),
  caseId: Identifier.optional().describe('alerts concerning this victim case'),
  accountKey: Identifier.optional().describe('alerts involving this account'),
  from: Time.optional().describe('latest version raised at or after (ISO 8601)'),
  to: Time.optional().describe('latest version raised before (ISO 8601)'),
});

export const ListAlertsQuerySchema = AlertFilterQuerySchema.extend({
  sort: z.enum(ALERT_SORTS).default('-raisedAt'),
  limit: z.coerce.number().int().min(1).max(500).optional().describe('page size (default 50, at most 500)'),
  cursor: z.string().max(600).optional().describe('nextCursor of the previous page'),
}).refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from must be before to', path: ['from'] });
export type ListAlertsQuery = z.output<typeof ListAlertsQuerySchema>;

export const StreamAlertsQuerySchema = AlertFilterQuerySchema.extend({
  /** For clients that cannot set the Last-Event-ID header. */
  lastEventId: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional(),
});
export type StreamAlertsQuery = z.output<typeof StreamAlertsQuerySchema>;

export const AlertIdParamSchema = Identifier;

const Note = z.string().min(1).max(2_000).optional();

export const TransitionCommandSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('acknowledge'), note: Note }),
  z.strictObject({ action: z.literal('assign'), assignee: Identifier.max(128), note: Note }),
  z.strictObject({
    action: z.literal('escalate'),
    strReference: Identifier.max(128).optional().describe('reference of the drafted STR'),
    note: Note,
  }),
  z
    .strictObject({
      action: z.literal('close'),
      disposition: z.enum(DISPOSITIONS),
      reason: z.string().min(1).max(2_000).optional().describe('required for false-positive'),
      duplicateOf: Identifier.optional().describe('alert id this one duplicates (required for duplicate)'),
      note: Note,
    })
    .refine((c) => c.disposition !== 'false-positive' || c.reason !== undefined, {
      message: 'a false positive needs a reason',
      path: ['reason'],
    })
    .refine((c) => c.disposition !== 'duplicate' || c.duplicateOf !== undefined, {
      message: 'a duplicate needs duplicateOf (the alert id it duplicates)',
      path: ['duplicateOf'],
    }),
]);
export type TransitionCommand = z.output<typeof TransitionCommandSchema>;

export const PrecisionQuerySchema = z
  .strictObject({ from: Time.optional(), to: Time.optional() })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from must be before to', path: ['from'] });
