/**
 * Records transfers as (:Account)-[:TRANSFERRED_TO]->(:Account). The holding institution and its country
 * are account properties (indexed), not nodes: linking every account to an institution node cost ~10 % of
 * write throughput for no query that needs it.
 * `refAmountMinor` is the amount in the deployment's reference currency (absent without a rate), so traces can
 * follow value across currencies; `debtorBalanceAfterMinor` is the debtor's reported balance (lowest
 * intermediate balance rule); `txHash` links a VASP ledger movement to its on-chain twin. Null properties are
 * not stored, so they cost nothing when absent.
 * Rows are flat (nested maps cost the driver and the server measurably more) and de-duplicated by the caller; a transfer id already in the graph is skipped, so replays and
 * duplicate producers never create a second relationship (and a conflicting re-use of an id cannot
 * fail the batch on the uniqueness constraint).
 */
export const RECORD_TRANSFERS = `
UNWIND $rows AS row
WITH row WHERE NOT EXISTS { ()-[:TRANSFERRED_TO {transferId: row.transferId}]->() }
MERGE (d:Account {accountKey: row.debtorKey})
  ON CREATE SET d.accountId = row.debtorId, d.institutionId = row.debtorInstitution, d.country = row.debtorCountry, d.kind = row.debtorKind,
                d.holderId = row.debtorHolder, d.firstSeenAt = row.bookedAt
MERGE (c:Account {accountKey: row.creditorKey})
  ON CREATE SET c.accountId = row.creditorId, c.institutionId = row.creditorInstitution, c.country = row.creditorCountry, c.kind = row.creditorKind,
                c.holderId = row.creditorHolder, c.firstSeenAt = row.bookedAt
// A holder id learned later is added; writing it on every transfer would cost a write per row.
FOREACH (_ IN CASE WHEN row.debtorHolder IS NOT NULL AND d.holderId IS NULL THEN [1] ELSE [] END |
  SET d.holderId = row.debtorHolder)
FOREACH (_ IN CASE WHEN row.creditorHolder IS NOT NULL AND c.holderId IS NULL THEN [1] ELSE [] END |
  SET c.holderId = row.creditorHolder)
// An address first seen as unhosted keeps its key; its VASP and country are filled in once attributed.
FOREACH (_ IN CASE WHEN d.institutionId = 'unhosted' AND row.debtorInstitution <> 'unhosted' THEN [1] ELSE [] END |
  SET d.institutionId = row.debtorInstitution, d.country = row.debtorCountry)
FOREACH (_ IN CASE WHEN c.institutionId = 'unhosted' AND row.creditorInstitution <> 'unhosted' THEN [1] ELSE [] END |
  SET c.institutionId = row.creditorInstitution, c.country = row.creditorCountry)
CREATE (d)-[t:TRANSFERRED_TO {
  transferId: row.transferId,
  rail: row.rail,
  reportedBy: row.reportedBy,
  amountMinor: row.amountMinor,
  currency: row.currency,
  scale: row.scale,
  bookedAt: row.bookedAt,
  refAmountMinor: row.refAmountMinor,
  debtorBalanceAfterMinor: row.debtorBalanceAfterMinor,
  txHash: row.txHash,
  recordedAt: datetime()
}]->(c)
RETURN count(t) AS created
`;

export const COUNT_TRANSFERS_BY_ID = `
UNWIND $transferIds AS transferId
MATCH ()-[t:TRANSFERRED_TO {transferId: transferId}]->()
RETURN transferId, count(t) AS copies
`;
