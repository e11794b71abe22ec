import type { AlertFact } from '@scamflow/contracts';
import { formatMinor, ratioOf, toMinorUnitsAtScale } from '@scamflow/money';
import { INSTANT_PAYMENTS_PROFILE } from '@scamflow/detection-profiles';
import type { AccountFlow } from './account-flows';
import {
  flowsPerAsset,
  latestEventMs,
  showDuration,
  strongerOf,
  sumMinor,
  type AssetFlows,
} from './account-flows';

export interface FanOutStructuringRule {
  /** Legs are looked at over this window, ending at the account's latest event. */
  readonly windowMs: number;
  /** Fires only when the window's outflows reach at least this many distinct receivers. */
  readonly minDistinctReceivers: number;
  /** Reporting threshold per currency, in major units as a decimal string ("50000" THB). */
  readonly reportingThresholds: ReadonlyMap<string, string>;
  /** An outflow is "just under" the threshold when it lies in [threshold × (1 − band), threshold). */
  readonly bandRatio: number;
  /** At least this many outflows just under the threshold ... */
  readonly minStructuredTransfers: number;
  /** ... making up at least this share of the window's outflows. */
  readonly minStructuredShare: number;
  /** The window's inflow must cover at least this share of its outflow: the scatter spends fresh money. */
  readonly minFundedRatio: number;
}

export const DEFAULT_REPORTING_THRESHOLDS: ReadonlyMap<string, string> = new Map([
  ['THB', '50000'],
  ['USD', '10000'],
  ['EUR', '10000'],
  ['GBP', '10000'],
]);

/** Today's windows: the instant-payments profile (see libs/detection-profiles for the reason of each number). */
export const DEFAULT_FAN_OUT_STRUCTURING_RULE: FanOutStructuringRule = {
  ...INSTANT_PAYMENTS_PROFILE.fanOutStructuring,
  reportingThresholds: DEFAULT_REPORTING_THRESHOLDS,
};

export interface FanOutStructuringFinding {
  readonly currency: string;
  readonly scale: number;
  readonly fired: boolean;
  readonly score: number;
  readonly facts: AlertFact[];
  /** The window's inflows that funded the scatter. */
  readonly fundingInflows: AccountFlow[];
  readonly outflows: AccountFlow[];
  readonly structuredOutflows: AccountFlow[];
  readonly inflowMinor: bigint;
  readonly outflowMinor: bigint;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
}

/** [lower, threshold) in minor units at the flow's scale, or undefined when no threshold is configured. */
const bandOf = (
  currency: string,
  scale: number,
  rule: FanOutStructuringRule,
): { lower: bigint; threshold: bigint } | undefined => {
  const configured = rule.reportingThresholds.get(currency);
  if (configured === undefined) return undefined;
  const parsed = toMinorUnitsAtScale(configured, currency, scale);
  if (!parsed.ok) return undefined;
  const threshold = BigInt(parsed.value.amountMinor);
  // Basis points keep the band arithmetic in integers.
  const bandBp = BigInt(Math.round(rule.bandRatio * 10_000));
  return { lower: threshold - (threshold * bandBp) / 10_000n, threshold };
};

/**
 * Fan-out / scatter with structuring: money that just came in leaves to many distinct receivers in amounts
 * clustered just under the currency's reporting threshold. Payroll also pays many receivers, but in varied
 * amounts, so it does not fire. Evaluated per asset; the strongest finding is returned.
 */
export const evaluateFanOutStructuring = (
  inflows: readonly AccountFlow[],
  outflows: readonly AccountFlow[],
  rule: FanOutStructuringRule,
): FanOutStructuringFinding | undefined => {
  const windowStart = latestEventMs(inflows, outflows) - rule.windowMs;
  let best: FanOutStructuringFinding | undefined;
  for (const asset of flowsPerAsset(inflows, outflows)) {
    best = strongerOf(best, evaluateAsset(asset, windowStart, rule));
  }
  return best;
};

const evaluateAsset = (
  { currency, scale, inflows: allIn, outflows: allOut }: AssetFlows,
  windowStart: number,
  rule: FanOutStructuringRule,
): FanOutStructuringFinding | undefined => {
  const outflows = allOut.filter((f) => f.atMs >= windowStart);
  const first = outflows[0];
  if (!first) return undefined;
  const fundingInflows = allIn.filter((f) => f.atMs >= windowStart && f.atMs <= (outflows.at(-1)?.atMs ?? 0));

  const band = bandOf(currency, scale, rule);
  const structuredOutflows = band
    ? outflows.filter((f) => f.amountMinor >= band.lower && f.amountMinor < band.threshold)
    : [];
  const receivers = new Set(outflows.map((f) => f.counterpartyKey));
  const inflowMinor = sumMinor(fundingInflows);
  const outflowMinor = sumMinor(outflows);
  const structuredShare = structuredOutflows.length / outflows.length;
  // A share of the outflow: inflow beyond the outflow funds nothing more, so it is capped at 1.
  const fundedRatio = Math.min(1, ratioOf(inflowMinor, outflowMinor));

  const receiversFired = receivers.size >= rule.minDistinctReceivers;
  const structuredFired = structuredOutflows.length >= rule.minStructuredTransfers;
  const shareFired = structuredShare >= rule.minStructuredShare;
  const fundedFired = fundedRatio >= rule.minFundedRatio;
  const show = (minor: bigint) => `${formatMinor(minor, scale)} ${currency}`;
  const facts: AlertFact[] = [
    {
      name: 'distinctReceivers',
      description: `distinct receivers within ${showDuration(rule.windowMs)}`,
      value: String(receivers.size),
      threshold: `>= ${rule.minDistinctReceivers}`,
      fired: receiversFired,
      unit: 'accounts',
    },
    {
      name: 'structuredTransfers',
      description: band
        ? `outflows just under the ${show(band.threshold)} reporting threshold (from ${show(band.lower)})`
        : `outflows just under a reporting threshold (none configured for ${currency})`,
      value: String(structuredOutflows.length),
      threshold: `>= ${rule.minStructuredTransfers}`,
      fired: structuredFired,
      unit: 'transfers',
    },
    {
      name: 'structuredShare',
      description: 'share of the window’s outflows just under the threshold',
      value: structuredShare.toFixed(3),
      threshold: `>= ${rule.minStructuredShare}`,
      fired: shareFired,
      unit: 'share (0-1)',
    },
    {
      name: 'fundedByRecentInflows',
      description: 'inflow received in the window before the last outflow, as a share of the outflow',
      value: fundedRatio.toFixed(3),
      threshold: `>= ${rule.minFundedRatio}`,
      fired: fundedFired,
      unit: 'share (0-1)',
    },
  ];

  const fired = receiversFired && structuredFired && shareFired && fundedFired;
  const spread = Math.min(1, receivers.size / (2 * rule.minDistinctReceivers));
  const score = fired
    ? Math.min(1, 0.5 + 0.2 * spread + 0.2 * structuredShare + 0.1 * Math.min(1, fundedRatio))
    : 0;
  return {
    currency,
    scale,
    fired,
    score: Number(score.toFixed(3)),
    facts,
    fundingInflows,
    outflows,
    structuredOutflows,
    inflowMinor,
    outflowMinor,
    firstSeenMs: Math.min(first.atMs, fundingInflows[0]?.atMs ?? first.atMs),
    lastSeenMs: outflows.at(-1)?.atMs ?? first.atMs,
  };
};
