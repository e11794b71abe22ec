/**
 * Graph patterns of mule networks, read after graph-writer has committed (network-detector).
 * Amount comparisons here are float pre-filters only, to prune the expansion; the detectors decide on exact
 * bigint minor units. Two hops compare in the reference currency when both carry it, else natively when they
 * share currency and scale, else not at all (the hop is not followed).
 */

/** `next` amount as a share of `prev` (null when the two cannot be compared). */
const KEPT = (prev: string, next: string) => `
  (CASE
    WHEN ${prev}.refAmountMinor IS NOT NULL AND ${next}.refAmountMinor IS NOT NULL
      THEN toFloat(${next}.refAmountMinor) / toFloat(${prev}.refAmountMinor)
    WHEN ${prev}.currency = ${next}.currency AND ${prev}.scale = ${next}.scale
      THEN toFloat(${next}.amountMinor) / toFloat(${prev}.amountMinor)
  END)`;

const KEPT_WITHIN = (prev: string, next: string) =>
  `${KEPT(prev, next)} >= $minKeptRatio AND ${KEPT(prev, next)} <= $maxGainRatio`;

const RETURNED_WITHIN = (out: string, back: string) =>
  `${KEPT(out, back)} >= $minReturnedRatio AND ${KEPT(out, back)} <= $maxGainRatio`;

/** Accounts with more transfers than this are hubs (merchants, exchanges, payroll): never expanded through. */
const NOT_HUB = (account: string) => `COUNT { (${account})-[:TRANSFERRED_TO]-() } <= $maxDegree`;

/** `prev` booked no later than `next` and at most the gap before it. */
const FOLLOWED_BY = (prev: string, next: string) =>
  `${prev}.bookedAt <= ${next}.bookedAt AND ${prev}.bookedAt >= ${next}.bookedAt - duration({seconds: $maxGapSeconds})`;

const IN_CYCLE_WINDOW = (hop: string) =>
  `${hop}.bookedAt <= t.bookedAt AND ${hop}.bookedAt >= t.bookedAt - duration({seconds: $cycleWindowSeconds})`;

const ACCOUNT_FIELDS = `.accountKey, .accountId, .institutionId, .country, .kind`;

const ACCOUNT_MAP = (node: string) =>
  `{accountKey: ${node}.accountKey, accountId: ${node}.accountId, institutionId: ${node}.institutionId, ` +
  `country: ${node}.country, kind: ${node}.kind}`;

/**
 * For each committed transfer `t` (d → e), the layering chains that end with it and the cycles it closes,
 * in one statement per committed message (UNWIND). Both expand backwards from `t`, one hop at a time, each
 * step pruned by time (every hop booked no later than the next) and amount, never through a hub:
 * - chain: b3? → b2 → b1 → d → e, 3..5 hops over distinct accounts, each hop within `$maxGapSeconds` of the
 *   next and keeping `$minKeptRatio..$maxGainRatio` of its amount;
 * - cycle: e → … → d → e, 2..4 hops within `$cycleWindowSeconds` before `t`, `t` returning
 *   `$minReturnedRatio..$maxGainRatio` of every earlier hop.
 * At most `$maxPathsPerTransfer` paths per transfer and kind.
 */
