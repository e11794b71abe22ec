/**
 * How much of each victim's money sits where, after it moved through a graph of transfers (DOMAIN.md, "How
 * much of the victim's money is where"). Pure and single pass: edges in time order (ties: transferId).
 *
 * - Every account has a pool of funds. Its opening balance is unknown and assumed 0: every unit the flows do
 *   not explain is clean, which keeps the victim's money in the traced accounts (it favours the victim). An
 *   outflow larger than the pool takes the shortfall from such clean money.
 * - A seed marks (part of) an edge as victim money; it is injected on the edge, so the victim's own inflows
 *   need not be in the subgraph. Only the unseeded rest of a seed edge comes out of the sender's pool.
 * - fifo: oldest lots leave first (clean lots too); seeded money is the oldest part of its edge.
 * - haircut: an outflow carries the pool's taint share per source, rounded down; the remainder stays with the
 *   sender, so taint is conserved exactly.
 * - fifo-libr / haircut-libr: the same, plus the lowest intermediate balance rule: when a transfer reports the
 *   debtor's balance after it, the pool is set to that balance; taint above it is cut (oldest tainted lots
 *   first, or pro-rata) and counted as dissipated (left by a route the feed does not show, e.g. cash).
 *   With no reported balance they equal their base rule.
 * - poison: any outflow of an account that ever held taint is wholly poisoned: an upper bound for triage,
 *   never a freeze amount.
 * Invariant, per source and rule: sum held over holders + dissipated == seeded.
 */
import { FifoPools } from './fifo-pools';
import { HaircutPools } from './haircut-pools';
import { addTo, sumOf, type SeedPart } from './rule-pools';
import { applyEdge, newStepState, perRule } from './trace-step';

/** One transfer of the traced subgraph, amounts in ONE unit chosen by the caller (e.g. USD cents). */
export interface TraceEdge {
  readonly transferId: string;
  readonly fromKey: string;
  readonly toKey: string;
  readonly atMs: number;
  readonly amount: bigint; // > 0
  /** Debtor's balance right after this transfer, as reported by its bank (same unit), when known. */
  readonly debtorBalanceAfter?: bigint;
}

/** Victim money entering the subgraph: (part of) an edge's amount belongs to a source (a victim case). */
export interface TaintSeed {
  readonly sourceId: string;
  readonly transferId: string;
  readonly amount?: bigint /* default: whole edge */;
}

export type TracingRule = 'fifo' | 'haircut' | 'fifo-libr' | 'haircut-libr' | 'poison';

/** The rules that split taint per source (poison only bounds it). */
export type SplittingRule = Exclude<TracingRule, 'poison'>;

export const SPLITTING_RULES = [
  'fifo',
  'haircut',
  'fifo-libr',
  'haircut-libr',
] as const satisfies readonly SplittingRule[];

export interface HolderPosition {
  readonly accountKey: string;
  /**
   * Computed balance of the account from the subgraph's flows (opening balance assumed 0 unless reported):
   * the last balance its bank reported, moved by the flows since. The pool of the *-libr rules.
   */
  readonly balance: bigint;
  /** Balance from the flows alone, reported balances ignored: the pool of fifo and haircut. */
  readonly flowBalance: bigint;
  /** Per rule, per source: the traced amount still held. Poison has one total (upper bound, not per source). */
  readonly held: Record<SplittingRule, ReadonlyMap<string, bigint>>;
  /** max(balance, flowBalance) when the account ever received taint, else 0: at least every rule's total. */
  readonly poisonUpperBound: bigint;
  /** True when at least one reported balance of this account (or upstream) capped the *-libr rules. */
  readonly librApplied: boolean;
}

export interface LedgerHop {
  // one per edge that carried taint under any rule (poison included)
  readonly transferId: string;
  readonly fromKey: string;
  readonly toKey: string;
  readonly atMs: number;
  readonly amount: bigint;
  readonly tainted: Record<SplittingRule, ReadonlyMap<string, bigint>>;
  readonly poisoned: bigint;
}

export interface SourceOutcome {
  readonly seeded: bigint;
  readonly dissipated: Record<'fifo-libr' | 'haircut-libr', bigint>;
}

