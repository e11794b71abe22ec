import { z } from 'zod';
import { AccountRefSchema } from './transfer-accepted.schema';
import { MinorMoneySchema, TimestampSchema } from './primitives.schema';

export const TYPOLOGIES = {
  fanInPassThrough: 'mule.fan-in-pass-through',
} as const;
export type Typology = (typeof TYPOLOGIES)[keyof typeof TYPOLOGIES];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const ACCOUNT_ROLES = ['victim', 'mule', 'collector', 'off-ramp', 'counterparty'] as const;
export const ALERT_STATUSES = ['open', 'acknowledged', 'closed'] as const;

/** One fact a detector checked: what was measured, the threshold, and whether it fired. */
export const AlertFactSchema = z.strictObject({
  name: z.string(),
  description: z.string(),
  value: z.string(),
  threshold: z.string(),
  fired: z.boolean(),
});
export type AlertFact = z.infer<typeof AlertFactSchema>;

export const RecommendedActionSchema = z.strictObject({
  kind: z.enum(['freeze-request', 'str-report', 'international-request', 'review']),
  institutionId: z.string().optional(),
  country: z.string().optional(),
  amount: MinorMoneySchema.optional(),
  rationale: z.string(),
});

/**
 * An alert for FIUs and investigators (topic `detection.alert.raised.v1`, key = subject account key).
 * `alertId` is deterministic for (typology, subject, episode) so consumers can upsert; `version` grows
 * when new evidence updates the same alert.
 */
export const AlertRaisedSchema = z.strictObject({
  schemaVersion: z.literal(1),
  alertId: z.string(),
  version: z.number().int().min(1),
  typology: z.enum(Object.values(TYPOLOGIES) as [Typology, ...Typology[]]),
  subject: AccountRefSchema.extend({ role: z.enum(ACCOUNT_ROLES) }),
  score: z.number().min(0).max(1),
  severity: z.enum(SEVERITIES),
  summary: z.string(),
  facts: z.array(AlertFactSchema),
  evidence: z.strictObject({
    inboundTransferIds: z.array(z.string()),
    outboundTransferIds: z.array(z.string()),
    /** Account keys of the senders and receivers involved. */
    counterparties: z.array(z.string()),
  }),
  amounts: z.strictObject({ inflow: MinorMoneySchema, outflow: MinorMoneySchema }),
  jurisdictions: z.array(z.string()),
  institutions: z.array(z.string()),
  firstSeenAt: TimestampSchema,
  lastSeenAt: TimestampSchema,
  raisedAt: TimestampSchema,
  status: z.enum(ALERT_STATUSES),
  recommendedActions: z.array(RecommendedActionSchema),
});
export type AlertRaised = z.infer<typeof AlertRaisedSchema>;
