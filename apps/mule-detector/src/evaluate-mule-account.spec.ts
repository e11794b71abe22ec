import fc from 'fast-check';
import { TYPOLOGIES, type AccountRef } from '@scamflow/contracts';
import type { AccountFlow, AccountFlowState } from './account-flows';
import { DAILY_BATCH_PROFILE, INSTANT_PAYMENTS_PROFILE } from '@scamflow/detection-profiles';
import {
  evaluateMuleAccount,
  evaluateMuleAccountAt,
  minLegsToFire,
  muleRulesOfProfile,
  type MuleDetectionRules,
} from './evaluate-mule-account';
import { DEFAULT_FAN_IN_PASS_THROUGH_RULE } from './fan-in-pass-through.detector';
import {
  DEFAULT_FAN_OUT_STRUCTURING_RULE,
  DEFAULT_REPORTING_THRESHOLDS,
} from './fan-out-structuring.detector';
import { DEFAULT_HUB_POLICY } from './hub-policy';
import { DEFAULT_RAPID_PASS_THROUGH_RULE } from './rapid-pass-through.detector';
import { DAY, T0, leg } from './test-flows.testing';

const rules: MuleDetectionRules = {
  fanInPassThrough: DEFAULT_FAN_IN_PASS_THROUGH_RULE,
  rapidPassThrough: DEFAULT_RAPID_PASS_THROUGH_RULE,
  fanOutStructuring: DEFAULT_FAN_OUT_STRUCTURING_RULE,
  hubs: DEFAULT_HUB_POLICY,
};

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

const opened = (accountType: string, daysBefore = 3_000) => ({
  openedAtMs: T0 - daysBefore * DAY,
  accountType,
});

/** Four credits each forwarded 3 minutes later: rapid pass-through. */
const passThrough = state(
  Array.from({ length: 4 }, (_, i) => leg(`in-${i}`, `BANKA:p-${i}`, 10_000_00n, i * 60)),
  Array.from({ length: 4 }, (_, i) => leg(`out-${i}`, `BANKB:n-${i}`, 9_900_00n, i * 60 + 3)),
);

/** Six senders within 10 minutes, 95 % forwarded at minute 12: fan-in pass-through. */
const fanIn = state(
  Array.from({ length: 6 }, (_, i) => leg(`v-${i}`, `BANKA:victim-${i}`, 5_000_00n, i * 2)),
  [leg('fwd', 'BANKB:collector', 28_500_00n, 12)],
);

/** Funded, then six transfers just under THB 50,000 to distinct receivers: structuring. */
const structuring = state(
  [leg('fund', 'BANKA:collector', 300_000_00n, 0)],
  Array.from({ length: 6 }, (_, i) =>
    leg(`s-${i}`, `BANKB:r-${i}`, 49_000_00n + BigInt(i) * 100_00n, 10 + i),
  ),
);

const typologiesOf = (drafts: ReturnType<typeof evaluateMuleAccount>) => drafts.map((d) => d.typology);

