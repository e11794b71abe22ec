import type { AccountFlow } from '@scamflow/rolling-state';

/** Amounts add up only within one asset at one scale (USDT has 6 decimals on TRON, 18 on BSC). */
export const assetOf = (f: AccountFlow): string => `${f.currency}/${f.scale}`;

export const byTime = (a: AccountFlow, b: AccountFlow): number =>
  a.atMs - b.atMs || a.transferId.localeCompare(b.transferId);

export const sumMinor = (flows: readonly AccountFlow[]): bigint =>
  flows.reduce((sum, f) => sum + f.amountMinor, 0n);

export const minutes = (ms: number): string => (ms / 60_000).toFixed(1);

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
