import { DAILY_BATCH_PROFILE, INSTANT_PAYMENTS_PROFILE } from '@scamflow/detection-profiles';
import type { AccountFlow, SideStats } from './account-flows';
import { evaluateFan } from './fan.detector';
import { involvedOfFan } from './fan.alert';
import { DAY, MIN, T0, leg } from './test-flows.testing';

const instant = INSTANT_PAYMENTS_PROFILE.fanIn;
const daily = DAILY_BATCH_PROFILE.fanIn;
const latestOf = (legs: readonly AccountFlow[]) => Math.max(...legs.map((f) => f.atMs));
const fact = (finding: ReturnType<typeof evaluateFan>, name: string) =>
  finding?.facts.find((f) => f.name === name);

/** Running moments of an account that had `count` legs spread evenly since `sinceMin` minutes after T0. */
const history = (side: 'in' | 'out', count: number, sinceMin: number, peak = 1): Map<string, SideStats> =>
  new Map([
    [
      `${side}|THB/2`,
      {
        currency: 'THB',
        scale: 2,
        count,
        amountMean: 50_000,
        amountVariance: 1e6,
        gapCount: count - 1,
        gapMeanMs: DAY,
        gapVarianceMs2: 0,
        firstAtMs: T0 + sinceMin * MIN,
        lastAtMs: T0,
        previousPeakPerWindow: peak,
      },
    ],
  ]);

