import { z } from 'zod';
import { AccountRefSchema } from './transfer-accepted.schema';
import { MinorMoneySchema, TimestampSchema } from './primitives.schema';

/** What an alert says happened. `mule.*` alerts name a suspected mule account; `proceeds.*` follow a victim's money. */
export const TYPOLOGIES = {
  fanInPassThrough: 'mule.fan-in-pass-through',
  rapidPassThrough: 'mule.rapid-pass-through',
  fanOutStructuring: 'mule.fan-out-structuring',
  layeringChain: 'mule.layering-chain',
  sharedIdentifier: 'mule.shared-identifier',
  proximityToProceeds: 'mule.proximity-to-proceeds',
  roundTripping: 'mule.round-tripping',
  scatterGather: 'mule.scatter-gather',
  bipartiteLayering: 'mule.bipartite-layering',
  fanIn: 'mule.fan-in',
  fanOut: 'mule.fan-out',
  gatherScatter: 'mule.gather-scatter',
  crossBorderProceeds: 'proceeds.cross-border',
} as const;
export type Typology = (typeof TYPOLOGIES)[keyof typeof TYPOLOGIES];
const TYPOLOGY_VALUES = Object.values(TYPOLOGIES) as [Typology, ...Typology[]];

/**
 * Kafka header naming who produced an alert. The alert issuer sets it to `detector` on every alert a detector
 * raises; alerts without it (imported, re-published by a tool, typed by hand) never make an account a known mule.
 */
export const ALERT_PRODUCER_HEADER = 'alert-producer';
export const ALERT_PRODUCER_DETECTOR = 'detector';

/**
 * Headers the alert issuer sets beside the alert so that its issued state (what the next evaluation compares
 * with) can be rebuilt from the topic after Redis loses it (`npm run state:rebuild`): the issue key the state is
 * kept under (the subject account, or a proceeds alert's case id), the content fingerprint and the evidence count.
 */
export const ALERT_STATE_HEADERS = {
  issueKey: 'alert-issue-key',
  fingerprint: 'alert-fingerprint',
  evidenceCount: 'alert-evidence-count',
} as const;

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The part an account is inferred to play in the flow (an inference, stated with the facts behind it). */
export const ACCOUNT_ROLES = [
  'victim',
  'mule',
  'collector',
  'off-ramp',
  'hop-wallet',
  'beneficiary',
  'counterparty',
] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

export const ALERT_STATUSES = ['open', 'acknowledged', 'closed'] as const;

/** The tracing rules of DOMAIN.md; `*-libr` is the base rule capped by the lowest intermediate balance. */
export const TRACING_RULES = ['fifo', 'haircut', 'fifo-libr', 'haircut-libr', 'poison'] as const;
export type TracingRuleName = (typeof TRACING_RULES)[number];

/** One fact a detector checked: what was measured, the threshold, and whether it fired. */
export const AlertFactSchema = z.strictObject({
  name: z.string(),
  description: z.string(),
  value: z.string(),
  threshold: z.string(),
  fired: z.boolean(),
  /** Unit of `value` and `threshold` ("accounts", "transfers", "share (0-1)", "minutes", "days", a currency). */
  unit: z.string().optional(),
});
export type AlertFact = z.infer<typeof AlertFactSchema>;

export const RecommendedActionSchema = z.strictObject({
  kind: z.enum(['freeze-request', 'str-report', 'international-request', 'review']),
  institutionId: z.string().optional(),
  country: z.string().optional(),
  /** Account the action is about (e.g. the account to freeze). */
  accountKey: z.string().optional(),
  amount: MinorMoneySchema.optional(),
  /** Tracing rule that produced `amount`. */
  rule: z.enum(TRACING_RULES).optional(),
  rationale: z.string(),
});
export type RecommendedAction = z.infer<typeof RecommendedActionSchema>;

export const InvolvedAccountSchema = AccountRefSchema.extend({ role: z.enum(ACCOUNT_ROLES) });
export type InvolvedAccount = z.infer<typeof InvolvedAccountSchema>;

/** One transfer of the evidence subgraph. */
export const EvidenceEdgeSchema = z.strictObject({
  transferId: z.string(),
  fromKey: z.string(),
  toKey: z.string(),
  bookedAt: TimestampSchema,
  amount: MinorMoneySchema,
});
export type EvidenceEdge = z.infer<typeof EvidenceEdgeSchema>;

