import {
  bankTransferIdOf,
  type AccountRef,
  type BankParty,
  type BankTransferReceived,
  type ParseResult,
  type TransferAccepted,
} from '@scamflow/contracts';
import {
  accountKeyOf,
  toCanonicalTransfer,
  type MappingLimits,
  type SourceCoordinates,
} from './canonical-transfer.mapper';

const toAccountRef = (party: BankParty): AccountRef => ({
  accountKey: accountKeyOf(party.bankId, party.accountId),
  accountId: party.accountId,
  institutionId: party.bankId,
  country: party.country,
  ...(party.holderId ? { holderId: party.holderId } : {}),
});

/** Normalises a validated JSON bank transfer into the canonical transfer (rules in `toCanonicalTransfer`). */
export const mapBankTransfer = (
  event: BankTransferReceived,
  source: SourceCoordinates,
  limits: MappingLimits,
  now: Date,
): ParseResult<TransferAccepted> =>
  toCanonicalTransfer(
    {
      transferId: bankTransferIdOf(event.reportedBy, event.transferId),
      reportedBy: event.reportedBy,
      bookedAt: event.bookedAt,
      amount: event.amount,
      debtor: toAccountRef(event.debtor),
      creditor: toAccountRef(event.creditor),
      endToEndId: event.endToEndId,
      uetr: event.uetr,
      channel: event.channel,
      debtorBalanceAfter: event.debtorBalanceAfter,
    },
    source,
    limits,
    now,
  );
