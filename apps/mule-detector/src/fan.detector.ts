import type { AlertFact } from '@scamflow/contracts';
import type { FanProfile } from '@scamflow/detection-profiles';
import {
  byTime,
  duration,
  showDuration,
  statsKeyOf,
  sumMinor,
  type AccountFlow,
  type Side,
  type SideStats,
} from './account-flows';

/** Fan-in / fan-out thresholds: a detection profile's `fanIn` or `fanOut` section. */
export type FanRule = FanProfile;

export interface FanFinding {
  readonly side: Side;
  readonly currency: string;
  readonly scale: number;
  readonly fired: boolean;
  readonly score: number;
  readonly facts: AlertFact[];
  /** The window's legs on this side. */
  readonly legs: AccountFlow[];
  /** Counterparties that split a payment into at least `minSplitTransfers` transfers in the window. */
  readonly splitCounterparties: string[];
  readonly totalMinor: bigint;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
}

export interface FanContext {
  /** Running moments of the account per side and asset ("in|THB/2"). */
  readonly stats?: ReadonlyMap<string, SideStats>;
  /** Legs of this side the per-account cap dropped (the alert says so). */
  readonly cappedLegs?: number;
  /**
   * The account's reported type when many counterparties on this side is what it exists for (a merchant's
   * payers, a payroll's staff): only a payment split up by one counterparty counts then.
   */
  readonly declaredFor?: string;
  /** Whole days since the account was opened, when a bank reported it (an established account needs more payers). */
  readonly accountAgeDays?: number;
}

/**
 * The account's usual number of legs per window, from its running count before the window and the time it has
 * been observed; undefined while the history is too thin to trust (a new account is judged on the burst alone).
 */
const usualPerWindow = (
  stats: SideStats | undefined,
  windowLegs: number,
  windowStart: number,
  rule: FanRule,
): number | undefined => {
  if (!stats) return undefined;
  const before = stats.count - windowLegs;
  if (before < rule.minHistoryLegs) return undefined;
  const observedMs = Math.max(rule.windowMs, windowStart - stats.firstAtMs);
  return (before * rule.windowMs) / observedMs;
};

/**
 * Fan-in (side `in`) or fan-out (side `out`): a burst of legs on one side of the account within the window —
 * many distinct counterparties, or one counterparty splitting a payment into several transfers — well above the
 * account's own running rhythm. Evaluated per asset; the strongest finding is returned.
 *
 * Look-alikes: a shop or payroll account moves many legs every window (its rhythm is high, the burst factor
 * stays low); a parent paying a child once a week, a loan repaid monthly (one leg per window); an exchange hot
 * wallet (skipped by the hub policy).
 */
export const evaluateFan = (
  side: Side,
  legs: readonly AccountFlow[],
  latestMs: number,
  rule: FanRule,
  context: FanContext = {},
): FanFinding | undefined => {
  const windowStart = latestMs - rule.windowMs;
  const perAsset = new Map<string, AccountFlow[]>();
  for (const f of legs) {
    if (f.atMs < windowStart) continue;
    const key = statsKeyOf(side, f);
    perAsset.set(key, [...(perAsset.get(key) ?? []), f]);
  }
  let best: FanFinding | undefined;
  for (const [key, assetLegs] of perAsset) {
    const finding = evaluateAsset(side, assetLegs.sort(byTime), windowStart, rule, {
      stats: context.stats?.get(key),
      cappedLegs: context.cappedLegs ?? 0,
      declaredFor: context.declaredFor,
      accountAgeDays: context.accountAgeDays,
    });
    if (
      !best ||
      (finding.fired && !best.fired) ||
      (finding.fired === best.fired && finding.score > best.score)
    ) {
      best = finding;
    }
  }
  return best;
};

