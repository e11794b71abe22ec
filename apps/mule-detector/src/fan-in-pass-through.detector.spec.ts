import type { AccountFlow } from './account-flows';
import { DEFAULT_FAN_IN_PASS_THROUGH_RULE, evaluateFanInPassThrough } from './fan-in-pass-through.detector';

const T0 = Date.parse('2026-11-23T02:00:00Z');
const MIN = 60_000;

const flow = (
  transferId: string,
  counterpartyKey: string,
  amountMinor: bigint,
  atMin: number,
  currency = 'THB',
): AccountFlow => ({
  transferId,
  counterpartyKey,
  amountMinor,
  currency,
  scale: 2,
  atMs: T0 + atMin * MIN,
});

const victims = (count: number, amountMinor = 5_000_00n): AccountFlow[] =>
  Array.from({ length: count }, (_, i) => flow(`in-${i}`, `BANKA:victim-${i}`, amountMinor, i * 2));

describe(evaluateFanInPassThrough.name, () => {
  const rule = DEFAULT_FAN_IN_PASS_THROUGH_RULE;

  it('fires when many senders pay in and most of it is forwarded within minutes', () => {
    const inflows = victims(6);
    const outflows = [flow('out-1', 'BANKB:collector', 29_000_00n, 14)];

    const finding = evaluateFanInPassThrough(inflows, outflows, rule);

    expect(finding?.fired).toBe(true);
    expect(finding?.inflowMinor).toBe(30_000_00n);
    expect(finding?.outflowMinor).toBe(29_000_00n);
    expect(finding?.facts.find((f) => f.name === 'distinctSenders')).toMatchObject({
      value: '6',
      fired: true,
    });
    expect(finding?.facts.find((f) => f.name === 'passThroughRatio')).toMatchObject({
      value: '0.967',
      fired: true,
    });
    expect(finding?.passThroughOutflows.map((f) => f.transferId)).toEqual(['out-1']);
    expect(finding?.score).toBeGreaterThan(0.5);
  });

  describe('a group collection paid on to a merchant (spending, not forwarding)', () => {
    const friends = victims(8, 800_00n);
    const toVenue = [flow('venue', 'BANKM:restaurant', 6_200_00n, 25)];

    it('stays quiet when the payee is a declared merchant, and says how much was spent there', () => {
      const finding = evaluateFanInPassThrough(friends, toVenue, rule, {
        spendingCounterparties: new Map([['BANKM:restaurant', 'merchant']]),
      });
      expect(finding?.fired).toBe(false);
      expect(finding?.passThroughOutflows).toEqual([]);
      expect(finding?.facts.find((f) => f.name === 'passThroughRatio')?.value).toBe('0.000');
      expect(finding?.facts.find((f) => f.name === 'spentAtDeclaredMerchantsShare')).toMatchObject({
        value: '0.969',
        unit: 'share (0-1)',
      });
    });

    it('fires when the same payee is not known as a merchant (a personal or business account)', () => {
      const finding = evaluateFanInPassThrough(friends, toVenue, rule, { spendingCounterparties: new Map() });
      expect(finding?.fired).toBe(true);
      expect(finding?.passThroughOutflows.map((f) => f.transferId)).toEqual(['venue']);
      expect(finding?.facts.find((f) => f.name === 'spentAtDeclaredMerchantsShare')).toBeUndefined();
    });
  });

  it('stays quiet for a merchant: many payers but the money stays', () => {
    const finding = evaluateFanInPassThrough(victims(20), [], rule);
    expect(finding?.fired).toBe(false);
    expect(finding?.facts.find((f) => f.name === 'passThroughRatio')?.fired).toBe(false);
  });

  it('stays quiet when one sender pays in and it is forwarded (ordinary transfer between own accounts)', () => {
    const inflows = [flow('salary', 'BANKA:employer', 40_000_00n, 0)];
    const outflows = [flow('rent', 'BANKC:landlord', 39_000_00n, 5)];
    expect(evaluateFanInPassThrough(inflows, outflows, rule)?.fired).toBe(false);
  });

  it('does not count money forwarded long after it arrived as pass-through', () => {
    // Last inflow at minute 10; forwarded at minute 50, past the 30-minute dwell limit.
    const outflows = [flow('late', 'BANKB:collector', 29_000_00n, 50)];
    const finding = evaluateFanInPassThrough(victims(6), outflows, rule);
    expect(finding?.fired).toBe(false);
    expect(finding?.outflowMinor).toBe(0n);
  });

  it('never adds amounts of different currencies together', () => {
    const inflows = [
      ...victims(3),
      ...victims(3).map((f, i) => ({ ...f, transferId: `usd-${i}`, currency: 'USD' })),
    ];
    const outflows = [flow('out', 'BANKB:collector', 14_000_00n, 10)];
    const finding = evaluateFanInPassThrough(inflows, outflows, rule);
    expect(finding?.fired).toBe(false);
    expect(finding?.inflowMinor).toBe(15_000_00n);
  });

  it('never adds USDT of different chains with different decimals together', () => {
    const tron = victims(3).map((f) => ({ ...f, currency: 'USDT', scale: 6 }));
    const bsc = victims(3).map((f, i) => ({ ...f, transferId: `bsc-${i}`, currency: 'USDT', scale: 18 }));
    const outflows = [{ ...flow('out', 'tron:collector', 14_000_000_000n, 10), currency: 'USDT', scale: 6 }];
    const finding = evaluateFanInPassThrough([...tron, ...bsc], outflows, rule);
    expect(finding?.fired).toBe(false);
    expect(finding?.facts.find((f) => f.name === 'distinctSenders')?.value).toBe('3');
  });

  it('only looks at inflows within the window before the latest event', () => {
    const old = victims(4).map((f) => ({ ...f, atMs: f.atMs - 3 * 60 * MIN }));
    const recent = [flow('r1', 'BANKA:v-r1', 5_000_00n, 0), flow('r2', 'BANKA:v-r2', 5_000_00n, 1)];
    const outflows = [flow('out', 'BANKB:collector', 10_000_00n, 5)];
    const finding = evaluateFanInPassThrough([...old, ...recent], outflows, rule);
    expect(finding?.facts.find((f) => f.name === 'distinctSenders')?.value).toBe('2');
    expect(finding?.fired).toBe(false);
  });
});

