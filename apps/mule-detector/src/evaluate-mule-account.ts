import type { AccountRef, AlertDraft } from '@scamflow/contracts';
import type { AccountFlowState, AccountProfile } from '@scamflow/rolling-state';
import { latestEventMs } from './account-flows';
import { buildFanInPassThroughAlert } from './fan-in-pass-through.alert';
import { evaluateFanInPassThrough, type FanInPassThroughRule } from './fan-in-pass-through.detector';
import { buildFanOutStructuringAlert } from './fan-out-structuring.alert';
import { evaluateFanOutStructuring, type FanOutStructuringRule } from './fan-out-structuring.detector';
import { hubTreatmentOf, type HubPolicy } from './hub-policy';
import { buildRapidPassThroughAlert } from './rapid-pass-through.alert';
import { evaluateRapidPassThrough, type RapidPassThroughRule } from './rapid-pass-through.detector';

export interface MuleDetectionRules {
  readonly fanInPassThrough: FanInPassThroughRule;
  readonly rapidPassThrough: RapidPassThroughRule;
  readonly fanOutStructuring: FanOutStructuringRule;
  readonly hubs: HubPolicy;
}

export interface MuleAccountInput {
  readonly subject: AccountRef;
  readonly state: AccountFlowState;
  readonly profile?: AccountProfile;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Hubs of a stronger-evidence type must clear every count threshold `m` times over. */
const strengthened = (rules: MuleDetectionRules, m: number): Omit<MuleDetectionRules, 'hubs'> =>
  m === 1
    ? rules
    : {
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
      };

/**
 * Runs every mule detector on one account's rolling state and returns a draft per typology that fired.
 * Account age is measured at the account's latest event (event time, so a replay judges the same way).
 */
export const evaluateMuleAccount = (
  { subject, state, profile }: MuleAccountInput,
  rules: MuleDetectionRules,
): AlertDraft[] => {
  const hub = hubTreatmentOf(subject, profile?.accountType, rules.hubs);
  if (hub.kind === 'allow-listed' || hub.kind === 'skipped') return [];
  const { inflows, outflows, senderFirstSeenMs } = state;
  if (inflows.length === 0 && outflows.length === 0) return [];
  const effective = strengthened(rules, hub.multiplier);
  const latest = latestEventMs(inflows, outflows);
  const accountAgeDays = profile
    ? Math.max(0, Math.floor((latest - profile.openedAtMs) / DAY_MS))
    : undefined;

  const drafts: AlertDraft[] = [];
  const fanIn = evaluateFanInPassThrough(inflows, outflows, effective.fanInPassThrough, {
    ...(accountAgeDays === undefined ? {} : { accountAgeDays }),
    senderFirstSeenMs,
  });
  if (fanIn?.fired) drafts.push(buildFanInPassThroughAlert(subject, fanIn, hub.facts));
  const rapid = evaluateRapidPassThrough(inflows, outflows, effective.rapidPassThrough);
  if (rapid?.fired) drafts.push(buildRapidPassThroughAlert(subject, rapid, hub.facts));
  const fanOut = evaluateFanOutStructuring(inflows, outflows, effective.fanOutStructuring);
  if (fanOut?.fired) drafts.push(buildFanOutStructuringAlert(subject, fanOut, hub.facts));
  return drafts;
};