export const FIND_CHAINS_AND_CYCLES = `
UNWIND $transferIds AS transferId
MATCH (d:Account)-[t:TRANSFERRED_TO {transferId: transferId}]->(e:Account)
WHERE d <> e AND ${NOT_HUB('d')}
CALL (d, e, t) {
  MATCH (b1:Account)-[h1:TRANSFERRED_TO]->(d)
  WHERE NOT b1 IN [d, e] AND ${FOLLOWED_BY('h1', 't')} AND ${KEPT_WITHIN('h1', 't')} AND ${NOT_HUB('b1')}
  MATCH (b2:Account)-[h2:TRANSFERRED_TO]->(b1)
  WHERE NOT b2 IN [b1, d, e] AND ${FOLLOWED_BY('h2', 'h1')} AND ${KEPT_WITHIN('h2', 'h1')}
  OPTIONAL MATCH (b3:Account)-[h3:TRANSFERRED_TO]->(b2)
  WHERE ${NOT_HUB('b2')} AND NOT b3 IN [b2, b1, d, e]
    AND ${FOLLOWED_BY('h3', 'h2')} AND ${KEPT_WITHIN('h3', 'h2')}
  WITH d, e, b1, b2, b3, h1, h2, h3
  OPTIONAL MATCH (b4:Account)-[h4:TRANSFERRED_TO]->(b3)
  WHERE ${NOT_HUB('b3')} AND NOT b4 IN [b3, b2, b1, d, e]
    AND ${FOLLOWED_BY('h4', 'h3')} AND ${KEPT_WITHIN('h4', 'h3')}
  WITH [h IN [h4, h3, h2, h1] WHERE h IS NOT NULL] AS earlier
  ORDER BY size(earlier) DESC
  LIMIT $maxPathsPerTransfer
  RETURN 'chain' AS kind, earlier
UNION
  MATCH (e)-[h1:TRANSFERRED_TO]->(d)
  WHERE ${NOT_HUB('e')} AND ${IN_CYCLE_WINDOW('h1')} AND h1 <> t AND ${RETURNED_WITHIN('h1', 't')}
  WITH h1 ORDER BY h1.bookedAt DESC LIMIT $maxPathsPerTransfer
  RETURN 'cycle' AS kind, [h1] AS earlier
UNION
  MATCH (b1:Account)-[h2:TRANSFERRED_TO]->(d)
  WHERE NOT b1 IN [d, e] AND ${NOT_HUB('e')} AND ${IN_CYCLE_WINDOW('h2')} AND ${RETURNED_WITHIN('h2', 't')}
    AND ${NOT_HUB('b1')}
  MATCH (e)-[h1:TRANSFERRED_TO]->(b1)
  WHERE h1.bookedAt <= h2.bookedAt AND ${IN_CYCLE_WINDOW('h1')} AND ${RETURNED_WITHIN('h1', 't')}
  WITH h1, h2 ORDER BY h1.bookedAt DESC LIMIT $maxPathsPerTransfer
  RETURN 'cycle' AS kind, [h1, h2] AS earlier
UNION
  MATCH (b1:Account)-[h3:TRANSFERRED_TO]->(d)
  WHERE NOT b1 IN [d, e] AND ${NOT_HUB('e')} AND ${IN_CYCLE_WINDOW('h3')} AND ${RETURNED_WITHIN('h3', 't')}
    AND ${NOT_HUB('b1')}
  MATCH (b2:Account)-[h2:TRANSFERRED_TO]->(b1)
  WHERE NOT b2 IN [b1, d, e] AND h2.bookedAt <= h3.bookedAt AND ${IN_CYCLE_WINDOW('h2')}
    AND ${RETURNED_WITHIN('h2', 't')} AND ${NOT_HUB('b2')}
  MATCH (e)-[h1:TRANSFERRED_TO]->(b2)
  WHERE h1.bookedAt <= h2.bookedAt AND ${IN_CYCLE_WINDOW('h1')} AND ${RETURNED_WITHIN('h1', 't')}
  WITH h1, h2, h3 ORDER BY h1.bookedAt DESC LIMIT $maxPathsPerTransfer
  RETURN 'cycle' AS kind, [h1, h2, h3] AS earlier
}
WITH t, kind, earlier + [t] AS path
RETURN t.transferId AS triggerId, kind,
  [h IN path | {
    transferId: h.transferId, bookedAt: h.bookedAt, amountMinor: h.amountMinor, currency: h.currency,
    scale: h.scale, refAmountMinor: h.refAmountMinor,
    from: ${ACCOUNT_MAP('startNode(h)')}, to: ${ACCOUNT_MAP('endNode(h)')}
  }] AS hops
`;

/**
 * The identifiers (device, phone, IP, holder) of each account, how many accounts use each, and the other
 * accounts on it. An identifier used by more than `$maxAccountsPerIdentifier` accounts is a hub (carrier
 * NAT, office network): its count is returned, its accounts are not.
 */
export const FIND_SHARED_IDENTIFIERS = `
UNWIND $accountKeys AS accountKey
MATCH (a:Account {accountKey: accountKey})-[u:USED_IDENTIFIER]->(i:Identifier)
WITH a, u, i, COUNT { (i)<-[:USED_IDENTIFIER]-() } AS users
CALL (a, i, users) {
  OPTIONAL MATCH (o:Account)-[v:USED_IDENTIFIER]->(i)
  WHERE users <= $maxAccountsPerIdentifier AND o <> a
  RETURN collect(o{${ACCOUNT_FIELDS}, firstSeenAt: v.firstSeenAt, lastSeenAt: v.lastSeenAt}) AS sharers
}
RETURN a{${ACCOUNT_FIELDS}} AS account, i.identifierKey AS identifierKey, i.type AS identifierType,
       u.firstSeenAt AS firstSeenAt, u.lastSeenAt AS lastSeenAt, users, sharers
`;
