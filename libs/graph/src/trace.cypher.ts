/** Collapses whitespace: the statement travels with every hop (see TRACE_MESSAGE_BUDGET_BYTES). */
const compact = (cypher: string): string => cypher.replace(/\s+/g, ' ').trim();

/**
 * One hop of an investigator's money trace, run once per hop over the whole frontier (breadth first).
 * Each frontier entry is an account and the time bound the next transfer must respect, so every path is
 * time-respecting: backward, each earlier hop was booked no later than the one it paid for; forward, each
 * next hop no earlier than the one that brought the money. A null bound (the start account without a
 * start time) lets every transfer through; the window limit bounds every hop.
 *
 * Bounds, so one hub never costs the whole query:
 * - an account with more than the hub degree of transfers in the traced direction (exchange hot wallet, merchant,
 *   payroll) is not expanded: its degree comes from the degree store without reading a relationship, and the
 *   caller reports it as a cut;
 * - per account, at most fan-out + 1 transfers are returned, the largest first (reference amount where
 *   known): the caller keeps `fanOut` and reports a cut when the extra one came back.
 * The minimum amount drops transfers in its currency below it (minor-unit digit strings, compared by length
 * then text); transfers in other currencies are not filtered by it.
 * One row per frontier account, its moves collected, so a cut or a dead end is visible too. A move is a flat list
 * (reached account's key, institution, country, kind; transfer id, booking time, amount, currency, scale): maps
 * would send and decode their nine key strings again with every move. Times come back as epoch milliseconds: a
 * DateTime value costs the driver a structure and integer arithmetic per transfer.
 *
 * Parameters are terse so a batch of the frontier fits the request budget (TRACE_MESSAGE_BUDGET_BYTES in the
 * repository, which says when it still matters): `$f` frontier entries `[accountKey, epochMillis | null]`,
 * `$n` fan-out + 1, `$h` hub degree, `$w` window limit, `$c`/`$m` minimum amount currency and minor units.
 */
const hop = (direction: 'forward' | 'backward') => {
  const forward = direction === 'forward';
  const pattern = forward ? '(a)-[t:TRANSFERRED_TO]->(b:Account)' : '(b:Account)-[t:TRANSFERRED_TO]->(a)';
  const degree = forward ? '(a)-[:TRANSFERRED_TO]->()' : '(a)<-[:TRANSFERRED_TO]-()';
  const bound = forward ? 't.bookedAt>=f.b' : 't.bookedAt<=f.b';
  const window = forward ? '($w IS NULL OR t.bookedAt<=$w)' : '($w IS NULL OR t.bookedAt>=$w)';
  return compact(`
UNWIND $f AS e
MATCH (a:Account {accountKey: e[0]})
WITH a, {b: CASE WHEN e[1] IS NULL THEN null ELSE datetime({epochMillis: e[1]}) END} AS f, COUNT { ${degree} } AS d
CALL (a, f, d) {
  MATCH ${pattern}
  WHERE d <= $h AND (f.b IS NULL OR ${bound}) AND ${window}
    AND ($c IS NULL OR t.currency <> $c OR size(t.amountMinor) > size($m) OR (size(t.amountMinor) = size($m) AND t.amountMinor >= $m))
  WITH b, t, coalesce(t.refAmountMinor, t.amountMinor) AS z
  ORDER BY size(z) DESC, z DESC, t.bookedAt ${forward ? 'ASC' : 'DESC'}, t.transferId
  LIMIT $n
  RETURN collect([b.accountKey, b.institutionId, b.country, b.kind, t.transferId, t.bookedAt.epochMillis, t.amountMinor, t.currency, t.scale]) AS m
}
RETURN a.accountKey AS k, d, m
`);
};

export const TRACE_FORWARD_HOP = hop('forward');
export const TRACE_BACKWARD_HOP = hop('backward');

/** The start account, so a trace from an unknown key says so instead of returning an empty path. */
export const TRACE_START_ACCOUNT = `
MATCH (a:Account {accountKey: $accountKey})
RETURN a.accountKey AS accountKey, a.institutionId AS institutionId, a.country AS country, a.kind AS kind
`;
