import type { BankTransferReceived } from '@scamflow/contracts';
import { formatMinor } from '@scamflow/money';
import { SeededRandom } from '../../apps/scam-simulator/src/seeded-random';

export interface FanInFeedOptions {
  /** Unique per run: in every account id and transfer id. */
  readonly tag: string;
  /** Reporting bank and bank of every account (8-character BIC-like id, unique per run). */
  readonly bank: string;
  readonly transfers: number;
  readonly senders: number;
  readonly mules: number;
  readonly collectors: number;
  readonly seed: number;
  /** Booking time of the first transfer; the feed spans under 50 minutes of event time from it. */
  readonly startMs: number;
}

/** Transfers per block: this many minus one inflows into a mule, then it forwards 90 % of them. */
const BLOCK = 25;

/**
 * A deterministic feed (same options, same events, byte for byte) where `senders` pay `mules`, and each mule
 * forwards 90 % of what it received to a collector seconds later: every mule is a fan-in pass-through case,
 * senders and collectors are not (senders receive nothing; collectors forward nothing).
 */
export const fanInFeed = (o: FanInFeedOptions): BankTransferReceived[] => {
  const random = new SeededRandom(o.seed);
  const pick = (n: number) => random.int(0, n - 1);
  const party = (accountId: string) => ({
    accountId: `${accountId}-${o.tag}`,
    bankId: o.bank,
    country: 'TH',
  });
  const feed: BankTransferReceived[] = [];
  const add = (from: string, to: string, minor: bigint, atMs: number) =>
    feed.push({
      schemaVersion: 1,
      reportedBy: o.bank,
      transferId: `${o.tag}-${String(feed.length).padStart(6, '0')}`,
      bookedAt: new Date(atMs).toISOString(),
      amount: { value: formatMinor(minor, 2), currency: 'THB' },
      debtor: party(from),
      creditor: party(to),
    });

  for (let block = 0; feed.length < o.transfers; block += 1) {
    const mule = `mule${block % o.mules}`;
    const blockMs = o.startMs + block * 7_000;
    let received = 0n;
    for (let i = 0; i < BLOCK - 1 && feed.length < o.transfers - 1; i += 1) {
      const minor = BigInt(10_000 + pick(900_000));
      received += minor;
      add(`sender${pick(o.senders)}`, mule, minor, blockMs + (i % 5) * 1_000);
    }
    add(mule, `collector${pick(o.collectors)}`, (received * 9n) / 10n, blockMs + 6_000);
  }
  return feed;
};

/** Canonical id the gateway gives a bank transfer. */
export const canonicalIdOf = (t: BankTransferReceived): string => `bank:${t.reportedBy}:${t.transferId}`;