describe(evaluateMuleAccount.name, () => {
  it('raises each typology on an ordinary personal account', () => {
    expect(typologiesOf(evaluateMuleAccount({ subject, state: passThrough }, rules))).toEqual([
      TYPOLOGIES.rapidPassThrough,
    ]);
    expect(typologiesOf(evaluateMuleAccount({ subject, state: fanIn }, rules))).toEqual([
      TYPOLOGIES.fanInPassThrough,
    ]);
    expect(typologiesOf(evaluateMuleAccount({ subject, state: structuring }, rules))).toEqual([
      TYPOLOGIES.fanOutStructuring,
    ]);
  });

  it('never alerts a remittance company or an exchange omnibus account (skipped hub types)', () => {
    for (const type of ['remittance', 'exchange']) {
      for (const s of [passThrough, fanIn, structuring]) {
        expect(evaluateMuleAccount({ subject, state: s, profile: opened(type) }, rules)).toEqual([]);
      }
    }
  });

  it('never alerts allow-listed accounts or institutions', () => {
    const byKey = {
      ...rules,
      hubs: { ...rules.hubs, allowListedAccountKeys: new Set([subject.accountKey]) },
    };
    const byBank = { ...rules, hubs: { ...rules.hubs, allowListedInstitutionIds: new Set(['BANKX']) } };
    for (const s of [passThrough, fanIn, structuring]) {
      expect(evaluateMuleAccount({ subject, state: s }, byKey)).toEqual([]);
      expect(evaluateMuleAccount({ subject, state: s }, byBank)).toEqual([]);
    }
  });

  it('asks a merchant for three times the evidence, and says so in the facts when it is there', () => {
    const merchant = opened('merchant');
    expect(evaluateMuleAccount({ subject, state: fanIn, profile: merchant }, rules)).toEqual([]);

    const heavy = state(
      Array.from({ length: 16 }, (_, i) => leg(`v-${i}`, `BANKA:victim-${i}`, 5_000_00n, i)),
      [leg('fwd', 'BANKB:collector', 76_000_00n, 20)],
    );
    const [draft] = evaluateMuleAccount({ subject, state: heavy, profile: merchant }, rules);
    expect(draft?.typology).toBe(TYPOLOGIES.fanInPassThrough);
    expect(draft?.facts.find((f) => f.name === 'hubAccountType')).toMatchObject({
      value: 'merchant',
      threshold: 'thresholds x3',
    });
    expect(draft?.facts.find((f) => f.name === 'distinctSenders')?.threshold).toBe('>= 15');
  });

  it('stays quiet for a merchant with many payers and no onward flow', () => {
    const sales = state(
      Array.from({ length: 40 }, (_, i) => leg(`sale-${i}`, `BANKA:buyer-${i}`, 420_00n, i)),
    );
    expect(evaluateMuleAccount({ subject, state: sales, profile: opened('merchant') }, rules)).toEqual([]);
    expect(evaluateMuleAccount({ subject, state: sales }, rules)).toEqual([]);
  });

  it('stays quiet for a payroll account paying a month’s salaries, even funded the same day', () => {
    const payroll = state(
      [leg('topup', 'BANKA:company-main', 600_000_00n, 0)],
      [31_250_00n, 18_900_00n, 52_000_00n, 27_480_00n, 64_300_00n, 22_150_00n, 35_700_00n, 41_000_00n].map(
        (amount, i) => leg(`pay-${i}`, `BANKC:employee-${i}`, amount, 60 + i),
      ),
    );
    expect(evaluateMuleAccount({ subject, state: payroll, profile: opened('payroll') }, rules)).toEqual([]);
    expect(evaluateMuleAccount({ subject, state: payroll }, rules)).toEqual([]);
  });

  describe('the side an account type exists for (its declared purpose)', () => {
    const instant = muleRulesOfProfile(
      INSTANT_PAYMENTS_PROFILE,
      DEFAULT_REPORTING_THRESHOLDS,
      DEFAULT_HUB_POLICY,
    );
    /** A first salary run: 40 staff within a minute, nothing before it (no rhythm to compare with). */
    const salaries = state(
      [],
      Array.from({ length: 40 }, (_, i) =>
        leg(`pay-${i}`, `BANKC:employee-${i}`, 18_000_00n + BigInt(i) * 1_000_00n, 0),
      ),
    );
    /** Twelve customers of a biller within the hour, the money kept. */
    const bills = state(
      Array.from({ length: 12 }, (_, i) => leg(`bill-${i}`, `BANKA:customer-${i}`, 1_200_00n, i * 4)),
    );

    it('leaves a payroll account’s first salary run and a biller’s customers alone', () => {
      expect(evaluateMuleAccount({ subject, state: salaries, profile: opened('payroll') }, instant)).toEqual(
        [],
      );
      expect(evaluateMuleAccount({ subject, state: bills, profile: opened('business') }, instant)).toEqual(
        [],
      );
    });

    it('raises the same bursts on a personal account opened days before', () => {
      const fresh = opened('personal', 10);
      expect(
        typologiesOf(evaluateMuleAccount({ subject, state: salaries, profile: fresh }, instant)),
      ).toContain(TYPOLOGIES.fanOut);
      expect(typologiesOf(evaluateMuleAccount({ subject, state: bills, profile: fresh }, instant))).toContain(
        TYPOLOGIES.fanIn,
      );
    });

    it('asks an established personal account for twice the payers (a group collection is not a wave)', () => {
      const established = opened('personal', 3_000);
      expect(
        typologiesOf(evaluateMuleAccount({ subject, state: bills, profile: established }, instant)),
      ).not.toContain(TYPOLOGIES.fanIn);
      // 40 receivers is past the established bar on the fan-out side as well.
      expect(
        typologiesOf(evaluateMuleAccount({ subject, state: salaries, profile: established }, instant)),
      ).toContain(TYPOLOGIES.fanOut);
    });

    it('still raises a payment split up into a business, and a business passing its payers’ money straight on', () => {
      const smurfed = state([
        ...bills.inflows,
        ...Array.from({ length: 4 }, (_, i) => leg(`split-${i}`, 'BANKA:smurf', 49_000_00n, 50 + i)),
      ]);
      const [split] = evaluateMuleAccount({ subject, state: smurfed, profile: opened('business') }, instant);
      expect(split?.typology).toBe(TYPOLOGIES.fanIn);
      expect(split?.facts.find((f) => f.name === 'declaredPurpose')).toMatchObject({
        value: 'business',
        fired: false,
      });
      expect(split?.facts.find((f) => f.name === 'mostTransfersFromOneCounterparty')).toMatchObject({
        value: '4',
        fired: true,
      });

      expect(
        typologiesOf(evaluateMuleAccount({ subject, state: fanIn, profile: opened('business') }, instant)),
      ).toContain(TYPOLOGIES.fanInPassThrough);
    });
  });

  it('counts a payment to a counterparty reported as a merchant as spending, one to a business as forwarding', () => {
    const paid = (type: string) =>
      typologiesOf(
        evaluateMuleAccount(
          { subject, state: fanIn, counterpartyTypes: new Map([[fanIn.outflows[0]!.counterpartyKey, type]]) },
          rules,
        ),
      );
    expect(paid('merchant')).not.toContain(TYPOLOGIES.fanInPassThrough);
    expect(paid('business')).toContain(TYPOLOGIES.fanInPassThrough);
  });

  it('weighs fan-in up for an account opened days before, measured at the latest transfer', () => {
    const three = state(
      Array.from({ length: 3 }, (_, i) => leg(`v-${i}`, `BANKA:victim-${i}`, 5_000_00n, i * 2)),
      [leg('fwd', 'BANKB:collector', 14_500_00n, 8)],
    );
    expect(evaluateMuleAccount({ subject, state: three, profile: opened('personal', 3_000) }, rules)).toEqual(
      [],
    );
    const [draft] = evaluateMuleAccount({ subject, state: three, profile: opened('personal', 5) }, rules);
    expect(draft?.typology).toBe(TYPOLOGIES.fanInPassThrough);
    expect(draft?.facts.find((f) => f.name === 'accountAgeDays')).toMatchObject({ value: '5', fired: true });
  });
});

