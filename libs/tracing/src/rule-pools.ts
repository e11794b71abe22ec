/** Victim money injected on one edge: `amount` of the edge belongs to the victim case `sourceId`. */
export interface SeedPart {
  readonly sourceId: string;
  readonly amount: bigint;
}

/**
 * One account's pool of one rule as plain data, so it can be stored between transfers (incremental tracing):
 * fifo lots oldest first; haircut one lot per source plus one clean lot (order carries no meaning there).
 * `sourceId` undefined: clean money.
 */
export interface PoolLot {
  readonly sourceId: string | undefined;
  readonly amount: bigint;
}

/** Per-account pools of one tracing rule; every amount is in the caller's single unit. */
export interface RulePools {
  /**
   * Moves `fromPool` out of the sender's pool (the shortfall, if the pool is smaller, is clean money of an
   * unknown opening balance) plus the seeded parts, into the receiver. Returns the taint carried, per source.
   */
  transfer(fromKey: string, toKey: string, fromPool: bigint, seeds: readonly SeedPart[]): Map<string, bigint>;
  /** Sets the account's pool to a balance its bank reported; returns the taint cut, per source. */
  reset(key: string, balance: bigint): Map<string, bigint>;
  /** Taint the account holds now, per source (only sources above zero). */
  held(key: string): Map<string, bigint>;
  balance(key: string): bigint;
  /** The account's pool as plain data (a copy: later transfers do not change it). */
  exportPool(key: string): PoolLot[];
  /** Replaces the account's pool with stored data (copied in). */
  importPool(key: string, lots: readonly PoolLot[]): void;
}

export const addTo = (totals: Map<string, bigint>, key: string, amount: bigint): void => {
  if (amount !== 0n) totals.set(key, (totals.get(key) ?? 0n) + amount);
};

export const sumOf = (amounts: ReadonlyMap<string, bigint>): bigint => {
  let total = 0n;
  for (const amount of amounts.values()) total += amount;
  return total;
};

/**
 * Largest-remainder pick: the `count` entries with the largest remainders (ties: smaller key first), each of
 * which gets one more unit. Only entries with a remainder above zero are candidates.
 */
export const largestRemainders = (remainders: ReadonlyMap<string, bigint>, count: bigint): string[] =>
  [...remainders.entries()]
    .filter(([, remainder]) => remainder > 0n)
    .sort(([keyA, a], [keyB, b]) => (a === b ? (keyA < keyB ? -1 : keyA > keyB ? 1 : 0) : a > b ? -1 : 1))
    .slice(0, Number(count))
    .map(([key]) => key);
