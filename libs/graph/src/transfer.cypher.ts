/**
 * Records transfers as (:Account)-[:TRANSFERRED_TO]->(:Account). The holding institution and its country
 * are account properties (indexed), not nodes: linking every account to an institution node cost ~10 % of
 * write throughput for no query that needs it.
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
WITH row, d
MERGE (c:Account {accountKey: row.creditor.accountKey})
  ON CREATE SET c.accountId = row.creditor.accountId, c.institutionId = row.creditor.institutionId,
                c.country = row.creditor.country, c.firstSeenAt = datetime(row.bookedAt)
SET c.holderId = coalesce(row.creditor.holderId, c.holderId)
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
