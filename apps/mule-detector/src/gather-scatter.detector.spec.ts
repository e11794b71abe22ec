import { INSTANT_PAYMENTS_PROFILE } from '@scamflow/detection-profiles';
import type { AccountFlow } from './account-flows';
import { evaluateGatherScatter } from './gather-scatter.detector';
import { leg } from './test-flows.testing';

const rule = INSTANT_PAYMENTS_PROFILE.gatherScatter;
const latestOf = (...sides: AccountFlow[][]) => Math.max(...sides.flat().map((f) => f.atMs));
const gathered = Array.from({ length: 6 }, (_, i) => leg(`in-${i}`, `BANKA:victim-${i}`, 10_000_00n, i * 5));

describe(evaluateGatherScatter.name, () => {
  it('fires when six senders pay in and six receivers are paid within hours', () => {
    const scattered = Array.from({ length: 6 }, (_, i) =>
      leg(`out-${i}`, `BANKB:next-${i}`, 9_500_00n, 60 + i),
    );
    const finding = evaluateGatherScatter(gathered, scattered, latestOf(gathered, scattered), rule);
    expect(finding?.fired).toBe(true);
    expect(finding?.facts.find((f) => f.name === 'forwardedShare')).toMatchObject({
      value: '0.950',
      unit: 'share (0-1)',
    });
  });

  it('keeps the forwarded share within [0, 1] when more leaves than came in (an earlier balance)', () => {
    const scattered = Array.from({ length: 6 }, (_, i) =>
      leg(`out-${i}`, `BANKB:next-${i}`, 30_000_00n, 60 + i),
    );
    const finding = evaluateGatherScatter(gathered, scattered, latestOf(gathered, scattered), rule);
    expect(finding?.facts.find((f) => f.name === 'forwardedShare')?.value).toBe('1.000');
  });

  it('stays quiet for a shop: many customers in, one supplier paid', () => {
    const supplier = [leg('supplier', 'BANKB:wholesaler', 50_000_00n, 90)];
    expect(evaluateGatherScatter(gathered, supplier, latestOf(gathered, supplier), rule)?.fired).toBe(false);
  });

  it('stays quiet for payroll: one employer in, many staff out', () => {
    const employer = [leg('funding', 'BANKA:company', 300_000_00n, 0)];
    const staff = Array.from({ length: 10 }, (_, i) => leg(`pay-${i}`, `BANKB:staff-${i}`, 30_000_00n, 30));
    expect(evaluateGatherScatter(employer, staff, latestOf(employer, staff), rule)?.fired).toBe(false);
  });

  it('stays quiet for an exchange hot wallet when it does not scatter within the dwell', () => {
    const withdrawals = Array.from({ length: 6 }, (_, i) =>
      leg(`w-${i}`, `ETH:user-${i}`, 9_000_00n, 60 * 24 * 2),
    );
    expect(
      evaluateGatherScatter(gathered, withdrawals, latestOf(gathered, withdrawals), rule)?.fired,
    ).toBeFalsy();
  });
});
