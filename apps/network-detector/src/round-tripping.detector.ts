import type { AlertFact } from '@scamflow/contracts';
import { minutes, shareOf, type FlowHop } from './flow-hop';

export interface RoundTrippingRule {
  readonly minHops: number;
  readonly maxHops: number;
  /** Longest time from the value leaving its origin to its return. */
  readonly windowMs: number;
  /** Least share of the amount that left which must come back (0..1). */
  readonly minReturnedRatio: number;
  /** Most the returning amount may exceed what left, as a ratio >= 1. */
  readonly maxGainRatio: number;
}

export const DEFAULT_ROUND_TRIPPING_RULE: RoundTrippingRule = {
  // A→B→A is how repayments and refunds look; round-tripping sends value through at least two others.
  minHops: 3,
  maxHops: 4,
  windowMs: 72 * 60 * 60 * 1000,
  minReturnedRatio: 0.8,
  maxGainRatio: 1.05,
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
    },
    {
      name: 'returnedRatio',
      description: 'share of the amount that left the origin which came back to it',
      value: returned.toFixed(3),
      threshold: `>= ${rule.minReturnedRatio} and <= ${rule.maxGainRatio}`,
      fired: returnedFired,
    },
    {
      name: 'roundTripMinutes',
      description:
        'time from the value leaving the origin to its return (each hop no earlier than the one before)',
      value: timeRespecting ? minutes(durationMs) : 'out of time order',
      threshold: `<= ${minutes(rule.windowMs)}`,
      fired: windowFired,
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
