import { Inject, Injectable } from '@nestjs/common';
import { InvestigationRepository } from '@scamflow/graph';
import type { CaseFiling } from '@scamflow/filings';
import { ProblemException } from '../http/problem';

export interface LoadedCase {
  readonly filing: CaseFiling;
  /** Inbox state of the alert that holds the case's trace (null before any proceeds alert). */
  readonly alertState: string | null;
}

/**
 * A case as investigators and filings see it: the victim report from the graph, and the traced holders
 * from the latest proceeds alert of the case (its `tracing` holds every holder per rule, as the proceeds
 * tracer computed it).
 */
@Injectable()
export class LoadCaseFilingService {
  constructor(@Inject(InvestigationRepository) private readonly investigation: InvestigationRepository) {}

  async execute(caseId: string): Promise<LoadedCase> {
    const report = await this.investigation.caseReport(caseId);
    if (!report)
      throw new ProblemException(404, 'Not found', `case ${caseId} has no victim report in the graph`);
    const latest = await this.investigation.latestProceedsAlertOfCase(caseId);
    const alert = latest?.alert ?? null;
    const tracing = alert?.tracing ?? null;
    const countries = new Set<string>();
    for (const holder of tracing?.holders ?? []) {
      if (holder.amounts.some((a) => a.caseId === caseId && BigInt(a.amount.amountMinor) > 0n)) {
        countries.add(holder.account.country);
      }
    }
    for (const victim of report.victims) countries.add(victim.country);
    return {
      filing: {
        caseId,
        report: {
          caseId,
          version: report.version,
          channel: report.channel,
          scamType: report.scamType,
          reportedAt: report.reportedAt,
          victimAccountKeys: report.victims.map((v) => v.accountKey),
          reportedTransfers: report.reportedTransfers,
        },
        alert,
        tracing,
        jurisdictions: [...countries].sort(),
      },
      alertState: latest?.state ?? null,
    };
  }
}
