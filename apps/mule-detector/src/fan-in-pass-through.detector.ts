import type { AlertFact } from '@scamflow/contracts';
import { ratioOf } from '@scamflow/money';
import { INSTANT_PAYMENTS_PROFILE } from '@scamflow/detection-profiles';
import { showDuration, type AccountFlow } from './account-flows';

export interface FanInPassThroughRule {
  /** Inflows are looked at over this window, ending at the account's latest event. */
  readonly windowMs: number;
  /** Fires only with at least this many distinct senders in the window. */
  readonly minDistinctSenders: number;
  /** Share of the window's inflow that must leave again (0..1). */
  readonly minPassThroughRatio: number;
  /** An outflow counts as pass-through only if it leaves within this time of the latest inflow before it. */
  readonly maxDwellMs: number;
  /** An account opened at most this many days before its latest event counts as newly opened. */
  readonly newAccountMaxAgeDays: number;
  /** Sender threshold for a newly opened account (mules are often fresh accounts). */
  readonly newAccountMinDistinctSenders: number;
  /** Added to the score of a newly opened account. */
  readonly newAccountScoreBoost: number;
  /** Share of senders never seen paying the account before the window that counts as "mostly strangers". */
  readonly minFirstTimeSenderShare: number;
  /** Added to the score when the first-time sender share reaches its threshold. */
  readonly firstTimeSendersScoreBoost: number;
}

/** Today's windows: the instant-payments profile (see libs/detection-profiles for the reason of each number). */
export const DEFAULT_FAN_IN_PASS_THROUGH_RULE: FanInPassThroughRule =
  INSTANT_PAYMENTS_PROFILE.fanInPassThrough;

/** What else is known of the account besides its legs. */
export interface FanInContext {
  /** Whole days from the account's opening to its latest event; undefined without an account-opened fact. */
  readonly accountAgeDays?: number;
  /**
   * First payment time of recent senders (see AccountFlowState.senderFirstSeenMs); a sender absent from it
   * paid before. Undefined when no sender history is available.
   */
  readonly senderFirstSeenMs?: ReadonlyMap<string, number>;
  /**
   * Counterparties the account paid that their bank declared a place of spending (a merchant's acquiring
   * account), with that type: money paid there bought something and is not forwarded. Accounts absent from it
   * are receivers like any other (unknown counts as forwarding).
   */
  readonly spendingCounterparties?: ReadonlyMap<string, string>;
}

export interface FanInPassThroughFinding {
  readonly currency: string;
  readonly scale: number;
  readonly fired: boolean;
  readonly score: number;
  readonly facts: AlertFact[];
  readonly inflows: AccountFlow[];
  readonly passThroughOutflows: AccountFlow[];
  readonly inflowMinor: bigint;
  readonly outflowMinor: bigint;
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
}

/** Facts about who the account is and who pays it; they lower the sender threshold or raise the score. */
const contextFacts = (
  inflows: readonly AccountFlow[],
  windowStart: number,
  context: FanInContext,
  rule: FanInPassThroughRule,
) => {
  const age = context.accountAgeDays;
  const isNew = age !== undefined && age <= rule.newAccountMaxAgeDays;
  const senders = [...new Set(inflows.map((f) => f.counterpartyKey))];
  const seen = context.senderFirstSeenMs;
  const firstTime = seen ? senders.filter((s) => (seen.get(s) ?? -Infinity) >= windowStart).length : 0;
  const firstTimeShare = senders.length > 0 ? firstTime / senders.length : 0;
  const firstTimeFired = seen !== undefined && firstTimeShare >= rule.minFirstTimeSenderShare;
  const facts: AlertFact[] = [
    {
      name: 'accountAgeDays',
      description: `days from opening to the latest transfer; newly opened accounts need ${rule.newAccountMinDistinctSenders} senders instead of ${rule.minDistinctSenders}`,
      value: age === undefined ? 'unknown' : String(age),
      threshold: `<= ${rule.newAccountMaxAgeDays}`,
      fired: isNew,
      unit: 'days',
    },
    {
      name: 'firstTimeSenderShare',
      description: 'share of senders never seen paying this account before the window',
      value: seen ? firstTimeShare.toFixed(3) : 'unknown',
      threshold: `>= ${rule.minFirstTimeSenderShare}`,
      fired: firstTimeFired,
      unit: 'share (0-1)',
    },
  ];
  const minDistinctSenders = isNew
    ? Math.min(rule.minDistinctSenders, rule.newAccountMinDistinctSenders)
    : rule.minDistinctSenders;
  const boost =
    (isNew ? rule.newAccountScoreBoost : 0) + (firstTimeFired ? rule.firstTimeSendersScoreBoost : 0);
  return { facts, minDistinctSenders, boost };
};

/**
 * Fan-in followed by rapid pass-through: many distinct senders pay into the account and most of the money
 * leaves again within minutes. Evaluated per currency; the strongest finding is returned.
 */
