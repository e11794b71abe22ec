import type { AlertFact } from '@scamflow/contracts';
import { ratioOf } from '@scamflow/money';
import { INSTANT_PAYMENTS_PROFILE } from '@scamflow/detection-profiles';
import type { AccountFlow } from './account-flows';
import {
  flowsPerAsset,
  latestEventMs,
  minutes,
  showDuration,
  strongerOf,
  sumMinor,
  type AssetFlows,
} from './account-flows';

export interface RapidPassThroughRule {
  /** Legs are looked at over this window, ending at the account's latest event. */
  readonly windowMs: number;
  /** Fires only with at least this many credit → debit cycles that forwarded their credits quickly. */
  readonly minCycles: number;
  /** A cycle is quick when its credits are forwarded within this time of the cycle's first credit. */
  readonly maxDwellMs: number;
  /** Window outflow / inflow must lie in [min, max]: money leaves about as fast as it comes. */
  readonly minOutInRatio: number;
  readonly maxOutInRatio: number;
  /** A reported balance after a cycle's last debit is "near zero" at or below this share of its credits. */
  readonly maxResidualBalanceRatio: number;
}

/** Today's windows: the instant-payments profile (see libs/detection-profiles for the reason of each number). */
export const DEFAULT_RAPID_PASS_THROUGH_RULE: RapidPassThroughRule =
  INSTANT_PAYMENTS_PROFILE.rapidPassThrough;

/** Credits, then the debits that followed them before the next credit. */
export interface PassThroughCycle {
  readonly credits: AccountFlow[];
  readonly debits: AccountFlow[];
  /** From the first credit to the debit that forwarded `minOutInRatio` of the credits. */
  readonly dwellMs: number;
  /** Undefined when the feed reported no balance on the cycle's last debit. */
  readonly balanceNearZero: boolean | undefined;
}

export interface RapidPassThroughFinding {
  readonly currency: string;
  readonly scale: number;
  readonly fired: boolean;
  readonly score: number;
  readonly facts: AlertFact[];
  readonly cycles: PassThroughCycle[];
  readonly inflowMinor: bigint;
  readonly outflowMinor: bigint;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
}

/**
 * Rapid pass-through: credits are forwarded again within minutes, cycle after cycle, so that outflow matches
 * inflow and the balance keeps returning to about zero. One cycle is ordinary life (salary, then rent); the
 * rule needs repetition. Evaluated per asset; the strongest finding is returned.
 */
