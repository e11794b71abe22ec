/**
 * Victim reports: `(:VictimReport {caseId})-[:REPORTS_VICTIM]->(:Account)`, one node per case id.
 *
 * Reported transfers are not relationships: a relationship cannot point at a TRANSFERRED_TO relationship, and a
 * report often arrives before (or without) the transfer it names. The report node therefore holds
 * - `reportedTransferIds`: the canonical ids (`bank:<reportedBy>:<transferId>`) of the transfers it references,
 *   to match against `TRANSFERRED_TO.transferId` when tracing;
 * - `reportedTransfers`: a JSON string of every reported payment as normalised (transfer id, amount in minor
 *   units as a string with currency and scale, paidAt in UTC), because Neo4j list properties cannot hold maps
 *   or nulls, and payments known only by amount would break parallel lists.
 *
 * A report with a higher `version` replaces the previous one (its properties and victim accounts); a lower or
 * equal version changes nothing, so re-filed, duplicated and late reports never duplicate or roll back a case.
 */
export const RECORD_VICTIM_REPORTS = `
UNWIND $rows AS row
MERGE (r:VictimReport {caseId: row.caseId})
  ON CREATE SET r.version = 0, r.recordedAt = datetime()
WITH r, row
WHERE r.version < row.version
SET r.version = row.version, r.channel = row.channel, r.scamType = row.scamType, r.reportedAt = row.reportedAt,
    r.victimId = row.victimId, r.reportedTransferIds = row.reportedTransferIds,
    r.reportedTransfers = row.reportedTransfers, r.updatedAt = datetime()
WITH r, row
CALL (r, row) {
  MATCH (r)-[old:REPORTS_VICTIM]->(a:Account)
  WHERE NOT a.accountKey IN [v IN row.victims | v.accountKey]
  DELETE old
}
WITH r, row
UNWIND row.victims AS v
MERGE (a:Account {accountKey: v.accountKey})
  ON CREATE SET a.accountId = v.accountId, a.institutionId = v.institutionId, a.country = v.country
MERGE (r)-[:REPORTS_VICTIM]->(a)
RETURN count(DISTINCT r) AS applied
`;
