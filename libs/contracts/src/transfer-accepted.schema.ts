import { z } from 'zod';
import { CountryCodeSchema, IdentifierSchema, MinorMoneySchema, TimestampSchema } from './primitives.schema';

export const RAILS = ['bank', 'vasp-ledger', 'onchain'] as const;
export type Rail = (typeof RAILS)[number];

export const ACCOUNT_KINDS = ['bank-account', 'vasp-account', 'wallet'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export const AccountRefSchema = z.strictObject({
  /**
   * Globally unique account key: `<institutionId>:<accountId>` for bank and VASP accounts,
   * `<chain>:<address>` for wallets (an address keeps its key when its attribution is learned later).
   */
  accountKey: z.string().min(3).max(260),
  accountId: IdentifierSchema,
  institutionId: IdentifierSchema,
  country: CountryCodeSchema,
  holderId: IdentifierSchema.optional(),
  /** Absent means a bank account (the first contract version had bank accounts only). */
  kind: z.enum(ACCOUNT_KINDS).optional(),
});
export type AccountRef = z.infer<typeof AccountRefSchema>;

/**
 * The amount in the deployment's reference currency, so amounts can be compared across currencies: converted
 * with the latest reference rate valid at `bookedAt`, or an explicit reason why there is none. A missing rate
 * never refuses a transfer.
 */
export const ReferenceAmountSchema = z.discriminatedUnion('status', [
  z.strictObject({
    status: z.literal('converted'),
    /** In the reference currency, rounded half-even to its minor unit. */
    amount: MinorMoneySchema,
    /** Reference-currency units per ONE unit of the transfer currency ("1" when they are the same). */
    rate: z.string().min(1),
    rateValidFrom: TimestampSchema,
    rateSource: z.string().min(1),
  }),
  z.strictObject({ status: z.literal('no-rate'), reason: z.string().min(1) }),
]);
export type ReferenceAmount = z.infer<typeof ReferenceAmountSchema>;

/**
 * The canonical transfer every rail is normalised into (topic `flow.transfer.accepted.v1`).
 * `transferId` is globally unique and stable across replays: `<rail>:<reportedBy>:<producer transfer id>`.
 */
export const TransferAcceptedSchema = z.strictObject({
  schemaVersion: z.literal(1),
  transferId: z.string().min(3).max(300),
  rail: z.enum(RAILS),
  reportedBy: IdentifierSchema,
  bookedAt: TimestampSchema,
  amount: MinorMoneySchema,
  debtor: AccountRefSchema,
  creditor: AccountRefSchema,
  endToEndId: IdentifierSchema.optional(),
  uetr: z.string().optional(),
  channel: z.string().optional(),
  debtorBalanceAfter: MinorMoneySchema.optional(),
  /**
   * On-chain transaction hash, lower case without `0x`: on-chain transfers, and VASP ledger movements that
   * settled on chain. A ledger withdrawal and its on-chain twin share it, so tracing counts them once.
   */
  txHash: z
    .string()
    .regex(/^[a-f0-9]{16,128}$/)
    .optional(),
  /** Absent on transfers accepted before reference rates existed. */
  reference: ReferenceAmountSchema.optional(),
  source: z.strictObject({ topic: z.string(), partition: z.number().int(), offset: z.string() }),
  acceptedAt: TimestampSchema,
});
export type TransferAccepted = z.infer<typeof TransferAcceptedSchema>;
