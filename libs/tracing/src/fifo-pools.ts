import { addTo, type PoolLot, type RulePools, type SeedPart } from './rule-pools';

/** A lot of money of one source (`undefined`: clean) that arrived at one time. */
interface Lot {
  readonly sourceId: string | undefined;
  amount: bigint;
}

/** Lots oldest first from `head` on: a deque over an array, so spending never shifts the array. */
interface LotQueue {
  lots: Lot[];
  head: number;
  total: bigint;
  tainted: bigint;
}

/** Appends a lot, merging it into the last one when they share a source (FIFO cannot tell them apart). */
const pushLot = (lots: Lot[], sourceId: string | undefined, amount: bigint): void => {
  if (amount === 0n) return;
  const last = lots[lots.length - 1];
  if (last && last.sourceId === sourceId) last.amount += amount;
  else lots.push({ sourceId, amount });
};

/** Like pushLot, but hands over a lot its previous queue no longer holds. */
const moveLot = (lots: Lot[], lot: Lot): void => {
  const last = lots[lots.length - 1];
  if (last && last.sourceId === lot.sourceId) last.amount += lot.amount;
  else lots.push(lot);
};

/** FIFO: outflows spend the oldest lots first, clean lots included; lots keep their source when they move. */
export class FifoPools implements RulePools {
  private readonly queues = new Map<string, LotQueue>();

  transfer(
    fromKey: string,
    toKey: string,
    fromPool: bigint,
    seeds: readonly SeedPart[],
  ): Map<string, bigint> {
    const parcel: Lot[] = [];
    // Seeded victim money comes first in the receiver's order, then what the sender's pool paid.
    for (const seed of seeds) pushLot(parcel, seed.sourceId, seed.amount);
    if (fromPool > 0n) this.debit(this.queue(fromKey), fromPool, parcel);
    const carried = new Map<string, bigint>();
    const receiver = this.queue(toKey);
    for (const lot of parcel) {
      if (lot.sourceId !== undefined) {
        addTo(carried, lot.sourceId, lot.amount);
        receiver.tainted += lot.amount;
      }
      receiver.total += lot.amount;
      moveLot(receiver.lots, lot);
    }
    return carried;
  }

  reset(key: string, balance: bigint): Map<string, bigint> {
    const queue = this.queue(key);
    const cuts = new Map<string, bigint>();
    if (balance >= queue.total) {
      // More than the flows explain: clean money the feed does not show, newest in the order.
      pushLot(queue.lots, undefined, balance - queue.total);
      queue.total = balance;
      return cuts;
    }
    const kept: Lot[] = [];
    if (balance >= queue.tainted) {
      // Clean money left first (LIBR presumes the holder spent its own money first), oldest clean first.
      let cleanToDrop = queue.total - balance;
      for (let index = queue.head; index < queue.lots.length; index += 1) {
        const lot = queue.lots[index]!;
        let amount = lot.amount;
        if (lot.sourceId === undefined && cleanToDrop > 0n) {
          const dropped = amount < cleanToDrop ? amount : cleanToDrop;
          amount -= dropped;
          cleanToDrop -= dropped;
        }
        pushLot(kept, lot.sourceId, amount);
      }
    } else {
      // Taint above the balance is gone: all clean money, then the oldest tainted lots.
      let taintToCut = queue.tainted - balance;
      for (let index = queue.head; index < queue.lots.length; index += 1) {
        const lot = queue.lots[index]!;
        if (lot.sourceId === undefined) continue;
        const cut = lot.amount < taintToCut ? lot.amount : taintToCut;
        taintToCut -= cut;
        addTo(cuts, lot.sourceId, cut);
        pushLot(kept, lot.sourceId, lot.amount - cut);
      }
      queue.tainted = balance;
    }
    queue.lots = kept;
    queue.head = 0;
    queue.total = balance;
    return cuts;
  }

  held(key: string): Map<string, bigint> {
    const held = new Map<string, bigint>();
    const queue = this.queues.get(key);
    if (!queue || queue.tainted === 0n) return held;
    for (let index = queue.head; index < queue.lots.length; index += 1) {
      const lot = queue.lots[index]!;
      if (lot.sourceId !== undefined) addTo(held, lot.sourceId, lot.amount);
    }
    return held;
  }

  balance(key: string): bigint {
    return this.queues.get(key)?.total ?? 0n;
  }

  exportPool(key: string): PoolLot[] {
    const queue = this.queues.get(key);
    if (!queue) return [];
    return queue.lots.slice(queue.head).map(({ sourceId, amount }) => ({ sourceId, amount }));
  }

  importPool(key: string, lots: readonly PoolLot[]): void {
    const queue: LotQueue = { lots: [], head: 0, total: 0n, tainted: 0n };
    for (const lot of lots) {
      pushLot(queue.lots, lot.sourceId, lot.amount);
      queue.total += lot.amount;
      if (lot.sourceId !== undefined) queue.tainted += lot.amount;
    }
    this.queues.set(key, queue);
  }

  /** Spends `amount` oldest first into `parcel`; a shortfall is clean money of an unknown opening balance. */
  private debit(queue: LotQueue, amount: bigint, parcel: Lot[]): void {
    let rest = amount;
    while (rest > 0n && queue.head < queue.lots.length) {
      const lot = queue.lots[queue.head]!;
      if (lot.sourceId !== undefined) queue.tainted -= lot.amount <= rest ? lot.amount : rest;
      if (lot.amount <= rest) {
        // The whole lot moves: hand the object over instead of copying it.
        rest -= lot.amount;
        queue.head += 1;
        moveLot(parcel, lot);
      } else {
        pushLot(parcel, lot.sourceId, rest);
        lot.amount -= rest;
        rest = 0n;
      }
    }
    pushLot(parcel, undefined, rest);
    queue.total = queue.total > amount ? queue.total - amount : 0n;
    // Spent lots before `head` must never be the last lot, or pushLot would merge into one.
    if (queue.head === queue.lots.length || (queue.head > 64 && queue.head * 2 > queue.lots.length)) {
      queue.lots = queue.lots.slice(queue.head);
      queue.head = 0;
    }
  }

  private queue(key: string): LotQueue {
    let queue = this.queues.get(key);
    if (!queue) {
      queue = { lots: [], head: 0, total: 0n, tainted: 0n };
      this.queues.set(key, queue);
    }
    return queue;
  }
}
