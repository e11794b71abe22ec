/**
 * Records transfers as (:Account)-[:TRANSFERRED_TO]->(:Account) with their institutions.
 * Rows are de-duplicated by the caller; a transfer id already in the graph is skipped, so replays and
 * duplicate producers never create a second relationship (and a conflicting re-use of an id cannot
 * fail the batch on the uniqueness constraint).
 */
export const RECORD_TRANSFERS = `
UNWIND $rows AS row
OPTIONAL MATCH ()-[existing:TRANSFERRED_TO {transferId: row.transferId}]->()
WITH row, existing
WHERE existing IS NULL
MERGE (d:Account {accountKey: row.debtor.accountKey})
  ON CREATE SET d.accountId = row.debtor.accountId, d.institutionId = row.debtor.institutionId,
                d.country = row.debtor.country, d.firstSeenAt = datetime(row.bookedAt)
SET d.holderId = coalesce(row.debtor.holderId, d.holderId)
MERGE (c:Account {accountKey: row.creditor.accountKey})
  ON CREATE SET c.accountId = row.creditor.accountId, c.institutionId = row.creditor.institutionId,
                c.country = row.creditor.country, c.firstSeenAt = datetime(row.bookedAt)
SET c.holderId = coalesce(row.creditor.holderId, c.holderId)
MERGE (di:Institution {institutionId: row.debtor.institutionId})
  ON CREATE SET di.country = row.debtor.country
MERGE (ci:Institution {institutionId: row.creditor.institutionId})
  ON CREATE SET ci.country = row.creditor.country
MERGE (d)-[:HELD_AT]->(di)
MERGE (c)-[:HELD_AT]->(ci)
CREATE (d)-[t:TRANSFERRED_TO {
  transferId: row.transferId,
  rail: row.rail,
  reportedBy: row.reportedBy,
  amountMinor: row.amountMinor,
  currency: row.currency,
  scale: row.scale,
  bookedAt: datetime(row.bookedAt),
  recordedAt: datetime()
}]->(c)
RETURN count(t) AS created
`;

export const COUNT_TRANSFERS_BY_ID = `
UNWIND $transferIds AS transferId
MATCH ()-[t:TRANSFERRED_TO {transferId: transferId}]->()
RETURN transferId, count(t) AS copies
`;