describe(evaluateMuleAccountAt.name, () => {
  const daily = muleRulesOfProfile(DAILY_BATCH_PROFILE, DEFAULT_REPORTING_THRESHOLDS, DEFAULT_HUB_POLICY);
  const day = (n: number) => (n * DAY) / (60 * 1000);
  // A payment split in two on day 3, then an ordinary inflow on day 40, delivered in one replayed batch.
  const replayed = state([
    leg('split-a', 'BANKA:smurf', 400_00n, day(3)),
    leg('split-b', 'BANKA:smurf', 350_00n, day(3)),
    leg('rent', 'BANKA:tenant', 900_00n, day(40)),
  ]);

  it('finds a burst that a later transfer in the same batch would hide from a window ending at the latest event', () => {
    expect(typologiesOf(evaluateMuleAccount({ subject, state: replayed }, daily))).toEqual([]);
    const drafts = evaluateMuleAccountAt({ subject, state: replayed }, daily, [T0 + 3 * DAY, T0 + 40 * DAY]);
    expect(typologiesOf(drafts)).toEqual([TYPOLOGIES.fanIn]);
    expect(drafts[0]?.evidence.inboundTransferIds).toEqual(['split-a', 'split-b']);
  });

  it('judges the windows a new transfer changes even when the account’s later legs were recorded first', () => {
    // Another instance recorded the scatter (minutes 60-65) before these six inflows (minutes 0-5) arrived.
    const relay = state(
      Array.from({ length: 6 }, (_, i) => leg(`in-${i}`, `BANKA:giver-${i}`, 10_000_00n, i)),
      Array.from({ length: 6 }, (_, i) => leg(`out-${i}`, `BANKB:taker-${i}`, 9_500_00n, 10 + i)),
    );
    const instant = muleRulesOfProfile(
      INSTANT_PAYMENTS_PROFILE,
      DEFAULT_REPORTING_THRESHOLDS,
      DEFAULT_HUB_POLICY,
    );
    const inflowTimes = relay.inflows.map((f) => f.atMs);
    expect(typologiesOf(evaluateMuleAccountAt({ subject, state: relay }, instant, inflowTimes))).toEqual(
      expect.arrayContaining([TYPOLOGIES.fanInPassThrough, TYPOLOGIES.gatherScatter]),
    );
  });

  it('raises the pattern a late transfer completes, judged at the late transfer’s own time', () => {
    const before = state([
      leg('split-a', 'BANKA:smurf', 400_00n, day(3)),
      leg('rent', 'BANKA:tenant', 900_00n, day(40)),
    ]);
    expect(evaluateMuleAccountAt({ subject, state: before }, daily, [T0 + 40 * DAY])).toEqual([]);
    // split-b arrives after rent but was booked on day 3.
    expect(typologiesOf(evaluateMuleAccountAt({ subject, state: replayed }, daily, [T0 + 3 * DAY]))).toEqual([
      TYPOLOGIES.fanIn,
    ]);
  });
});