describe(evaluateFan.name, () => {
  it('fires on a new account paid by twelve strangers within the hour (instant payments)', () => {
    const legs = Array.from({ length: 12 }, (_, i) => leg(`in-${i}`, `BANKA:victim-${i}`, 3_000_00n, i * 4));
    const finding = evaluateFan('in', legs, latestOf(legs), instant);
    expect(finding?.fired).toBe(true);
    expect(fact(finding, 'distinctSenders')).toMatchObject({ value: '12', fired: true, unit: 'accounts' });
    expect(fact(finding, 'burstFactor')).toMatchObject({ value: 'unknown', fired: true });
  });

  it('fires when one sender splits a payment into transfers the same day (daily batch), naming the sender as a mule', () => {
    const legs = [0, 0, 0].map((_, i) =>
      leg(`split-${i}`, 'BANKA:smurf', 400_00n, (10 * DAY) / MIN, {
        counterparty: { institutionId: 'BANKA', accountId: 'smurf', country: 'TH' },
      }),
    );
    const finding = evaluateFan('in', legs, latestOf(legs), daily, { stats: history('in', 30 + 3, 0) });
    expect(finding?.fired).toBe(true);
    expect(fact(finding, 'mostTransfersFromOneCounterparty')).toMatchObject({
      value: '3',
      unit: 'transfers',
    });
    expect(finding?.splitCounterparties).toEqual(['BANKA:smurf']);
    const subject = { accountKey: 'BANKX:a', accountId: 'a', institutionId: 'BANKX', country: 'TH' };
    expect(involvedOfFan(subject, finding!).map((a) => [a.accountKey, a.role])).toEqual([
      ['BANKX:a', 'mule'],
      ['BANKA:smurf', 'mule'],
    ]);
  });

  it('a late transfer that completes the split still raises it (windows are in event time)', () => {
    const atMin = (10 * DAY) / MIN;
    const onTime = [
      leg('a', 'BANKA:smurf', 400_00n, atMin),
      leg('later-day', 'BANKC:other', 100_00n, atMin + DAY / MIN / 2),
    ];
    expect(evaluateFan('in', onTime, latestOf(onTime), daily)?.fired).toBe(false);
    // The second split transfer arrives after a later transfer, booked at the first's time.
    const late = [...onTime, leg('b', 'BANKA:smurf', 350_00n, atMin)];
    expect(evaluateFan('in', late, latestOf(late), daily)?.fired).toBe(true);
  });

  describe('an established account needs more payers than a new one', () => {
    const twelveStrangers = Array.from({ length: 12 }, (_, i) =>
      leg(`in-${i}`, `BANKA:payer-${i}`, 800_00n, i * 4),
    );

    it('a group collection: twelve friends pay a customer of five years within the hour', () => {
      const finding = evaluateFan('in', twelveStrangers, latestOf(twelveStrangers), instant, {
        accountAgeDays: 5 * 365,
      });
      expect(finding?.fired).toBe(false);
      expect(fact(finding, 'distinctSenders')).toMatchObject({
        value: '12',
        threshold: `>= ${instant.establishedMinDistinctCounterparties}`,
        fired: false,
      });
      expect(fact(finding, 'accountAgeDays')).toMatchObject({ value: '1825', fired: false, unit: 'days' });
    });

    it('the same twelve payers into an account opened ten days ago, or whose opening no bank reported, fire', () => {
      for (const context of [{ accountAgeDays: 10 }, {}]) {
        const finding = evaluateFan('in', twelveStrangers, latestOf(twelveStrangers), instant, context);
        expect(finding?.fired).toBe(true);
        expect(fact(finding, 'distinctSenders')?.threshold).toBe(`>= ${instant.minDistinctCounterparties}`);
      }
      const unknown = evaluateFan('in', twelveStrangers, latestOf(twelveStrangers), instant);
      expect(fact(unknown, 'accountAgeDays')).toMatchObject({ value: 'unknown', fired: true });
    });

    it('an established account still fires on a wave of payers twice as large, or on a split payment', () => {
      const wave = Array.from({ length: instant.establishedMinDistinctCounterparties }, (_, i) =>
        leg(`wave-${i}`, `BANKA:victim-${i}`, 3_000_00n, i * 2),
      );
      expect(evaluateFan('in', wave, latestOf(wave), instant, { accountAgeDays: 900 })?.fired).toBe(true);
      const split = [0, 5, 10, 15].map((m, i) => leg(`split-${i}`, 'BANKA:smurf', 49_000_00n, m));
      expect(evaluateFan('in', split, latestOf(split), instant, { accountAgeDays: 900 })?.fired).toBe(true);
    });
  });

  describe('look-alikes stay quiet', () => {
    it('a shop paid by many customers every hour (its usual rhythm is as high)', () => {
      const legs = Array.from({ length: 15 }, (_, i) =>
        leg(`sale-${i}`, `BANKA:customer-${i}`, 250_00n, i * 3),
      );
      // 15 sales an hour for the last 30 days: 10,800 legs.
      const finding = evaluateFan('in', legs, latestOf(legs), instant, {
        stats: history('in', 10_800 + 15, -30 * 24 * 60, 25),
      });
      expect(finding?.fired).toBe(false);
      expect(Number(fact(finding, 'burstFactor')?.value)).toBeLessThan(instant.minBurstFactor);
    });

    it('payroll: one employer pays an employee once a month (one leg per window)', () => {
      const legs = [leg('salary', 'BANKA:employer', 45_000_00n, 0)];
      expect(evaluateFan('in', legs, latestOf(legs), daily)?.fired).toBe(false);
    });

    it('family transfers: a parent pays a child twice in a week, on different days', () => {
      const legs = [
        leg('mon', 'BANKA:mum', 1_000_00n, 0),
        leg('thu', 'BANKA:mum', 1_000_00n, (3 * DAY) / MIN),
      ];
      expect(evaluateFan('in', legs, latestOf(legs), daily)?.fired).toBe(false);
    });

    it('a loan repaid in monthly instalments (fan-out side): one transfer per window', () => {
      const legs = [0, 30, 60].map((d, i) =>
        leg(`instalment-${i}`, 'BANKL:lender', 5_000_00n, (d * DAY) / MIN),
      );
      expect(evaluateFan('out', legs, latestOf(legs), DAILY_BATCH_PROFILE.fanOut)?.fired).toBe(false);
    });

    it('a shop’s customers who pay once the day a smurf splits into it stay counterparties, not mules', () => {
      // Naming every same-day payer of a split-confirmed collector was measured on amlsim-20k-fanin200: 8
      // labelled against 31 unlabelled accounts. Only the payer that split is a suspect.
      const atMin = (20 * DAY) / MIN;
      const ref = (id: string) => ({
        counterparty: { institutionId: 'BANKA', accountId: id, country: 'TH' },
      });
      const legs = [
        leg('split-a', 'BANKA:smurf', 400_00n, atMin, ref('smurf')),
        leg('split-b', 'BANKA:smurf', 380_00n, atMin, ref('smurf')),
        ...[1, 2, 3].map((i) =>
          leg(`sale-${i}`, `BANKA:customer-${i}`, 250_00n, atMin, ref(`customer-${i}`)),
        ),
      ];
      const finding = evaluateFan('in', legs, latestOf(legs), daily, { stats: history('in', 40, 0) });
      expect(finding?.fired).toBe(true);
      const subject = { accountKey: 'BANKX:shop', accountId: 'shop', institutionId: 'BANKX', country: 'TH' };
      expect(involvedOfFan(subject, finding!).map((a) => [a.accountKey, a.role])).toEqual([
        ['BANKX:shop', 'mule'],
        ['BANKA:smurf', 'mule'],
        ['BANKA:customer-1', 'counterparty'],
        ['BANKA:customer-2', 'counterparty'],
        ['BANKA:customer-3', 'counterparty'],
      ]);
    });

    it('payroll fan-out from an employer that pays 200 staff every month (its usual rhythm)', () => {
      const legs = Array.from({ length: 200 }, (_, i) => leg(`pay-${i}`, `BANKB:staff-${i}`, 30_000_00n, 0));
      const finding = evaluateFan('out', legs, latestOf(legs), DAILY_BATCH_PROFILE.fanOut, {
        stats: history('out', 200 * 12 + 200, -365 * 24 * 60, 200),
      });
      expect(finding?.fired).toBe(false);
    });
  });

  it('says when the per-account cap dropped legs (a hub is summarised)', () => {
    const legs = Array.from({ length: 12 }, (_, i) => leg(`in-${i}`, `BANKA:p-${i}`, 3_000_00n, i));
    const finding = evaluateFan('in', legs, latestOf(legs), instant, { cappedLegs: 40 });
    expect(fact(finding, 'legsDroppedByCap')).toMatchObject({ value: '40', unit: 'transfers' });
  });
});
