/**
 * Incremental tracing: one victim case's taint carried forward transfer by transfer with per-account state, so
 * a new transfer costs what its two accounts' state costs, never a re-read of the case's subgraph. Both the
 * backfill and each live transfer run the batch trace's own step (`applyEdge`) over the same pools, so the
 * result equals `traceProceeds` over every transfer seen, to the minor unit (differential spec).
 *
 * - An account enters a case when a poisoned transfer reaches it (every account that ever held the case's money
 *   and every account paid by one afterwards); its pool at that moment is the caller's `PoolOpening` (the flows
 *   the batch trace would have read for it).
 * - Each account keeps, per case: its lots under every rule, the poison and LIBR flags, and the order key (event
 *   time, transfer id) of the last transfer applied: a transfer ordered before it is late.
 * - Bounded: a FIFO queue longer than `maxLots` merges its oldest lots into two (the case's money first, then
 *   the clean money): totals are kept exactly, only the order inside the merged part is approximated, and the
 *   state counts how many lots were merged so the alert can say so.
 */
import { addTo, type PoolLot, type SeedPart } from './rule-pools';
import { SPLITTING_RULES, byTimeThenId, type SplittingRule, type TraceEdge } from './trace-proceeds';
import { applyEdge, newStepState, perRule, type LibrRule, type StepState } from './trace-step';

export type RuleAmounts = Record<SplittingRule, bigint>;

/** One account's state in one case (plain data: stored between transfers). */
export interface CaseAccountState {
  readonly pools: Record<SplittingRule, readonly PoolLot[]>;
  /** Ever held the case's money (poison: every later outflow is poisoned). */
  readonly touched: boolean;
  readonly librApplied: boolean;
  /** Order key of the last transfer applied here: event time, then transfer id. */
  readonly lastAtMs: number;
  readonly lastTransferId: string;
  /** Lots merged by the FIFO cap so far (0: the queue is exact). */
  readonly mergedLots: number;
}

/** An account's pool just before a transfer, from flows outside the case's state. */
export interface PoolOpening {
  /** Pool of fifo and haircut: flows alone. */
  readonly flowBalance: bigint;
  /** Pool of the LIBR rules: last reported balance moved by the flows since. */
  readonly balance: bigint;
}

export interface CaseTransferOutcome {
  /** False: neither account is in the case and the transfer is no seed of it; nothing changed. */
  readonly involved: boolean;
  /** New states of the accounts in the case after the transfer (one entry when sender == receiver). */
  readonly states: ReadonlyMap<string, CaseAccountState>;
  /** The case's money this transfer carried, per rule, and its poisoned amount. */
  readonly tainted: RuleAmounts;
  readonly poisoned: bigint;
  /** Cut by a reported balance (LIBR), per LIBR rule. */
  readonly dissipated: Record<LibrRule, bigint>;
}

export interface IncrementalLimits {
  /** Cap on FIFO lots per account and case (>= 4). */
  readonly maxLots: number;
}

export const DEFAULT_INCREMENTAL_LIMITS: IncrementalLimits = { maxLots: 64 };

export const zeroRuleAmounts = (): RuleAmounts => ({
  fifo: 0n,
  haircut: 0n,
  'fifo-libr': 0n,
  'haircut-libr': 0n,
});

const cleanLots = (amount: bigint): PoolLot[] => (amount > 0n ? [{ sourceId: undefined, amount }] : []);

const compareKey = (atMs: number, transferId: string, state: CaseAccountState): number =>
  atMs - state.lastAtMs ||
  (transferId < state.lastTransferId ? -1 : transferId > state.lastTransferId ? 1 : 0);

/** True when the transfer is ordered before the last one applied to this account (or is that one). */
export const isAtOrBefore = (edge: TraceEdge, state: CaseAccountState | undefined): boolean =>
  state !== undefined && compareKey(edge.atMs, edge.transferId, state) <= 0;

/**
 * Merges the oldest FIFO lots when there are more than `maxLots`: the merged part becomes one lot per source
 * (first appearance order) followed by one clean lot. Returns the lots and how many were merged away.
 */
