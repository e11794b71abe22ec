import { addTo, largestRemainders, type PoolLot, type RulePools, type SeedPart } from './rule-pools';

interface MixedPool {
  clean: bigint;
  tainted: bigint;
  taint: Map<string, bigint>;
}

/**
 * Haircut (pro-rata): an outflow carries the pool's taint share per source. Shares round down when they move
 * and the remainder stays with the sender, so taint is conserved exactly in bigint arithmetic.
 */
export class HaircutPools implements RulePools {
  private readonly pools = new Map<string, MixedPool>();

  transfer(
    fromKey: string,
    toKey: string,
    fromPool: bigint,
    seeds: readonly SeedPart[],
  ): Map<string, bigint> {
    const moved =
      fromPool > 0n
        ? this.debit(this.pool(fromKey), fromPool)
        : { clean: 0n, taint: new Map<string, bigint>() };
    for (const seed of seeds) addTo(moved.taint, seed.sourceId, seed.amount);
    const receiver = this.pool(toKey);
    receiver.clean += moved.clean;
    for (const [sourceId, amount] of moved.taint) {
      addTo(receiver.taint, sourceId, amount);
      receiver.tainted += amount;
    }
    return moved.taint;
  }

  reset(key: string, balance: bigint): Map<string, bigint> {
    const pool = this.pool(key);
    const cuts = new Map<string, bigint>();
    if (balance >= pool.tainted) {
      pool.clean = balance - pool.tainted;
      return cuts;
    }
    // Taint above the reported balance left by a route the feed does not show: cut it pro-rata, keeping
    // exactly `balance` by largest remainders.
    const keep = new Map<string, bigint>();
    const remainders = new Map<string, bigint>();
    let kept = 0n;
    for (const [sourceId, amount] of pool.taint) {
      const share = (amount * balance) / pool.tainted;
      keep.set(sourceId, share);
      remainders.set(sourceId, (amount * balance) % pool.tainted);
      kept += share;
    }
    for (const sourceId of largestRemainders(remainders, balance - kept)) {
      keep.set(sourceId, (keep.get(sourceId) ?? 0n) + 1n);
    }
    for (const [sourceId, amount] of pool.taint) {
      const left = keep.get(sourceId) ?? 0n;
      addTo(cuts, sourceId, amount - left);
      if (left === 0n) pool.taint.delete(sourceId);
      else pool.taint.set(sourceId, left);
    }
    pool.clean = 0n;
    pool.tainted = balance;
    return cuts;
  }

  held(key: string): Map<string, bigint> {
    return new Map(this.pools.get(key)?.taint ?? []);
  }

  balance(key: string): bigint {
    const pool = this.pools.get(key);
    return pool ? pool.clean + pool.tainted : 0n;
  }

  exportPool(key: string): PoolLot[] {
    const pool = this.pools.get(key);
    if (!pool) return [];
    const lots: PoolLot[] = pool.clean > 0n ? [{ sourceId: undefined, amount: pool.clean }] : [];
    for (const [sourceId, amount] of pool.taint) lots.push({ sourceId, amount });
    return lots;
  }

  importPool(key: string, lots: readonly PoolLot[]): void {
    const pool: MixedPool = { clean: 0n, tainted: 0n, taint: new Map() };
    for (const { sourceId, amount } of lots) {
      if (sourceId === undefined) pool.clean += amount;
      else {
        addTo(pool.taint, sourceId, amount);
        pool.tainted += amount;
      }
    }
    this.pools.set(key, pool);
  }

  private debit(pool: MixedPool, amount: bigint): { clean: bigint; taint: Map<string, bigint> } {
    const total = pool.clean + pool.tainted;
    if (amount >= total) {
      // Everything leaves; the shortfall is clean money of an unknown opening balance.
      const moved = { clean: amount - pool.tainted, taint: pool.taint };
      pool.taint = new Map();
      pool.clean = 0n;
      pool.tainted = 0n;
      return moved;
    }
    const taint = new Map<string, bigint>();
    let movedTaint = 0n;
    for (const [sourceId, held] of pool.taint) {
      const share = (held * amount) / total;
      if (share === 0n) continue;
      taint.set(sourceId, share);
      movedTaint += share;
      if (share === held) pool.taint.delete(sourceId);
      else pool.taint.set(sourceId, held - share);
    }
    // Rounding down leaves units to clean money; only when the clean part cannot cover them does a source
    // with a fractional share give one more unit (rare: remainders are computed only then).
    const excess = amount - movedTaint - pool.clean;
    if (excess > 0n) {
      const remainders = new Map<string, bigint>();
      for (const [sourceId, left] of pool.taint) {
        const before = left + (taint.get(sourceId) ?? 0n);
        remainders.set(sourceId, (before * amount) % total);
      }
      for (const sourceId of largestRemainders(remainders, excess)) {
        addTo(taint, sourceId, 1n);
        const left = (pool.taint.get(sourceId) ?? 0n) - 1n;
        if (left === 0n) pool.taint.delete(sourceId);
        else pool.taint.set(sourceId, left);
      }
      movedTaint += excess;
    }
    const clean = amount - movedTaint;
    pool.clean -= clean;
    pool.tainted -= movedTaint;
    return { clean, taint };
  }

  private pool(key: string): MixedPool {
    let pool = this.pools.get(key);
    if (!pool) {
      pool = { clean: 0n, tainted: 0n, taint: new Map() };
      this.pools.set(key, pool);
    }
    return pool;
  }
}
