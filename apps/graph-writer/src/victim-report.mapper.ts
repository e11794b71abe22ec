import {
  accountKeyOf,
  bankTransferIdOf,
  type MinorMoney,
  type ParseResult,
  type VictimReportFiled,
} from '@scamflow/contracts';
import type { VictimReportRecord } from '@scamflow/graph';
import { toMinorUnits } from '@scamflow/money';

type ReportedPayment = VictimReportRecord['reportedTransfers'][number];

const toMinorAmount = (value: string, currency: string): ParseResult<MinorMoney> => {
  const amount = toMinorUnits(value, currency);
  if (amount.ok && BigInt(amount.value.amountMinor) === 0n) {
    return { ok: false, reason: 'must be greater than zero' };
  }
  return amount;
};

/**
 * Normalises a validated victim report: account keys, canonical transfer ids, amounts in ISO 4217 minor units,
 * times in UTC. One amount that cannot be normalised refuses the whole report: a case with silently dropped
 * payments would understate what the victim lost.
 */
export const toVictimReportRecord = (report: VictimReportFiled): ParseResult<VictimReportRecord> => {
  const payments: ReportedPayment[] = [];
  for (const [index, transfer] of report.reportedTransfers.entries()) {
    let amount: MinorMoney | undefined;
    if (transfer.amount) {
      const minor = toMinorAmount(transfer.amount.value, transfer.amount.currency);
      if (!minor.ok) return { ok: false, reason: `reportedTransfers[${index}].amount: ${minor.reason}` };
      amount = minor.value;
    }
    payments.push({
      ...(transfer.reference
        ? { transferId: bankTransferIdOf(transfer.reference.reportedBy, transfer.reference.transferId) }
        : {}),
      ...(amount ? { amount } : {}),
      ...(transfer.paidAt ? { paidAt: new Date(transfer.paidAt).toISOString() } : {}),
    });
  }
  return {
    ok: true,
    value: {
      caseId: report.caseId,
      version: report.version,
      channel: report.reportingChannel,
      scamType: report.scamType,
      reportedAt: new Date(report.reportedAt).toISOString(),
      ...(report.victimId ? { victimId: report.victimId } : {}),
      victimAccounts: report.victimAccounts.map((account) => ({
        accountKey: accountKeyOf(account.institutionId, account.accountId),
        ...account,
      })),
      reportedTransfers: payments,
    },
  };
};
