import neo4j, { isDateTime, isInt, type Driver } from 'neo4j-driver';
import { testServers } from './test-env';

const countOf = (value: unknown): number => (isInt(value) ? value.toNumber() : Number.NaN);

/** Test-side reads of the money-flow graph. */
export class GraphProbe {
  private readonly servers = testServers();
  private readonly driver: Driver = neo4j.driver(
    this.servers.neo4jUrl,
    this.servers.neo4jUser ? neo4j.auth.basic(this.servers.neo4jUser, this.servers.neo4jPassword) : undefined,
  );

  /** How many TRANSFERRED_TO relationships carry this canonical transfer id (0 or 1 when all is well). */
  async copies(transferId: string): Promise<number> {
    const { records } = await this.driver.executeQuery(
      'MATCH ()-[t:TRANSFERRED_TO {transferId: $transferId}]->() RETURN count(t) AS copies',
      { transferId },
      { database: this.servers.neo4jDatabase },
    );
    return countOf(records[0]?.get('copies'));
  }

  /** Transfers whose canonical id starts with `prefix` (the unique constraint's index serves STARTS WITH). */
  async countWithPrefix(prefix: string): Promise<number> {
    const { records } = await this.driver.executeQuery(
      'MATCH ()-[t:TRANSFERRED_TO]->() WHERE t.transferId STARTS WITH $prefix RETURN count(t) AS transfers',
      { prefix },
      { database: this.servers.neo4jDatabase },
    );
    return countOf(records[0]?.get('transfers'));
  }

  /** Booking time (ISO, UTC) of each transfer id found in the graph. */
  async bookedAt(transferIds: readonly string[]): Promise<Map<string, string>> {
    const { records } = await this.driver.executeQuery(
      `UNWIND $transferIds AS transferId
       MATCH ()-[t:TRANSFERRED_TO {transferId: transferId}]->()
       RETURN transferId, t.bookedAt AS bookedAt`,
      { transferIds: [...transferIds] },
      { database: this.servers.neo4jDatabase },
    );
    const found = new Map<string, string>();
    for (const record of records) {
      const bookedAt: unknown = record.get('bookedAt');
      if (isDateTime(bookedAt)) {
        found.set(record.get('transferId') as string, bookedAt.toStandardDate().toISOString());
      }
    }
    return found;
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}
