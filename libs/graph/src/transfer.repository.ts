import { Inject, Injectable } from '@nestjs/common';
import type { Driver } from 'neo4j-driver';
import type { TransferAccepted } from '@scamflow/contracts';
import { NEO4J_DATABASE, NEO4J_DRIVER } from './neo4j.module';
import { COUNT_TRANSFERS_BY_ID, RECORD_TRANSFERS } from './transfer.cypher';

interface TransferRow {
  transferId: string;
  rail: string;
  reportedBy: string;
  bookedAt: string;
  amountMinor: string;
  currency: string;
  scale: number;
  debtor: TransferAccepted['debtor'];
  creditor: TransferAccepted['creditor'];
}

const toRow = (t: TransferAccepted): TransferRow => ({
  transferId: t.transferId,
  rail: t.rail,
  reportedBy: t.reportedBy,
  bookedAt: t.bookedAt,
  // Exact minor units as a string: crypto amounts overflow Neo4j's 64-bit integers.
  amountMinor: t.amount.amountMinor,
  currency: t.amount.currency,
  scale: t.amount.scale,
  debtor: t.debtor,
  creditor: t.creditor,
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
      if (!unique.has(transfer.transferId)) unique.set(transfer.transferId, toRow(transfer));
    }
    if (unique.size === 0) return 0;
    const { records } = await this.driver.executeQuery(
      RECORD_TRANSFERS,
      { rows: [...unique.values()] },
      { database: this.database, routing: 'WRITE' },
    );
    const created: unknown = records[0]?.get('created');
    return typeof created === 'object' && created !== null && 'toNumber' in created
      ? (created as { toNumber(): number }).toNumber()
      : Number(created ?? 0);
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