export const evaluateFanInPassThrough = (
  inflows: readonly AccountFlow[],
  outflows: readonly AccountFlow[],
  rule: FanInPassThroughRule,
  context: FanInContext = {},
): FanInPassThroughFinding | undefined => {
  // Amounts add up only within one asset at one scale.
  const assetOf = (f: AccountFlow) => `${f.currency}/${f.scale}`;
  const assets = new Map(inflows.map((f) => [assetOf(f), f] as const));
  let best: FanInPassThroughFinding | undefined;
  for (const [asset, { currency, scale }] of assets) {
    const finding = evaluateCurrency(
      inflows.filter((f) => assetOf(f) === asset),
      outflows.filter((f) => assetOf(f) === asset),
      { currency, scale },
      rule,
      context,
    );
    if (finding && (!best || Number(finding.fired) - Number(best.fired) > 0 || finding.score > best.score)) {
      best = finding;
    }
  }
  return best;
};

const evaluateCurrency = (
  allIn: readonly AccountFlow[],
  allOut: readonly AccountFlow[],
  { currency, scale }: { currency: string; scale: number },
  rule: FanInPassThroughRule,
  context: FanInContext,
): FanInPassThroughFinding | undefined => {
  const byTime = (a: AccountFlow, b: AccountFlow) =>
    a.atMs - b.atMs || a.transferId.localeCompare(b.transferId);
  const latestMs = Math.max(...allIn.map((f) => f.atMs), ...allOut.map((f) => f.atMs));
  const inflows = allIn.filter((f) => f.atMs >= latestMs - rule.windowMs).sort(byTime);
  const first = inflows[0];
  if (!first) return undefined;
  const about = contextFacts(inflows, latestMs - rule.windowMs, context, rule);

  // An outflow is pass-through when it follows an inflow of the window within the dwell limit, and does not
  // pay a declared place of spending (a group's organiser paying the restaurant is not forwarding the money).
  const passThroughOutflows: AccountFlow[] = [];
  let spentMinor = 0n;
  let longestDwellMs = 0;
  const spending = context.spendingCounterparties;
  for (const out of [...allOut].sort(byTime)) {
    if (out.atMs < first.atMs) continue;
    const lastInBefore = inflows.filter((f) => f.atMs <= out.atMs).at(-1);
    if (!lastInBefore) continue;
    const dwell = out.atMs - lastInBefore.atMs;
    if (dwell > rule.maxDwellMs) continue;
    if (spending?.has(out.counterpartyKey)) {
      spentMinor += out.amountMinor;
      continue;
    }
    passThroughOutflows.push(out);
    longestDwellMs = Math.max(longestDwellMs, dwell);
  }

  const senders = new Set(inflows.map((f) => f.counterpartyKey));
  const inflowMinor = inflows.reduce((sum, f) => sum + f.amountMinor, 0n);
  const outflowMinor = passThroughOutflows.reduce((sum, f) => sum + f.amountMinor, 0n);
  // A share of the window's inflow: outflows paid from an earlier balance are not the window's money, so the
  // forwarded amount is capped at the inflow (an uncapped ratio printed 1.487 for a share).
  const forwardedMinor = outflowMinor < inflowMinor ? outflowMinor : inflowMinor;
  const ratio = ratioOf(forwardedMinor, inflowMinor);

  const sendersFired = senders.size >= about.minDistinctSenders;
  const ratioFired = ratio >= rule.minPassThroughRatio;
  const facts: AlertFact[] = [
    {
      name: 'distinctSenders',
      description: `distinct senders within ${showDuration(rule.windowMs)}`,
      value: String(senders.size),
      threshold: `>= ${about.minDistinctSenders}`,
      fired: sendersFired,
      unit: 'accounts',
    },
    {
      name: 'passThroughRatio',
      description: `share of the window's inflow sent on within ${showDuration(rule.maxDwellMs)} of arriving (capped at what came in)`,
      value: ratio.toFixed(3),
      threshold: `>= ${rule.minPassThroughRatio}`,
      fired: ratioFired,
      unit: 'share (0-1)',
    },
    {
      name: 'longestDwellMinutes',
      description: 'longest time money stayed before being forwarded',
      value: (longestDwellMs / 60_000).toFixed(1),
      threshold: `<= ${(rule.maxDwellMs / 60_000).toFixed(1)}`,
      fired: passThroughOutflows.length > 0,
      unit: 'minutes',
    },
    ...about.facts,
    ...(spentMinor > 0n
      ? [
          {
            name: 'spentAtDeclaredMerchantsShare',
            description: `share of the window's inflow paid within ${showDuration(rule.maxDwellMs)} to accounts their bank declared merchants (spending, not counted as sent on; capped at what came in)`,
            value: ratioOf(spentMinor < inflowMinor ? spentMinor : inflowMinor, inflowMinor).toFixed(3),
            threshold: 'informative',
            fired: false,
            unit: 'share (0-1)',
          },
        ]
      : []),
  ];

  const fired = sendersFired && ratioFired;
  // Score grows with how far past each threshold the account is; capped at 1.
  const senderExcess = Math.min(1, senders.size / (2 * about.minDistinctSenders));
  const quickness = 1 - Math.min(1, longestDwellMs / rule.maxDwellMs);
  const score = fired
    ? Math.min(1, 0.5 + 0.2 * senderExcess + 0.2 * ratio + 0.1 * quickness + about.boost)
    : 0;
  const lastSeenMs = Math.max(inflows.at(-1)?.atMs ?? first.atMs, passThroughOutflows.at(-1)?.atMs ?? 0);

  return {
    currency,
    scale,
    fired,
    score: Number(score.toFixed(3)),
    facts,
    inflows,
    passThroughOutflows,
    inflowMinor,
    outflowMinor,
    firstSeenMs: first.atMs,
    lastSeenMs,
  };
};
