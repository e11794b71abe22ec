import { z } from 'zod';
import { CountryCodeSchema, IdentifierSchema, MoneySchema, TimestampSchema } from './primitives.schema';

export const REPORTING_CHANNELS = [
  'hotline-1441',
  'police',
  'bank-complaint',
  'online-portal',
  'other',
] as const;
export type ReportingChannel = (typeof REPORTING_CHANNELS)[number];

export const SCAM_TYPES = [
  'call-centre-impersonation',
  'fake-investment',
  'romance',
  'fake-job',
  'hybrid',
  'other',
] as const;
export type ScamType = (typeof SCAM_TYPES)[number];

export const VictimAccountSchema = z.strictObject({
  accountId: IdentifierSchema,
  institutionId: IdentifierSchema,
  country: CountryCodeSchema,
});
export type VictimAccount = z.infer<typeof VictimAccountSchema>;

/** A bank transfer as its producer identified it; the graph id is `bank:<reportedBy>:<transferId>`. */
export const TransferReferenceSchema = z.strictObject({
  reportedBy: IdentifierSchema,
  transferId: IdentifierSchema,
});

/**
 * One payment the victim made: a reference to the transfer when the bank knows it, and/or what the victim
 * says they paid and when (victims often know only that).
 */
export const ReportedTransferSchema = z
  .strictObject({
    reference: TransferReferenceSchema.optional(),
    amount: MoneySchema.optional(),
    paidAt: TimestampSchema.optional(),
  })
  .refine((t) => t.reference !== undefined || t.amount !== undefined, {
    message: 'needs a transfer reference, an amount, or both',
  });
export type ReportedTransfer = z.infer<typeof ReportedTransferSchema>;

/**
 * A victim report from a hotline, the police, a bank complaint or an online portal (topic
 * `case.victim-report.filed.v1`, JSON, key = case id). `caseId` identifies the report: a re-filed or
 * corrected report carries the same case id and a higher `version`; a lower or equal version changes nothing.
 */
export const VictimReportFiledSchema = z.strictObject({
  schemaVersion: z.literal(1),
  caseId: IdentifierSchema,
  version: z.number().int().min(1).max(1_000_000),
  reportingChannel: z.enum(REPORTING_CHANNELS),
  reportedAt: TimestampSchema,
  scamType: z.enum(SCAM_TYPES),
  /** Pseudonymised victim id; never a name or national id. */
  victimId: IdentifierSchema.optional(),
  victimAccounts: z.array(VictimAccountSchema).min(1).max(50),
  reportedTransfers: z.array(ReportedTransferSchema).min(1).max(500),
});
export type VictimReportFiled = z.infer<typeof VictimReportFiledSchema>;
