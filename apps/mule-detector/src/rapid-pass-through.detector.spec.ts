import type { AccountFlow } from './account-flows';
import { DEFAULT_RAPID_PASS_THROUGH_RULE, evaluateRapidPassThrough } from './rapid-pass-through.detector';
import { leg } from './test-flows.testing';

const fact = (finding: ReturnType<typeof evaluateRapidPassThrough>, name: string) =>
  finding?.facts.find((f) => f.name === name);

/** `count` cycles an hour apart: a credit, forwarded `afterMin` minutes later minus a 2 % cut. */
const cycles = (count: number, afterMin = 4, balanceAfter?: bigint) => {
  const inflows: AccountFlow[] = [];
  const outflows: AccountFlow[] = [];
  for (let i = 0; i < count; i += 1) {
    inflows.push(leg(`in-${i}`, `BANKA:payer-${i}`, 20_000_00n, i * 60));
    outflows.push(
      leg(`out-${i}`, 'BANKB:next-hop', 19_600_00n, i * 60 + afterMin, {
        ...(balanceAfter === undefined ? {} : { balanceAfterMinor: balanceAfter }),
      }),
    );
  }
  return { inflows, outflows };
};

describe(evaluateRapidPassThrough.name, () => {
  const rule = DEFAULT_RAPID_PASS_THROUGH_RULE;

  it('fires when credits are forwarded within minutes, cycle after cycle, and the balance returns to near zero', () => {
    const { inflows, outflows } = cycles(4, 4, 400_00n);

    const finding = evaluateRapidPassThrough(inflows, outflows, rule);

    expect(finding?.fired).toBe(true);
    expect(fact(finding, 'passThroughCycles')).toMatchObject({ value: '4', fired: true });
    expect(fact(finding, 'outInRatio')).toMatchObject({ value: '0.980', fired: true });
    expect(fact(finding, 'medianDwellMinutes')?.value).toBe('4.0');
    expect(fact(finding, 'balanceNearZero')).toMatchObject({ value: '4 of 4', fired: true });
    expect(finding?.cycles.flatMap((c) => c.debits.map((d) => d.transferId))).toEqual([
      'out-0',
      'out-1',
      'out-2',
      'out-3',
    ]);
    expect(finding?.score).toBeGreaterThan(0.8);
  });

  it('fires without reported balances, scoring lower than with balances that return to zero', () => {
    const unreported = evaluateRapidPassThrough(cycles(4).inflows, cycles(4).outflows, rule);
    const withBalance = evaluateRapidPassThrough(cycles(4, 4, 0n).inflows, cycles(4, 4, 0n).outflows, rule);
    expect(unreported?.fired).toBe(true);
    expect(fact(unreported, 'balanceNearZero')).toMatchObject({ value: 'not reported', fired: false });
    expect(unreported?.score).toBeLessThan(withBalance?.score ?? 0);
  });

  it('stays quiet for one salary paid on as rent within minutes (no repetition)', () => {
    const inflows = [leg('salary', 'BANKA:employer', 40_000_00n, 0)];
    const outflows = [
      leg('rent', 'BANKC:landlord', 38_000_00n, 5, { balanceAfterMinor: 2_000_00n }),
      leg('phone', 'BANKC:telco', 1_000_00n, 20, { balanceAfterMinor: 1_000_00n }),
    ];
    const finding = evaluateRapidPassThrough(inflows, outflows, rule);
    expect(finding?.fired).toBe(false);
    expect(fact(finding, 'passThroughCycles')).toMatchObject({ value: '1', fired: false });
  });

  it('stays quiet when the reported balance stays high: a saver moving money, not a pass-through account', () => {
    const { inflows, outflows } = cycles(4, 4, 900_000_00n);
    const finding = evaluateRapidPassThrough(inflows, outflows, rule);
    expect(finding?.fired).toBe(false);
    expect(fact(finding, 'balanceNearZero')).toMatchObject({ value: '0 of 4', fired: false });
  });

  it('does not count credits forwarded only hours later as quick cycles', () => {
    const { inflows, outflows } = cycles(4, 45);
    const finding = evaluateRapidPassThrough(inflows, outflows, rule);
    expect(finding?.fired).toBe(false);
    expect(fact(finding, 'passThroughCycles')?.value).toBe('0');
  });

  it('stays quiet for a merchant: many payers, no onward flow', () => {
    const inflows = Array.from({ length: 30 }, (_, i) => leg(`sale-${i}`, `BANKA:buyer-${i}`, 350_00n, i));
    const finding = evaluateRapidPassThrough(inflows, [], rule);
    expect(finding?.fired ?? false).toBe(false);
  });

  it('stays quiet when out/in is far from 1 (spending an older balance), even with quick cycles', () => {
    const { inflows, outflows } = cycles(4);
    const extra = leg('big-spend', 'BANKD:car-dealer', 300_000_00n, 200);
    const finding = evaluateRapidPassThrough(inflows, [...outflows, extra], rule);
    expect(fact(finding, 'passThroughCycles')?.fired).toBe(true);
    expect(fact(finding, 'outInRatio')?.fired).toBe(false);
    expect(finding?.fired).toBe(false);
  });

  it('never mixes currencies in a cycle', () => {
    const { inflows } = cycles(4);
    const usdOut = cycles(4).outflows.map((f) => ({ ...f, currency: 'USD' }));
    const finding = evaluateRapidPassThrough(inflows, usdOut, rule);
    expect(finding?.fired ?? false).toBe(false);
  });
});
