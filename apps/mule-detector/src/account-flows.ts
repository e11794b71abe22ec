/**
 * The mule detectors' view of an account: its recent legs and running statistics. Pure domain types: the Redis
 * repository maps its records to these, the detectors never see the store.
 */

/** One leg of an account's rolling flow: money in from, or out to, a counterparty. */
export interface AccountFlow {
  readonly transferId: string;
  readonly counterpartyKey: string;
  readonly amountMinor: bigint;
  readonly currency: string;
  /** Minor-unit exponent: the same symbol can differ by chain (USDT has 6 decimals on TRON, 18 on BSC). */
  readonly scale: number;
  /** Event time (booking time of the transfer), ms. */
  readonly atMs: number;
  /** Outflows only: the debtor's balance after this leg, when the feed reports it (same currency and scale). */
  readonly balanceAfterMinor?: bigint;
  /** The counterparty's institution, account id and country, when the feed gave them (alerts name it). */
  readonly counterparty?: {
    readonly institutionId: string;
    readonly accountId: string;
    readonly country: string;
  };
}

/**
 * Running statistics of one side (in or out) of an account in one asset over its whole recorded history,
 * updated in O(1) per leg (Welford). Amount moments are statistics in minor units (doubles), never money.
 */
export interface SideStats {
  readonly currency: string;
  readonly scale: number;
  /** Legs recorded (transfers). */
  readonly count: number;
  /** Mean amount, minor units. */
  readonly amountMean: number;
  /** Population variance of the amount, minor units squared. */
  readonly amountVariance: number;
  /** Gaps measured between in-order legs (a late leg adds none). */
  readonly gapCount: number;
  /** Mean time between consecutive legs, ms. */
  readonly gapMeanMs: number;
  /** Population variance of the gap, ms squared. */
  readonly gapVarianceMs2: number;
  /** Event time of the first and latest recorded leg, ms. */
  readonly firstAtMs: number;
  readonly lastAtMs: number;
  /**
   * Most legs in one earlier tumbling window of the fan detectors' length: an account that already had bursts
   * this large (payroll every month, a shop's busy day) is not bursting now.
   */
  readonly previousPeakPerWindow: number;
}

/** What the rolling state knows of one account. */
export interface AccountFlowState {
  readonly inflows: AccountFlow[];
  readonly outflows: AccountFlow[];
  /**
   * First payment (event ms) from each sender first seen at or after the read's `sinceMs`; senders absent
   * here either paid before that or were never recorded (the set is bounded, oldest kept).
   */
  readonly senderFirstSeenMs: ReadonlyMap<string, number>;
  /** Running statistics per side and asset ("in|THB/2"); absent before the first leg. */
  readonly stats?: ReadonlyMap<string, SideStats>;
  /**
   * Legs dropped by the per-account cap inside the retention window (a hub): detectors read a summary, and
   * say in the alert that older legs were left out.
   */
  readonly cappedLegs?: { readonly in: number; readonly out: number };
}

export type Side = 'in' | 'out';

/** Amounts add up only within one asset at one scale (USDT has 6 decimals on TRON, 18 on BSC). */
export const assetOf = (f: Pick<AccountFlow, 'currency' | 'scale'>): string => `${f.currency}/${f.scale}`;

export const statsKeyOf = (side: Side, f: Pick<AccountFlow, 'currency' | 'scale'>): string =>
  `${side}|${assetOf(f)}`;

export const byTime = (a: AccountFlow, b: AccountFlow): number =>
  a.atMs - b.atMs || a.transferId.localeCompare(b.transferId);

export const sumMinor = (flows: readonly AccountFlow[]): bigint =>
  flows.reduce((sum, f) => sum + f.amountMinor, 0n);

export const minutes = (ms: number): string => (ms / 60_000).toFixed(1);

/** A duration in the unit a reader of that window expects: minutes under a day, days from a day up. */
export const duration = (ms: number): { value: string; unit: 'minutes' | 'days' } =>
  ms >= 24 * 60 * 60 * 1000
    ? { value: (ms / (24 * 60 * 60 * 1000)).toFixed(1), unit: 'days' }
    : { value: minutes(ms), unit: 'minutes' };

/** "60.0 min" or "3.0 days". */
export const showDuration = (ms: number): string => {
  const d = duration(ms);
  return d.unit === 'days' ? `${d.value} days` : `${d.value} min`;
};

export interface AssetFlows {
  readonly currency: string;
  readonly scale: number;
  readonly inflows: AccountFlow[];
  readonly outflows: AccountFlow[];
}

/** An account's legs split per asset, each side sorted by time. */
export const flowsPerAsset = (
  inflows: readonly AccountFlow[],
  outflows: readonly AccountFlow[],
): AssetFlows[] => {
  const assets = new Map<string, AssetFlows>();
  const side = (f: AccountFlow): AssetFlows => {
    const key = assetOf(f);
    let asset = assets.get(key);
    if (!asset) {
      asset = { currency: f.currency, scale: f.scale, inflows: [], outflows: [] };
      assets.set(key, asset);
    }
    return asset;
  };
  for (const f of inflows) side(f).inflows.push(f);
  for (const f of outflows) side(f).outflows.push(f);
  for (const asset of assets.values()) {
    asset.inflows.sort(byTime);
    asset.outflows.sort(byTime);
  }
  return [...assets.values()];
};

/** Latest event time over both sides (the end of every detector's window). */
export const latestEventMs = (inflows: readonly AccountFlow[], outflows: readonly AccountFlow[]): number => {
  let latest = -Infinity;
  for (const f of inflows) latest = Math.max(latest, f.atMs);
  for (const f of outflows) latest = Math.max(latest, f.atMs);
  return latest;
};

/** Prefers a fired finding, then the higher score. */
export const strongerOf = <F extends { readonly fired: boolean; readonly score: number }>(
  a: F | undefined,
  b: F | undefined,
): F | undefined => {
  if (!a) return b;
  if (!b) return a;
  if (a.fired !== b.fired) return a.fired ? a : b;
  return b.score > a.score ? b : a;
};
