import {
  SPLITTING_RULES,
  traceHeldUnderBaseRules,
  traceProceeds,
  type HolderPosition,
  type SplittingRule,
  type TaintSeed,
  type TraceEdge,
  type TraceResult,
} from './trace-proceeds';

const edge = (
  transferId: string,
  fromKey: string,
  toKey: string,
  atMs: number,
  amount: bigint,
  debtorBalanceAfter?: bigint,
): TraceEdge => ({ transferId, fromKey, toKey, atMs, amount, debtorBalanceAfter });

const holderOf = (result: TraceResult, accountKey: string): HolderPosition => {
  const holder = result.holders.find((candidate) => candidate.accountKey === accountKey);
  if (!holder) throw new Error(`${accountKey} is not a holder`);
  return holder;
};

/** Held amounts of one account as plain objects per rule, for readable expectations. */
const heldBy = (result: TraceResult, accountKey: string): Record<SplittingRule, Record<string, bigint>> => {
  const { held } = holderOf(result, accountKey);
  return {
    fifo: Object.fromEntries(held.fifo),
    haircut: Object.fromEntries(held.haircut),
    'fifo-libr': Object.fromEntries(held['fifo-libr']),
    'haircut-libr': Object.fromEntries(held['haircut-libr']),
  };
};

const sameForAllRules = (amounts: Record<string, bigint>) => ({
  fifo: amounts,
  haircut: amounts,
  'fifo-libr': amounts,
  'haircut-libr': amounts,
});

const totalOf = (amounts: ReadonlyMap<string, bigint>): bigint =>
  [...amounts.values()].reduce((sum, amount) => sum + amount, 0n);