describe('self-transfers', () => {
  it('never make an account a fan-in or fan-out: five reinvestments into itself within the hour', () => {
    const self = subject.accountKey;
    const reinvested = state(
      Array.from({ length: 5 }, (_, i) => leg(`re-in-${i}`, self, 1_000_00n, i * 5)),
      Array.from({ length: 5 }, (_, i) => leg(`re-out-${i}`, self, 1_000_00n, i * 5)),
    );
    const instant = muleRulesOfProfile(
      INSTANT_PAYMENTS_PROFILE,
      DEFAULT_REPORTING_THRESHOLDS,
      DEFAULT_HUB_POLICY,
    );
    expect(evaluateMuleAccount({ subject, state: reinvested }, instant)).toEqual([]);
    const split = state(Array.from({ length: 5 }, (_, i) => leg(`p-${i}`, 'BANKA:payer', 1_000_00n, i * 5)));
    expect(typologiesOf(evaluateMuleAccount({ subject, state: split }, instant))).toEqual([TYPOLOGIES.fanIn]);
  });
});

describe(minLegsToFire.name, () => {
  const profiles = [INSTANT_PAYMENTS_PROFILE, DAILY_BATCH_PROFILE].map((profile) => ({
    name: profile.name,
    rules: muleRulesOfProfile(profile, DEFAULT_REPORTING_THRESHOLDS, DEFAULT_HUB_POLICY),
  }));

  it('is the split payment of each profile: four transfers within the hour, two within the day', () => {
    expect(profiles.map((p) => [p.name, minLegsToFire(p.rules)])).toEqual([
      ['instant-payments', INSTANT_PAYMENTS_PROFILE.fanIn.minSplitTransfers],
      ['daily-batch', DAILY_BATCH_PROFILE.fanIn.minSplitTransfers],
    ]);
  });

  it('is reached: that many legs from one payer raise a fan-in', () => {
    for (const { rules: r } of profiles) {
      const n = minLegsToFire(r);
      const split = state(Array.from({ length: n }, (_, i) => leg(`s-${i}`, 'BANKA:smurf', 49_000_00n, i)));
      expect(typologiesOf(evaluateMuleAccountAt({ subject, state: split }, r, [T0]))).toContain(
        TYPOLOGIES.fanIn,
      );
    }
  });

  it('bounds every detector: an account with fewer legs raises nothing, whatever their shape', () => {
    const counterparty = fc.constantFrom('BANKA:a', 'BANKA:b', 'BANKB:c', 'BANKC:d', subject.accountKey);
    const oneLeg = fc.record({
      inbound: fc.boolean(),
      counterpartyKey: counterparty,
      amountMinor: fc.bigInt({ min: 1n, max: 60_000_00n }),
      atMin: fc.integer({ min: 0, max: 3 * 24 * 60 }),
      balanceAfterMinor: fc.option(fc.bigInt({ min: 0n, max: 1_000_00n }), { nil: undefined }),
    });
    for (const { rules: r } of profiles) {
      fc.assert(
        fc.property(
          fc.array(oneLeg, { maxLength: minLegsToFire(r) - 1 }),
          fc.option(fc.integer({ min: 0, max: 5_000 }), { nil: undefined }),
          (legs, openedDaysBefore) => {
            const flows = legs.map((l, i) =>
              leg(`t-${i}`, l.counterpartyKey, l.amountMinor, l.atMin, {
                ...(l.balanceAfterMinor === undefined ? {} : { balanceAfterMinor: l.balanceAfterMinor }),
              }),
            );
            const input = {
              subject,
              state: state(
                flows.filter((_, i) => legs[i]?.inbound),
                flows.filter((_, i) => !legs[i]?.inbound),
              ),
              ...(openedDaysBefore === undefined ? {} : { profile: opened('personal', openedDaysBefore) }),
            };
            expect(
              evaluateMuleAccountAt(
                input,
                r,
                flows.map((f) => f.atMs),
              ),
            ).toEqual([]);
          },
        ),
        { numRuns: 500 },
      );
    }
  });
});
