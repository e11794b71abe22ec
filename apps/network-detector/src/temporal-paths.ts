import { inboundIsHub, outboundIsHub, type AdjacencyView } from './adjacency-view';
import { shareOf, type FlowHop } from './flow-hop';

/** Bounds of a path search from one new transfer. */
export interface PathSearchRule {
  /** Transfers in a whole path, the new one included. */
  readonly maxHops: number;
  /** Longest time between one hop and the next. */
  readonly maxGapMs: number;
  /** Every hop lies within this time of the new transfer (either side). */
  readonly spanMs: number;
  /** Each hop carries at least this share of the hop before it ... */
  readonly minKeptRatio: number;
  /** ... and at most this multiple of it. */
  readonly maxGainRatio: number;
  /** Partial paths kept per side (backward, forward): the search is bounded whatever the account degrees. */
  readonly maxPathsPerSide: number;
}

/**
 * Time-respecting partial paths around a new transfer `u → v`: backward paths end at `u` (each hop no later than
 * the next), forward paths start at `v`. Both include the empty path. Accounts are distinct within each side;
 * a side stops when it reaches the other end of the new transfer (that closes a cycle).
 */
export interface TemporalPaths {
  /** In time order, the last hop paying `u`. */
  readonly backward: FlowHop[][];
  /** In time order, the first hop leaving `v`. */
  readonly forward: FlowHop[][];
  readonly missing: Set<string>;
  readonly hubs: Map<string, number>;
}

const keptWithin = (prev: FlowHop, next: FlowHop, rule: PathSearchRule): boolean => {
  const kept = shareOf(prev, next);
  return kept !== undefined && kept >= rule.minKeptRatio && kept <= rule.maxGainRatio;
};

/** Closest in time first, so the path caps keep the most telling paths. */
const byDistanceTo = (atMs: number) => (a: FlowHop, b: FlowHop) =>
  Math.abs(a.atMs - atMs) - Math.abs(b.atMs - atMs) || a.transferId.localeCompare(b.transferId);

export const searchTemporalPaths = (
  edge: FlowHop,
  view: AdjacencyView,
  rule: PathSearchRule,
): TemporalPaths => {
  const missing = new Set<string>();
  const hubs = new Map<string, number>();
  const backward: FlowHop[][] = [[]];
  const forward: FlowHop[][] = [[]];

  const walkBack = (path: FlowHop[], seen: ReadonlySet<string>): void => {
    if (path.length >= rule.maxHops - 1) return;
    const next = path[0] ?? edge;
    const tip = next.fromKey;
    if (path.length > 0 && tip === edge.toKey) return;
    const adjacency = view.get(tip);
    if (!adjacency) {
      missing.add(tip);
      return;
    }
    // An account busy in either direction is never a hop of a path: payroll, merchants, exchanges.
    if (inboundIsHub(adjacency) || outboundIsHub(adjacency)) {
      hubs.set(tip, Math.max(adjacency.inboundCount, adjacency.outboundCount));
      return;
    }
    const candidates = adjacency.inbound
      .filter(
        (p) =>
          p.transferId !== edge.transferId &&
          p.atMs <= next.atMs &&
          next.atMs - p.atMs <= rule.maxGapMs &&
          edge.atMs - p.atMs <= rule.spanMs &&
          !seen.has(p.fromKey) &&
          keptWithin(p, next, rule),
      )
      .sort(byDistanceTo(next.atMs));
    for (const p of candidates) {
      if (backward.length > rule.maxPathsPerSide) return;
      const extended = [p, ...path];
      backward.push(extended);
      walkBack(extended, new Set([...seen, p.fromKey]));
    }
  };

  const walkForward = (path: FlowHop[], seen: ReadonlySet<string>): void => {
    if (path.length >= rule.maxHops - 1) return;
    const prev = path.at(-1) ?? edge;
    const tip = prev.toKey;
    if (path.length > 0 && tip === edge.fromKey) return;
    const adjacency = view.get(tip);
    if (!adjacency) {
      missing.add(tip);
      return;
    }
    // An account busy in either direction is never a hop of a path: payroll, merchants, exchanges.
    if (inboundIsHub(adjacency) || outboundIsHub(adjacency)) {
      hubs.set(tip, Math.max(adjacency.inboundCount, adjacency.outboundCount));
      return;
    }
    const candidates = adjacency.outbound
      .filter(
        (f) =>
          f.transferId !== edge.transferId &&
          f.atMs >= prev.atMs &&
          f.atMs - prev.atMs <= rule.maxGapMs &&
          f.atMs - edge.atMs <= rule.spanMs &&
          !seen.has(f.toKey) &&
          keptWithin(prev, f, rule),
      )
      .sort(byDistanceTo(prev.atMs));
    for (const f of candidates) {
      if (forward.length > rule.maxPathsPerSide) return;
      const extended = [...path, f];
      forward.push(extended);
      walkForward(extended, new Set([...seen, f.toKey]));
    }
  };

  if (edge.fromKey !== edge.toKey) {
    walkBack([], new Set([edge.fromKey]));
    walkForward([], new Set([edge.toKey]));
  }
  return { backward, forward, missing, hubs };
};

/** Every whole path `backward + new transfer + forward` of at most `maxHops` transfers, with its accounts. */
export const joinPaths = (
  edge: FlowHop,
  paths: TemporalPaths,
  maxHops: number,
): { readonly hops: FlowHop[]; readonly accounts: string[] }[] => {
  const joined: { hops: FlowHop[]; accounts: string[] }[] = [];
  for (const back of paths.backward) {
    for (const ahead of paths.forward) {
      if (back.length + 1 + ahead.length > maxHops) continue;
      const hops = [...back, edge, ...ahead];
      joined.push({ hops, accounts: [hops[0]!.fromKey, ...hops.map((h) => h.toKey)] });
    }
  }
  return joined;
};
