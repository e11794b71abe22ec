import { Inject, Injectable } from '@nestjs/common';
import type { AlertRaised } from '@scamflow/contracts';
import {
  buildGoamlReport,
  goamlReportOfAlert,
  goamlReportOfCase,
  GoamlExportError,
  type CaseFiling,
  type FilingContext,
  type GoamlProfile,
  type GoamlReportInput,
} from '@scamflow/filings';
import { InvestigationRepository } from '@scamflow/graph';
import { ProblemException } from '../http/problem';
import { GOAML_PROFILE } from './goaml-profile.provider';

/** goAML XML of an alert or a case: the graph supplies account details, rails and on-chain hashes. */
@Injectable()
export class ExportGoamlService {
  constructor(
    @Inject(InvestigationRepository) private readonly investigation: InvestigationRepository,
    @Inject(GOAML_PROFILE) private readonly profile: GoamlProfile,
  ) {}

  private async contextFor(accountKeys: string[], transferIds: string[], now: Date): Promise<FilingContext> {
    const [accounts, transfers] = await Promise.all([
      this.investigation.accountsByKeys(accountKeys),
      this.investigation.transfersByIds(transferIds),
    ]);
    return { submittedAt: now.toISOString(), accounts, transfers };
  }

  private render(input: GoamlReportInput): string {
    try {
      return buildGoamlReport(input, this.profile);
    } catch (error) {
      if (error instanceof GoamlExportError) {
        throw new ProblemException(422, 'Cannot export to goAML', error.message, {
          profile: this.profile.name,
        });
      }
      throw error;
    }
  }

  async ofAlert(alert: AlertRaised, now: Date = new Date()): Promise<string> {
    const edges = alert.tracing?.ledger ?? alert.evidence.edges;
    const keys = [...alert.involved.map((a) => a.accountKey), ...edges.flatMap((e) => [e.fromKey, e.toKey])];
    const context = await this.contextFor(
      keys,
      edges.map((e) => e.transferId),
      now,
    );
    return this.render(goamlReportOfAlert(alert, context));
  }

  async ofCase(filing: CaseFiling, now: Date = new Date()): Promise<string> {
    const ledger = filing.tracing?.ledger ?? [];
    const context = await this.contextFor(
      ledger.flatMap((e) => [e.fromKey, e.toKey]),
      ledger.map((e) => e.transferId),
      now,
    );
    const input = goamlReportOfCase(filing, context);
    if (input.kind === 'transactions' && input.transfers.length === 0) {
      throw new ProblemException(
        409,
        'Nothing to file yet',
        `case ${filing.caseId} has no traced transfers yet`,
      );
    }
    return this.render(input);
  }
}
