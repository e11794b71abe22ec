import type { TraceEdge } from './trace-proceeds';
import type { PoolOpening } from './incremental-trace';

/**
 * Plain pool balances of accounts (no taint), moved exactly as the tracing rules move them: an outflow larger
 * than the pool empties it (the rest is clean money of an unknown opening balance), a reported balance resets
 * the LIBR pool. Gives an account's `PoolOpening` when a case's money first reaches it.
 */
export class PoolBook {
  private readonly pools = new Map<string, { flowBalance: bigint; balance: bigint }>();

  /** `seeded`: part of the edge that is the traced case's own seed (it never came out of the sender's pool). */
  apply(edge: TraceEdge, seeded = 0n): void {
    const paid = edge.amount - seeded;
    const from = this.pool(edge.fromKey);
    from.flowBalance = from.flowBalance > paid ? from.flowBalance - paid : 0n;
    from.balance = from.balance > paid ? from.balance - paid : 0n;
    const to = this.pool(edge.toKey);
    to.flowBalance += edge.amount;
    to.balance += edge.amount;
    if (edge.debtorBalanceAfter !== undefined) {
      from.balance = edge.debtorBalanceAfter > 0n ? edge.debtorBalanceAfter : 0n;
    }
  }

  opening(accountKey: string): PoolOpening {
    const pool = this.pools.get(accountKey);
    return pool ? { ...pool } : { flowBalance: 0n, balance: 0n };
  }

  private pool(key: string): { flowBalance: bigint; balance: bigint } {
    let pool = this.pools.get(key);
    if (!pool) {
      pool = { flowBalance: 0n, balance: 0n };
      this.pools.set(key, pool);
    }
    return pool;
  }
}
