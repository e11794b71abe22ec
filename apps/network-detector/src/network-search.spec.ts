import { findBipartiteLayering, DEFAULT_BIPARTITE_LAYERING_RULE } from './bipartite-layering.detector';
import { DEFAULT_LAYERING_CHAIN_RULE, findLayeringChains } from './layering-chain.detector';
import { DAY, HOUR, MIN, hop, viewOf, without } from './network-view.testing';
import { DEFAULT_ROUND_TRIPPING_RULE, findRoundTrips } from './round-tripping.detector';
import { DEFAULT_SCATTER_GATHER_RULE, findScatterGathers } from './scatter-gather.detector';

const ids = (hops: readonly { transferId: string }[]) => hops.map((h) => h.transferId);

describe(findLayeringChains.name, () => {
  const rule = DEFAULT_LAYERING_CHAIN_RULE;
  const chain = [
    hop('l1', 'A:victim', 'B:m1', 50_000_00n, 0),
    hop('l2', 'B:m1', 'C:m2', 48_500_00n, 12 * MIN),
    hop('l3', 'C:m2', 'D:m3', 47_000_00n, 30 * MIN),
    hop('l4', 'D:m3', 'E:cashout', 46_000_00n, 41 * MIN),
  ];

  it.each(chain.map((h) => [h.transferId]))(
    'finds the whole chain from %s, whichever transfer arrived last',
    (id) => {
      const edge = chain.find((h) => h.transferId === id)!;
      const { findings } = findLayeringChains(edge, viewOf(chain), rule);
      expect(findings.map((f) => ids(f.hops))).toEqual([['l1', 'l2', 'l3', 'l4']]);
      expect(findings[0]?.intermediateKeys).toEqual(['B:m1', 'C:m2', 'D:m3']);
    },
  );

  it('asks for the accounts it has not read yet, and finds what the accounts read already show', () => {
    const { findings, missing } = findLayeringChains(
      chain[1]!,
      without(viewOf(chain), 'A:victim', 'D:m3'),
      rule,
    );
    expect(missing).toEqual(new Set(['A:victim', 'D:m3']));
    expect(findings.map((f) => ids(f.hops))).toEqual([['l1', 'l2', 'l3']]);
  });

  it('does not walk through a hub, and says which hub it summarised', () => {
    const payroll = Array.from({ length: 201 }, (_, i) =>
      hop(`p${i}`, `E:employer`, `F:staff-${i}`, 30_000_00n, i * MIN),
    );
    const hubChain = [
      hop('h1', 'X:a', 'E:employer', 50_000_00n, 0),
      hop('h2', 'E:employer', 'Y:b', 49_000_00n, 10 * MIN),
      hop('h3', 'Y:b', 'Z:c', 48_000_00n, 20 * MIN),
    ];
    const { findings, hubs } = findLayeringChains(hubChain[2]!, viewOf([...payroll, ...hubChain]), rule);
    expect(findings).toEqual([]);
    expect(hubs.get('E:employer')).toBe(202);
  });

  it('does not chain a busy account whose onward payment matches a transfer in but carries mostly other income', () => {
    const busy = [
      hop('a', 'A:friend', 'B:trader', 10_000_00n, 0),
      hop('b1', 'X:customer1', 'B:trader', 9_000_00n, 5 * MIN),
      hop('b2', 'X:customer2', 'B:trader', 8_000_00n, 8 * MIN),
      hop('c', 'B:trader', 'C:supplier', 9_800_00n, 20 * MIN),
      hop('d', 'C:supplier', 'D:wholesaler', 9_500_00n, 40 * MIN),
    ];
    const { findings } = findLayeringChains(busy[3]!, viewOf(busy), rule);
    expect(findings).toEqual([]);
    const quiet = findLayeringChains(
      busy[3]!,
      viewOf(busy.filter((h) => !h.transferId.startsWith('b'))),
      rule,
    );
    expect(quiet.findings[0]?.facts.find((f) => f.name === 'lowestSourceShare')).toMatchObject({
      value: '1.000',
      unit: 'share (0-1)',
      fired: true,
    });
  });

  it('stays quiet for salary → rent → mortgage (amounts drop, days apart)', () => {
    const life = [
      hop('s', 'E:employer', 'W:worker', 50_000_00n, 0),
      hop('r', 'W:worker', 'L:landlord', 15_000_00n, 3 * DAY),
      hop('m', 'L:landlord', 'K:lender', 9_000_00n, 10 * DAY),
    ];
    for (const edge of life) expect(findLayeringChains(edge, viewOf(life), rule).findings).toEqual([]);
  });

  it('stays quiet for a family passing a gift on the same day, each keeping most of it', () => {
    const family = [
      hop('g1', 'P:grandma', 'Q:mum', 10_000_00n, 0),
      hop('g2', 'Q:mum', 'R:son', 2_000_00n, 3 * HOUR),
      hop('g3', 'R:son', 'S:shop', 500_00n, 4 * HOUR),
    ];
    expect(findLayeringChains(family[1]!, viewOf(family), rule).findings).toEqual([]);
  });
});

