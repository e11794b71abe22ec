/**
 * One hop of an investigator's money trace, run once per hop over the whole frontier (breadth first).
 * Each frontier entry is an account and the time bound the next transfer must respect, so every path is
 * time-respecting: backward, each earlier hop was booked no later than the one it paid for; forward, each
 * next hop no earlier than the one that brought the money. A null bound (the start account without a
 * start time) lets every transfer through. Fan-out per account is bounded (`$fanOut`), keeping the
 * transfers closest in time to the bound: a hub (merchant, exchange) never explodes the trace.
 */
export const TRACE_BACKWARD_HOP = `
UNWIND $frontier AS f
MATCH (a:Account {accountKey: f.accountKey})
CALL (a, f) {
  MATCH (b:Account)-[t:TRANSFERRED_TO]->(a)
  WHERE f.bound IS NULL OR t.bookedAt <= f.bound
  RETURN b, t
  ORDER BY t.bookedAt DESC
  LIMIT $fanOut
}
RETURN a.accountKey AS fromFrontier, b.accountKey AS reached, b.institutionId AS institutionId,
       b.country AS country, t.transferId AS transferId, b.accountKey AS fromKey, a.accountKey AS toKey,
       t.bookedAt AS bookedAt, t.amountMinor AS amountMinor, t.currency AS currency, t.scale AS scale
`;

export const TRACE_FORWARD_HOP = `
UNWIND $frontier AS f
MATCH (a:Account {accountKey: f.accountKey})
CALL (a, f) {
  MATCH (a)-[t:TRANSFERRED_TO]->(b:Account)
  WHERE f.bound IS NULL OR t.bookedAt >= f.bound
  RETURN b, t
  ORDER BY t.bookedAt ASC
  LIMIT $fanOut
}
RETURN a.accountKey AS fromFrontier, b.accountKey AS reached, b.institutionId AS institutionId,
       b.country AS country, t.transferId AS transferId, a.accountKey AS fromKey, b.accountKey AS toKey,
       t.bookedAt AS bookedAt, t.amountMinor AS amountMinor, t.currency AS currency, t.scale AS scale
`;

/** The start account, so a trace from an unknown key says so instead of returning an empty path. */
export const TRACE_START_ACCOUNT = `
MATCH (a:Account {accountKey: $accountKey})
RETURN a.accountKey AS accountKey, a.institutionId AS institutionId, a.country AS country
`;
