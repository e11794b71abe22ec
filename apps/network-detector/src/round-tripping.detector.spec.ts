import type { FlowHop } from './flow-hop';
import { DEFAULT_ROUND_TRIPPING_RULE, evaluateRoundTripping } from './round-tripping.detector';

const T0 = Date.parse('2026-11-23T02:00:00Z');
const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

const hop = (id: string, from: string, to: string, minor: bigint, atMs: number): FlowHop => ({
  transferId: id,
  fromKey: from,
  toKey: to,
  atMs: T0 + atMs,
  amountMinor: minor,
  currency: 'THB',
  scale: 2,
  refAmountMinor: null,
});

describe(evaluateRoundTripping.name, () => {
  const rule = DEFAULT_ROUND_TRIPPING_RULE;

  it('fires when most of the value comes back to its origin through others within hours', () => {
    const finding = evaluateRoundTripping(
      [
        hop('c1', 'A:origin', 'B:x', 100_000_00n, 0),
        hop('c2', 'B:x', 'C:y', 97_000_00n, 2 * HOUR),
        hop('c3', 'C:y', 'A:origin', 92_000_00n, 5 * HOUR),
      ],
      rule,
    );
    expect(finding?.fired).toBe(true);
    expect(finding?.originKey).toBe('A:origin');
    expect(finding?.intermediateKeys).toEqual(['B:x', 'C:y']);
    expect(finding?.facts.find((f) => f.name === 'returnedRatio')).toMatchObject({
      value: '0.920',
      fired: true,
    });
    expect(finding?.score).toBeGreaterThan(0.75);
  });

  it('does not call a repayment between two accounts (A → B → A) round-tripping', () => {
    const finding = evaluateRoundTripping(
      [
        hop('p1', 'A:friend', 'B:other', 5_000_00n, 0),
        hop('p2', 'B:other', 'A:friend', 4_500_00n, 20 * HOUR),
      ],
      rule,
    );
    expect(finding?.fired).toBe(false);
    expect(finding?.facts.find((f) => f.name === 'cycleHops')?.fired).toBe(false);
  });

  it('stays quiet for a refund of a small part weeks later', () => {
    const finding = evaluateRoundTripping(
      [
        hop('buy', 'A:shopper', 'B:shop', 20_000_00n, 0),
        hop('refund', 'B:shop', 'A:shopper', 1_500_00n, 21 * DAY),
      ],
      rule,
    );
    expect(finding?.fired).toBe(false);
    expect(finding?.facts.find((f) => f.name === 'returnedRatio')?.fired).toBe(false);
    expect(finding?.facts.find((f) => f.name === 'roundTripMinutes')?.fired).toBe(false);
  });

  it('does not count a path that does not end where it started', () => {
    const finding = evaluateRoundTripping(
      [hop('c1', 'A:a', 'B:b', 100_00n, 0), hop('c2', 'B:b', 'C:c', 100_00n, HOUR)],
      rule,
    );
    expect(finding?.fired).toBe(false);
  });

  it('does not count a return booked before the value left', () => {
    const finding = evaluateRoundTripping(
      [hop('c1', 'A:a', 'B:b', 100_00n, 3 * HOUR), hop('c2', 'B:b', 'A:a', 100_00n, HOUR)],
      rule,
    );
    expect(finding?.fired).toBe(false);
  });

  it('does not count cycles longer than the hop limit', () => {
    const keys = ['A:o', 'B:1', 'C:2', 'D:3', 'E:4', 'F:5', 'G:6', 'A:o'];
    const hops = keys.slice(1).map((to, i) => hop(`h${i}`, keys[i]!, to, 100_00n, i * HOUR));
    expect(evaluateRoundTripping(hops, rule)?.fired).toBe(false);
  });
});
