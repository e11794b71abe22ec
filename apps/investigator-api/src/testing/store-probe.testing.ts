import neo4j, { isInt, type Driver } from 'neo4j-driver';
import { testServers } from '../../../../test/support/test-env';
import {
  ALERTS_WITH_PREFIX,
  ALERT_HAS_LIST_FIELDS,
  ALERT_VERSIONS,
  AUDIT_ENTRIES,
  FORGET_ALERT_LIST_FIELDS,
  TAMPER_AUDIT_ENTRY_STATUS,
} from './store-probe.cypher';

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
    const rows = await this.rows(ALERT_VERSIONS, { alertId });
    return rows.map((r) => numberOf(r['version']));
  }

  /** Alerts whose id starts with `prefix`, with their state and transition count. */
  async alertsWithPrefix(prefix: string): Promise<{ alertId: string; state: string; transitions: number }[]> {
    const rows = await this.rows(ALERTS_WITH_PREFIX, { prefix });
    return rows.map((r) => ({
      alertId: String(r['alertId']),
      state: String(r['state']),
      transitions: numberOf(r['transitions']),
    }));
  }

  async auditEntries(
    chainId: string,
  ): Promise<{ seq: number; route: string; status: number; sub: string }[]> {
    const rows = await this.rows(AUDIT_ENTRIES, { chainId });
    return rows.map((r) => ({
      seq: numberOf(r['seq']),
      route: String(r['route']),
      status: numberOf(r['status']),
      sub: String(r['sub']),
    }));
  }

  /** What an insider with database access might do: rewrite one stored entry's result code. */
  async tamperAuditEntry(chainId: string, seq: number, status: number): Promise<void> {
    await this.rows(TAMPER_AUDIT_ENTRY_STATUS, {
      chainId,
      seq: neo4j.int(seq),
      status: neo4j.int(status),
    });
  }

  /** Makes an alert look as if it was recorded before the inbox kept list fields beside its JSON. */
  async forgetListFields(alertId: string): Promise<void> {
    await this.rows(FORGET_ALERT_LIST_FIELDS, { alertId });
  }

  async hasListFields(alertId: string): Promise<boolean> {
    const rows = await this.rows(ALERT_HAS_LIST_FIELDS, { alertId });
    return rows[0]?.['kept'] === true;
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}
