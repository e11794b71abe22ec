import { shownMoney, type CaseFiling } from '@scamflow/filings';
import type { LoadedCase } from './load-case-filing.service';

/** `GET /cases/{caseId}`: the report, holders with amounts per rule, jurisdictions, open freeze actions. */
export const caseView = ({ filing, alertState }: LoadedCase) => {
  const { caseId, tracing, alert } = filing;
  const holders = (tracing?.holders ?? [])
    .map((holder) => ({
      account: holder.account,
      crossBorderReasons: holder.crossBorderReasons,
      librApplied: holder.librApplied,
      // Poison has no case: it is the upper bound over all cases that touched the holder.
      amounts: holder.amounts
        .filter((a) => a.caseId === caseId || (a.rule === 'poison' && a.caseId === undefined))
        .map((a) => ({ rule: a.rule, amount: shownMoney(a.amount) })),
    }))
    .filter((holder) => holder.amounts.some((a) => a.rule !== 'poison' && BigInt(a.amount.amountMinor) > 0n));
  const closed = alertState === 'closed';
  return {
    caseId,
    report: filing.report,
    victims:
      tracing?.victims
        .filter((v) => v.caseId === caseId)
        .map((v) => ({ ...v, seeded: shownMoney(v.seeded) })) ?? [],
    tracing:
      alert === null
        ? null
        : {
            alertId: alert.alertId,
            alertVersion: alert.version,
            alertState,
            preferredRule: tracing?.preferredRule ?? null,
            raisedAt: alert.raisedAt,
          },
    holders,
    jurisdictions: filing.jurisdictions,
    openFreezeActions: closed
      ? []
      : (alert?.recommendedActions ?? [])
          .filter((a) => a.kind === 'freeze-request')
          .map((a) => ({ ...a, amount: a.amount === undefined ? undefined : shownMoney(a.amount) })),
  };
};

export const accountsOfCase = (filing: CaseFiling): string[] => [
  ...new Set([
    ...filing.report.victimAccountKeys,
    ...(filing.tracing?.holders.map((h) => h.account.accountKey) ?? []),
  ]),
];