describe(`${evaluateFanInPassThrough.name} with account age and sender history`, () => {
  const rule = DEFAULT_FAN_IN_PASS_THROUGH_RULE;
  const fact = (finding: ReturnType<typeof evaluateFanInPassThrough>, name: string) =>
    finding?.facts.find((f) => f.name === name);
  const threeSenders = victims(3);
  const forward = [flow('out-1', 'BANKB:collector', 14_500_00n, 8)];

  it('fires on fewer senders into a newly opened account, and says why', () => {
    const finding = evaluateFanInPassThrough(threeSenders, forward, rule, { accountAgeDays: 4 });
    expect(finding?.fired).toBe(true);
    expect(fact(finding, 'accountAgeDays')).toMatchObject({ value: '4', threshold: '<= 30', fired: true });
    expect(fact(finding, 'distinctSenders')).toMatchObject({ value: '3', threshold: '>= 3', fired: true });
  });

  it('stays quiet for the same three senders into a long-standing account', () => {
    const finding = evaluateFanInPassThrough(threeSenders, forward, rule, { accountAgeDays: 2_000 });
    expect(finding?.fired).toBe(false);
    expect(fact(finding, 'accountAgeDays')).toMatchObject({ value: '2000', fired: false });
    expect(fact(finding, 'distinctSenders')).toMatchObject({ threshold: '>= 5', fired: false });
  });

  it('scores a newly opened account higher than an old one on the same flows', () => {
    const inflows = victims(5);
    // Slow-ish forward (25 of 30 minutes) keeps the base score below 1.
    const outflows = [flow('out', 'BANKB:collector', 22_500_00n, 33)];
    const old = evaluateFanInPassThrough(inflows, outflows, rule, { accountAgeDays: 900 });
    const fresh = evaluateFanInPassThrough(inflows, outflows, rule, { accountAgeDays: 2 });
    expect(old?.fired).toBe(true);
    expect(fresh?.score).toBeGreaterThan(old?.score ?? 1);
  });

  it('counts senders never seen before the window as first-time and raises the score when most are', () => {
    const inflows = victims(6);
    const outflows = [flow('out-1', 'BANKB:collector', 29_000_00n, 30)];
    const windowStart = T0 - 30 * MIN;
    const strangers = new Map(inflows.map((f) => [f.counterpartyKey, f.atMs]));
    const regulars = new Map(inflows.map((f) => [f.counterpartyKey, windowStart - 10 * MIN]));

    const fromStrangers = evaluateFanInPassThrough(inflows, outflows, rule, { senderFirstSeenMs: strangers });
    const fromRegulars = evaluateFanInPassThrough(inflows, outflows, rule, { senderFirstSeenMs: regulars });

    expect(fact(fromStrangers, 'firstTimeSenderShare')).toMatchObject({ value: '1.000', fired: true });
    expect(fact(fromRegulars, 'firstTimeSenderShare')).toMatchObject({ value: '0.000', fired: false });
    expect(fromStrangers?.score).toBeGreaterThan(fromRegulars?.score ?? 1);
  });

  it('reports unknown age and sender history rather than guessing', () => {
    const finding = evaluateFanInPassThrough(victims(6), [], rule);
    expect(fact(finding, 'accountAgeDays')?.value).toBe('unknown');
    expect(fact(finding, 'firstTimeSenderShare')?.value).toBe('unknown');
  });
});
