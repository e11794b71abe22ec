import type { AlertFact } from '@scamflow/contracts';
import type { GatherScatterProfile } from '@scamflow/detection-profiles';
import { ratioOf } from '@scamflow/money';
import {
  flowsPerAsset,
  showDuration,
  strongerOf,
  sumMinor,
  type AccountFlow,
  type AssetFlows,
} from './account-flows';

export type GatherScatterRule = GatherScatterProfile;

export interface GatherScatterFinding {
  readonly currency: string;
  readonly scale: number;
  readonly fired: boolean;
  readonly score: number;
  readonly facts: AlertFact[];
  readonly inflows: AccountFlow[];
  readonly scatteredOutflows: AccountFlow[];
  readonly inflowMinor: bigint;
  /** Forwarded amount, capped at the gathered inflow (money from before the window is not counted). */
  readonly forwardedMinor: bigint;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
}

/**
 * Gather-scatter at one account: many senders pay in, then the money leaves to many receivers soon after. A shop
 * gathers but pays few suppliers; payroll scatters but gathers from one employer; a family account does neither
 * at these counts. Evaluated per asset; the strongest finding is returned.
 */
export const evaluateGatherScatter = (
  inflows: readonly AccountFlow[],
  outflows: readonly AccountFlow[],
  latestMs: number,
  rule: GatherScatterRule,
): GatherScatterFinding | undefined => {
  let best: GatherScatterFinding | undefined;
  for (const asset of flowsPerAsset(inflows, outflows)) {
    best = strongerOf(best, evaluateAsset(asset, latestMs - rule.windowMs, rule));
  }
  return best;
};

const evaluateAsset = (
  { currency, scale, inflows: allIn, outflows: allOut }: AssetFlows,
  windowStart: number,
  rule: GatherScatterRule,
): GatherScatterFinding | undefined => {
  const inflows = allIn.filter((f) => f.atMs >= windowStart);
  const first = inflows[0];
  if (!first) return undefined;
  // An outflow scatters gathered money when it follows an inflow of the window within the dwell limit.
  const scattered = allOut.filter((out) => {
    const lastInBefore = inflows.filter((f) => f.atMs <= out.atMs).at(-1);
    return lastInBefore !== undefined && out.atMs - lastInBefore.atMs <= rule.maxDwellMs;
  });
  const senders = new Set(inflows.map((f) => f.counterpartyKey));
  const receivers = new Set(scattered.map((f) => f.counterpartyKey));
  const inflowMinor = sumMinor(inflows);
  const outMinor = sumMinor(scattered);
  const forwardedMinor = outMinor < inflowMinor ? outMinor : inflowMinor;
  const share = ratioOf(forwardedMinor, inflowMinor);

  const sendersFired = senders.size >= rule.minDistinctSenders;
  const receiversFired = receivers.size >= rule.minDistinctReceivers;
  const shareFired = share >= rule.minForwardedShare;
  const facts: AlertFact[] = [
    {
      name: 'distinctSenders',
      description: `distinct senders within ${showDuration(rule.windowMs)}`,
      value: String(senders.size),
      threshold: `>= ${rule.minDistinctSenders}`,
      fired: sendersFired,
      unit: 'accounts',
    },
    {
      name: 'distinctReceivers',
      description: `distinct receivers paid within ${showDuration(rule.maxDwellMs)} of an inflow`,
      value: String(receivers.size),
      threshold: `>= ${rule.minDistinctReceivers}`,
      fired: receiversFired,
      unit: 'accounts',
    },
    {
      name: 'forwardedShare',
      description: `share of the gathered inflow sent on within ${showDuration(rule.maxDwellMs)} (capped at what came in)`,
      value: share.toFixed(3),
      threshold: `>= ${rule.minForwardedShare}`,
      fired: shareFired,
      unit: 'share (0-1)',
    },
  ];
  const fired = sendersFired && receiversFired && shareFired;
  const score = fired
    ? Math.min(
        1,
        0.5 +
          0.2 * Math.min(1, senders.size / (2 * rule.minDistinctSenders)) +
          0.2 * Math.min(1, receivers.size / (2 * rule.minDistinctReceivers)) +
          0.1 * share,
      )
    : 0;
  return {
    currency,
    scale,
    fired,
    score: Number(score.toFixed(3)),
    facts,
    inflows,
    scatteredOutflows: scattered,
    inflowMinor,
    forwardedMinor,
    firstSeenMs: first.atMs,
    lastSeenMs: Math.max(inflows.at(-1)?.atMs ?? first.atMs, scattered.at(-1)?.atMs ?? first.atMs),
  };
};