export interface TraceResult {
  readonly holders: readonly HolderPosition[]; // accounts holding >0 under any rule, sorted by fifo total desc then key
  readonly ledger: readonly LedgerHop[]; // time order
  /** Per source: seeded amount, and per rule how much left the trace (dissipated by a LIBR cap / cash-out not in the feed). */
  readonly sources: ReadonlyMap<string, SourceOutcome>;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const byTimeThenId = (a: TraceEdge, b: TraceEdge): number =>
  a.atMs - b.atMs || compareText(a.transferId, b.transferId);

/** Seeds grouped per edge, validated against the edges; parts per edge sorted by source for determinism. */
const groupSeeds = (
  edges: readonly TraceEdge[],
  seeds: readonly TaintSeed[],
): { perEdge: Map<string, SeedPart[]>; seeded: Map<string, bigint> } => {
  const amounts = new Map<string, bigint>();
  for (const edge of edges) {
    if (edge.amount <= 0n) throw new RangeError(`transfer ${edge.transferId}: amount must be > 0`);
    if (amounts.has(edge.transferId)) throw new RangeError(`transfer ${edge.transferId} appears twice`);
    amounts.set(edge.transferId, edge.amount);
  }
  const grouped = new Map<string, Map<string, bigint>>();
  const seeded = new Map<string, bigint>();
  for (const seed of seeds) {
    const edgeAmount = amounts.get(seed.transferId);
    if (edgeAmount === undefined)
      throw new RangeError(`seed of ${seed.sourceId}: no transfer ${seed.transferId}`);
    const amount = seed.amount ?? edgeAmount;
    if (amount <= 0n)
      throw new RangeError(`seed of ${seed.sourceId} on ${seed.transferId}: amount must be > 0`);
    const parts = grouped.get(seed.transferId) ?? new Map<string, bigint>();
    grouped.set(seed.transferId, parts);
    addTo(parts, seed.sourceId, amount);
    if (sumOf(parts) > edgeAmount) throw new RangeError(`seeds on ${seed.transferId} exceed its amount`);
    addTo(seeded, seed.sourceId, amount);
  }
  const perEdge = new Map<string, SeedPart[]>();
  for (const [transferId, parts] of grouped) {
    perEdge.set(
      transferId,
      [...parts.entries()]
        .sort(([a], [b]) => compareText(a, b))
        .map(([sourceId, amount]) => ({ sourceId, amount })),
    );
  }
  return { perEdge, seeded };
};

export const traceProceeds = (input: {
  edges: readonly TraceEdge[];
  seeds: readonly TaintSeed[];
}): TraceResult => {
  const { perEdge, seeded } = groupSeeds(input.edges, input.seeds);
  const state = newStepState();
  const { pools, touched, librCapped, dissipated } = state;
  const accounts = new Set<string>();
  const ledger: LedgerHop[] = [];

  for (const edge of [...input.edges].sort(byTimeThenId)) {
    accounts.add(edge.fromKey).add(edge.toKey);
    const { tainted, poisoned } = applyEdge(state, edge, perEdge.get(edge.transferId) ?? []);
    if (poisoned > 0n || SPLITTING_RULES.some((rule) => tainted[rule].size > 0)) {
      const { transferId, fromKey, toKey, atMs, amount } = edge;
      ledger.push({ transferId, fromKey, toKey, atMs, amount, tainted, poisoned });
    }
  }

  const holders: HolderPosition[] = [];
  for (const accountKey of accounts) {
    const held = perRule((rule) => pools[rule].held(accountKey));
    const balance = pools['fifo-libr'].balance(accountKey);
    const flowBalance = pools.fifo.balance(accountKey);
    const poisonUpperBound = touched.has(accountKey) ? (balance > flowBalance ? balance : flowBalance) : 0n;
    if (poisonUpperBound === 0n && SPLITTING_RULES.every((rule) => held[rule].size === 0)) continue;
    holders.push({
      accountKey,
      balance,
      flowBalance,
      held,
      poisonUpperBound,
      librApplied: librCapped.has(accountKey),
    });
  }
  const fifoTotals = new Map(holders.map((holder) => [holder.accountKey, sumOf(holder.held.fifo)]));
  holders.sort((a, b) => {
    const totalA = fifoTotals.get(a.accountKey) ?? 0n;
    const totalB = fifoTotals.get(b.accountKey) ?? 0n;
    return totalA === totalB ? compareText(a.accountKey, b.accountKey) : totalA > totalB ? -1 : 1;
  });

  const sources = new Map<string, SourceOutcome>();
  for (const [sourceId, amount] of [...seeded.entries()].sort(([a], [b]) => compareText(a, b))) {
    sources.set(sourceId, {
      seeded: amount,
      dissipated: {
        'fifo-libr': dissipated['fifo-libr'].get(sourceId) ?? 0n,
        'haircut-libr': dissipated['haircut-libr'].get(sourceId) ?? 0n,
      },
    });
  }
  return { holders, ledger, sources };
};

/** What `traceHeldUnderBaseRules` says an account holds: per source, under FIFO and under haircut. */
export interface BaseRuleHoldings {
  readonly fifo: ReadonlyMap<string, bigint>;
  readonly haircut: ReadonlyMap<string, bigint>;
}

/**
 * The FIFO and haircut holdings `traceProceeds` gives the named accounts, and what each source seeded, without
 * the LIBR rules, poison, the ledger or the holder list. A trace from the graph decides after every hop which
 * accounts are worth expanding from these two rules alone, over the subgraph read so far; running the whole
 * trace for that cost it more than the final trace. Same edges in the same order through the same pools, so the
 * figures are `traceProceeds`'s to the minor unit (the LIBR rules only differ where a balance is reported, and
 * only in their own pools).
 */
export const traceHeldUnderBaseRules = (
  input: { edges: readonly TraceEdge[]; seeds: readonly TaintSeed[] },
  accountKeys: Iterable<string>,
): { seeded: ReadonlyMap<string, bigint>; held: Map<string, BaseRuleHoldings> } => {
  const { perEdge, seeded } = groupSeeds(input.edges, input.seeds);
  const fifo = new FifoPools();
  const haircut = new HaircutPools();
  for (const edge of [...input.edges].sort(byTimeThenId)) {
    const seeds = perEdge.get(edge.transferId) ?? [];
    let seededHere = 0n;
    for (const seed of seeds) seededHere += seed.amount;
    fifo.transfer(edge.fromKey, edge.toKey, edge.amount - seededHere, seeds);
    haircut.transfer(edge.fromKey, edge.toKey, edge.amount - seededHere, seeds);
  }
  const held = new Map<string, BaseRuleHoldings>();
  for (const key of accountKeys) held.set(key, { fifo: fifo.held(key), haircut: haircut.held(key) });
  return { seeded, held };
};
