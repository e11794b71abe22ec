import type { AccountRef, AlertDraft } from '@scamflow/contracts';
import type { DetectionProfile } from '@scamflow/detection-profiles';
import { latestEventMs, type AccountFlowState } from './account-flows';
import { buildFanAlert } from './fan.alert';
import { evaluateFan, type FanRule } from './fan.detector';
import { buildFanInPassThroughAlert } from './fan-in-pass-through.alert';
import { evaluateFanInPassThrough, type FanInPassThroughRule } from './fan-in-pass-through.detector';
import { buildFanOutStructuringAlert } from './fan-out-structuring.alert';
import { evaluateFanOutStructuring, type FanOutStructuringRule } from './fan-out-structuring.detector';
import { buildGatherScatterAlert } from './gather-scatter.alert';
import { evaluateGatherScatter, type GatherScatterRule } from './gather-scatter.detector';
import { hubTreatmentOf, isJudged, type HubPolicy } from './hub-policy';
import { buildRapidPassThroughAlert } from './rapid-pass-through.alert';
import { evaluateRapidPassThrough, type RapidPassThroughRule } from './rapid-pass-through.detector';

export interface MuleDetectionRules {
  readonly fanInPassThrough: FanInPassThroughRule;
  readonly rapidPassThrough: RapidPassThroughRule;
  readonly fanOutStructuring: FanOutStructuringRule;
  /** Absent: the typology is not evaluated (rules built before it existed). */
  readonly fanIn?: FanRule;
  readonly fanOut?: FanRule;
  readonly gatherScatter?: GatherScatterRule;
  readonly hubs: HubPolicy;
}

/** A profile's rules for the mule detectors, with the deployment's reporting thresholds and hub policy. */
export const muleRulesOfProfile = (
  profile: DetectionProfile,
  reportingThresholds: ReadonlyMap<string, string>,
  hubs: HubPolicy,
): MuleDetectionRules => ({
  fanInPassThrough: profile.fanInPassThrough,
  rapidPassThrough: profile.rapidPassThrough,
  fanOutStructuring: { ...profile.fanOutStructuring, reportingThresholds },
  fanIn: profile.fanIn,
  fanOut: profile.fanOut,
  gatherScatter: profile.gatherScatter,
  hubs,
});

/** Legs are kept long enough for the longest detector window plus the dwell allowance after it. */
export const windowMsOf = (r: MuleDetectionRules): number =>
  Math.max(
    r.fanInPassThrough.windowMs + r.fanInPassThrough.maxDwellMs,
    r.rapidPassThrough.windowMs,
    r.fanOutStructuring.windowMs,
    r.fanIn?.windowMs ?? 0,
    r.fanOut?.windowMs ?? 0,
    (r.gatherScatter?.windowMs ?? 0) + (r.gatherScatter?.maxDwellMs ?? 0),
  );

/**
 * The fewest legs (inflows and outflows together, any asset) with which any mule detector can fire under these
 * rules: an account holding fewer in its retained window raises nothing, so the service does not read it. Each
 * term is a lower bound of one detector: a fan needs its split or its distinct counterparties on one side;
 * fan-in pass-through its senders and, when it must pass money on, one outflow; rapid pass-through a credit and a debit per cycle;
 * structuring its receivers and, when it must be funded, one inflow; gather-scatter its senders and receivers.
 * Hub multipliers only raise thresholds, and the self-transfers the detectors leave out only lower the count.
 */
export const minLegsToFire = (r: MuleDetectionRules): number => {
  const fan = (f: FanRule | undefined) =>
    f
      ? Math.min(f.minSplitTransfers, f.minDistinctCounterparties, f.establishedMinDistinctCounterparties)
      : Infinity;
  return Math.min(
    fan(r.fanIn),
    fan(r.fanOut),
    Math.min(r.fanInPassThrough.minDistinctSenders, r.fanInPassThrough.newAccountMinDistinctSenders) +
      (r.fanInPassThrough.minPassThroughRatio > 0 ? 1 : 0),
    2 * r.rapidPassThrough.minCycles,
    r.fanOutStructuring.minDistinctReceivers + (r.fanOutStructuring.minFundedRatio > 0 ? 1 : 0),
    r.gatherScatter ? r.gatherScatter.minDistinctSenders + r.gatherScatter.minDistinctReceivers : Infinity,
  );
};

