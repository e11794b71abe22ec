import type { AlertFact } from '@scamflow/contracts';
import { INSTANT_PAYMENTS_PROFILE, type LayeringChainProfile } from '@scamflow/detection-profiles';
import { emptySearch, type AdjacencyView, type SearchResult } from './adjacency-view';
import { cappedShare, comparableSums, minutes, shareOf, type FlowHop } from './flow-hop';
import { joinPaths, searchTemporalPaths } from './temporal-paths';

/** The profile's chain bounds (hops, gap between hops, kept ratio) and the search's path cap. */
export interface LayeringChainRule extends LayeringChainProfile {
  /** Partial paths kept per side of a new transfer. */
  readonly maxPathsPerSide: number;
  /**
   * Least share of a middle account's takings in the gap before its onward hop that came from the chain's
   * previous hop: the hop must carry the chain's money, not the account's other income that happens to match.
   */
  readonly minSourceShare: number;
}

export const DEFAULT_LAYERING_CHAIN_RULE: LayeringChainRule = {
  ...INSTANT_PAYMENTS_PROFILE.layeringChain,
  maxPathsPerSide: INSTANT_PAYMENTS_PROFILE.network.maxPathsPerTransfer,
  minSourceShare: 0.5,
};

export interface LayeringChainFinding {
  readonly fired: boolean;
  readonly score: number;
  readonly facts: AlertFact[];
  readonly hops: readonly FlowHop[];
  /** Accounts the value passed through (neither the first sender nor the last receiver). */
  readonly intermediateKeys: string[];
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
}

/**
 * Layering: value moving through several accounts in a short time with little loss. The hops must form one
 * path over distinct accounts, each booked no earlier than the one before and within the gap limit, each
 * carrying on most of the previous hop's amount. Returns undefined for an empty path.
 */
export const evaluateLayeringChain = (
  hops: readonly FlowHop[],
  rule: LayeringChainRule,
  /** Per middle account, the share of its takings before its onward hop that the previous hop brought. */
  sourceShares?: readonly number[],
): LayeringChainFinding | undefined => {
  const first = hops[0];
  const last = hops.at(-1);
  if (!first || !last) return undefined;

  const accounts = [first.fromKey, ...hops.map((h) => h.toKey)];
  let connected = new Set(accounts).size === accounts.length;
  let timeRespecting = true;
  let longestGapMs = 0;
  let lowestKept = Number.POSITIVE_INFINITY;
  let highestKept = 0;
  for (let i = 1; i < hops.length; i += 1) {
    const prev = hops[i - 1]!;
    const next = hops[i]!;
    if (prev.toKey !== next.fromKey) connected = false;
    if (next.atMs < prev.atMs) timeRespecting = false;
    longestGapMs = Math.max(longestGapMs, next.atMs - prev.atMs);
    // Amounts that cannot be compared (different assets, no reference rate) count as lost.
    const kept = shareOf(prev, next) ?? 0;
    lowestKept = Math.min(lowestKept, kept);
    highestKept = Math.max(highestKept, kept);
  }
  if (hops.length < 2) lowestKept = 1;

  const hopsFired = hops.length >= rule.minHops;
  const gapFired = timeRespecting && longestGapMs <= rule.maxGapMs;
  const keptFired = lowestKept >= rule.minKeptRatio && highestKept <= rule.maxGainRatio;
  const durationMs = last.atMs - first.atMs;
  const facts: AlertFact[] = [
    {
      name: 'chainHops',
      description: 'transfers in a row, each from the account the previous one paid',
      value: String(hops.length),
      threshold: `>= ${rule.minHops}`,
      fired: hopsFired && connected,
      unit: 'transfers',
    },
    {
      name: 'longestGapMinutes',
      description: 'longest time between one hop and the next (each booked no earlier than the one before)',
      value: timeRespecting ? minutes(longestGapMs) : 'out of time order',
      threshold: `<= ${minutes(rule.maxGapMs)}`,
      fired: gapFired,
      unit: 'minutes',
    },
    {
      name: 'lowestKeptRatio',
      description: "least share of a hop's amount carried on by the next hop",
      value: lowestKept.toFixed(3),
      threshold: `>= ${rule.minKeptRatio} (and no hop above ${rule.maxGainRatio}x the one before)`,
      fired: keptFired,
      unit: 'ratio (next hop / previous hop)',
    },
    {
      name: 'chainDurationMinutes',
      description: 'time from the first hop to the last',
      value: minutes(durationMs),
      threshold: `<= ${minutes((rule.minHops - 1) * rule.maxGapMs)} for a minimal chain`,
      fired: gapFired,
      unit: 'minutes',
    },
  ];

  if (sourceShares) {
    const lowest = sourceShares.length === 0 ? 1 : Math.min(...sourceShares);
    facts.push({
      name: 'lowestSourceShare',
      description:
        "least share of a middle account's takings (in the gap before its onward hop) that came from the " +
        "chain's previous hop",
      value: lowest.toFixed(3),
      threshold: `>= ${rule.minSourceShare}`,
      fired: lowest >= rule.minSourceShare,
      unit: 'share (0-1)',
    });
  }
  const sourced = facts.at(-1)?.name !== 'lowestSourceShare' || facts.at(-1)!.fired;
  const fired = connected && hopsFired && gapFired && keptFired && sourced;
  // Longer, faster and less lossy chains score higher; capped at 1.
  const length = Math.min(1, (hops.length - rule.minHops + 1) / 3);
  const loss = Math.min(1, Math.max(0, (lowestKept - rule.minKeptRatio) / (1 - rule.minKeptRatio)));
  const speed = 1 - Math.min(1, longestGapMs / rule.maxGapMs);
  const score = fired ? Math.min(1, 0.55 + 0.15 * length + 0.15 * loss + 0.15 * speed) : 0;
  return {
    fired,
    score: Number(score.toFixed(3)),
    facts,
    hops,
    intermediateKeys: accounts.slice(1, -1),
    firstSeenMs: first.atMs,
    lastSeenMs: last.atMs,
  };
};

