/**
 * Account facts on the money-flow graph. Facts may arrive before the account's first transfer, so every
 * statement MERGEs the account. Rows are reduced by the caller to one row per key, and every write is
 * order-independent, so replays, duplicates and late facts leave the same graph:
 * - opened/closed: the fact observed last wins (ties broken by fact id); an older fact never overwrites it;
 * - identifiers: the relationship keeps the earliest firstSeenAt and the latest lastSeenAt.
 */
const MERGE_ACCOUNT = `
MERGE (a:Account {accountKey: row.accountKey})
  ON CREATE SET a.accountId = row.accountId, a.institutionId = row.institutionId, a.country = row.country`;

/** Keeps the row only if its fact is not older than the `<fact>ObservedAt` / `<fact>FactId` the account holds. */
const IF_LATEST = (fact: 'opened' | 'closed') => `
WITH a, row
WHERE a.${fact}ObservedAt IS NULL OR a.${fact}ObservedAt < row.observedAt
   OR (a.${fact}ObservedAt = row.observedAt AND a.${fact}FactId <= row.factId)`;

export const RECORD_ACCOUNTS_OPENED = `
UNWIND $rows AS row
${MERGE_ACCOUNT}
${IF_LATEST('opened')}
SET a.openedAt = row.openedAt, a.accountType = row.accountType, a.country = row.country,
    a.holderId = coalesce(row.holderId, a.holderId),
    a.openedObservedAt = row.observedAt, a.openedFactId = row.factId
RETURN count(a) AS applied
`;

export const RECORD_ACCOUNTS_CLOSED = `
UNWIND $rows AS row
${MERGE_ACCOUNT}
${IF_LATEST('closed')}
SET a.closedAt = row.closedAt, a.closedObservedAt = row.observedAt, a.closedFactId = row.factId
RETURN count(a) AS applied
`;

/** One Identifier node per `<type>:<value>`: accounts sharing a device, phone, IP or holder meet on it. */
export const RECORD_IDENTIFIERS_SEEN = `
UNWIND $rows AS row
${MERGE_ACCOUNT}
MERGE (i:Identifier {identifierKey: row.identifierKey})
  ON CREATE SET i.type = row.identifierType
MERGE (a)-[u:USED_IDENTIFIER]->(i)
  ON CREATE SET u.firstSeenAt = row.firstSeenAt, u.lastSeenAt = row.lastSeenAt
  ON MATCH SET
    u.firstSeenAt = CASE WHEN row.firstSeenAt < u.firstSeenAt THEN row.firstSeenAt ELSE u.firstSeenAt END,
    u.lastSeenAt = CASE WHEN row.lastSeenAt > u.lastSeenAt THEN row.lastSeenAt ELSE u.lastSeenAt END
RETURN count(u) AS applied
`;
