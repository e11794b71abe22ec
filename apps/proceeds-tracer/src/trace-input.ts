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
  const first = transfers[0];
  const oneAsset = transfers.every((t) => t.currency === first?.currency && t.scale === first.scale);
  if (oneAsset && first) return { currency: first.currency, scale: first.scale, basis: 'asset' };
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
  /** Per unit (`basis/currency/scale`), per transfer id. */
  private readonly converted = new Map<string, Map<string, ReturnType<typeof toEdge>>>();

  /** The conversions into one unit (look the unit up once per subgraph, not once per transfer). */
  inUnit(unit: TraceUnit): (t: ProceedsTransfer) => ReturnType<typeof toEdge> {
    const unitKey = `${unit.basis}/${unit.currency}/${unit.scale}`;
    let byId = this.converted.get(unitKey);
    if (!byId) {
      byId = new Map();
      this.converted.set(unitKey, byId);
    }
    const cache = byId;
    return (t) => {
      let result = cache.get(t.transferId);
      if (!result) {
        result = toEdge(t, unit);
        cache.set(t.transferId, result);
      }
      return result;
    };
  }
}

/** The subgraph's edges in one unit and the case's seeds on them (what a trace needs, and no more). */
const traceEdgesOf = (
  subgraph: ProceedsSubgraph,
  reference: { currency: string; scale: number },
  edgeCache?: EdgeCache,
) => {
  const { kept } = removeLedgerTwins(subgraph.transfers);
  const unit = chooseUnit(kept, reference);
  const convert = edgeCache ? edgeCache.inUnit(unit) : (t: ProceedsTransfer) => toEdge(t, unit);
  const edges: TraceEdge[] = [];
  const untraceable: Untraceable[] = [];
  const traceable = new Set<string>();
  for (const t of kept) {
    const result = convert(t);
    if ('edge' in result) {
      edges.push(result.edge);
      traceable.add(t.transferId);
    } else untraceable.push(result.untraceable);
  }
  const seeds: TaintSeed[] = subgraph.seeds
    .filter((s) => traceable.has(s.transferId))
    .map((s) => ({ sourceId: subgraph.case.caseId, transferId: s.transferId }));
  return { kept, unit, edges, untraceable, seeds };
};

/**
 * Turns a case's subgraph into the tracing engine's input: twins removed, one unit chosen, every transfer as an
 * edge in that unit (or listed as untraceable with the reason), the victim's payments as seeds of the case.
 */
export const toTraceInput = (
  subgraph: ProceedsSubgraph,
  reference: { currency: string; scale: number },
  edgeCache?: EdgeCache,
): TraceInput => {
  const { kept, unit, edges, untraceable, seeds } = traceEdgesOf(subgraph, reference, edgeCache);
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
    const { seeded, held } = traceHeldUnderBaseRules(traceEdgesOf(partial, reference, edgeCache), candidates);
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
