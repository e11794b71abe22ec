import neo4j, { isInt, type Driver } from 'neo4j-driver';
import { testServers } from '../../../../test/support/test-env';

const numberOf = (value: unknown): number => (isInt(value) ? value.toNumber() : Number(value));

/** Test-side reads (and one deliberate tampering) of what the API stores in Neo4j. */
export class StoreProbe {
  private readonly servers = testServers();
  private readonly driver: Driver = neo4j.driver(
    this.servers.neo4jUrl,
    this.servers.neo4jUser ? neo4j.auth.basic(this.servers.neo4jUser, this.servers.neo4jPassword) : undefined,
  );

  private async rows(cypher: string, params: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    const { records } = await this.driver.executeQuery(cypher, params, {
      database: this.servers.neo4jDatabase,
    });
    return records.map((r) => r.toObject() as Record<string, unknown>);
  }

  /** Stored versions of an alert, ascending. */
  async versionsOf(alertId: string): Promise<number[]> {
    const rows = await this.rows(
      'MATCH (:Alert {alertId: $alertId})-[:HAS_VERSION]->(v:AlertVersion) RETURN v.version AS version ORDER BY version',
      { alertId },
    );
    return rows.map((r) => numberOf(r['version']));
  }

  /** Alerts whose id starts with `prefix`, with their state and transition count. */
  async alertsWithPrefix(prefix: string): Promise<{ alertId: string; state: string; transitions: number }[]> {
    const rows = await this.rows(
      `MATCH (a:Alert) WHERE a.alertId STARTS WITH $prefix
       OPTIONAL MATCH (a)-[:HAD_TRANSITION]->(t)
       RETURN a.alertId AS alertId, a.state AS state, count(t) AS transitions ORDER BY alertId`,
      { prefix },
    );
    return rows.map((r) => ({
      alertId: String(r['alertId']),
      state: String(r['state']),
      transitions: numberOf(r['transitions']),
    }));
  }

  async auditEntries(
    chainId: string,
  ): Promise<{ seq: number; route: string; status: number; sub: string }[]> {
    const rows = await this.rows(
      `MATCH (e:AuditEntry {chainId: $chainId})
       RETURN e.seq AS seq, e.route AS route, e.status AS status, e.sub AS sub ORDER BY seq`,
      { chainId },
    );
    return rows.map((r) => ({
      seq: numberOf(r['seq']),
      route: String(r['route']),
      status: numberOf(r['status']),
      sub: String(r['sub']),
    }));
  }

  /** What an insider with database access might do: rewrite one stored entry's result code. */
  async tamperAuditEntry(chainId: string, seq: number, status: number): Promise<void> {
    await this.rows('MATCH (e:AuditEntry {chainId: $chainId, seq: $seq}) SET e.status = $status', {
      chainId,
      seq: neo4j.int(seq),
      status: neo4j.int(status),
    });
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}
