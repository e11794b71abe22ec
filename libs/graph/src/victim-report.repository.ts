import { Inject, Injectable } from '@nestjs/common';
import { DateTime, int, type Driver } from 'neo4j-driver';
import type { MinorMoney, ReportingChannel, ScamType } from '@scamflow/contracts';
import { appliedCount } from './applied-count';
import { NEO4J_DATABASE, NEO4J_DRIVER } from './neo4j.module';
import { RECORD_VICTIM_REPORTS } from './victim-report.cypher';

/** A victim report as validated and normalised by its use case: account keys, minor units, UTC times. */
export interface VictimReportRecord {
  readonly caseId: string;
  readonly version: number;
  readonly channel: ReportingChannel;
  readonly scamType: ScamType;
  readonly reportedAt: string;
  readonly victimId?: string;
  readonly victimAccounts: readonly {
    readonly accountKey: string;
    readonly accountId: string;
    readonly institutionId: string;
    readonly country: string;
  }[];
  readonly reportedTransfers: readonly {
    /** Canonical transfer id, when the report references the transfer. */
    readonly transferId?: string;
    readonly amount?: MinorMoney;
    readonly paidAt?: string;
  }[];
}

const toRow = (report: VictimReportRecord) => ({
  caseId: report.caseId,
  // An Integer, not a float: versions are compared in Cypher.
  version: int(report.version),
  channel: report.channel,
  scamType: report.scamType,
  reportedAt: DateTime.fromStandardDate(new Date(report.reportedAt)),
  victimId: report.victimId ?? null,
  victims: report.victimAccounts,
  reportedTransferIds: [
    ...new Set(report.reportedTransfers.flatMap((t) => (t.transferId ? [t.transferId] : []))),
  ],
  reportedTransfers: JSON.stringify(report.reportedTransfers),
});

@Injectable()
export class VictimReportRepository {
  constructor(
    @Inject(NEO4J_DRIVER) private readonly driver: Driver,
    @Inject(NEO4J_DATABASE) private readonly database: string,
  ) {}

  /** Writes a batch in one transaction; returns how many reports were new or newer than the graph's version. */
  async recordReports(reports: readonly VictimReportRecord[]): Promise<number> {
    // One row per case: the highest version (the first of equal versions, as the graph would keep it).
    const latest = new Map<string, VictimReportRecord>();
    for (const report of reports) {
      const current = latest.get(report.caseId);
      if (!current || report.version > current.version) latest.set(report.caseId, report);
    }
    if (latest.size === 0) return 0;
    const { records } = await this.driver.executeQuery(
      RECORD_VICTIM_REPORTS,
      { rows: [...latest.values()].map(toRow) },
      { database: this.database, routing: 'WRITE' },
    );
    return appliedCount(records);
  }
}
