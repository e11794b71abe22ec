import type { FollowFilter, ProceedsSubgraph, ProceedsTransfer } from '@scamflow/graph';
import { traceHeldUnderBaseRules, type TaintSeed, type TraceEdge } from '@scamflow/tracing';

/** The one unit a trace adds amounts in. */
export interface TraceUnit {
  readonly currency: string;
  readonly scale: number;
  /** `asset`: every transfer shares one asset and scale; `reference`: mixed, traced in reference amounts. */
  readonly basis: 'asset' | 'reference';
}

export interface Untraceable {
  readonly transferId: string;
  readonly reason: string;
}

export interface TraceInput {
  readonly unit: TraceUnit;
  readonly edges: readonly TraceEdge[];
  readonly seeds: readonly TaintSeed[];
  readonly untraceable: readonly Untraceable[];
  /** The transfers kept (twins removed), by id. */
  readonly transfers: ReadonlyMap<string, ProceedsTransfer>;
}

/**
 * A VASP ledger withdrawal and its on-chain twin (same transaction hash, same receiving wallet) are one
 * movement: the ledger side is kept (it names the customer account the money left), the on-chain copy from the
 * VASP's hot wallet is dropped. A deposit is not a twin: the chain pays the deposit address and the ledger then
 * credits the customer, two consecutive hops.
 */
export const removeLedgerTwins = (
  transfers: readonly ProceedsTransfer[],
): { kept: ProceedsTransfer[]; dropped: ProceedsTransfer[] } => {
  const ledgerLegs = new Set(
    transfers.filter((t) => t.rail === 'vasp-ledger' && t.txHash).map((t) => `${t.txHash}|${t.toKey}`),
  );
  const kept: ProceedsTransfer[] = [];
  const dropped: ProceedsTransfer[] = [];
  for (const t of transfers) {
    const twin = t.rail === 'onchain' && t.txHash !== undefined && ledgerLegs.has(`${t.txHash}|${t.toKey}`);
    (twin ? dropped : kept).push(t);
  }
  return { kept, dropped };
};

/** The transfers' own asset when they all share one (asset and scale), else the reference currency. */
export const chooseUnit = (
  transfers: readonly ProceedsTransfer[],
  reference: { currency: string; scale: number },
): TraceUnit => {
  const assets = new Set(transfers.map((t) => `${t.currency}/${t.scale}`));
  const first = transfers[0];
  if (assets.size === 1 && first) return { currency: first.currency, scale: first.scale, basis: 'asset' };
  return { ...reference, basis: 'reference' };
};

/** One transfer as an edge in the trace's unit, or why it cannot be one. */
export const toEdge = (
  t: ProceedsTransfer,
  unit: TraceUnit,
): { edge: TraceEdge } | { untraceable: Untraceable } => {
  const own = BigInt(t.amountMinor);
  const balance = t.debtorBalanceAfterMinor === undefined ? undefined : BigInt(t.debtorBalanceAfterMinor);
  const base = { transferId: t.transferId, fromKey: t.fromKey, toKey: t.toKey, atMs: Date.parse(t.bookedAt) };
  if (unit.basis === 'asset') {
    if (own <= 0n) return { untraceable: { transferId: t.transferId, reason: 'zero amount' } };
    return {
      edge: { ...base, amount: own, ...(balance !== undefined ? { debtorBalanceAfter: balance } : {}) },
    };
  }
  if (t.refAmountMinor === undefined) {
    return {
      untraceable: {
        transferId: t.transferId,
        reason: `no ${unit.currency} reference amount (no ${t.currency}→${unit.currency} rate at ${t.bookedAt})`,
      },
    };
  }
  const amount = BigInt(t.refAmountMinor);
  if (amount <= 0n) {
    return { untraceable: { transferId: t.transferId, reason: `rounds to zero in ${unit.currency}` } };
  }
  // The reported balance converts at the transfer's own rate (rounded down: a claim is never overstated).
  const converted = balance !== undefined && own > 0n ? (balance * amount) / own : undefined;
  return {
    edge: { ...base, amount, ...(converted !== undefined ? { debtorBalanceAfter: converted } : {}) },
  };
};

/**
 * Transfers already converted to edges, by unit and transfer id: a trace from the graph converts each transfer
 * once for every hop's follow decision and the final trace (one cache per read, dropped with it).
 */
export class EdgeCache {
  private readonly converted = new Map<string, ReturnType<typeof toEdge>>();

  edgeOf(t: ProceedsTransfer, unit: TraceUnit): ReturnType<typeof toEdge> {
    const key = `${unit.basis}/${unit.currency}/${unit.scale}/${t.transferId}`;
    let result = this.converted.get(key);
    if (!result) {
      result = toEdge(t, unit);
      this.converted.set(key, result);
    }
    return result;
  }
}

/**
 * Turns a case's subgraph into the tracing engine's input: twins removed, one unit chosen, every transfer as an
 * edge in that unit (or listed as untraceable with the reason), the victim's payments as seeds of the case.
 */
export const toTraceInput = (
  subgraph: ProceedsSubgraph,
  reference: { currency: string; scale: number },
  edgeCache?: EdgeCache,
): TraceInput => {
  const { kept } = removeLedgerTwins(subgraph.transfers);
  const unit = chooseUnit(kept, reference);
  const edges: TraceEdge[] = [];
  const untraceable: Untraceable[] = [];
  for (const t of kept) {
    const result = edgeCache ? edgeCache.edgeOf(t, unit) : toEdge(t, unit);
    if ('edge' in result) edges.push(result.edge);
    else untraceable.push(result.untraceable);
  }
  const traceable = new Set(edges.map((e) => e.transferId));
  const seeds: TaintSeed[] = subgraph.seeds
    .filter((s) => traceable.has(s.transferId))
    .map((s) => ({ sourceId: subgraph.case.caseId, transferId: s.transferId }));
  for (const index of subgraph.unmatchedPayments) {
    const payment = subgraph.case.reportedTransfers[index];
    untraceable.push({
      transferId: payment?.transferId ?? `reported-payment-${index}`,
      reason: 'reported payment not found in the graph (yet)',
    });
  }
  return {
    unit,
    edges,
    seeds,
    untraceable,
    transfers: new Map(kept.map((t) => [t.transferId, t])),
  };
};

/**
 * Expands only accounts that received at least `minShare` of the case's money under FIFO or haircut: traces
 * the subgraph read so far and keeps the candidates holding that much. Poison is not a reason to follow (it is
 * an upper bound), so the poison figure covers the followed subgraph only.
 */
export const followMaterialShare =
  (reference: { currency: string; scale: number }, minShare: number, edgeCache?: EdgeCache): FollowFilter =>
  (partial, candidates) => {
    const caseId = partial.case.caseId;
    const input = toTraceInput(partial, reference, edgeCache);
    const { seeded, held } = traceHeldUnderBaseRules(input, candidates);
    const minPpm = BigInt(Math.round(minShare * 1_000_000));
    const floor = minPpm * (seeded.get(caseId) ?? 0n);
    const worth = new Set<string>();
    for (const [accountKey, holdings] of held) {
      const fifo = holdings.fifo.get(caseId) ?? 0n;
      const haircut = holdings.haircut.get(caseId) ?? 0n;
      const most = fifo > haircut ? fifo : haircut;
      if (most > 0n && most * 1_000_000n >= floor) worth.add(accountKey);
    }
    return worth;
  };