export interface MuleAccountInput {
  readonly subject: AccountRef;
  readonly state: AccountFlowState;
  readonly profile?: { readonly openedAtMs: number; readonly accountType: string };
  /** Reported account types of counterparties the account paid (those known; see HubPolicy.spendingAccountTypes). */
  readonly counterpartyTypes?: ReadonlyMap<string, string>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The counterparties whose reported type is a place of spending under the hub policy. */
const spendingOf = (types: ReadonlyMap<string, string>, hubs: HubPolicy): ReadonlyMap<string, string> =>
  new Map([...types].filter(([, type]) => hubs.spendingAccountTypes.has(type)));

/** Hubs of a stronger-evidence type must clear every count threshold `m` times over. */
const strengthened = (rules: MuleDetectionRules, m: number): Omit<MuleDetectionRules, 'hubs'> => {
  if (m === 1) return rules;
  const fan = (r: FanRule | undefined) =>
    r && {
      ...r,
      minDistinctCounterparties: r.minDistinctCounterparties * m,
      minSplitTransfers: r.minSplitTransfers * m,
    };
  return {
    fanInPassThrough: {
      ...rules.fanInPassThrough,
      minDistinctSenders: rules.fanInPassThrough.minDistinctSenders * m,
      newAccountMinDistinctSenders: rules.fanInPassThrough.newAccountMinDistinctSenders * m,
    },
    rapidPassThrough: { ...rules.rapidPassThrough, minCycles: rules.rapidPassThrough.minCycles * m },
    fanOutStructuring: {
      ...rules.fanOutStructuring,
      minDistinctReceivers: rules.fanOutStructuring.minDistinctReceivers * m,
      minStructuredTransfers: rules.fanOutStructuring.minStructuredTransfers * m,
    },
    ...(rules.fanIn ? { fanIn: fan(rules.fanIn) } : {}),
    ...(rules.fanOut ? { fanOut: fan(rules.fanOut) } : {}),
    ...(rules.gatherScatter
      ? {
          gatherScatter: {
            ...rules.gatherScatter,
            minDistinctSenders: rules.gatherScatter.minDistinctSenders * m,
            minDistinctReceivers: rules.gatherScatter.minDistinctReceivers * m,
          },
        }
      : {}),
  };
};

/**
 * Runs every mule detector on one account's rolling state and returns a draft per typology that fired.
 * Windows end at the account's latest event (event time: a replay, or a late transfer, is judged the same way).
 */
export const evaluateMuleAccount = (
  { subject, state, profile, counterpartyTypes }: MuleAccountInput,
  rules: MuleDetectionRules,
): AlertDraft[] => {
  const hub = hubTreatmentOf(subject, profile?.accountType, rules.hubs);
  if (hub.kind === 'allow-listed' || hub.kind === 'skipped') return [];
  // A transfer between an account and itself (a reinvestment, a sweep between own sub-accounts booked under one
  // key) moves no money between people: it is neither a sender, nor a receiver, nor a split payment.
  const notSelf = (f: { readonly counterpartyKey: string }) => f.counterpartyKey !== subject.accountKey;
  const inflows = state.inflows.filter(notSelf);
  const outflows = state.outflows.filter(notSelf);
  const { senderFirstSeenMs } = state;
  if (inflows.length === 0 && outflows.length === 0) return [];
  const effective = strengthened(rules, hub.multiplier);
  const latest = latestEventMs(inflows, outflows);
  const accountAgeDays = profile
    ? Math.max(0, Math.floor((latest - profile.openedAtMs) / DAY_MS))
    : undefined;

  const spendingCounterparties = counterpartyTypes && spendingOf(counterpartyTypes, rules.hubs);
  const drafts: AlertDraft[] = [];
  const fanInPassThrough = evaluateFanInPassThrough(inflows, outflows, effective.fanInPassThrough, {
    ...(accountAgeDays === undefined ? {} : { accountAgeDays }),
    senderFirstSeenMs,
    ...(spendingCounterparties ? { spendingCounterparties } : {}),
  });
  if (fanInPassThrough?.fired) drafts.push(buildFanInPassThroughAlert(subject, fanInPassThrough, hub.facts));
  const rapid = evaluateRapidPassThrough(inflows, outflows, effective.rapidPassThrough);
  if (rapid?.fired) drafts.push(buildRapidPassThroughAlert(subject, rapid, hub.facts));
  const structuring = evaluateFanOutStructuring(inflows, outflows, effective.fanOutStructuring);
  if (structuring?.fired) drafts.push(buildFanOutStructuringAlert(subject, structuring, hub.facts));
  if (effective.fanIn) {
    const fanIn = evaluateFan('in', inflows, latest, effective.fanIn, {
      ...(state.stats ? { stats: state.stats } : {}),
      cappedLegs: state.cappedLegs?.in ?? 0,
      ...(hub.declared?.side === 'in' ? { declaredFor: hub.declared.accountType } : {}),
      ...(accountAgeDays === undefined ? {} : { accountAgeDays }),
    });
    if (fanIn?.fired) drafts.push(buildFanAlert(subject, fanIn, hub.facts));
  }
  if (effective.fanOut) {
    const fanOut = evaluateFan('out', outflows, latest, effective.fanOut, {
      ...(state.stats ? { stats: state.stats } : {}),
      cappedLegs: state.cappedLegs?.out ?? 0,
      ...(hub.declared?.side === 'out' ? { declaredFor: hub.declared.accountType } : {}),
      ...(accountAgeDays === undefined ? {} : { accountAgeDays }),
    });
    if (fanOut?.fired) drafts.push(buildFanAlert(subject, fanOut, hub.facts));
  }
  if (effective.gatherScatter) {
    const gs = evaluateGatherScatter(inflows, outflows, latest, effective.gatherScatter);
    if (gs?.fired) drafts.push(buildGatherScatterAlert(subject, gs, hub.facts));
  }
  return drafts;
};

/** At most this many window ends per account and batch (the latest kept): bounds a replay's cost per account. */
export const MAX_WINDOW_ENDS_PER_ACCOUNT = 32;

/**
 * Runs the detectors with windows ending at every event time a new transfer can change: each of
 * `newEventsMs` (the batch's transfers on this account) and each of the account's own events up to the longest
 * window after one of them — not only at the account's latest event. A replay or a batch feed delivers many days
 * of an account at once, and a burst on day 3 must not hide behind a transfer on day 40; two instances may record
 * an account's outflows before its inflows, and the window ending at the last outflow must still be judged when
 * the inflows arrive. A late transfer's own time is one of the ends, so a late transfer that completes a pattern
 * raises it. At most MAX_WINDOW_ENDS_PER_ACCOUNT ends (the latest). Per typology the latest fired draft is kept
 * (the alert issuer versions one alert per typology and subject).
 */
export const evaluateMuleAccountAt = (
  input: MuleAccountInput,
  rules: MuleDetectionRules,
  newEventsMs: readonly number[],
): AlertDraft[] => {
  if (!isJudged(input.subject, input.profile?.accountType, rules.hubs)) return [];
  const reach = windowMsOf(rules);
  const news = [...new Set(newEventsMs)].sort((a, b) => a - b);
  const touched = (at: number) => news.some((t) => t <= at && at - t <= reach);
  const accountEvents = [...input.state.inflows, ...input.state.outflows].map((f) => f.atMs).filter(touched);
  const ends = [...new Set([...news, ...accountEvents])]
    .sort((a, b) => a - b)
    .slice(-MAX_WINDOW_ENDS_PER_ACCOUNT);
  const latest = new Map<string, AlertDraft>();
  for (const end of ends) {
    const upTo = (f: { readonly atMs: number }) => f.atMs <= end;
    const state = {
      ...input.state,
      inflows: input.state.inflows.filter(upTo),
      outflows: input.state.outflows.filter(upTo),
    };
    for (const draft of evaluateMuleAccount({ ...input, state }, rules)) latest.set(draft.typology, draft);
  }
  return [...latest.values()];
};
