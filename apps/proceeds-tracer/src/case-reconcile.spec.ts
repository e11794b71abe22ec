import { traceProceeds } from '@scamflow/tracing';
import { analyseCase, type CaseFindings } from './case-findings';
import { reconcileCase } from './case-reconcile';
import { bank, subgraphOf, transfer, vaspAccount } from './proceeds-fixtures.testing';
import { toTraceInput } from './trace-input';

const victim = bank('victim');
const mule1 = bank('mule-1', 'BANKB');
const mule2 = bank('mule-2', 'BANKC');
const shop = bank('shop', 'BANKD');
const foreign = vaspAccount('K-1', 'KHVASP', 'KH');
const THB = { currency: 'THB', scale: 2 };

const findingsOf = (transfers: ReturnType<typeof transfer>[]): CaseFindings => {
  const subgraph = subgraphOf({
    caseId: 'case-1',
    victims: [victim],
    accounts: [mule1, mule2, shop, foreign],
    transfers,
    seeds: ['t1'],
  });
  const input = toTraceInput(subgraph, THB);
  return analyseCase(subgraph, input, traceProceeds({ edges: input.edges, seeds: input.seeds }));
};

const full = [
  transfer('t1', victim, mule1, 0, '1000000'),
  transfer('t2', mule1, mule2, 5, '990000'),
  transfer('t3', mule2, foreign, 9, '980000'),
  transfer('t4', mule1, shop, 12, '5000'),
];

describe('reconcileCase: a carried case against the same case traced from the graph', () => {
  it('agrees when both say the same', () => {
    const result = reconcileCase(findingsOf(full), findingsOf(full), 0.001);
    expect(result).toMatchObject({
      agrees: true,
      holders: [],
      suspiciousMissing: [],
      crossBorderMissing: [],
    });
  });

  it('names the cross-border account, the mule and the holders a carry that lost a hop misses', () => {
    // The carry never applied mule-2's payment abroad: the money stayed at mule-2.
    const carried = findingsOf(full.filter((t) => t.transferId !== 't3'));
    const result = reconcileCase(carried, findingsOf(full), 0.001);
    expect(result.agrees).toBe(false);
    expect(result.crossBorderMissing).toEqual([foreign.accountKey]);
    expect(result.suspiciousMissing).toEqual(expect.arrayContaining([mule2.accountKey, foreign.accountKey]));
    expect(result.holders.map((h) => h.accountKey)).toEqual([foreign.accountKey, mule2.accountKey].sort());
    const atForeign = result.holders.find((h) => h.accountKey === foreign.accountKey);
    expect(atForeign?.carried.fifo).toBe('0');
    expect(atForeign?.traced.fifo).toBe('980000');
  });

  it('leaves out residues below the follow share the carry drops by design', () => {
    // The shop's 50.00 of 10,000.00 is 0.5 %: compared at a 1 % share, only a difference above it counts.
    const carried = findingsOf(full.filter((t) => t.transferId !== 't4'));
    expect(reconcileCase(carried, findingsOf(full), 0.01).holders).toEqual([
      expect.objectContaining({ accountKey: mule1.accountKey }),
    ]);
    expect(reconcileCase(carried, findingsOf(full), 0.001).holders.map((h) => h.accountKey)).toEqual(
      [mule1.accountKey, shop.accountKey].sort(),
    );
  });
});
