import type { AccountRef, Money, ParseResult, Rail, TransferAccepted } from '@scamflow/contracts';
import { toMinorUnits, toMinorUnitsAtScale } from '@scamflow/money';

export interface MappingLimits {
  readonly maxFutureSkewMs: number;
  readonly maxAmountMajor: bigint;
}

export interface SourceCoordinates {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** Account keys are built in one place for every feed (`libs/contracts/src/keys.ts`). */
export { accountKeyOf } from '@scamflow/contracts';

/** What every producer format is reduced to before the shared rules make it canonical. */
export interface TransferDraft {
  readonly transferId: string;
  /** Defaults to `bank`. */
  readonly rail?: Rail;
  /** A virtual asset's decimals; absent for fiat, whose exponent comes from ISO 4217. */
  readonly assetScale?: number;
  readonly reportedBy: string;
  /** Timestamp with an offset, as the producer sent it (or derived from its dates). */
  readonly bookedAt: string;
  readonly amount: Money;
  readonly debtor: AccountRef;
  readonly creditor: AccountRef;
  readonly endToEndId?: string;
  readonly uetr?: string;
  readonly channel?: string;
  /** Decimal string in the transfer currency. */
  readonly debtorBalanceAfter?: string;
  /** On-chain transaction hash (on-chain transfers, and ledger movements that settled on chain). */
  readonly txHash?: string;
}

/** One spelling per transaction, so the ledger's and the chain's reports of it meet: lower case, no `0x`. */
export const normaliseTxHash = (hash: string): string => hash.toLowerCase().replace(/^0x/, '');

/**
 * The rules every feed shares, which zod shapes cannot express: ISO 4217 exponent, positive and plausible amount,
 * booking time not in the future. Builds the canonical transfer from a producer-neutral draft.
 */
export const toCanonicalTransfer = (
  draft: TransferDraft,
  source: SourceCoordinates,
  limits: MappingLimits,
  now: Date,
): ParseResult<TransferAccepted> => {
  const amount =
    draft.assetScale === undefined
      ? toMinorUnits(draft.amount.value, draft.amount.currency)
      : toMinorUnitsAtScale(draft.amount.value, draft.amount.currency, draft.assetScale);
  if (!amount.ok) return { ok: false, reason: `amount: ${amount.reason}` };
  const minor = BigInt(amount.value.amountMinor);
  if (minor <= 0n) return { ok: false, reason: 'amount: must be greater than zero' };
  if (minor > limits.maxAmountMajor * 10n ** BigInt(amount.value.scale)) {
    return {
      ok: false,
      reason: `amount: above the plausibility limit of ${limits.maxAmountMajor} ${draft.amount.currency}`,
    };
  }

  const bookedAt = new Date(draft.bookedAt);
  if (bookedAt.getTime() - now.getTime() > limits.maxFutureSkewMs) {
    return { ok: false, reason: `bookedAt: ${draft.bookedAt} is in the future (now ${now.toISOString()})` };
  }

  let debtorBalanceAfter: TransferAccepted['debtorBalanceAfter'];
  if (draft.debtorBalanceAfter !== undefined) {
    const balance = toMinorUnits(draft.debtorBalanceAfter, draft.amount.currency);
    if (!balance.ok) return { ok: false, reason: `debtorBalanceAfter: ${balance.reason}` };
    debtorBalanceAfter = balance.value;
  }

  return {
    ok: true,
    value: {
      schemaVersion: 1,
      transferId: draft.transferId,
      rail: draft.rail ?? 'bank',
      reportedBy: draft.reportedBy,
      bookedAt: bookedAt.toISOString(),
      amount: amount.value,
      debtor: draft.debtor,
      creditor: draft.creditor,
      ...(draft.endToEndId ? { endToEndId: draft.endToEndId } : {}),
      ...(draft.uetr ? { uetr: draft.uetr } : {}),
      ...(draft.channel ? { channel: draft.channel } : {}),
      ...(debtorBalanceAfter ? { debtorBalanceAfter } : {}),
      ...(draft.txHash ? { txHash: normaliseTxHash(draft.txHash) } : {}),
      source: { topic: source.topic, partition: source.partition, offset: source.offset },
      acceptedAt: now.toISOString(),
    },
  };
};
