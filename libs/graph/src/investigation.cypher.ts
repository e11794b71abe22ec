/**
 * Investigator reads: account profile, paths between two accounts, a case, and the account and transfer
 * details a filing needs. Every read is bounded by a `$limit`-style parameter: a hub (exchange, merchant)
 * must never turn one request into a scan of its whole history.
 */

/**
 * An account's whole profile in one read (one round trip, its latest transfers scanned once):
 * - the account itself; transfer counts come from the degree store, without reading a relationship;
 * - totals over its latest `$limit` transfers each way (by booking time) per side, currency and scale (one symbol
 *   can come at several scales, USDT with 6 decimals on TRON and 18 on BSC: their minor units are never added
 *   together), summed on the server in three 9-digit limbs of the minor-unit string (each limb's sum fits a
 *   64-bit integer; the caller joins them exactly in bigint), so a busy account's transfers never travel to the
 *   API. `longest` lets the caller see an amount too long for three limbs (> 27 digits) and fall back to the row
 *   reads below;
 * - distinct counterparties over the same transfers;
 * - identifiers seen on it (device, phone, IP, holder), most recent first, with how many other accounts used each;
 * - cases that name it as a victim account, and alerts that involve it (newest first).
 * Every aggregate without a grouping key yields one row on no input, so an account with no transfers, identifiers
 * or alerts still gets its row.
 */
export const ACCOUNT_PROFILE = `
MATCH (a:Account {accountKey: $accountKey})
CALL (a) {
  CALL (a) {
    MATCH (a)-[t:TRANSFERRED_TO]->(b:Account)
    WITH t, b ORDER BY t.bookedAt DESC LIMIT $limit
    RETURN 'out' AS side, t, b
    UNION ALL
    MATCH (a)<-[t:TRANSFERRED_TO]-(b:Account)
    WITH t, b ORDER BY t.bookedAt DESC LIMIT $limit
    RETURN 'in' AS side, t, b
  }
  WITH side, t.currency AS currency, t.scale AS scale, t.amountMinor AS s, t.bookedAt AS at, b
  WITH side, currency, scale, count(*) AS scanned, max(size(s)) AS longest,
       sum(toInteger(right(s, 9))) AS low,
       sum(CASE WHEN size(s) > 9 THEN toInteger(right(left(s, size(s) - 9), 9)) ELSE 0 END) AS mid,
       sum(CASE WHEN size(s) > 18 THEN toInteger(left(s, size(s) - 18)) ELSE 0 END) AS high,
       min(at) AS firstAt, max(at) AS lastAt, collect(DISTINCT b) AS parties
  WITH collect({side: side, currency: currency, scale: scale, scanned: scanned, longest: longest, low: low,
                mid: mid, high: high, firstAt: firstAt, lastAt: lastAt}) AS flows,
       collect(parties) AS partyLists
  CALL (partyLists) {
    UNWIND partyLists AS parties
    UNWIND parties AS party
    RETURN count(DISTINCT party) AS counterparties
  }
  RETURN flows, counterparties
}
CALL (a) {
  MATCH (a)-[u:USED_IDENTIFIER]->(i:Identifier)
  WITH u, i ORDER BY u.lastSeenAt DESC, i.identifierKey LIMIT $identifierLimit
  RETURN collect({type: i.type, identifierKey: i.identifierKey, firstSeenAt: u.firstSeenAt,
                  lastSeenAt: u.lastSeenAt, sharedWith: COUNT { (i)<-[:USED_IDENTIFIER]-() } - 1}) AS identifiers
}
CALL (a) {
  MATCH (r:VictimReport)-[:REPORTS_VICTIM]->(a)
  WITH r ORDER BY r.reportedAt DESC LIMIT $caseLimit
  RETURN collect(r.caseId) AS victimCaseIds
}
CALL (a) {
  MATCH (al:Alert)-[i:INVOLVES]->(a)
  WHERE al.latestVersion > 0
  WITH al, i ORDER BY al.raisedAt DESC, al.alertId LIMIT $alertLimit
  RETURN collect({alertId: al.alertId, typology: al.typology, severity: al.severity, state: al.state,
                  version: al.latestVersion, raisedAt: al.raisedAt, role: i.role,
                  institutions: coalesce(al.institutions, []), caseIds: coalesce(al.caseIds, [])}) AS alerts
}
RETURN a.accountKey AS accountKey, a.accountId AS accountId, a.institutionId AS institutionId,
       a.country AS country, a.kind AS kind, a.accountType AS accountType, a.openedAt AS openedAt,
       a.closedAt AS closedAt, a.firstSeenAt AS firstSeenAt, a.holderId AS holderId,
       COUNT { (a)-[:TRANSFERRED_TO]->() } AS transfersOut, COUNT { (a)<-[:TRANSFERRED_TO]-() } AS transfersIn,
       flows, counterparties, identifiers, victimCaseIds, alerts
`;

/**
 * The account's latest transfers in one direction (at most `$limit`): the profile's fallback when an amount is
 * too long for its server-side sums, totalled exactly in bigint by the caller (Cypher integers would overflow on
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

/*
 * Alerts, as the investigator API's inbox stores them (alert-inbox.cypher.ts): the Alert node mirrors the
 * latest version (`json` is the AlertRaised, `state` the inbox lifecycle state).
 */

/** The latest version of one alert. */
export const LATEST_ALERT = `
MATCH (al:Alert {alertId: $alertId})
WHERE al.latestVersion > 0
RETURN al.json AS json, al.state AS state
`;

/**
 * The alerts that trace a case, cross-border proceeds alerts first, then the newest: the first whose
 * AlertRaised carries a `tracing` holds the case's holders.
 */
export const CASE_TRACING_ALERTS = `
MATCH (al:Alert)
WHERE al.latestVersion > 0 AND $caseId IN al.caseIds
RETURN al.json AS json, al.state AS state
ORDER BY CASE WHEN al.typology STARTS WITH 'proceeds.' THEN 0 ELSE 1 END, al.raisedAt DESC, al.alertId
LIMIT $limit
`;

/** Recent victim accounts (benchmarks and smoke runs trace forward from them). */
export const RECENT_VICTIM_ACCOUNTS = `
MATCH (r:VictimReport)-[:REPORTS_VICTIM]->(a:Account)
WHERE EXISTS { (a)-[:TRANSFERRED_TO]->() }
WITH a, max(r.reportedAt) AS reportedAt
RETURN a.accountKey AS accountKey
ORDER BY reportedAt DESC
LIMIT $limit
`;
