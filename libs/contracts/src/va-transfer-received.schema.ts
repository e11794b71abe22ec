import { z } from 'zod';
import { BankPartySchema } from './bank-transfer-received.schema';
import {
  AssetCodeSchema,
  CountryCodeSchema,
  DecimalAmountSchema,
  IdentifierSchema,
  TimestampSchema,
} from './primitives.schema';

export const CHAINS = ['tron', 'ethereum', 'bsc', 'polygon', 'bitcoin', 'solana'] as const;
export type Chain = (typeof CHAINS)[number];

/** A token or coin as moved on a chain or in a VASP ledger; `decimals` is its on-chain precision. */
export const AssetSchema = z.strictObject({
  symbol: AssetCodeSchema,
  decimals: z.number().int().min(0).max(18),
  /** Token contract address, when the asset is a token (e.g. USDT TRC-20). */
  contract: z.string().min(1).max(128).optional(),
});

export const AddressSchema = z
  .string()
  .min(20)
  .max(128)
  .regex(/^[A-Za-z0-9:_-]+$/, 'must be a chain address (letters and digits)');

/** Who controls an address, as far as the reporter knows (chain analytics, the VASP's own records). */
export const AttributionSchema = z
  .strictObject({
    kind: z.enum(['hot-wallet', 'deposit-address', 'unhosted']),
    vaspId: IdentifierSchema.optional(),
    country: CountryCodeSchema.optional(),
    /** For a deposit address: the VASP customer account it credits. */
    customerAccountId: IdentifierSchema.optional(),
  })
  .refine((a) => a.kind === 'unhosted' || (a.vaspId !== undefined && a.country !== undefined), {
    message: 'a VASP-attributed address needs vaspId and country',
  });

export const ChainEndpointSchema = z.strictObject({
  address: AddressSchema,
  attribution: AttributionSchema.optional(),
});

/** One transfer on a chain (topic `vasp.transfer.received.v1`, kind `onchain`). Identity: chain + txHash + logIndex. */
export const OnChainTransferSchema = z.strictObject({
  schemaVersion: z.literal(1),
  kind: z.literal('onchain'),
  reportedBy: IdentifierSchema,
  chain: z.enum(CHAINS),
  txHash: z.string().regex(/^(0x)?[A-Fa-f0-9]{16,128}$/, 'must be a hex transaction hash'),
  /** Position of the transfer within the transaction (token transfer log index; 0 for a native transfer). */
  logIndex: z.number().int().min(0),
  from: ChainEndpointSchema,
  to: ChainEndpointSchema,
  asset: AssetSchema,
  amount: DecimalAmountSchema,
  blockTime: TimestampSchema,
});
export type OnChainTransfer = z.infer<typeof OnChainTransferSchema>;

/** IVMS101 person, reduced to what the pipeline keeps: the type and pseudonymous references, never names. */
export const TravelRulePersonSchema = z.strictObject({
  personType: z.enum(['natural', 'legal']),
  accountNumber: IdentifierSchema.optional(),
  holderId: IdentifierSchema.optional(),
  country: CountryCodeSchema.optional(),
});

export const TravelRuleSchema = z.strictObject({
  originatorVaspId: IdentifierSchema.optional(),
  beneficiaryVaspId: IdentifierSchema.optional(),
  originator: TravelRulePersonSchema,
  beneficiary: TravelRulePersonSchema,
});

/** The other side of a VASP ledger movement. */
export const LedgerCounterpartySchema = z.union([
  z.strictObject({ bankAccount: BankPartySchema }),
  z.strictObject({ chain: z.enum(CHAINS), address: AddressSchema }),
  z.strictObject({ customerAccountId: IdentifierSchema }),
]);

/**
 * A movement in a VASP's own ledger (topic `vasp.transfer.received.v1`, kind `ledger`):
 * - `deposit`: into the customer account, from a bank account (fiat on-ramp) or arriving at the customer's
 *   deposit address (the counterparty `address`);
 * - `withdrawal`: out of the customer account to a bank account or to an external address;
 * - `internal`: between two customers of the same VASP.
 * Identity: reportedBy (the VASP) + movementId.
 */
export const LedgerMovementSchema = z.strictObject({
  schemaVersion: z.literal(1),
  kind: z.literal('ledger'),
  reportedBy: IdentifierSchema,
  vaspCountry: CountryCodeSchema,
  movementId: IdentifierSchema,
  movement: z.enum(['deposit', 'withdrawal', 'internal']),
  customerAccountId: IdentifierSchema,
  customerHolderId: IdentifierSchema.optional(),
  asset: AssetSchema,
  amount: DecimalAmountSchema,
  bookedAt: TimestampSchema,
  counterparty: LedgerCounterpartySchema,
  /** On-chain transaction that settled a crypto deposit or withdrawal, when known. */
  txHash: z
    .string()
    .regex(/^(0x)?[A-Fa-f0-9]{16,128}$/)
    .optional(),
  travelRule: TravelRuleSchema.optional(),
});
export type LedgerMovement = z.infer<typeof LedgerMovementSchema>;

export const VaTransferReceivedSchema = z.discriminatedUnion('kind', [
  OnChainTransferSchema,
  LedgerMovementSchema,
]);
export type VaTransferReceived = z.infer<typeof VaTransferReceivedSchema>;
