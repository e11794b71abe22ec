import { Inject, Injectable } from '@nestjs/common';
import type { Driver, ManagedTransaction } from 'neo4j-driver';
import type { AccountFactObserved } from '@scamflow/contracts';
import {
  RECORD_ACCOUNTS_CLOSED,
  RECORD_ACCOUNTS_OPENED,
  RECORD_IDENTIFIERS_SEEN,
} from './account-fact.cypher';
import { toAccountFactRows } from './account-fact.rows';
import { appliedCount } from './applied-count';
import { NEO4J_DATABASE, NEO4J_DRIVER } from './neo4j.module';

export interface AccountFactsApplied {
  readonly opened: number;
  readonly closed: number;
  readonly identifiers: number;
}

const runRows = async (tx: ManagedTransaction, cypher: string, rows: readonly object[]): Promise<number> => {
  if (rows.length === 0) return 0;
  const { records } = await tx.run(cypher, { rows });
  return appliedCount(records);
};

@Injectable()
export class AccountFactRepository {
  constructor(
    @Inject(NEO4J_DRIVER) private readonly driver: Driver,
    @Inject(NEO4J_DATABASE) private readonly database: string,
  ) {}

  /** Writes a batch of facts in one transaction; returns how many rows changed the graph, per kind. */
  async recordFacts(facts: readonly AccountFactObserved[]): Promise<AccountFactsApplied> {
    const rows = toAccountFactRows(facts);
    const session = this.driver.session({ database: this.database, defaultAccessMode: 'WRITE' });
    try {
      return await session.executeWrite(async (tx) => ({
        opened: await runRows(tx, RECORD_ACCOUNTS_OPENED, rows.opened),
        closed: await runRows(tx, RECORD_ACCOUNTS_CLOSED, rows.closed),
        identifiers: await runRows(tx, RECORD_IDENTIFIERS_SEEN, rows.identifiers),
      }));
    } finally {
      await session.close();
    }
  }
}
