import type { ReferenceAmount, TransferAccepted } from '@scamflow/contracts';
import { toReferenceAmount } from '@scamflow/money';

/** The deployment's reference currency and its minor-unit exponent. */
export interface ReferenceCurrency {
  readonly code: string;
  readonly scale: number;
}

/** What a transfer's reference amount is computed from: the rate found for it, if any. */
export interface RateFound {
  readonly rate: string;
  readonly validFrom: string;
  readonly source: string;
}

/** Whether a transfer needs a stored rate (it does unless it is already in the reference currency). */
export const needsRate = (transfer: TransferAccepted, reference: ReferenceCurrency): boolean =>
  transfer.amount.currency !== reference.code;

/**
 * The transfer with its amount in the reference currency, or with the explicit reason there is none.
 * Never refuses a transfer: a missing rate is a gap in reference data, not bad input.
 */
export const withReferenceAmount = (
  transfer: TransferAccepted,
  reference: ReferenceCurrency,
  found: RateFound | undefined,
): TransferAccepted => {
  const { currency } = transfer.amount;
  const rate: RateFound | undefined = needsRate(transfer, reference)
    ? found
    : { rate: '1', validFrom: transfer.bookedAt, source: 'identity' };
  const value: ReferenceAmount = rate
    ? {
        status: 'converted',
        amount: {
          amountMinor: toReferenceAmount(transfer.amount, rate.rate, reference.scale).toString(),
          currency: reference.code,
          scale: reference.scale,
        },
        rate: rate.rate,
        rateValidFrom: rate.validFrom,
        rateSource: rate.source,
      }
    : {
        status: 'no-rate',
        reason: `no ${currency}→${reference.code} rate at or before ${transfer.bookedAt}`,
      };
  return { ...transfer, reference: value };
};