export const evaluateRapidPassThrough = (
  inflows: readonly AccountFlow[],
  outflows: readonly AccountFlow[],
  rule: RapidPassThroughRule,
): RapidPassThroughFinding | undefined => {
  const windowStart = latestEventMs(inflows, outflows) - rule.windowMs;
  let best: RapidPassThroughFinding | undefined;
  for (const asset of flowsPerAsset(inflows, outflows)) {
    best = strongerOf(best, evaluateAsset(asset, windowStart, rule));
  }
  return best;
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** Splits the window's legs into credit runs each followed by the debit run before the next credit. */
const cyclesOf = (credits: readonly AccountFlow[], debits: readonly AccountFlow[]) => {
  const runs: { credits: AccountFlow[]; debits: AccountFlow[] }[] = [];
  let c = 0;
  let d = 0;
  while (c < credits.length || d < debits.length) {
    const credit = credits[c];
    const debit = debits[d];
    // A credit and a debit at the same instant: the credit came first (money cannot leave before it is in).
    if (credit && (!debit || credit.atMs <= debit.atMs)) {
      const last = runs.at(-1);
      if (!last || last.debits.length > 0) runs.push({ credits: [credit], debits: [] });
      else last.credits.push(credit);
      c += 1;
    } else if (debit) {
      // Debits before any credit in the window spend an earlier balance, not a cycle's credits.
      runs.at(-1)?.debits.push(debit);
      d += 1;
    }
  }
  return runs;
};

const evaluateAsset = (
  { currency, scale, inflows: allIn, outflows: allOut }: AssetFlows,
  windowStart: number,
  rule: RapidPassThroughRule,
): RapidPassThroughFinding | undefined => {
  const credits = allIn.filter((f) => f.atMs >= windowStart);
  const debits = allOut.filter((f) => f.atMs >= windowStart);
  if (credits.length === 0 || debits.length === 0) return undefined;

  const cycles: PassThroughCycle[] = [];
  for (const run of cyclesOf(credits, debits)) {
    const credited = sumMinor(run.credits);
    const first = run.credits[0];
    if (!first || run.debits.length === 0) continue;
    let forwarded = 0n;
    const forwarding = run.debits.find((debit) => {
      forwarded += debit.amountMinor;
      return ratioOf(forwarded, credited) >= rule.minOutInRatio;
    });
    if (!forwarding || forwarding.atMs - first.atMs > rule.maxDwellMs) continue;
    const balance = run.debits.at(-1)?.balanceAfterMinor;
    cycles.push({
      ...run,
      dwellMs: forwarding.atMs - first.atMs,
      balanceNearZero:
        balance === undefined ? undefined : ratioOf(balance, credited) <= rule.maxResidualBalanceRatio,
    });
  }

  const inflowMinor = sumMinor(credits);
  const outflowMinor = sumMinor(debits);
  const ratio = ratioOf(outflowMinor, inflowMinor);
  const dwells = cycles.map((cycle) => cycle.dwellMs);
  const medianDwellMs = median(dwells);
  const longestDwellMs = Math.max(0, ...dwells);
  const reported = cycles.filter((cycle) => cycle.balanceNearZero !== undefined);
  const nearZero = reported.filter((cycle) => cycle.balanceNearZero).length;

  const cyclesFired = cycles.length >= rule.minCycles;
  const ratioFired = ratio >= rule.minOutInRatio && ratio <= rule.maxOutInRatio;
  // Most reported balances must be near zero; with none reported the fact neither helps nor blocks.
  const balanceFired = reported.length > 0 && 2 * nearZero > reported.length;
  const facts: AlertFact[] = [
    {
      name: 'passThroughCycles',
      description: `credit → debit cycles forwarding >= ${rule.minOutInRatio} of their credits within ${showDuration(rule.maxDwellMs)}, over ${showDuration(rule.windowMs)}`,
      value: String(cycles.length),
      threshold: `>= ${rule.minCycles}`,
      fired: cyclesFired,
      unit: 'cycles',
    },
    {
      name: 'outInRatio',
      description: `outflow / inflow over ${showDuration(rule.windowMs)} (a ratio, not a share: above 1 spends an earlier balance)`,
      value: ratio.toFixed(3),
      threshold: `${rule.minOutInRatio} .. ${rule.maxOutInRatio}`,
      fired: ratioFired,
      unit: 'ratio',
    },
    {
      name: 'medianDwellMinutes',
      description: 'median time from a cycle’s first credit until it was forwarded',
      value: minutes(medianDwellMs),
      threshold: `<= ${minutes(rule.maxDwellMs)}`,
      fired: cycles.length > 0,
      unit: 'minutes',
    },
    {
      name: 'longestDwellMinutes',
      description: 'longest time a quick cycle’s money stayed',
      value: minutes(longestDwellMs),
      threshold: `<= ${minutes(rule.maxDwellMs)}`,
      fired: cycles.length > 0,
      unit: 'minutes',
    },
    {
      name: 'balanceNearZero',
      description: `cycles whose reported balance after the last debit was <= ${rule.maxResidualBalanceRatio} of their credits`,
      value: reported.length === 0 ? 'not reported' : `${nearZero} of ${reported.length}`,
      threshold: 'most cycles, where reported',
      fired: balanceFired,
      unit: 'cycles',
    },
  ];

  const fired = cyclesFired && ratioFired && (reported.length === 0 || balanceFired);
  const repetition = Math.min(1, cycles.length / (2 * rule.minCycles));
  const quickness = 1 - Math.min(1, medianDwellMs / rule.maxDwellMs);
  const score = fired
    ? Math.min(1, 0.5 + 0.2 * repetition + 0.15 * quickness + (balanceFired ? 0.15 : 0))
    : 0;
  const evidence = cycles.flatMap((cycle) => [...cycle.credits, ...cycle.debits]);
  return {
    currency,
    scale,
    fired,
    score: Number(score.toFixed(3)),
    facts,
    cycles,
    inflowMinor,
    outflowMinor,
    firstSeenMs: Math.min(...evidence.map((f) => f.atMs), credits[0]?.atMs ?? windowStart),
    lastSeenMs: Math.max(...evidence.map((f) => f.atMs), credits.at(-1)?.atMs ?? windowStart),
  };
};
