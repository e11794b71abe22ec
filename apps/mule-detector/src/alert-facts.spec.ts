import { TYPOLOGIES, type AccountRef, type AlertFact } from '@scamflow/contracts';
import { DAILY_BATCH_PROFILE, INSTANT_PAYMENTS_PROFILE } from '@scamflow/detection-profiles';
import type { AccountFlow, AccountFlowState } from './account-flows';
import { evaluateMuleAccount, muleRulesOfProfile } from './evaluate-mule-account';
import { DEFAULT_REPORTING_THRESHOLDS } from './fan-out-structuring.detector';
import { DEFAULT_HUB_POLICY } from './hub-policy';
import { DAY, MIN, leg } from './test-flows.testing';

const instant = muleRulesOfProfile(
  INSTANT_PAYMENTS_PROFILE,
  DEFAULT_REPORTING_THRESHOLDS,
  DEFAULT_HUB_POLICY,
);
const daily = muleRulesOfProfile(DAILY_BATCH_PROFILE, DEFAULT_REPORTING_THRESHOLDS, DEFAULT_HUB_POLICY);
const subject: AccountRef = {
  accountKey: 'BANKX:acct-1',
  accountId: 'acct-1',
  institutionId: 'BANKX',
  country: 'TH',
};
const state = (inflows: AccountFlow[], outflows: AccountFlow[] = []): AccountFlowState => ({
  inflows,
  outflows,
  senderFirstSeenMs: new Map(),
});

/** Every mule typology fires on one of these (instant-payments windows unless said). */
const scenarios: [string, AccountFlowState, typeof instant][] = [
  [
    // The demo's bug: 10,000 in, 14,870 out within the dwell (an earlier balance paid too) printed 1.487.
    'fan-in pass-through forwarding more than came in',
    state(
      Array.from({ length: 6 }, (_, i) => leg(`v-${i}`, `BANKA:victim-${i}`, 1_666_67n, i * 2)),
      [leg('fwd', 'BANKB:collector', 14_870_00n, 12)],
    ),
    instant,
  ],
  [
    'rapid pass-through',
    state(
      Array.from({ length: 4 }, (_, i) => leg(`in-${i}`, `BANKA:p-${i}`, 10_000_00n, i * 60)),
      Array.from({ length: 4 }, (_, i) => leg(`out-${i}`, `BANKB:n-${i}`, 9_900_00n, i * 60 + 3)),
    ),
    instant,
  ],
  [
    'structuring funded by more than it paid out',
    state(
      [leg('fund', 'BANKA:collector', 900_000_00n, 0)],
      Array.from({ length: 6 }, (_, i) => leg(`s-${i}`, `BANKB:r-${i}`, 49_000_00n, 10 + i)),
    ),
    instant,
  ],
  [
    'fan-in and gather-scatter: twelve senders, twelve receivers',
    state(
      Array.from({ length: 12 }, (_, i) => leg(`v-${i}`, `BANKA:victim-${i}`, 2_000_00n, i)),
      Array.from({ length: 12 }, (_, i) => leg(`o-${i}`, `BANKB:next-${i}`, 1_900_00n, 20 + i)),
    ),
    instant,
  ],
  [
    'fan-out split over one day (daily batch)',
    state(
      [],
      [0, 0, 0].map((_, i) => leg(`split-${i}`, 'BANKB:collector', 400_00n, (5 * DAY) / MIN)),
    ),
    daily,
  ],
];

const drafts = scenarios.flatMap(([, s, rules]) => evaluateMuleAccount({ subject, state: s }, rules));
const facts: [string, AlertFact][] = drafts.flatMap((d) =>
  d.facts.map((f): [string, AlertFact] => [d.typology, f]),
);

/** The unit each fact is stated in, by name. */
const UNITS: Record<string, string> = {
  distinctSenders: 'accounts',
  distinctReceivers: 'accounts',
  passThroughRatio: 'share (0-1)',
  longestDwellMinutes: 'minutes',
  accountAgeDays: 'days',
  firstTimeSenderShare: 'share (0-1)',
  passThroughCycles: 'cycles',
  outInRatio: 'ratio',
  medianDwellMinutes: 'minutes',
  balanceNearZero: 'cycles',
  structuredTransfers: 'transfers',
  structuredShare: 'share (0-1)',
  fundedByRecentInflows: 'share (0-1)',
  mostTransfersFromOneCounterparty: 'transfers',
  burstFactor: 'times the usual count',
  previousPeakPerWindow: 'transfers',
  inflowTransfers: 'transfers',
  outflowTransfers: 'transfers',
  forwardedShare: 'share (0-1)',
};

describe('mule alert facts', () => {
  it('are raised for every per-account typology by the scenarios below', () => {
    expect(new Set(drafts.map((d) => d.typology))).toEqual(
      new Set([
        TYPOLOGIES.fanInPassThrough,
        TYPOLOGIES.rapidPassThrough,
        TYPOLOGIES.fanOutStructuring,
        TYPOLOGIES.fanIn,
        TYPOLOGIES.fanOut,
        TYPOLOGIES.gatherScatter,
      ]),
    );
  });

  it.each(facts)('%s: %j states its unit', (_, fact) => {
    expect(fact.unit).toBeDefined();
    const expected = UNITS[fact.name];
    if (expected !== undefined) expect(fact.unit).toBe(expected);
  });

  it.each(facts.filter(([, f]) => f.unit === 'share (0-1)'))('%s: share %j lies in [0, 1]', (_, fact) => {
    const value = Number(fact.value);
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThanOrEqual(1);
  });

  it.each(
    facts.filter(
      ([, f]) =>
        ['accounts', 'transfers', 'cycles'].includes(f.unit ?? '') &&
        !['unknown', 'not reported'].includes(f.value),
    ),
  )('%s: count %j is a whole number', (_, fact) => {
    expect(fact.value).toMatch(/^\d+( of \d+)?$/);
  });

  it('the pass-through share is capped at 1 when more left than came in (the 1.487 bug)', () => {
    const fanIn = drafts.find((d) => d.typology === TYPOLOGIES.fanInPassThrough);
    expect(fanIn?.facts.find((f) => f.name === 'passThroughRatio')).toMatchObject({
      value: '1.000',
      fired: true,
    });
  });
});