/**
 * Share of what `prev`'s receiver took in the gap before `next` left it that `prev` brought (1 when its takings
 * are not known: the search only passes through accounts it has read, so that is never the case on a path).
 */
const sourceShareOf = (prev: FlowHop, next: FlowHop, view: AdjacencyView, gapMs: number): number => {
  const adjacency = view.get(prev.toKey);
  if (!adjacency) return 1;
  const takings = adjacency.inbound.filter((h) => h.atMs <= next.atMs && next.atMs - h.atMs <= gapMs);
  if (!takings.some((h) => h.transferId === prev.transferId)) takings.push(prev);
  const sums = comparableSums([prev], takings);
  return sums ? cappedShare(sums.a, sums.b) : 0;
};

/**
 * Layering chains through a new transfer, whatever order its hops arrived in: partial paths are searched
 * backward from its sender and forward from its receiver, joined, and the exact rule decides. Only chains no
 * other found chain contains are kept (a 4-hop chain, not also its 3-hop parts).
 */
export const findLayeringChains = (
  edge: FlowHop,
  view: AdjacencyView,
  rule: LayeringChainRule,
): SearchResult<LayeringChainFinding> => {
  if (edge.fromKey === edge.toKey) return emptySearch();
  const paths = searchTemporalPaths(edge, view, {
    maxHops: rule.maxHops,
    maxGapMs: rule.maxGapMs,
    spanMs: (rule.maxHops - 1) * rule.maxGapMs,
    minKeptRatio: rule.minKeptRatio,
    maxGainRatio: rule.maxGainRatio,
    maxPathsPerSide: rule.maxPathsPerSide,
  });
  const fired: LayeringChainFinding[] = [];
  for (const { hops, accounts } of joinPaths(edge, paths, rule.maxHops)) {
    if (hops.length < rule.minHops || new Set(accounts).size !== accounts.length) continue;
    const shares = hops.slice(1).map((next, i) => sourceShareOf(hops[i]!, next, view, rule.maxGapMs));
    const finding = evaluateLayeringChain(hops, rule, shares);
    if (finding?.fired) fired.push(finding);
  }
  const ids = fired.map((f) => new Set(f.hops.map((h) => h.transferId)));
  const findings = fired.filter(
    (_, i) =>
      !ids.some(
        (other, j) => j !== i && other.size > ids[i]!.size && [...ids[i]!].every((id) => other.has(id)),
      ),
  );
  return { findings, missing: paths.missing, hubs: paths.hubs };
};
