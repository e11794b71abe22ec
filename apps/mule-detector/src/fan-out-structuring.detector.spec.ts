import { DEFAULT_FAN_OUT_STRUCTURING_RULE, evaluateFanOutStructuring } from './fan-out-structuring.detector';
import { DAY, MIN, leg } from './test-flows.testing';

const fact = (finding: ReturnType<typeof evaluateFanOutStructuring>, name: string) =>
  finding?.facts.find((f) => f.name === name);

/** Just under THB 50,000 (45,000 to 49,999.99); 291,540.00 THB in all. */
const justUnder = [49_500_00n, 48_800_00n, 49_900_00n, 47_250_00n, 49_990_00n, 46_100_00n];

describe(evaluateFanOutStructuring.name, () => {
  const rule = DEFAULT_FAN_OUT_STRUCTURING_RULE;

  it('fires when fresh money is scattered to many receivers just under the reporting threshold', () => {
    const inflows = [leg('funding', 'BANKA:collector', 300_000_00n, 0)];
    const outflows = justUnder.map((amount, i) => leg(`out-${i}`, `BANKB:mule2-${i}`, amount, 10 + i * 3));

    const finding = evaluateFanOutStructuring(inflows, outflows, rule);

    expect(finding?.fired).toBe(true);
    expect(fact(finding, 'distinctReceivers')).toMatchObject({ value: '6', fired: true });
    expect(fact(finding, 'structuredTransfers')).toMatchObject({ value: '6', fired: true });
    expect(fact(finding, 'structuredTransfers')?.description).toContain('50000.00 THB');
    expect(fact(finding, 'structuredShare')).toMatchObject({ value: '1.000', fired: true });
    expect(fact(finding, 'fundedByRecentInflows')).toMatchObject({
      value: '1.000',
      fired: true,
      unit: 'share (0-1)',
    });
    expect(finding?.fundingInflows.map((f) => f.transferId)).toEqual(['funding']);
    expect(finding?.score).toBeGreaterThan(0.8);
  });

  it('uses each currency’s own threshold (USD 10,000)', () => {
    const usd = { currency: 'USD' };
    const inflows = [leg('funding', 'BANKA:collector', 60_000_00n, 0, usd)];
    const outflows = [9_900_00n, 9_500_00n, 9_950_00n, 9_100_00n, 9_990_00n].map((amount, i) =>
      leg(`out-${i}`, `BANKB:r-${i}`, amount, 5 + i, usd),
    );
    expect(evaluateFanOutStructuring(inflows, outflows, rule)?.fired).toBe(true);
    // The same amounts in THB are nowhere near THB 50,000.
    const thb = evaluateFanOutStructuring(
      inflows.map((f) => ({ ...f, currency: 'THB' })),
      outflows.map((f) => ({ ...f, currency: 'THB' })),
      rule,
    );
    expect(thb?.fired).toBe(false);
    expect(fact(thb, 'structuredTransfers')?.value).toBe('0');
  });

  it('never counts amounts at or above the threshold as structured', () => {
    const inflows = [leg('funding', 'BANKA:collector', 400_000_00n, 0)];
    const outflows = Array.from({ length: 6 }, (_, i) => leg(`out-${i}`, `BANKB:r-${i}`, 50_000_00n, 10 + i));
    const finding = evaluateFanOutStructuring(inflows, outflows, rule);
    expect(fact(finding, 'structuredTransfers')?.value).toBe('0');
    expect(finding?.fired).toBe(false);
  });

  it('stays quiet for payroll: one funding, many receivers, varied amounts', () => {
    const inflows = [leg('topup', 'BANKA:company-main', 420_000_00n, 0)];
    const salaries = [31_250_00n, 18_900_00n, 52_000_00n, 27_480_00n, 64_300_00n, 22_150_00n, 35_700_00n];
    const outflows = salaries.map((amount, i) => leg(`pay-${i}`, `BANKC:employee-${i}`, amount, 60 + i));
    const finding = evaluateFanOutStructuring(inflows, outflows, rule);
    expect(finding?.fired).toBe(false);
    expect(fact(finding, 'distinctReceivers')?.fired).toBe(true);
    expect(fact(finding, 'structuredShare')?.fired).toBe(false);
  });

  it('stays quiet when the scatter is not funded by recent inflows (an old balance paid out)', () => {
    const old = [leg('old-deposit', 'BANKA:someone', 300_000_00n, (-3 * DAY) / MIN)];
    const outflows = justUnder.map((amount, i) => leg(`out-${i}`, `BANKB:r-${i}`, amount, 10 + i));
    const finding = evaluateFanOutStructuring(old, outflows, rule);
    expect(fact(finding, 'fundedByRecentInflows')).toMatchObject({ value: '0.000', fired: false });
    expect(finding?.fired).toBe(false);
  });

  it('stays quiet with few receivers, even just under the threshold', () => {
    const inflows = [leg('funding', 'BANKA:collector', 300_000_00n, 0)];
    const outflows = justUnder.map((amount, i) => leg(`out-${i}`, `BANKB:r-${i % 2}`, amount, 10 + i));
    const finding = evaluateFanOutStructuring(inflows, outflows, rule);
    expect(fact(finding, 'distinctReceivers')).toMatchObject({ value: '2', fired: false });
    expect(finding?.fired).toBe(false);
  });

  it('says when no threshold is configured for the currency, and stays quiet', () => {
    const jpy = { currency: 'JPY', scale: 0 };
    const inflows = [leg('funding', 'BANKA:c', 5_000_000n, 0, jpy)];
    const outflows = Array.from({ length: 6 }, (_, i) =>
      leg(`out-${i}`, `BANKB:r-${i}`, 990_000n, 5 + i, jpy),
    );
    const finding = evaluateFanOutStructuring(inflows, outflows, rule);
    expect(fact(finding, 'structuredTransfers')?.description).toContain('none configured for JPY');
    expect(finding?.fired).toBe(false);
  });
});