/** An amount attributed to a victim case under one tracing rule. */
export const TracedAmountSchema = z.strictObject({
  rule: z.enum(TRACING_RULES),
  /** Absent for poison, which is an upper bound over all cases. */
  caseId: z.string().optional(),
  amount: MinorMoneySchema,
});
export type TracedAmount = z.infer<typeof TracedAmountSchema>;

/** Where traced money sits now and how much of it, per rule and case. */
export const TracedHolderSchema = z.strictObject({
  account: InvolvedAccountSchema,
  amounts: z.array(TracedAmountSchema),
  /** Why this holder matters across borders (foreign jurisdiction, VASP deposit address, ...); empty if domestic. */
  crossBorderReasons: z.array(z.string()),
  librApplied: z.boolean(),
});
export type TracedHolder = z.infer<typeof TracedHolderSchema>;

/** The per-hop ledger: how much of each transfer was traced money, per rule and case. */
export const TracedHopSchema = EvidenceEdgeSchema.extend({ tainted: z.array(TracedAmountSchema) });
export type TracedHop = z.infer<typeof TracedHopSchema>;

export const TracingSchema = z.strictObject({
  /** Rule whose amounts the freeze requests quote. */
  preferredRule: z.enum(TRACING_RULES),
  victims: z.array(
    z.strictObject({
      caseId: z.string(),
      caseVersion: z.number().int().min(1),
      victimAccountKeys: z.array(z.string()),
      reportedAt: TimestampSchema,
      seeded: MinorMoneySchema,
    }),
  ),
  holders: z.array(TracedHolderSchema),
  ledger: z.array(TracedHopSchema),
  /** Transfers the trace could not follow, with the reason (e.g. no reference FX rate). */
  untraceable: z.array(z.strictObject({ transferId: z.string(), reason: z.string() })),
});
export type Tracing = z.infer<typeof TracingSchema>;

/**
 * An alert for FIUs and investigators (topic `detection.alert.raised.v1`, key = subject account key).
 * `alertId` is stable for (typology, subject); `version` grows when new evidence updates the alert, and a
 * consumer keeps the highest version per alert id. A replay or restart never re-raises an unchanged alert.
 */
export const AlertRaisedSchema = z.strictObject({
  schemaVersion: z.literal(1),
  alertId: z.string(),
  version: z.number().int().min(1),
  typology: z.enum(TYPOLOGY_VALUES),
  subject: InvolvedAccountSchema,
  /** Every account the alert involves, with its inferred role (the subject included). */
  involved: z.array(InvolvedAccountSchema),
  score: z.number().min(0).max(1),
  severity: z.enum(SEVERITIES),
  summary: z.string(),
  facts: z.array(AlertFactSchema),
  evidence: z.strictObject({
    inboundTransferIds: z.array(z.string()),
    outboundTransferIds: z.array(z.string()),
    /** Account keys of the senders and receivers involved. */
    counterparties: z.array(z.string()),
    /** The path subgraph behind the alert (may be empty for purely statistical detectors). */
    edges: z.array(EvidenceEdgeSchema),
  }),
  /** Inflow and outflow of the subject that the detector looked at (mule alerts). */
  amounts: z.strictObject({ inflow: MinorMoneySchema, outflow: MinorMoneySchema }).optional(),
  /** Traced victim money per current holder (proceeds alerts, proximity alerts). */
  tracing: TracingSchema.optional(),
  /** The transfer (or case) whose arrival produced this version. */
  trigger: z.strictObject({ transferId: z.string().optional(), caseId: z.string().optional() }),
  jurisdictions: z.array(z.string()),
  institutions: z.array(z.string()),
  firstSeenAt: TimestampSchema,
  lastSeenAt: TimestampSchema,
  raisedAt: TimestampSchema,
  status: z.enum(ALERT_STATUSES),
  recommendedActions: z.array(RecommendedActionSchema),
});
export type AlertRaised = z.infer<typeof AlertRaisedSchema>;

/** What a detector hands to the alert issuer: the issuer assigns the stable id, the version and the time. */
export type AlertDraft = Omit<AlertRaised, 'alertId' | 'version' | 'raisedAt' | 'schemaVersion'> & {
  /** Proposed id for a first version; later versions keep the id already issued for (typology, issue key). */
  readonly proposedAlertId: string;
  /**
   * What makes two drafts the same alert, within the typology: the subject account by default; a case id for
   * proceeds alerts (one victim can file several cases).
   */
  readonly issueKey?: string;
};

export const severityOfScore = (score: number): Severity =>
  score >= 0.9 ? 'critical' : score >= 0.75 ? 'high' : score >= 0.6 ? 'medium' : 'low';
