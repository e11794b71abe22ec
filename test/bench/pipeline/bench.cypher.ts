/**
 * Cypher the benchmark runs itself. The write ceiling uses throwaway names (:BenchAccount,
 * :BENCH_TRANSFERRED_TO) with the same constraints and indexes as the real graph, and deletes them after.
 */
export const GRAPH_TRANSFER_COUNT = 'MATCH ()-[t:TRANSFERRED_TO]->() RETURN count(t) AS transfers';

export const NEO4J_VERSION =
  'CALL dbms.components() YIELD name, versions, edition RETURN name, versions[0] AS version, edition';

export const BENCH_SCHEMA_CREATE = [
  'CREATE CONSTRAINT bench_account_key IF NOT EXISTS FOR (a:BenchAccount) REQUIRE a.accountKey IS UNIQUE',
  'CREATE CONSTRAINT bench_transfer_id IF NOT EXISTS FOR ()-[t:BENCH_TRANSFERRED_TO]-() REQUIRE t.transferId IS UNIQUE',
  'CREATE INDEX bench_transfer_booked_at IF NOT EXISTS FOR ()-[t:BENCH_TRANSFERRED_TO]-() ON (t.bookedAt)',
  'CREATE INDEX bench_account_institution IF NOT EXISTS FOR (a:BenchAccount) ON (a.institutionId)',
  'CREATE INDEX bench_account_country IF NOT EXISTS FOR (a:BenchAccount) ON (a.country)',
  'CREATE INDEX bench_account_holder IF NOT EXISTS FOR (a:BenchAccount) ON (a.holderId)',
] as const;

export const BENCH_SCHEMA_AWAIT = 'CALL db.awaitIndexes(120)';

export const BENCH_SCHEMA_DROP = [
  'DROP CONSTRAINT bench_account_key IF EXISTS',
  'DROP CONSTRAINT bench_transfer_id IF EXISTS',
  'DROP INDEX bench_transfer_booked_at IF EXISTS',
  'DROP INDEX bench_account_institution IF EXISTS',
  'DROP INDEX bench_account_country IF EXISTS',
  'DROP INDEX bench_account_holder IF EXISTS',
] as const;

/** The graph writer's idempotent batched write, minus the pipeline: same rows, same checks, same properties. */
export const BENCH_RECORD_TRANSFERS = `
UNWIND $rows AS row
WITH row WHERE NOT EXISTS { ()-[:BENCH_TRANSFERRED_TO {transferId: row.transferId}]->() }
MERGE (d:BenchAccount {accountKey: row.debtorKey})
  ON CREATE SET d.accountId = row.debtorId, d.institutionId = row.debtorInstitution, d.country = row.debtorCountry,
                d.kind = row.debtorKind, d.holderId = row.debtorHolder, d.firstSeenAt = row.bookedAt
MERGE (c:BenchAccount {accountKey: row.creditorKey})
  ON CREATE SET c.accountId = row.creditorId, c.institutionId = row.creditorInstitution, c.country = row.creditorCountry,
                c.kind = row.creditorKind, c.holderId = row.creditorHolder, c.firstSeenAt = row.bookedAt
CREATE (d)-[t:BENCH_TRANSFERRED_TO {
  transferId: row.transferId, rail: row.rail, reportedBy: row.reportedBy, amountMinor: row.amountMinor,
  currency: row.currency, scale: row.scale, bookedAt: row.bookedAt, refAmountMinor: row.refAmountMinor,
  debtorBalanceAfterMinor: row.debtorBalanceAfterMinor, txHash: row.txHash, recordedAt: datetime()
}]->(c)
RETURN count(t) AS created
`;

/** Deletes a slice of the throwaway accounts (with their transfers); run until it returns 0. */
export const BENCH_DELETE_SLICE = `
MATCH (a:BenchAccount) WITH a LIMIT $limit
DETACH DELETE a
RETURN count(*) AS deleted
`;