const evaluateAsset = (
  side: Side,
  legs: AccountFlow[],
  windowStart: number,
  rule: FanRule,
  {
    stats,
    cappedLegs,
    declaredFor,
    accountAgeDays,
  }: {
    stats: SideStats | undefined;
    cappedLegs: number;
    declaredFor: string | undefined;
    accountAgeDays: number | undefined;
  },
): FanFinding => {
  const first = legs[0]!;
  const { currency, scale } = first;
  const perCounterparty = new Map<string, number>();
  for (const f of legs)
    perCounterparty.set(f.counterpartyKey, (perCounterparty.get(f.counterpartyKey) ?? 0) + 1);
  const distinct = perCounterparty.size;
  const mostFromOne = Math.max(...perCounterparty.values());
  const splitCounterparties = [...perCounterparty]
    .filter(([, n]) => n >= rule.minSplitTransfers)
    .map(([key]) => key)
    .sort();
  const usual = usualPerWindow(stats, legs.length, windowStart, rule);
  const burst = usual === undefined ? undefined : legs.length / Math.max(usual, Number.EPSILON);
  const peak = usual === undefined ? undefined : stats?.previousPeakPerWindow;

  const who = side === 'in' ? 'senders' : 'receivers';
  const window = showDuration(rule.windowMs);
  // An account of unknown opening is judged as a new one: the age can only raise the bar, never hide a burst.
  const established = accountAgeDays !== undefined && accountAgeDays > rule.newAccountMaxAgeDays;
  const minDistinct = established
    ? rule.establishedMinDistinctCounterparties
    : rule.minDistinctCounterparties;
  const distinctFired = distinct >= minDistinct;
  const splitFired = mostFromOne >= rule.minSplitTransfers;
  // Many distinct counterparties count only as a burst: above the account's usual rate and above its earlier
  // busiest window (payroll every month, a shop's busy day are their own precedent). A split payment needs no
  // burst: one counterparty paying in pieces is not how shops or employers are paid.
  const burstFired = burst === undefined || (burst >= rule.minBurstFactor && legs.length > (peak ?? 0));
  const gap = stats && stats.gapCount > 0 ? duration(stats.gapMeanMs) : undefined;
  const facts: AlertFact[] = [
    {
      name: side === 'in' ? 'distinctSenders' : 'distinctReceivers',
      description: established
        ? `distinct ${who} within ${window} (an established account: ${rule.establishedMinDistinctCounterparties} needed, ${rule.minDistinctCounterparties} for one open at most ${rule.newAccountMaxAgeDays} days)`
        : `distinct ${who} within ${window}`,
      value: String(distinct),
      threshold: `>= ${minDistinct}`,
      fired: distinctFired,
      unit: 'accounts',
    },
    {
      name: 'accountAgeDays',
      description:
        accountAgeDays === undefined
          ? 'days since the account was opened: no bank reported it, judged as a new account'
          : `days since the account was opened; over ${rule.newAccountMaxAgeDays} it is established and needs more distinct ${who}`,
      value: accountAgeDays === undefined ? 'unknown' : String(accountAgeDays),
      threshold: `<= ${rule.newAccountMaxAgeDays}`,
      fired: !established,
      unit: 'days',
    },
    {
      name: 'mostTransfersFromOneCounterparty',
      description: `most transfers ${side === 'in' ? 'from one sender' : 'to one receiver'} within ${window} (a payment split up)`,
      value: String(mostFromOne),
      threshold: `>= ${rule.minSplitTransfers}`,
      fired: splitFired,
      unit: 'transfers',
    },
    {
      name: 'burstFactor',
      description:
        usual === undefined
          ? `legs within ${window} against the account's usual count: history under ${rule.minHistoryLegs} legs, judged on the burst alone`
          : `legs within ${window} (${legs.length}) over the account's usual count per ${window} (${usual.toFixed(2)})`,
      value: burst === undefined ? 'unknown' : burst.toFixed(2),
      threshold: `>= ${rule.minBurstFactor}`,
      fired: burst === undefined || burst >= rule.minBurstFactor,
      unit: 'times the usual count',
    },
    {
      name: 'previousPeakPerWindow',
      description: `most ${side === 'in' ? 'inflows' : 'outflows'} in one earlier ${window} window; a burst must exceed it`,
      value: peak === undefined ? 'unknown' : String(peak),
      threshold: `< ${legs.length}`,
      fired: peak === undefined || legs.length > peak,
      unit: 'transfers',
    },
    {
      name: side === 'in' ? 'inflowTransfers' : 'outflowTransfers',
      description: `transfers ${side === 'in' ? 'in' : 'out'} within ${window}`,
      value: String(legs.length),
      threshold: 'informative',
      fired: false,
      unit: 'transfers',
    },
    {
      name: 'usualGap',
      description: `mean time between the account's ${side === 'in' ? 'inflows' : 'outflows'} over its recorded history`,
      value: gap ? gap.value : 'unknown',
      threshold: 'informative',
      fired: false,
      unit: gap ? gap.unit : 'minutes',
    },
    ...(declaredFor === undefined
      ? []
      : [
          {
            name: 'declaredPurpose',
            description: `many distinct ${who} is what a ${declaredFor} account is for (reported type): only a payment split up by one counterparty counts on this side`,
            value: declaredFor,
            threshold: 'informative',
            fired: false,
            unit: 'account type',
          },
        ]),
    ...(cappedLegs > 0
      ? [
          {
            name: 'legsDroppedByCap',
            description: `older ${side === 'in' ? 'inflows' : 'outflows'} dropped by the per-account cap (a hub: its window is summarised, counts are lower bounds)`,
            value: String(cappedLegs),
            threshold: 'informative',
            fired: false,
            unit: 'transfers',
          },
        ]
      : []),
  ];
  const fired = splitFired || (declaredFor === undefined && distinctFired && burstFired);
  const score = fired
    ? Math.min(
        1,
        0.5 +
          0.2 * Math.min(1, distinct / (2 * minDistinct)) +
          0.2 * Math.min(1, mostFromOne / (2 * rule.minSplitTransfers)) +
          0.1 * (burst === undefined ? 0.5 : Math.min(1, burst / (2 * rule.minBurstFactor))),
      )
    : 0;
  return {
    side,
    currency,
    scale,
    fired,
    score: Number(score.toFixed(3)),
    facts,
    legs,
    splitCounterparties,
    totalMinor: sumMinor(legs),
    firstSeenMs: first.atMs,
    lastSeenMs: legs.at(-1)?.atMs ?? first.atMs,
  };
};
