import type { AlertFact } from '@scamflow/contracts';
import { INSTANT_PAYMENTS_PROFILE, type CycleProfile } from '@scamflow/detection-profiles';
import { emptySearch, type AdjacencyView, type SearchResult } from './adjacency-view';
import { minutes, shareOf, type FlowHop } from './flow-hop';
import { joinPaths, searchTemporalPaths } from './temporal-paths';

/** The profile's cycle bounds (hops, window, returned share), the gain limit and the search's path cap. */
export interface RoundTrippingRule extends CycleProfile {
  /** Most the returning amount (and each hop) may exceed what left, as a ratio >= 1. */
  readonly maxGainRatio: number;
  /** Least share of each hop's amount the next hop carries on (the whole returns at least minReturnedRatio). */
  readonly minHopKeptRatio: number;
  readonly maxPathsPerSide: number;
}

export const DEFAULT_ROUND_TRIPPING_RULE: RoundTrippingRule = {
  // A→B→A is how repayments and refunds look; round-tripping sends value through at least two others.
  ...INSTANT_PAYMENTS_PROFILE.cycle,
  maxGainRatio: INSTANT_PAYMENTS_PROFILE.layeringChain.maxGainRatio,
  minHopKeptRatio: INSTANT_PAYMENTS_PROFILE.layeringChain.minKeptRatio,
  maxPathsPerSide: INSTANT_PAYMENTS_PROFILE.network.maxPathsPerTransfer,
};

export interface RoundTrippingFinding {
  readonly fired: boolean;
  readonly score: number;
  readonly facts: AlertFact[];
  readonly hops: readonly FlowHop[];
  readonly originKey: string;
  /** Accounts between the value leaving the origin and coming back. */
  readonly intermediateKeys: string[];
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
}

/**
 * Round-tripping: value leaves an account and returns to it through other accounts, hop after hop in time
 * order, within the window and with most of the amount. Returns undefined for an empty path.
 */
export const evaluateRoundTripping = (
  hops: readonly FlowHop[],
  rule: RoundTrippingRule,
): RoundTrippingFinding | undefined => {
  const first = hops[0];
  const last = hops.at(-1);
  if (!first || !last) return undefined;

  const between = hops.slice(0, -1).map((h) => h.toKey);
  let path = last.toKey === first.fromKey && new Set([first.fromKey, ...between]).size === hops.length;
  let timeRespecting = true;
  for (let i = 1; i < hops.length; i += 1) {
    if (hops[i - 1]!.toKey !== hops[i]!.fromKey) path = false;
    if (hops[i]!.atMs < hops[i - 1]!.atMs) timeRespecting = false;
  }
  const durationMs = last.atMs - first.atMs;
  const returned = hops.length > 1 ? (shareOf(first, last) ?? 0) : 0;

  const hopsFired = path && hops.length >= rule.minHops && hops.length <= rule.maxHops;
  const windowFired = timeRespecting && durationMs <= rule.windowMs;
  const returnedFired = returned >= rule.minReturnedRatio && returned <= rule.maxGainRatio;
  const facts: AlertFact[] = [
    {
      name: 'cycleHops',
      description:
        'transfers from the origin back to the origin, each from the account the previous one paid',
      value: String(hops.length),
      threshold: `${rule.minHops}..${rule.maxHops}`,
      fired: hopsFired,
      unit: 'transfers',
    },
    {
      name: 'returnedRatio',
      description: 'share of the amount that left the origin which came back to it',
      value: returned.toFixed(3),
      threshold: `>= ${rule.minReturnedRatio} and <= ${rule.maxGainRatio}`,
      fired: returnedFired,
      unit: 'ratio (returned / left)',
    },
    {
      name: 'roundTripMinutes',
      description:
        'time from the value leaving the origin to its return (each hop no earlier than the one before)',
      value: timeRespecting ? minutes(durationMs) : 'out of time order',
      threshold: `<= ${minutes(rule.windowMs)}`,
      fired: windowFired,
      unit: 'minutes',
    },
  ];
  const fired = hopsFired && windowFired && returnedFired;
  const closeness = Math.min(
    1,
    Math.max(0, (returned - rule.minReturnedRatio) / (1 - rule.minReturnedRatio)),
  );
  const speed = 1 - Math.min(1, durationMs / rule.windowMs);
  // Laundering cycles usually pass through others; a direct back-and-forth scores lower.
  const through = hops.length > 2 ? 1 : 0;
  const score = fired ? Math.min(1, 0.55 + 0.15 * closeness + 0.15 * speed + 0.15 * through) : 0;
  return {
    fired,
    score: Number(score.toFixed(3)),
    facts,
    hops,
    originKey: first.fromKey,
    intermediateKeys: between,
    firstSeenMs: first.atMs,
    lastSeenMs: last.atMs,
  };
};

/**
 * Cycles through a new transfer, of any length up to the hop bound, whatever order their hops arrived in: a
 * backward path ending at its sender and a forward path starting at its receiver that meet at one account (the
 * origin, where the value left first and came back last). Each hop keeps what a chain's hop keeps.
 */
export const findRoundTrips = (
  edge: FlowHop,
  view: AdjacencyView,
  rule: RoundTrippingRule,
): SearchResult<RoundTrippingFinding> => {
  if (edge.fromKey === edge.toKey) return emptySearch();
  const paths = searchTemporalPaths(edge, view, {
    maxHops: rule.maxHops,
    maxGapMs: rule.windowMs,
    spanMs: rule.windowMs,
    minKeptRatio: rule.minHopKeptRatio,
    maxGainRatio: rule.maxGainRatio,
    maxPathsPerSide: rule.maxPathsPerSide,
  });
  const findings: RoundTrippingFinding[] = [];
  for (const { hops, accounts } of joinPaths(edge, paths, rule.maxHops)) {
    if (hops.length < rule.minHops || accounts[0] !== accounts.at(-1)) continue;
    if (new Set(accounts.slice(1)).size !== accounts.length - 1) continue;
    const finding = evaluateRoundTripping(hops, rule);
    if (finding?.fired) findings.push(finding);
  }
  return { findings, missing: paths.missing, hubs: paths.hubs };
};
