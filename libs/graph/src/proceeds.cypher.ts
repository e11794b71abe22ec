/**
 * Reads for the proceeds tracer: a victim case, the victim's reported payments, and the forward subgraph of
 * where the money went. Every transfer is returned as the same positional list (see `TRANSFER_ROW`): a map
 * would send and decode its 21 key strings with every transfer on the tracer's hot path. Its booking time comes
 * as epoch milliseconds, cheaper to read than a DateTime structure.
 */
const TRANSFER_FIELDS = `
  t.transferId, d.accountKey, c.accountKey, t.rail, t.bookedAt.epochMillis,
  t.amountMinor, t.currency, t.scale, t.refAmountMinor, t.debtorBalanceAfterMinor, t.txHash`;
const TRANSFER_ROW = `[${TRANSFER_FIELDS},
  d.accountId, d.institutionId, d.country, d.kind,
  c.accountId, c.institutionId, c.country, c.kind
]`;

/** True for an on-chain transfer whose VASP ledger withdrawal (same hash, same receiving wallet) is in the graph. */
const LEDGER_TWIN = `(t.rail = 'onchain' AND t.txHash IS NOT NULL AND EXISTS {
  MATCH (:Account)-[:TRANSFERRED_TO {txHash: t.txHash, rail: 'vasp-ledger'}]->(c)
})`;

/** The cases as the graph holds them (latest version) with their victim accounts; unknown ids are left out. */
export const READ_PROCEEDS_CASES = `
UNWIND $caseIds AS caseId
MATCH (r:VictimReport {caseId: caseId})
OPTIONAL MATCH (r)-[:REPORTS_VICTIM]->(a:Account)
RETURN r.caseId AS caseId, r.version AS version, r.reportedAt AS reportedAt,
       r.reportedTransfers AS reportedTransfers,
       collect(a {.accountKey, .accountId, .institutionId, .country, .kind}) AS victims
`;

/** Reported payments the report references by canonical transfer id (absent ids are simply not returned). */
export const READ_REPORTED_TRANSFERS = `
UNWIND $transferIds AS transferId
MATCH (d:Account)-[t:TRANSFERRED_TO {transferId: transferId}]->(c:Account)
RETURN ${TRANSFER_ROW} AS transfer
`;

/**
 * Payments a victim describes only by amount and time: the victim accounts' outgoing transfers of exactly that
 * amount (same currency and scale) booked within the payment's tolerance window [from, to]. Each payment names
 * its case (`caseIndex`) and that case's victim accounts, so several cases are matched in one statement.
 */
export const MATCH_REPORTED_PAYMENTS = `
UNWIND $payments AS p
UNWIND p.victimKeys AS victimKey
MATCH (d:Account {accountKey: victimKey})-[t:TRANSFERRED_TO]->(c:Account)
WHERE t.amountMinor = p.amountMinor AND t.currency = p.currency AND t.scale = p.scale
  AND t.bookedAt >= p.from AND t.bookedAt <= p.to
RETURN p.caseIndex AS caseIndex, p.index AS paymentIndex, ${TRANSFER_ROW} AS transfer
`;

/**
 * One hop of the forward trace, for the whole frontier of one or several cases at once. Each frontier entry is
 * a case (`at`, echoed back), an account, the earliest time that case's traced money arrived there (`since`), a
 * look-back before it (`fromMs`) and the case's horizon (`untilMs`): the account's transfers in both directions
 * booked from `from` up to `until` are returned. Outflows from `since` on carry the money on (the caller follows
 * only those: each hop no earlier than the one that brought it); earlier flows and all inflows make up the pool
 * the traced money mixes into (older clean money leaves first under FIFO). At most `$edgeLimit` transfers per
 * account: the caller treats an account that reaches it as a hub (exchange hot wallet, merchant, remittance
 * company) where tracing stops, so a hub never explodes the subgraph. The hot read of a trace, so it sends less:
 * each transfer as its own fields only (`TRANSFER_FIELDS`, the first eleven of `TRANSFER_ROW`), each account once
 * per frontier entry (`accounts`: key, id, institution, country, kind), and times as epoch milliseconds.
 */
export const EXPAND_PROCEEDS_HOP = `
UNWIND $frontier AS f
MATCH (a:Account {accountKey: f.accountKey})
CALL (a, f) {
  WITH datetime({epochMillis: f.fromMs}) AS fromAt, datetime({epochMillis: f.untilMs}) AS untilAt
  MATCH (a)-[r:TRANSFERRED_TO]-(:Account)
  WHERE r.bookedAt >= fromAt AND r.bookedAt <= untilAt
  WITH r LIMIT $edgeLimit
  WITH startNode(r) AS d, r AS t, endNode(r) AS c
  RETURN collect([${TRANSFER_FIELDS}]) AS transfers, collect(DISTINCT CASE WHEN d = a THEN c ELSE d END) AS others
}
RETURN f.at AS at, a.accountKey AS accountKey, transfers,
       [o IN others + a | [o.accountKey, o.accountId, o.institutionId, o.country, o.kind]] AS accounts
`;

/**
 * Committed transfers by id, for the incremental tracer (only those touching an account that holds a case's
 * state). `ledgerTwin`: an on-chain transfer whose VASP ledger withdrawal (same hash, same receiving wallet) is
 * in the graph too, so it is the same movement seen twice.
 */
export const READ_COMMITTED_TRANSFERS = `
UNWIND $transferIds AS transferId
MATCH (d:Account)-[t:TRANSFERRED_TO {transferId: transferId}]->(c:Account)
RETURN ${TRANSFER_ROW} AS transfer, ${LEDGER_TWIN} AS ledgerTwin
`;

/**
 * An account's transfers in both directions booked in [from, until], when a case's money first reaches it: the
 * flows before that make up its pool, those after it that the graph already holds are carried at once (they
 * were committed before the money's arrival was). At most `$edgeLimit`: more marks a hub, as in the batch
 * trace's window. `ledgerTwin` as in `READ_COMMITTED_TRANSFERS`.
 */
export const READ_POOL_FLOWS = `
UNWIND $accounts AS f
MATCH (a:Account {accountKey: f.accountKey})
CALL (a, f) {
  MATCH (a)-[r:TRANSFERRED_TO]-(:Account)
  WHERE r.bookedAt >= f.from AND r.bookedAt <= f.until
  WITH r LIMIT $edgeLimit
  WITH startNode(r) AS d, r AS t, endNode(r) AS c
  RETURN collect(${TRANSFER_ROW} + [${LEDGER_TWIN}]) AS transfers
}
RETURN f.at AS at, transfers
`;