export const capLots = (lots: readonly PoolLot[], maxLots: number): { lots: PoolLot[]; merged: number } => {
  if (lots.length <= maxLots) return { lots: [...lots], merged: 0 };
  const head = lots.slice(0, lots.length - maxLots + 2);
  const perSource = new Map<string, bigint>();
  let clean = 0n;
  for (const lot of head) {
    if (lot.sourceId === undefined) clean += lot.amount;
    else addTo(perSource, lot.sourceId, lot.amount);
  }
  const mergedHead: PoolLot[] = [...perSource].map(([sourceId, amount]) => ({ sourceId, amount }));
  if (clean > 0n) mergedHead.push({ sourceId: undefined, amount: clean });
  const rest = lots.slice(head.length);
  return { lots: [...mergedHead, ...rest], merged: head.length - mergedHead.length };
};

const importAccount = (step: StepState, key: string, state: CaseAccountState): void => {
  for (const rule of SPLITTING_RULES) step.pools[rule].importPool(key, state.pools[rule]);
  if (state.touched) step.touched.add(key);
  if (state.librApplied) step.librCapped.add(key);
};

const importOpening = (step: StepState, key: string, opening: PoolOpening): void => {
  step.pools.fifo.importPool(key, cleanLots(opening.flowBalance));
  step.pools.haircut.importPool(key, cleanLots(opening.flowBalance));
  step.pools['fifo-libr'].importPool(key, cleanLots(opening.balance));
  step.pools['haircut-libr'].importPool(key, cleanLots(opening.balance));
};

const exportAccount = (
  step: StepState,
  key: string,
  edge: TraceEdge,
  mergedBefore: number,
  limits: IncrementalLimits,
): CaseAccountState => {
  let merged = mergedBefore;
  const pools = perRule((rule) => {
    const lots = step.pools[rule].exportPool(key);
    if (rule !== 'fifo' && rule !== 'fifo-libr') return lots;
    const capped = capLots(lots, limits.maxLots);
    merged += capped.merged;
    return capped.lots;
  });
  return {
    pools,
    touched: step.touched.has(key),
    librApplied: step.librCapped.has(key),
    lastAtMs: edge.atMs,
    lastTransferId: edge.transferId,
    mergedLots: merged,
  };
};

const amountsOf = (perSource: Record<SplittingRule, Map<string, bigint>>, caseId: string): RuleAmounts =>
  perRule((rule) => perSource[rule].get(caseId) ?? 0n);

/**
 * Applies one transfer to one case: the sender's and receiver's states in, their new states out. `opening` is
 * asked for the receiver's pool only when the transfer brings it into the case. O(lots of the two accounts).
 */
export const applyCaseTransfer = (input: {
  readonly caseId: string;
  readonly edge: TraceEdge;
  /** Part of this transfer that is the case's seed (a victim's reported payment), 0n when none. */
  readonly seeded: bigint;
  readonly sender: CaseAccountState | undefined;
  readonly receiver: CaseAccountState | undefined;
  readonly opening: (accountKey: string) => PoolOpening;
  readonly limits?: IncrementalLimits;
}): CaseTransferOutcome => {
  const { caseId, edge, seeded, sender } = input;
  const limits = input.limits ?? DEFAULT_INCREMENTAL_LIMITS;
  const self = edge.fromKey === edge.toKey;
  const receiver = self ? sender : input.receiver;
  if (!sender && !receiver && seeded === 0n) {
    return {
      involved: false,
      states: new Map(),
      tainted: zeroRuleAmounts(),
      poisoned: 0n,
      dissipated: { 'fifo-libr': 0n, 'haircut-libr': 0n },
    };
  }
  const step = newStepState();
  // A sender outside the case holds none of its money: its (unknown) pool pays clean money. A receiver outside
  // it starts from its opening pool (a self-transfer's account is both).
  if (sender) importAccount(step, edge.fromKey, sender);
  if (receiver && !self) importAccount(step, edge.toKey, receiver);
  if (!receiver) importOpening(step, edge.toKey, input.opening(edge.toKey));
  const seeds: SeedPart[] = seeded > 0n ? [{ sourceId: caseId, amount: seeded }] : [];
  const { tainted, poisoned } = applyEdge(step, edge, seeds);

  const states = new Map<string, CaseAccountState>();
  if (sender && !self) {
    states.set(edge.fromKey, exportAccount(step, edge.fromKey, edge, sender.mergedLots, limits));
  }
  if (receiver || step.touched.has(edge.toKey)) {
    states.set(edge.toKey, exportAccount(step, edge.toKey, edge, receiver?.mergedLots ?? 0, limits));
  }
  return {
    involved: true,
    states,
    tainted: amountsOf(tainted, caseId),
    poisoned,
    dissipated: {
      'fifo-libr': step.dissipated['fifo-libr'].get(caseId) ?? 0n,
      'haircut-libr': step.dissipated['haircut-libr'].get(caseId) ?? 0n,
    },
  };
};

