import { Inject, Injectable } from '@nestjs/common';
import { DateTime, isInt, type Driver } from 'neo4j-driver';
import type { TransferAccepted } from '@scamflow/contracts';
import { NEO4J_DATABASE, NEO4J_DRIVER } from './neo4j.module';
import { COUNT_TRANSFERS_BY_ID, RECORD_TRANSFERS } from './transfer.cypher';

export interface TransferRow {
  transferId: string;
  rail: string;
  reportedBy: string;
  bookedAt: DateTime<number>;
  amountMinor: string;
  currency: string;
  scale: number;
  debtorKey: string;
  debtorId: string;
  debtorInstitution: string;
  debtorCountry: string;
  debtorHolder: string | null;
  debtorKind: string;
  creditorKey: string;
  creditorId: string;
  creditorInstitution: string;
  creditorCountry: string;
  creditorHolder: string | null;
  creditorKind: string;
  refAmountMinor: string | null;
  debtorBalanceAfterMinor: string | null;
  txHash: string | null;
}

/** The flat row RECORD_TRANSFERS writes for one transfer (also what the benchmark's raw write ceiling writes). */
export const toTransferRow = (t: TransferAccepted): TransferRow => ({
  transferId: t.transferId,
  rail: t.rail,
  reportedBy: t.reportedBy,
  bookedAt: DateTime.fromStandardDate(new Date(t.bookedAt)),
  // Exact minor units as a string: crypto amounts overflow Neo4j's 64-bit integers.
  amountMinor: t.amount.amountMinor,
  currency: t.amount.currency,
  scale: t.amount.scale,
  debtorKey: t.debtor.accountKey,
  debtorId: t.debtor.accountId,
  debtorInstitution: t.debtor.institutionId,
  debtorCountry: t.debtor.country,
  debtorHolder: t.debtor.holderId ?? null,
  debtorKind: t.debtor.kind ?? 'bank-account',
  creditorKey: t.creditor.accountKey,
  creditorId: t.creditor.accountId,
  creditorInstitution: t.creditor.institutionId,
  creditorCountry: t.creditor.country,
  creditorHolder: t.creditor.holderId ?? null,
  creditorKind: t.creditor.kind ?? 'bank-account',
  refAmountMinor: t.reference?.status === 'converted' ? t.reference.amount.amountMinor : null,
  debtorBalanceAfterMinor: t.debtorBalanceAfter?.amountMinor ?? null,
  txHash: t.txHash ?? null,
});

@Injectable()
export class TransferRepository {
  constructor(
    @Inject(NEO4J_DRIVER) private readonly driver: Driver,
    @Inject(NEO4J_DATABASE) private readonly database: string,
  ) {}

  /** Writes a batch in one transaction; returns how many transfers were new to the graph. */
  async recordTransfers(transfers: readonly TransferAccepted[]): Promise<number> {
    const unique = new Map<string, TransferRow>();
    for (const transfer of transfers) {
      if (!unique.has(transfer.transferId)) unique.set(transfer.transferId, toTransferRow(transfer));
    }
    if (unique.size === 0) return 0;
    const { records } = await this.driver.executeQuery(
      RECORD_TRANSFERS,
      { rows: [...unique.values()] },
      { database: this.database, routing: 'WRITE' },
    );
    const created: unknown = records[0]?.get('created');
    return isInt(created) ? created.toNumber() : 0;
  }

  /** How many copies of each transfer id the graph holds (0 when absent). */
  async countCopies(transferIds: readonly string[]): Promise<Map<string, number>> {
    const { records } = await this.driver.executeQuery(
      COUNT_TRANSFERS_BY_ID,
      { transferIds: [...transferIds] },
      { database: this.database, routing: 'READ' },
    );
    const copies = new Map<string, number>(transferIds.map((id) => [id, 0]));
    for (const record of records) {
      copies.set(
        record.get('transferId') as string,
        (record.get('copies') as { toNumber(): number }).toNumber(),
      );
    }
    return copies;
  }
}