describe(findRoundTrips.name, () => {
  const rule = DEFAULT_ROUND_TRIPPING_RULE;
  const cycle = [
    hop('c1', 'A:origin', 'B:x', 100_000_00n, 0),
    hop('c2', 'B:x', 'C:y', 97_000_00n, 2 * HOUR),
    hop('c3', 'C:y', 'D:z', 95_000_00n, 4 * HOUR),
    hop('c4', 'D:z', 'E:w', 93_000_00n, 6 * HOUR),
    hop('c5', 'E:w', 'A:origin', 92_000_00n, 9 * HOUR),
  ];

  it.each(cycle.map((h) => [h.transferId]))('finds a 5-hop cycle from %s with the origin first', (id) => {
    const { findings } = findRoundTrips(
      cycle.find((h) => h.transferId === id)!,
      viewOf(cycle),
      rule,
    );
    expect(findings.map((f) => ids(f.hops))).toEqual([['c1', 'c2', 'c3', 'c4', 'c5']]);
    expect(findings[0]?.originKey).toBe('A:origin');
  });

  it('does not call repayments between two friends a round trip', () => {
    const loans = [
      hop('p1', 'A:friend', 'B:other', 5_000_00n, 0),
      hop('p2', 'B:other', 'A:friend', 5_000_00n, 20 * HOUR),
    ];
    expect(findRoundTrips(loans[1]!, viewOf(loans), rule).findings).toEqual([]);
  });

  it('does not count value that comes back after the window', () => {
    const slow = cycle.map((h, i) => ({ ...h, atMs: h.atMs + i * DAY }));
    expect(findRoundTrips(slow[4]!, viewOf(slow), rule).findings).toEqual([]);
  });
});

describe(findScatterGathers.name, () => {
  const rule = DEFAULT_SCATTER_GATHER_RULE;
  const pattern = [
    hop('s1', 'S:source', 'M:m1', 30_000_00n, 0),
    hop('s2', 'S:source', 'M:m2', 30_000_00n, 5 * MIN),
    hop('s3', 'S:source', 'M:m3', 30_000_00n, 9 * MIN),
    hop('g1', 'M:m1', 'T:sink', 29_500_00n, 40 * MIN),
    hop('g2', 'M:m2', 'T:sink', 29_000_00n, 55 * MIN),
    hop('g3', 'M:m3', 'T:sink', 29_900_00n, 70 * MIN),
  ];

  it.each([['s2'], ['g3'], ['g1']])(
    'finds the source, the three intermediaries and the sink from %s',
    (id) => {
      const { findings } = findScatterGathers(
        pattern.find((h) => h.transferId === id)!,
        viewOf(pattern),
        rule,
      );
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({
        sourceKey: 'S:source',
        sinkKey: 'T:sink',
        intermediaryKeys: ['M:m1', 'M:m2', 'M:m3'],
      });
      expect(findings[0]?.facts.find((f) => f.name === 'gatheredShare')).toMatchObject({
        value: '0.982',
        unit: 'share (0-1)',
        fired: true,
      });
    },
  );

  it('stays quiet for students paying the same university (a hub sink)', () => {
    const fees = Array.from({ length: 250 }, (_, i) =>
      hop(`u${i}`, `P:payer-${i}`, 'U:university', 1_000_00n, i),
    );
    const family = [
      hop('f1', 'S:parent', 'M:kid1', 40_000_00n, 0),
      hop('f2', 'S:parent', 'M:kid2', 40_000_00n, MIN),
      hop('f3', 'S:parent', 'M:kid3', 40_000_00n, 2 * MIN),
      hop('t1', 'M:kid1', 'U:university', 40_000_00n, HOUR),
      hop('t2', 'M:kid2', 'U:university', 40_000_00n, HOUR),
      hop('t3', 'M:kid3', 'U:university', 40_000_00n, HOUR),
    ];
    const { findings, hubs } = findScatterGathers(family[0]!, viewOf([...fees, ...family]), rule);
    expect(findings).toEqual([]);
    expect(hubs.has('U:university')).toBe(true);
  });

  it('does not call a lender paid back by three borrowers scatter-gather', () => {
    const loans = [
      hop('l1', 'S:lender', 'M:b1', 10_000_00n, 0),
      hop('l2', 'S:lender', 'M:b2', 10_000_00n, MIN),
      hop('l3', 'S:lender', 'M:b3', 10_000_00n, 2 * MIN),
      hop('r1', 'M:b1', 'S:lender', 10_000_00n, 5 * HOUR),
      hop('r2', 'M:b2', 'S:lender', 10_000_00n, 6 * HOUR),
      hop('r3', 'M:b3', 'S:lender', 10_000_00n, 7 * HOUR),
    ];
    for (const edge of loans) expect(findScatterGathers(edge, viewOf(loans), rule).findings).toEqual([]);
  });

  it('stays quiet when the intermediaries keep the money (payroll, each paying a little rent)', () => {
    const payroll = [
      hop('w1', 'S:employer', 'M:w1', 30_000_00n, 0),
      hop('w2', 'S:employer', 'M:w2', 30_000_00n, 0),
      hop('w3', 'S:employer', 'M:w3', 30_000_00n, 0),
      hop('r1', 'M:w1', 'T:landlord', 8_000_00n, 3 * HOUR),
      hop('r2', 'M:w2', 'T:landlord', 8_000_00n, 4 * HOUR),
      hop('r3', 'M:w3', 'T:landlord', 8_000_00n, 5 * HOUR),
    ];
    const { findings } = findScatterGathers(payroll[5]!, viewOf(payroll), rule);
    expect(findings).toEqual([]);
  });
});

