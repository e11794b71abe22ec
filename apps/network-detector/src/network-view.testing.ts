import type { AccountAdjacency, AdjacencyView } from './adjacency-view';
import type { FlowHop } from './flow-hop';

export const T0 = Date.parse('2026-11-23T02:00:00Z');
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

/** A THB transfer `atMs` after T0 (amount in satang). */
export const hop = (id: string, from: string, to: string, minor: bigint, atMs: number): FlowHop => ({
  transferId: id,
  fromKey: from,
  toKey: to,
  atMs: T0 + atMs,
  amountMinor: minor,
  currency: 'THB',
  scale: 2,
  refAmountMinor: null,
});

/**
 * Everything the temporal adjacency would hold for these transfers, every account read; a direction with more
 * than `maxDegree` transfers is a hub (counted, not listed), as the repository returns it.
 */
export const viewOf = (hops: readonly FlowHop[], maxDegree = 200): AdjacencyView => {
  const view = new Map<string, AccountAdjacency>();
  const keys = new Set(hops.flatMap((h) => [h.fromKey, h.toKey]));
  for (const key of keys) {
    const inbound = hops.filter((h) => h.toKey === key);
    const outbound = hops.filter((h) => h.fromKey === key);
    view.set(key, {
      inbound: inbound.length > maxDegree ? [] : inbound,
      outbound: outbound.length > maxDegree ? [] : outbound,
      inboundCount: inbound.length,
      outboundCount: outbound.length,
    });
  }
  return view;
};

/** The view without some accounts (not read yet). */
export const without = (view: AdjacencyView, ...keys: string[]): AdjacencyView =>
  new Map([...view].filter(([key]) => !keys.includes(key)));
