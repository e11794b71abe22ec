import type { AlertRaised, MinorMoney, Tracing } from '@scamflow/contracts';

/** A victim report as the graph keeps it (latest version). */
export interface CaseReport {
  readonly caseId: string;
  readonly version: number;
  readonly channel: string;
  readonly scamType: string;
  readonly reportedAt: string;
  readonly victimAccountKeys: readonly string[];
  readonly reportedTransfers: readonly {
    readonly transferId?: string | undefined;
    readonly amount?: MinorMoney | undefined;
    readonly paidAt?: string | undefined;
  }[];
}

/** A case with what tracing knows: the latest proceeds alert of the case holds the traced holders. */
export interface CaseFiling {
  readonly caseId: string;
  readonly report: CaseReport;
  readonly alert: AlertRaised | null;
  readonly tracing: Tracing | null;
  /** Countries the traced money reached. */
  readonly jurisdictions: readonly string[];
}

/**
 * When the victim paid: the earliest reported payment time, else the earliest traced hop out of a victim
 * account, else the report time (the clock then starts late, never early).
 */
export const victimPaidAt = (filing: CaseFiling): string => {
  const paid = filing.report.reportedTransfers.flatMap((t) =>
    t.paidAt ? [new Date(t.paidAt).toISOString()] : [],
  );
  const victims = new Set(filing.report.victimAccountKeys);
  const firstHops = (filing.tracing?.ledger ?? [])
    .filter((hop) => victims.has(hop.fromKey))
    .map((hop) => new Date(hop.bookedAt).toISOString());
  const candidates = paid.length > 0 ? paid : firstHops;
  return candidates.sort()[0] ?? new Date(filing.report.reportedAt).toISOString();
};
