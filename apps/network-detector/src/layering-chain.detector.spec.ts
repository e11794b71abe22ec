import type { FlowHop } from './flow-hop';
import { DEFAULT_LAYERING_CHAIN_RULE, evaluateLayeringChain } from './layering-chain.detector';

const T0 = Date.parse('2026-11-23T02:00:00Z');
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

const hop = (
  id: string,
  from: string,
  to: string,
  minor: bigint,
  atMs: number,
  currency = 'THB',
): FlowHop => ({
  transferId: id,
  fromKey: from,
  toKey: to,
  atMs: T0 + atMs,
  amountMinor: minor,
  currency,
  scale: 2,
  refAmountMinor: null,
});

describe(evaluateLayeringChain.name, () => {
  const rule = DEFAULT_LAYERING_CHAIN_RULE;

  it('fires on value moving through three mules within minutes, keeping most of the amount', () => {
    const finding = evaluateLayeringChain(
      [
        hop('t1', 'A:victim', 'B:m1', 50_000_00n, 0),
        hop('t2', 'B:m1', 'C:m2', 48_500_00n, 12 * MIN),
        hop('t3', 'C:m2', 'D:m3', 47_000_00n, 30 * MIN),
        hop('t4', 'D:m3', 'E:out', 46_000_00n, 41 * MIN),
      ],
      rule,
    );
    expect(finding?.fired).toBe(true);
    expect(finding?.intermediateKeys).toEqual(['B:m1', 'C:m2', 'D:m3']);
    expect(finding?.facts.find((f) => f.name === 'chainHops')).toMatchObject({ value: '4', fired: true });
    expect(finding?.facts.find((f) => f.name === 'lowestKeptRatio')).toMatchObject({
      value: '0.969',
      fired: true,
    });
    expect(finding?.score).toBeGreaterThan(0.7);
  });

  it('stays quiet for salary → rent → landlord mortgage: days apart and most of the money stays', () => {
    const finding = evaluateLayeringChain(
      [
        hop('salary', 'A:employer', 'B:worker', 50_000_00n, 0),
        hop('rent', 'B:worker', 'C:landlord', 15_000_00n, 3 * DAY),
        hop('mortgage', 'C:landlord', 'D:lender', 9_000_00n, 10 * DAY),
      ],
      rule,
    );
    expect(finding?.fired).toBe(false);
    expect(finding?.facts.find((f) => f.name === 'longestGapMinutes')?.fired).toBe(false);
    expect(finding?.facts.find((f) => f.name === 'lowestKeptRatio')?.fired).toBe(false);
    expect(finding?.score).toBe(0);
  });

  it('does not count a chain whose hops go back in time', () => {
    const finding = evaluateLayeringChain(
      [
        hop('t1', 'A:a', 'B:b', 10_000_00n, 30 * MIN),
        hop('t2', 'B:b', 'C:c', 9_900_00n, 10 * MIN),
        hop('t3', 'C:c', 'D:d', 9_800_00n, 40 * MIN),
      ],
      rule,
    );
    expect(finding?.fired).toBe(false);
    expect(finding?.facts.find((f) => f.name === 'longestGapMinutes')?.value).toBe('out of time order');
  });

  it('needs at least the minimum number of hops', () => {
    const finding = evaluateLayeringChain(
      [hop('t1', 'A:a', 'B:b', 10_000_00n, 0), hop('t2', 'B:b', 'C:c', 9_900_00n, 5 * MIN)],
      rule,
    );
    expect(finding?.fired).toBe(false);
  });

  it('never compares amounts of different currencies without reference amounts', () => {
    const finding = evaluateLayeringChain(
      [
        hop('t1', 'A:a', 'B:b', 10_000_00n, 0),
        hop('t2', 'B:b', 'C:c', 10_000_00n, 5 * MIN, 'USD'),
        hop('t3', 'C:c', 'D:d', 10_000_00n, 10 * MIN, 'USD'),
      ],
      rule,
    );
    expect(finding?.fired).toBe(false);
    expect(finding?.facts.find((f) => f.name === 'lowestKeptRatio')?.value).toBe('0.000');
  });

  it('compares hops across currencies in the reference currency when both carry it', () => {
    const withRef = (h: FlowHop, ref: bigint): FlowHop => ({ ...h, refAmountMinor: ref });
    const finding = evaluateLayeringChain(
      [
        withRef(hop('t1', 'A:a', 'B:b', 36_000_00n, 0), 1_000_00n),
        withRef(hop('t2', 'B:b', 'C:c', 980_000000n, 5 * MIN, 'USDT'), 980_00n),
        withRef(hop('t3', 'C:c', 'D:d', 960_000000n, 10 * MIN, 'USDT'), 960_00n),
      ],
      rule,
    );
    expect(finding?.fired).toBe(true);
  });
});
