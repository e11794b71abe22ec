/**
 * Why labelled accounts were missed: each missed positive's shape among the transfers between two labelled
 * accounts (the only transfers a pattern label can describe). Computed from the dataset alone (which accounts
 * are labelled, who paid whom on which day), never from a generator's pattern file, so it reads the same on any
 * labelled feed.
 */

/** One transfer reduced to what the breakdown needs; `period` is the booking day (or any bucket of time). */
export interface LabelledTransfer {
  readonly from: string;
  readonly to: string;
  readonly period: number;
}

export const MISSED_SHAPES = {
  /** No transfer with another labelled account: nothing in the flows ties it to a pattern. */
  isolated: 'no transfer with a labelled account',
  /** Pays labelled accounts, several transfers to one of them in one period (a split payment). */
  splitSender: 'pays labelled accounts, splitting a payment',
  /** Pays labelled accounts, one transfer per counterparty and period. */
  singleSender: 'pays labelled accounts, one transfer per counterparty and period',
  /** Paid by several distinct labelled accounts (a collection point). */
  collector: 'paid by several labelled accounts',
  /** Paid by one labelled account only. */
  singleReceiver: 'paid by one labelled account',
  /** Both pays and is paid by labelled accounts (a hop). */
  hop: 'pays and is paid by labelled accounts',
} as const;
export type MissedShape = (typeof MISSED_SHAPES)[keyof typeof MISSED_SHAPES];

export interface MissedPositives {
  readonly missed: number;
  /** Every positive per shape (detected or not): the denominators of `byShape`. */
  readonly positivesByShape: Readonly<Record<MissedShape, number>>;
  /** Missed positives per shape (every shape listed, zeros included). */
  readonly byShape: Readonly<Record<MissedShape, number>>;
  /** Up to `sampleSize` missed account keys per shape, sorted, to look them up. */
  readonly sample: Readonly<Record<MissedShape, readonly string[]>>;
}

/** The shape of one positive among the transfers between labelled accounts. */
const shapeOf = (
  key: string,
  out: ReadonlyMap<string, Map<string, number>>,
  inFrom: ReadonlyMap<string, Set<string>>,
): MissedShape => {
  const sends = out.get(key);
  const senders = inFrom.get(key);
  if (sends && senders) return MISSED_SHAPES.hop;
  if (sends) {
    const split = [...sends.values()].some((n) => n >= 2);
    return split ? MISSED_SHAPES.splitSender : MISSED_SHAPES.singleSender;
  }
  if (senders) return senders.size >= 2 ? MISSED_SHAPES.collector : MISSED_SHAPES.singleReceiver;
  return MISSED_SHAPES.isolated;
};

/** Breaks the positives no alert detected down by their shape among transfers between labelled accounts. */
export const missedPositivesByShape = ({
  positives,
  detected,
  transfers,
  sampleSize = 20,
}: {
  readonly positives: ReadonlySet<string>;
  readonly detected: ReadonlySet<string>;
  readonly transfers: Iterable<LabelledTransfer>;
  readonly sampleSize?: number;
}): MissedPositives => {
  // Per labelled sender: transfers per (receiver, period); per labelled receiver: its labelled senders.
  const out = new Map<string, Map<string, number>>();
  const inFrom = new Map<string, Set<string>>();
  for (const t of transfers) {
    if (t.from === t.to || !positives.has(t.from) || !positives.has(t.to)) continue;
    const perPair = out.get(t.from) ?? new Map<string, number>();
    const pairPeriod = `${t.to}\u0000${t.period}`;
    perPair.set(pairPeriod, (perPair.get(pairPeriod) ?? 0) + 1);
    out.set(t.from, perPair);
    const senders = inFrom.get(t.to) ?? new Set<string>();
    senders.add(t.from);
    inFrom.set(t.to, senders);
  }
  const shapes = Object.values(MISSED_SHAPES);
  const zeros = () => Object.fromEntries(shapes.map((s) => [s, 0])) as Record<MissedShape, number>;
  const byShape = zeros();
  const positivesByShape = zeros();
  const sample = Object.fromEntries(shapes.map((s) => [s, [] as string[]])) as Record<MissedShape, string[]>;
  let missed = 0;
  for (const key of [...positives].sort()) {
    const shape = shapeOf(key, out, inFrom);
    positivesByShape[shape] += 1;
    if (detected.has(key)) continue;
    missed += 1;
    byShape[shape] += 1;
    if (sample[shape].length < sampleSize) sample[shape].push(key);
  }
  return { missed, positivesByShape, byShape, sample };
};
