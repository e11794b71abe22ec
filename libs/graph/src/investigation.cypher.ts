/**
 * Investigator reads: account profile, paths between two accounts, a case, and the account and transfer
 * details a filing needs. Every read is bounded by a `$limit`-style parameter: a hub (exchange, merchant)
 * must never turn one request into a scan of its whole history.
 */

/** The account itself; transfer counts come from the degree store, without reading a relationship. */
export const ACCOUNT_PROFILE = `
MATCH (a:Account {accountKey: $accountKey})
RETURN a.accountKey AS accountKey, a.accountId AS accountId, a.institutionId AS institutionId,
       a.country AS country, a.kind AS kind, a.accountType AS accountType, a.openedAt AS openedAt,
       a.closedAt AS closedAt, a.firstSeenAt AS firstSeenAt, a.holderId AS holderId,
       COUNT { (a)-[:TRANSFERRED_TO]->() } AS transfersOut, COUNT { (a)<-[:TRANSFERRED_TO]-() } AS transfersIn
`;

/** Identifiers seen on the account (device, phone, IP, holder), most recent first. */
export const ACCOUNT_IDENTIFIERS = `
MATCH (a:Account {accountKey: $accountKey})-[u:USED_IDENTIFIER]->(i:Identifier)
RETURN i.type AS type, i.identifierKey AS identifierKey, u.firstSeenAt AS firstSeenAt, u.lastSeenAt AS lastSeenAt,
       COUNT { (i)<-[:USED_IDENTIFIER]-() } - 1 AS sharedWith
ORDER BY u.lastSeenAt DESC, i.identifierKey
LIMIT $limit
`;

/**
 * The account's latest transfers in one direction (at most `$limit`): totals per currency, counterparties and
 * last seen are computed over them, exactly in bigint by the caller (Cypher integers would overflow on
 * 18-decimal assets).
 */
export const ACCOUNT_RECENT_OUT = `
MATCH (a:Account {accountKey: $accountKey})-[t:TRANSFERRED_TO]->(b:Account)
RETURN b.accountKey AS counterparty, t.amountMinor AS amountMinor, t.currency AS currency, t.scale AS scale,
       t.bookedAt AS bookedAt
ORDER BY t.bookedAt DESC
LIMIT $limit
`;

export const ACCOUNT_RECENT_IN = `
MATCH (a:Account {accountKey: $accountKey})<-[t:TRANSFERRED_TO]-(b:Account)
RETURN b.accountKey AS counterparty, t.amountMinor AS amountMinor, t.currency AS currency, t.scale AS scale,
       t.bookedAt AS bookedAt
ORDER BY t.bookedAt DESC
LIMIT $limit
`;

/** Cases that name the account as a victim account. */
export const ACCOUNT_VICTIM_CASES = `
MATCH (r:VictimReport)-[:REPORTS_VICTIM]->(:Account {accountKey: $accountKey})
RETURN r.caseId AS caseId
ORDER BY r.reportedAt DESC
LIMIT $limit
`;

/** A case's victim report (latest version) and its victim accounts. */
export const CASE_REPORT = `
MATCH (r:VictimReport {caseId: $caseId})
OPTIONAL MATCH (r)-[:REPORTS_VICTIM]->(a:Account)
RETURN r.caseId AS caseId, r.version AS version, r.channel AS channel, r.scamType AS scamType,
       r.reportedAt AS reportedAt, r.reportedTransfers AS reportedTransfers,
       collect(a {.accountKey, .accountId, .institutionId, .country, .kind}) AS victims
`;

/** Accounts by key, for filings and graph nodes. */
export const ACCOUNTS_BY_KEYS = `
UNWIND $accountKeys AS accountKey
MATCH (a:Account {accountKey: accountKey})
RETURN a.accountKey AS accountKey, a.accountId AS accountId, a.institutionId AS institutionId,
       a.country AS country, a.kind AS kind, a.openedAt AS openedAt, a.closedAt AS closedAt
`;

/** Rail and on-chain hash of transfers by id (uses the transfer id uniqueness constraint's index). */
export const TRANSFERS_BY_IDS = `
UNWIND $transferIds AS transferId
MATCH ()-[t:TRANSFERRED_TO {transferId: transferId}]->()
RETURN t.transferId AS transferId, t.rail AS rail, t.txHash AS txHash
`;
