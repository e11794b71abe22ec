import { FifoPools } from './fifo-pools';
import { HaircutPools } from './haircut-pools';
import { addTo, type RulePools, type SeedPart } from './rule-pools';
import type { SplittingRule, TraceEdge } from './trace-proceeds';

export type LibrRule = 'fifo-libr' | 'haircut-libr';

/**
 * Everything one trace carries from edge to edge. The batch trace keeps one for the whole subgraph; the
 * incremental tracer builds one per transfer holding only its two accounts, so both run exactly this code.
 */
export interface StepState {
  readonly pools: Record<SplittingRule, RulePools>;
  /** Accounts that ever held taint (poison). */
  readonly touched: Set<string>;
  /** Accounts whose LIBR taint was capped by a reported balance, or came from such an account. */
  readonly librCapped: Set<string>;
  /** Taint cut by reported balances, per LIBR rule and source. */
  readonly dissipated: Record<LibrRule, Map<string, bigint>>;
}

export interface StepOutcome {
  readonly tainted: Record<SplittingRule, Map<string, bigint>>;
  readonly poisoned: bigint;
}

export const perRule = <T>(make: (rule: SplittingRule) => T): Record<SplittingRule, T> => ({
  fifo: make('fifo'),
  haircut: make('haircut'),
  'fifo-libr': make('fifo-libr'),
  'haircut-libr': make('haircut-libr'),
});

export const newStepState = (): StepState => ({
  pools: {
    fifo: new FifoPools(),
    haircut: new HaircutPools(),
    'fifo-libr': new FifoPools(),
    'haircut-libr': new HaircutPools(),
  },
  touched: new Set(),
  librCapped: new Set(),
  dissipated: { 'fifo-libr': new Map(), 'haircut-libr': new Map() },
});

/** One edge of a trace: moves money and taint under every rule, poisons, applies a reported balance. */
export const applyEdge = (state: StepState, edge: TraceEdge, seeds: readonly SeedPart[]): StepOutcome => {
  const { pools, touched, librCapped, dissipated } = state;
  let seededHere = 0n;
  for (const seed of seeds) seededHere += seed.amount;
  const fromPool = edge.amount - seededHere;
  const tainted = perRule((rule) => pools[rule].transfer(edge.fromKey, edge.toKey, fromPool, seeds));

  const poisoned = touched.has(edge.fromKey) ? edge.amount : seededHere;
  if (poisoned > 0n) touched.add(edge.toKey);
  if (librCapped.has(edge.fromKey) && (tainted['fifo-libr'].size > 0 || tainted['haircut-libr'].size > 0)) {
    librCapped.add(edge.toKey);
  }
  if (edge.debtorBalanceAfter !== undefined) {
    // An overdrawn account holds none of anyone's money.
    const reported = edge.debtorBalanceAfter > 0n ? edge.debtorBalanceAfter : 0n;
    for (const rule of ['fifo-libr', 'haircut-libr'] as const) {
      for (const [sourceId, cut] of pools[rule].reset(edge.fromKey, reported)) {
        addTo(dissipated[rule], sourceId, cut);
        librCapped.add(edge.fromKey);
      }
    }
  }
  return { tainted, poisoned };
};