/** The case's money an account holds, per rule (0n where none). */
export const heldOf = (state: CaseAccountState, caseId: string): RuleAmounts =>
  perRule((rule) => {
    let held = 0n;
    for (const lot of state.pools[rule]) if (lot.sourceId === caseId) held += lot.amount;
    return held;
  });

const totalOf = (lots: readonly PoolLot[]): bigint => {
  let total = 0n;
  for (const lot of lots) total += lot.amount;
  return total;
};

/** flowBalance (fifo pool), balance (LIBR pool) and the poison bound of an account in a case. */
export const positionOf = (
  state: CaseAccountState,
): { flowBalance: bigint; balance: bigint; poisonUpperBound: bigint } => {
  const flowBalance = totalOf(state.pools.fifo);
  const balance = totalOf(state.pools['fifo-libr']);
  const most = balance > flowBalance ? balance : flowBalance;
  return { flowBalance, balance, poisonUpperBound: state.touched ? most : 0n };
};

/** What happened to a case's money so far, per rule (conservation: seeded = held + dissipated + untraceable). */
export interface CaseTotals {
  readonly seeded: bigint;
  readonly dissipated: Record<LibrRule, bigint>;
  /** Left the state by a bound (a case evicted from a full account), per rule. */
  readonly untraceable: RuleAmounts;
}

export const emptyCaseTotals = (): CaseTotals => ({
  seeded: 0n,
  dissipated: { 'fifo-libr': 0n, 'haircut-libr': 0n },
  untraceable: zeroRuleAmounts(),
});

/**
 * The backfill: traces a case's subgraph once (exactly as `traceProceeds`) and returns the state of every
 * account it touched, ready for live transfers. `edges` are the subgraph (any order); seeds belong to the case.
 */
export const traceCaseState = (input: {
  readonly caseId: string;
  readonly edges: readonly TraceEdge[];
  readonly seeds: readonly { transferId: string; amount?: bigint }[];
  readonly limits?: IncrementalLimits;
}): { states: Map<string, CaseAccountState>; totals: CaseTotals } => {
  const limits = input.limits ?? DEFAULT_INCREMENTAL_LIMITS;
  const amounts = new Map(input.edges.map((e) => [e.transferId, e.amount]));
  const seededPerEdge = new Map<string, bigint>();
  let seededTotal = 0n;
  for (const seed of input.seeds) {
    const amount = seed.amount ?? amounts.get(seed.transferId);
    if (amount === undefined) throw new RangeError(`seed of ${input.caseId}: no transfer ${seed.transferId}`);
    addTo(seededPerEdge, seed.transferId, amount);
    seededTotal += amount;
  }
  const step = newStepState();
  const last = new Map<string, TraceEdge>();
  const merged = new Map<string, number>();
  for (const edge of [...input.edges].sort(byTimeThenId)) {
    const seeded = seededPerEdge.get(edge.transferId) ?? 0n;
    applyEdge(step, edge, seeded > 0n ? [{ sourceId: input.caseId, amount: seeded }] : []);
    for (const key of [edge.fromKey, edge.toKey]) {
      last.set(key, edge);
      if (!step.touched.has(key)) continue;
      // Keep the backfill bounded like live transfers do.
      for (const rule of ['fifo', 'fifo-libr'] as const) {
        const capped = capLots(step.pools[rule].exportPool(key), limits.maxLots);
        if (capped.merged === 0) continue;
        step.pools[rule].importPool(key, capped.lots);
        merged.set(key, (merged.get(key) ?? 0) + capped.merged);
      }
    }
  }
  const states = new Map<string, CaseAccountState>();
  for (const key of step.touched) {
    const edge = last.get(key);
    if (edge) states.set(key, exportAccount(step, key, edge, merged.get(key) ?? 0, limits));
  }
  return {
    states,
    totals: {
      seeded: seededTotal,
      dissipated: {
        'fifo-libr': step.dissipated['fifo-libr'].get(input.caseId) ?? 0n,
        'haircut-libr': step.dissipated['haircut-libr'].get(input.caseId) ?? 0n,
      },
      untraceable: zeroRuleAmounts(),
    },
  };
};
