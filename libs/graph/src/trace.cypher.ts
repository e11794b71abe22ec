/**
 * One hop of an investigator's money trace, run once per hop over the whole frontier (breadth first).
 * Each frontier entry is an account and the time bound the next transfer must respect, so every path is
 * time-respecting: backward, each earlier hop was booked no later than the one it paid for; forward, each
 * next hop no earlier than the one that brought the money. A null bound (the start account without a
 * start time) lets every transfer through; `$windowEnd` / `$windowStart` bound every hop.
 *
 * Bounds, so one hub never costs the whole query:
 * - an account with more than `$hubDegree` transfers in the traced direction (exchange hot wallet, merchant,
 *   payroll) is not expanded: its degree comes from the degree store without reading a relationship, and the
 *   caller reports it as a cut;
 * - per account, at most `$fanOutPlusOne` transfers are returned, the largest first (reference amount where
 *   known): the caller keeps `fanOut` and reports a cut when the extra one came back.
 * `$minAmount` drops transfers in `$minCurrency` below it (minor-unit digit strings, compared by length then
 * text); transfers in other currencies are not filtered by it.
 * One row per frontier account, its moves collected, so a cut or a dead end is visible too.
 */
const hop = (direction: 'forward' | 'backward') => {
  const forward = direction === 'forward';
  const pattern = forward ? '(a)-[t:TRANSFERRED_TO]->(b:Account)' : '(b:Account)-[t:TRANSFERRED_TO]->(a)';
  const degree = forward ? 'COUNT { (a)-[:TRANSFERRED_TO]->() }' : 'COUNT { (a)<-[:TRANSFERRED_TO]-() }';
  const timeBound = forward
    ? '(f.bound IS NULL OR t.bookedAt >= f.bound) AND ($windowEnd IS NULL OR t.bookedAt <= $windowEnd)'
    : '(f.bound IS NULL OR t.bookedAt <= f.bound) AND ($windowStart IS NULL OR t.bookedAt >= $windowStart)';
  return `
UNWIND $frontier AS f
MATCH (a:Account {accountKey: f.accountKey})
WITH a, f, ${degree} AS degree
CALL (a, f, degree) {
  MATCH ${pattern}
  WHERE degree <= $hubDegree AND ${timeBound}
    AND ($minCurrency IS NULL OR t.currency <> $minCurrency OR size(t.amountMinor) > size($minAmount)
         OR (size(t.amountMinor) = size($minAmount) AND t.amountMinor >= $minAmount))
  WITH b, t, coalesce(t.refAmountMinor, t.amountMinor) AS weight
  ORDER BY size(weight) DESC, weight DESC, t.bookedAt ${forward ? 'ASC' : 'DESC'}, t.transferId
  LIMIT $fanOutPlusOne
  RETURN collect({
    reached: b.accountKey, institutionId: b.institutionId, country: b.country, kind: b.kind,
    transferId: t.transferId, fromKey: ${forward ? 'a' : 'b'}.accountKey, toKey: ${forward ? 'b' : 'a'}.accountKey,
    bookedAt: t.bookedAt, amountMinor: t.amountMinor, currency: t.currency, scale: t.scale
  }) AS moves
}
RETURN a.accountKey AS accountKey, degree, moves
`;
};

export const TRACE_FORWARD_HOP = hop('forward');
export const TRACE_BACKWARD_HOP = hop('backward');

/** The start account, so a trace from an unknown key says so instead of returning an empty path. */
export const TRACE_START_ACCOUNT = `
MATCH (a:Account {accountKey: $accountKey})
RETURN a.accountKey AS accountKey, a.institutionId AS institutionId, a.country AS country, a.kind AS kind
`;