describe(findBipartiteLayering.name, () => {
  const rule = DEFAULT_BIPARTITE_LAYERING_RULE;
  const sources = ['A:s1', 'A:s2', 'A:s3'];
  const sinks = ['B:k1', 'B:k2', 'B:k3'];
  const block = sources.flatMap((s, i) =>
    sinks.map((k, j) => hop(`b${i}${j}`, s, k, 10_000_00n, (i * 3 + j) * MIN)),
  );
  const onward = sinks.flatMap((k, j) =>
    ['C:n1', 'C:n2', 'C:n3'].map((n, l) => hop(`o${j}${l}`, k, n, 9_800_00n, HOUR + (j * 3 + l) * MIN)),
  );

  it('finds three accounts paying three accounts that pay a common next layer (stacked)', () => {
    const all = [...block, ...onward];
    for (const edge of [block[4]!, onward[8]!]) {
      const { findings } = findBipartiteLayering(edge, viewOf(all), rule);
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({
        sourceKeys: sources,
        sinkKeys: sinks,
        nextLayerKeys: ['C:n1', 'C:n2', 'C:n3'],
      });
      expect(findings[0]?.facts.find((f) => f.name === 'stackedLayers')?.value).toBe('3');
      expect(findings[0]?.facts.find((f) => f.name === 'pairDensity')).toMatchObject({
        value: '1.000',
        unit: 'share (0-1)',
      });
    }
  });

  it('stays quiet for flatmates paying the same landlord, cleaner and internet provider (the money stops there)', () => {
    const bills = ['A:flat1', 'A:flat2', 'A:flat3'].flatMap((s, i) =>
      ['B:landlord', 'B:cleaner', 'B:internet'].map((k, j) => hop(`f${i}${j}`, s, k, 3_000_00n, i * MIN + j)),
    );
    const { findings } = findBipartiteLayering(bills[4]!, viewOf(bills), rule);
    expect(findings).toEqual([]);
  });

  it('does not count a sink that pays out far more than it took (spending its own money) as a layer', () => {
    const spender = onward.map((h) => (h.fromKey === 'B:k3' ? { ...h, amountMinor: 500_000_00n } : h));
    const { findings } = findBipartiteLayering(block[4]!, viewOf([...block, ...spender]), {
      ...rule,
      minSinks: 3,
    });
    expect(findings).toEqual([]);
  });

  it('does not read every customer of a busy shop: it is summarised, not searched as a sink', () => {
    const customers = Array.from({ length: 60 }, (_, i) =>
      hop(`buy${i}`, `P:customer-${i}`, 'S:shop', 500_00n, i * MIN),
    );
    const { findings, missing, hubs } = findBipartiteLayering(customers[59]!, viewOf(customers), rule);
    expect(findings).toEqual([]);
    expect(hubs.get('S:shop')).toBe(60);
    expect(missing.size).toBe(0);
  });

  it('stays quiet for customers of three exchanges depositing to hot wallets (hubs)', () => {
    const deposits = sources.flatMap((s, i) =>
      ['X:hot1', 'X:hot2', 'X:hot3'].map((k, j) => hop(`d${i}${j}`, s, k, 10_000_00n, i * MIN + j)),
    );
    const crowd = ['X:hot1', 'X:hot2', 'X:hot3'].flatMap((k) =>
      Array.from({ length: 201 }, (_, i) => hop(`${k}-c${i}`, `P:user-${i}`, k, 100_00n, i)),
    );
    const { findings, hubs } = findBipartiteLayering(deposits[4]!, viewOf([...deposits, ...crowd]), rule);
    expect(findings).toEqual([]);
    expect(hubs.size).toBeGreaterThan(0);
  });
});
