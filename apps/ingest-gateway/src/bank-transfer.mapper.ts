import type {
  AccountRef,
  BankParty,
  BankTransferReceived,
  ParseResult,
  TransferAccepted,
} from '@scamflow/contracts';
import { toMinorUnits } from '@scamflow/money';

export interface MappingLimits {
  readonly maxFutureSkewMs: number;
  readonly maxAmountMajor: bigint;
}

export interface SourceCoordinates {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export const accountKeyOf = (institutionId: string, accountId: string): string =>
  `${institutionId}:${accountId}`;

const toAccountRef = (party: BankParty): AccountRef => ({
  accountKey: accountKeyOf(party.bankId, party.accountId),
  accountId: party.accountId,
  institutionId: party.bankId,
  country: party.country,
  ...(party.holderId ? { holderId: party.holderId } : {}),
});

/**
 * Normalises a validated bank transfer into the canonical transfer, applying the rules zod shapes cannot
 * express: ISO 4217 exponent, positive and plausible amount, booking time not in the future.
 */
export const mapBankTransfer = (
  event: BankTransferReceived,
  source: SourceCoordinates,
  limits: MappingLimits,
  now: Date,
): ParseResult<TransferAccepted> => {
  const amount = toMinorUnits(event.amount.value, event.amount.currency);
  if (!amount.ok) return { ok: false, reason: `amount: ${amount.reason}` };
  const minor = BigInt(amount.value.amountMinor);
  if (minor <= 0n) return { ok: false, reason: 'amount: must be greater than zero' };
  if (minor > limits.maxAmountMajor * 10n ** BigInt(amount.value.scale)) {
    return {
      ok: false,
      reason: `amount: above the plausibility limit of ${limits.maxAmountMajor} ${event.amount.currency}`,
    };
  }

  const bookedAt = new Date(event.bookedAt);
  if (bookedAt.getTime() - now.getTime() > limits.maxFutureSkewMs) {
    return { ok: false, reason: `bookedAt: ${event.bookedAt} is in the future (now ${now.toISOString()})` };
  }

  let debtorBalanceAfter: TransferAccepted['debtorBalanceAfter'];
  if (event.debtorBalanceAfter !== undefined) {
    const balance = toMinorUnits(event.debtorBalanceAfter, event.amount.currency);
    if (!balance.ok) return { ok: false, reason: `debtorBalanceAfter: ${balance.reason}` };
    debtorBalanceAfter = balance.value;
  }

  return {
    ok: true,
    value: {
      schemaVersion: 1,
      transferId: `bank:${event.reportedBy}:${event.transferId}`,
      rail: 'bank',
      reportedBy: event.reportedBy,
      bookedAt: bookedAt.toISOString(),
      amount: amount.value,
      debtor: toAccountRef(event.debtor),
      creditor: toAccountRef(event.creditor),
      ...(event.endToEndId ? { endToEndId: event.endToEndId } : {}),
      ...(event.uetr ? { uetr: event.uetr } : {}),
      ...(event.channel ? { channel: event.channel } : {}),
      ...(debtorBalanceAfter ? { debtorBalanceAfter } : {}),
      source: { topic: source.topic, partition: source.partition, offset: source.offset },
      acceptedAt: now.toISOString(),
    },
  };
};
