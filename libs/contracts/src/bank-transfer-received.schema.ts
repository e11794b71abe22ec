import { z } from 'zod';
import {
  CountryCodeSchema,
  DecimalAmountSchema,
  IdentifierSchema,
  MoneySchema,
  TimestampSchema,
} from './primitives.schema';

export const BankPartySchema = z.strictObject({
  accountId: IdentifierSchema,
  /** BIC (e.g. KASITHBK) or a national bank code; with accountId it identifies the account. */
  bankId: IdentifierSchema,
  country: CountryCodeSchema,
  /** Pseudonymised holder id assigned by the bank; never a name or national id. */
  holderId: IdentifierSchema.optional(),
  /** Pseudonymised proxy alias (e.g. a PromptPay phone or national-id alias hash). */
  proxyId: IdentifierSchema.optional(),
});
export type BankParty = z.infer<typeof BankPartySchema>;

export const TRANSFER_CHANNELS = [
  'mobile',
  'internet',
  'branch',
  'atm',
  'api',
  'instant-proxy',
  'other',
] as const;

/**
 * A bank transfer as a bank reports it (topic `bank.transfer.received.v1`, JSON).
 * `reportedBy` + `transferId` identify the event: a replay or duplicate with the same pair is one transfer.
 */
export const BankTransferReceivedSchema = z.strictObject({
  schemaVersion: z.literal(1),
  reportedBy: IdentifierSchema,
  transferId: IdentifierSchema,
  endToEndId: IdentifierSchema.optional(),
  uetr: z.uuid().optional(),
  bookedAt: TimestampSchema,
  amount: MoneySchema,
  debtor: BankPartySchema,
  creditor: BankPartySchema,
  channel: z.enum(TRANSFER_CHANNELS).optional(),
  /** Debtor's balance after booking, in the transfer currency, when the bank shares it. */
  debtorBalanceAfter: DecimalAmountSchema.optional(),
});
export type BankTransferReceived = z.infer<typeof BankTransferReceivedSchema>;