describe(traceProceeds.name, () => {
  it('follows a single chain without mixing the same way under every rule', () => {
    // V pays 1000 to M1 (seed), M1 forwards all 1000 to M2, M2 forwards 400 to M3.
    // Nothing else enters, so M2 keeps 1000 - 400 = 600 and M3 holds 400, whatever the rule.
    const result = traceProceeds({
      edges: [
        edge('t1', 'V', 'M1', 1, 1000n),
        edge('t2', 'M1', 'M2', 2, 1000n),
        edge('t3', 'M2', 'M3', 3, 400n),
      ],
      seeds: [{ sourceId: 'case-A', transferId: 't1' }],
    });

    expect(result.holders.map((holder) => holder.accountKey)).toEqual(['M2', 'M3']);
    expect(heldBy(result, 'M2')).toEqual(sameForAllRules({ 'case-A': 600n }));
    expect(heldBy(result, 'M3')).toEqual(sameForAllRules({ 'case-A': 400n }));
    expect(holderOf(result, 'M2')).toMatchObject({
      balance: 600n,
      poisonUpperBound: 600n,
      librApplied: false,
    });
    expect(result.ledger.map((hop) => [hop.transferId, hop.poisoned])).toEqual([
      ['t1', 1000n],
      ['t2', 1000n],
      ['t3', 400n],
    ]);
    expect(result.sources.get('case-A')).toEqual({
      seeded: 1000n,
      dissipated: { 'fifo-libr': 0n, 'haircut-libr': 0n },
    });
  });

  it('splits a mule mixed with clean money differently under FIFO and haircut, conserving every unit', () => {
    // t1: C pays 300 clean into M. t2: V pays 600 (seed) into M. M's pool: [300 clean, 600 A] = 900.
    // t3: M pays 450 to X.
    //   FIFO: 300 clean + 150 A leave; M keeps 450 A; X gets 150 A.
    //   Haircut: A share 600/900, 450 * 600 / 900 = 300 A leave (+150 clean); M keeps 300 A + 150 clean.
    // t4: M pays 100 to Y.
    //   FIFO: M is [450 A]; 100 A leave; M keeps 350 A.
    //   Haircut: M is 300 A + 150 clean = 450; 100 * 300 / 450 = 66.67 -> 66 A leave (+34 clean);
    //   the 0.67 stays with M: M keeps 234 A + 116 clean.
    // Totals: FIFO 350 + 150 + 100 = 600; haircut 234 + 300 + 66 = 600.
    const result = traceProceeds({
      edges: [
        edge('t1', 'C', 'M', 1, 300n),
        edge('t2', 'V', 'M', 2, 600n),
        edge('t3', 'M', 'X', 3, 450n),
        edge('t4', 'M', 'Y', 4, 100n),
      ],
      seeds: [{ sourceId: 'A', transferId: 't2' }],
    });

    expect(heldBy(result, 'M').fifo).toEqual({ A: 350n });
    expect(heldBy(result, 'X').fifo).toEqual({ A: 150n });
    expect(heldBy(result, 'Y').fifo).toEqual({ A: 100n });
    expect(heldBy(result, 'M').haircut).toEqual({ A: 234n });
    expect(heldBy(result, 'X').haircut).toEqual({ A: 300n });
    expect(heldBy(result, 'Y').haircut).toEqual({ A: 66n });
    expect(result.holders.map((holder) => [holder.accountKey, holder.balance])).toEqual([
      ['M', 350n],
      ['X', 450n],
      ['Y', 100n],
    ]);
    // The clean payer never touched taint: not a holder, and its payment is not in the ledger.
    expect(result.ledger.map((hop) => hop.transferId)).toEqual(['t2', 't3', 't4']);
    expect(result.ledger.map((hop) => hop.tainted.haircut.get('A'))).toEqual([600n, 300n, 66n]);
  });

  it('splits two victims mixing in one mule between them, never counting a unit twice', () => {
    // t1: V1 pays 500 (case S1) into M. t2: V2 pays 300 (case S2) into M. M: [500 S1, 300 S2] = 800.
    // t3: M pays 600 to N.
    //   FIFO: 500 S1 + 100 S2 leave; M keeps 200 S2; N holds 500 S1 + 100 S2.
    //   Haircut: S1 600 * 500 / 800 = 375, S2 600 * 300 / 800 = 225 leave; M keeps 125 S1 + 75 S2.
    // M's balance is 200 and N's 600: the sums per holder equal the balances, not more.
    const result = traceProceeds({
      edges: [edge('t1', 'V1', 'M', 1, 500n), edge('t2', 'V2', 'M', 2, 300n), edge('t3', 'M', 'N', 3, 600n)],
      seeds: [
        { sourceId: 'S1', transferId: 't1' },
        { sourceId: 'S2', transferId: 't2' },
      ],
    });

    expect(heldBy(result, 'M').fifo).toEqual({ S2: 200n });
    expect(heldBy(result, 'N').fifo).toEqual({ S1: 500n, S2: 100n });
    expect(heldBy(result, 'M').haircut).toEqual({ S1: 125n, S2: 75n });
    expect(heldBy(result, 'N').haircut).toEqual({ S1: 375n, S2: 225n });
    for (const holder of result.holders) {
      for (const rule of SPLITTING_RULES)
        expect(totalOf(holder.held[rule])).toBeLessThanOrEqual(holder.balance);
    }
    expect(holderOf(result, 'N').poisonUpperBound).toBe(600n);
    expect(holderOf(result, 'M').poisonUpperBound).toBe(200n);
  });

  it('caps the LIBR rules at a low reported balance (a cash-out the feed does not show) and reports it dissipated', () => {
    // t1: V pays 1000 (case A) into M1.
    // t2: M1 pays 200 to M2; its bank reports M1's balance after it as 300 (500 left as cash, not in the feed).
    //   Flows alone: M1 holds 800 A. LIBR: 300 < 800 tainted, so taint is cut to 300; 500 A dissipated.
    // t3: C pays 700 clean into M1.   fifo: [800 A, 700 C]; fifo-libr: [300 A, 700 C].
    //   haircut: 800 A + 700 C;          haircut-libr: 300 A + 700 C.
    // t4: M1 pays 500 to M3.
    //   fifo: 500 A leave; M1 keeps 300 A.           fifo-libr: 300 A + 200 C leave; M1 keeps 0 A.
    //   haircut: 500 * 800 / 1500 = 266.67 -> 266 A leave; M1 keeps 534 A.
    //   haircut-libr: 500 * 300 / 1000 = 150 A leave; M1 keeps 150 A.
    // Conservation: fifo 200 + 300 + 500 = 1000; haircut 200 + 534 + 266 = 1000;
    //   fifo-libr 200 + 0 + 300 + 500 dissipated = 1000; haircut-libr 200 + 150 + 150 + 500 = 1000.
    const result = traceProceeds({
      edges: [
        edge('t1', 'V', 'M1', 1, 1000n),
        edge('t2', 'M1', 'M2', 2, 200n, 300n),
        edge('t3', 'C', 'M1', 3, 700n),
        edge('t4', 'M1', 'M3', 4, 500n),
      ],
      seeds: [{ sourceId: 'A', transferId: 't1' }],
    });

    expect(heldBy(result, 'M1')).toEqual({
      fifo: { A: 300n },
      haircut: { A: 534n },
      'fifo-libr': {},
      'haircut-libr': { A: 150n },
    });
    expect(heldBy(result, 'M3')).toEqual({
      fifo: { A: 500n },
      haircut: { A: 266n },
      'fifo-libr': { A: 300n },
      'haircut-libr': { A: 150n },
    });
    expect(heldBy(result, 'M2')).toEqual(sameForAllRules({ A: 200n }));
    expect(result.sources.get('A')).toEqual({
      seeded: 1000n,
      dissipated: { 'fifo-libr': 500n, 'haircut-libr': 500n },
    });
    // M1: reported 300 + 700 - 500 = 500; flows alone 1000 + 700 - 200 - 500 = 1000.
    expect(holderOf(result, 'M1')).toMatchObject({ balance: 500n, flowBalance: 1000n, librApplied: true });
    expect(holderOf(result, 'M3').librApplied).toBe(true); // received LIBR-capped taint from M1
    expect(holderOf(result, 'M2').librApplied).toBe(false); // paid before the cap
  });

  it('gives poison an upper bound at least the FIFO and haircut amounts at every holder', () => {
    // t1: V pays 100 (case A) into M. t2: C pays 900 clean into M. M: [100 A, 900 C].
    // t3: M pays 500 to N. FIFO: 100 A + 400 C leave. Haircut: 500 * 100 / 1000 = 50 A leave.
    //   Poison: M had taint, so the whole 500 is poisoned.
    // t4: N pays 100 to Q. FIFO: N is [100 A, 400 C]; 100 A leave. Haircut: 100 * 50 / 500 = 10 A leave.
    //   Poison: 100.
    // Poison bounds = balances: M 500, N 400, Q 100.
    const result = traceProceeds({
      edges: [
        edge('t1', 'V', 'M', 1, 100n),
        edge('t2', 'C', 'M', 2, 900n),
        edge('t3', 'M', 'N', 3, 500n),
        edge('t4', 'N', 'Q', 4, 100n),
      ],
      seeds: [{ sourceId: 'A', transferId: 't1' }],
    });

    expect(result.holders.map((holder) => [holder.accountKey, holder.poisonUpperBound])).toEqual([
      ['Q', 100n], // fifo 100
      ['M', 500n], // fifo 0, poison only; ties on fifo total sort by key
      ['N', 400n],
    ]);
    expect(heldBy(result, 'Q')).toMatchObject({ fifo: { A: 100n }, haircut: { A: 10n } });
    expect(heldBy(result, 'N')).toMatchObject({ fifo: {}, haircut: { A: 40n } });
    expect(heldBy(result, 'M')).toMatchObject({ fifo: {}, haircut: { A: 50n } });
    for (const holder of result.holders) {
      expect(holder.poisonUpperBound).toBeGreaterThanOrEqual(totalOf(holder.held.fifo));
      expect(holder.poisonUpperBound).toBeGreaterThanOrEqual(totalOf(holder.held.haircut));
    }
    expect(result.ledger.map((hop) => [hop.transferId, hop.poisoned])).toEqual([
      ['t1', 100n],
      ['t3', 500n],
      ['t4', 100n],
    ]);
  });

  it('taints only the seeded part of an edge when the seed names an amount', () => {
    // V pays 1000 to M, of which 600 is the reported scam payment (case A); the other 400 is clean.
    // FIFO puts the seeded 600 first: M is [600 A, 400 C]. M pays 500 to N.
    //   FIFO: 500 A leave; M keeps 100 A. Haircut: 500 * 600 / 1000 = 300 A leave; M keeps 300 A.
    //   Poison: only the seeded 600 of t1 is poisoned (V never held taint); all 500 of t2.
    const result = traceProceeds({
      edges: [edge('t1', 'V', 'M', 1, 1000n), edge('t2', 'M', 'N', 2, 500n)],
      seeds: [{ sourceId: 'A', transferId: 't1', amount: 600n }],
    });

    expect(heldBy(result, 'M')).toMatchObject({ fifo: { A: 100n }, haircut: { A: 300n } });
    expect(heldBy(result, 'N')).toMatchObject({ fifo: { A: 500n }, haircut: { A: 300n } });
    expect(result.sources.get('A')?.seeded).toBe(600n);
    expect(result.ledger.map((hop) => hop.poisoned)).toEqual([600n, 500n]);
  });

  it('takes an outflow larger than the pool from clean money and never lets a balance go negative', () => {
    // V pays 300 (case A) into M; M then pays 500 to N. The extra 200 is M's unknown opening balance (clean).
    // Every rule moves all 300 A to N; M's balance is 0, so M is no holder, not even under poison.
    const result = traceProceeds({
      edges: [edge('t1', 'V', 'M', 1, 300n), edge('t2', 'M', 'N', 2, 500n)],
      seeds: [{ sourceId: 'A', transferId: 't1' }],
    });

    expect(result.holders.map((holder) => holder.accountKey)).toEqual(['N']);
    expect(heldBy(result, 'N')).toEqual(sameForAllRules({ A: 300n }));
    expect(holderOf(result, 'N')).toMatchObject({ balance: 500n, flowBalance: 500n, poisonUpperBound: 500n });
    expect(result.ledger[1]).toMatchObject({ transferId: 't2', poisoned: 500n });
    expect(result.ledger[1]?.tainted.fifo).toEqual(new Map([['A', 300n]]));
  });

  it('moves a whole unit of taint under haircut when an all-tainted pool has no clean money for the rounding', () => {
    // M holds 3 S1 + 2 S2 and nothing clean (5). M pays 3 to N.
    //   Shares: S1 3 * 3 / 5 = 1.8 -> 1, S2 3 * 2 / 5 = 1.2 -> 1; 1 unit is left and no clean money can carry
    //   it, so the larger remainder (S1, 0.8) moves one more: N gets 2 S1 + 1 S2; M keeps 1 S1 + 1 S2.
    const result = traceProceeds({
      edges: [edge('t1', 'V1', 'M', 1, 3n), edge('t2', 'V2', 'M', 2, 2n), edge('t3', 'M', 'N', 3, 3n)],
      seeds: [
        { sourceId: 'S1', transferId: 't1' },
        { sourceId: 'S2', transferId: 't2' },
      ],
    });

    expect(heldBy(result, 'N').haircut).toEqual({ S1: 2n, S2: 1n });
    expect(heldBy(result, 'M').haircut).toEqual({ S1: 1n, S2: 1n });
    expect(holderOf(result, 'M').flowBalance).toBe(2n);
  });

  it('orders transfers with the same time by transferId, whatever the input order', () => {
    // t-1 (seed, 100 A) and t-2 (clean 100) both reach M at time 5; t-1 sorts first, so FIFO sends the
    // 100 A onward in t-3 and M keeps the clean 100. Input order must not matter.
    const edges = [
      edge('t-2', 'C', 'M', 5, 100n),
      edge('t-3', 'M', 'N', 9, 100n),
      edge('t-1', 'V', 'M', 5, 100n),
    ];
    const seeds: TaintSeed[] = [{ sourceId: 'A', transferId: 't-1' }];

    const forward = traceProceeds({ edges, seeds });
    const backward = traceProceeds({ edges: [...edges].reverse(), seeds });

    expect(heldBy(forward, 'N').fifo).toEqual({ A: 100n });
    expect(heldBy(forward, 'M').fifo).toEqual({});
    expect(forward.ledger.map((hop) => hop.transferId)).toEqual(['t-1', 't-3']);
    expect(backward).toEqual(forward);
  });

  it('refuses transfers and seeds that cannot be traced', () => {
    const edges = [edge('t1', 'V', 'M', 1, 100n)];
    expect(() => traceProceeds({ edges: [edge('t0', 'V', 'M', 1, 0n)], seeds: [] })).toThrow(RangeError);
    expect(() => traceProceeds({ edges: [...edges, ...edges], seeds: [] })).toThrow(/twice/);
    expect(() => traceProceeds({ edges, seeds: [{ sourceId: 'A', transferId: 'nope' }] })).toThrow(
      /no transfer/,
    );
    expect(() =>
      traceProceeds({
        edges,
        seeds: [
          { sourceId: 'A', transferId: 't1', amount: 60n },
          { sourceId: 'B', transferId: 't1', amount: 50n },
        ],
      }),
    ).toThrow(/exceed/);
  });

  describe('on a seeded random graph', () => {
    /** Tiny deterministic LCG (Numerical Recipes constants), so the graph is the same on every run. */
    const lcg = (seed: number) => {
      let state = seed >>> 0;
      return (below: number): number => {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        // High bits: an LCG's low bits repeat with short periods.
        return Math.floor((state / 2 ** 32) * below);
      };
    };

    const randomGraph = (seed: number, withBalances: boolean) => {
      const next = lcg(seed);
      const edges: TraceEdge[] = [];
      const seeds: TaintSeed[] = [];
      for (let index = 0; index < 3000; index += 1) {
        const from = next(40);
        const to = (from + 1 + next(39)) % 40;
        const amount = BigInt(1 + next(100_000));
        const reported = withBalances && next(6) === 0 ? BigInt(next(200_000)) : undefined;
        // Coarse times so that many transfers tie and the tie-break is exercised.
        edges.push(edge(`e${index}`, `acct-${from}`, `acct-${to}`, next(500), amount, reported));
        if (next(10) === 0) {
          const partial = next(2) === 0 ? { amount: BigInt(1 + next(Number(amount))) } : {};
          seeds.push({ sourceId: `case-${next(7)}`, transferId: `e${index}`, ...partial });
        }
      }
      return { edges, seeds };
    };

    it('conserves every source under every rule: held over holders + dissipated == seeded', () => {
      const result = traceProceeds(randomGraph(20240611, true));

      expect(result.sources.size).toBe(7);
      for (const [sourceId, outcome] of result.sources) {
        for (const rule of SPLITTING_RULES) {
          const held = result.holders.reduce(
            (sum, holder) => sum + (holder.held[rule].get(sourceId) ?? 0n),
            0n,
          );
          const dissipated = rule === 'fifo-libr' || rule === 'haircut-libr' ? outcome.dissipated[rule] : 0n;
          expect({ sourceId, rule, total: held + dissipated }).toEqual({
            sourceId,
            rule,
            total: outcome.seeded,
          });
        }
      }
      expect([...result.sources.values()].some((outcome) => outcome.dissipated['fifo-libr'] > 0n)).toBe(true);
    });

    it('keeps every holder within its balance and under its poison bound', () => {
      const result = traceProceeds(randomGraph(7, true));

      for (const holder of result.holders) {
        for (const rule of SPLITTING_RULES) {
          const total = totalOf(holder.held[rule]);
          const pool = rule === 'fifo' || rule === 'haircut' ? holder.flowBalance : holder.balance;
          expect(total).toBeLessThanOrEqual(pool);
          expect(total).toBeLessThanOrEqual(holder.poisonUpperBound);
          for (const amount of holder.held[rule].values()) expect(amount).toBeGreaterThan(0n);
        }
      }
    });

    it('gives the follow decision the FIFO and haircut holdings of the whole trace, reported balances or not', () => {
      for (const [seed, withBalances] of [
        [3, true],
        [11, false],
      ] as const) {
        const graph = randomGraph(seed, withBalances);
        const whole = traceProceeds(graph);
        const accounts = Array.from({ length: 40 }, (_, i) => `acct-${i}`);
        const { seeded, held } = traceHeldUnderBaseRules(graph, accounts);

        expect(whole.holders.length).toBeGreaterThan(20);
        expect(seeded).toEqual(new Map([...whole.sources].map(([id, o]) => [id, o.seeded])));
        for (const key of accounts) {
          const holder = whole.holders.find((h) => h.accountKey === key);
          expect({ key, ...held.get(key) }).toEqual({
            key,
            fifo: holder?.held.fifo ?? new Map(),
            haircut: holder?.held.haircut ?? new Map(),
          });
        }
      }
    });

    it('gives the LIBR rules the same result as their base rules when no balance is reported', () => {
      const result = traceProceeds(randomGraph(99, false));

      expect(result.holders.length).toBeGreaterThan(0);
      for (const holder of result.holders) {
        expect(holder.held['fifo-libr']).toEqual(holder.held.fifo);
        expect(holder.held['haircut-libr']).toEqual(holder.held.haircut);
        expect(holder.balance).toBe(holder.flowBalance);
        expect(holder.librApplied).toBe(false);
      }
    });
  });
});
