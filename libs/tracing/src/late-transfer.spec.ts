import fc from 'fast-check';
import { applyCaseTransfer, heldOf, positionOf, type CaseAccountState } from './incremental-trace';
import { applyLateTransfer, type JournalEntry } from './late-transfer';
import { PoolBook } from './pool-book';
import { SPLITTING_RULES, byTimeThenId, traceProceeds, type TraceEdge } from './trace-proceeds';

const CASE = 'case-1';

/** Pool of an account just before `edge` in event order, from the transfers that have arrived. */
const openingFrom =
  (arrived: readonly TraceEdge[], seeded: ReadonlyMap<string, bigint>) => (key: string, edge: TraceEdge) => {
    const book = new PoolBook();
    for (const e of [...arrived].sort(byTimeThenId)) {
      if (byTimeThenId(e, edge) >= 0) break;
      book.apply(e, seeded.get(e.transferId) ?? 0n);
    }
    return book.opening(key);
  };

/**
 * Feeds transfers in arrival order: on time ones applied alone, late ones through the journal. Returns the
 * case's holdings and how many transfers were late.
 */
const runWithLateArrivals = (arrivals: readonly TraceEdge[], seeded: ReadonlyMap<string, bigint>) => {
  const states = new Map<string, CaseAccountState>();
  let journal: JournalEntry[] = [];
  const arrived: TraceEdge[] = [];
  let late = 0;
  for (const edge of arrivals) {
    arrived.push(edge);
    const seededHere = seeded.get(edge.transferId) ?? 0n;
    const opening = openingFrom(arrived, seeded);
    const sender = states.get(edge.fromKey);
    const receiver = states.get(edge.toKey);
    // Late: a transfer of one of its accounts that arrived earlier is ordered after it (whether or not it
    // touched the case then: this one may bring its account into the case before it).
    const shares = (e: TraceEdge) =>
      [e.fromKey, e.toKey].some((key) => key === edge.fromKey || key === edge.toKey);
    if (journal.some((entry) => shares(entry.edge) && byTimeThenId(entry.edge, edge) > 0)) {
      late += 1;
      const outcome = applyLateTransfer({
        caseId: CASE,
        late: edge,
        seeded: seededHere,
        journal,
        journalFromMs: Number.NEGATIVE_INFINITY,
        current: states,
        opening,
      });
      if (outcome.kind !== 'recomputed') throw new Error('journal covers everything here');
      for (const [key, state] of outcome.states) {
        if (state) states.set(key, state);
        else states.delete(key);
      }
      journal = [...outcome.journal];
      continue;
    }
    const before = new Map([
      [edge.fromKey, sender],
      [edge.toKey, receiver],
    ]);
    const outcome = applyCaseTransfer({
      caseId: CASE,
      edge,
      seeded: seededHere,
      sender,
      receiver,
      opening: (key) => opening(key, edge),
    });
    journal.push({ edge, seeded: seededHere, before });
    if (!outcome.involved) continue;
    for (const [key, state] of outcome.states) states.set(key, state);
  }
  const holdings = Object.fromEntries(
    [...states].flatMap(([key, state]) => {
      const held = heldOf(state, CASE);
      const { poisonUpperBound } = positionOf(state);
      if (poisonUpperBound === 0n && SPLITTING_RULES.every((rule) => held[rule] === 0n)) return [];
      return [[key, { ...held, poison: poisonUpperBound }]];
    }),
  );
  return { holdings, late };
};

const batchHoldings = (edges: readonly TraceEdge[], seeded: ReadonlyMap<string, bigint>) =>
  Object.fromEntries(
    traceProceeds({
      edges,
      seeds: [...seeded].map(([transferId, amount]) => ({ sourceId: CASE, transferId, amount })),
    }).holders.map((h) => [
      h.accountKey,
      {
        ...Object.fromEntries(SPLITTING_RULES.map((rule) => [rule, h.held[rule].get(CASE) ?? 0n])),
        poison: h.poisonUpperBound,
      },
    ]),
  );

describe(applyLateTransfer.name, () => {
  it('recomputes only the downstream accounts of a late transfer, to the batch trace’s amounts', () => {
    // V pays M 600 (case) at 1; M pays X 400 at 3; a clean 300 from S into M booked at 2 arrives last.
    // In event order M is [600 A, 300 clean] when it pays 400: FIFO 400 A to X (unchanged), haircut
    // 400 x 600/900 = 266 A. Applied late, M and X are recomputed; an unrelated account is not touched.
    const edges = [
      { transferId: 't1', fromKey: 'V', toKey: 'M', atMs: 1, amount: 600n },
      { transferId: 't2', fromKey: 'S', toKey: 'M', atMs: 2, amount: 300n },
      { transferId: 't3', fromKey: 'M', toKey: 'X', atMs: 3, amount: 400n },
      { transferId: 't4', fromKey: 'V', toKey: 'Q', atMs: 4, amount: 50n },
    ];
    const seeded = new Map([
      ['t1', 600n],
      ['t4', 50n],
    ]);
    const arrivals = [edges[0]!, edges[2]!, edges[3]!, edges[1]!];

    const { holdings, late } = runWithLateArrivals(arrivals, seeded);

    expect(late).toBe(1);
    expect(holdings.X).toMatchObject({ fifo: 400n, haircut: 266n });
    expect(holdings.M).toMatchObject({ fifo: 200n, haircut: 334n });
    expect(holdings).toEqual(batchHoldings(edges, seeded));
  });

  it('says when the journal does not reach back to the late transfer (the case is traced again)', () => {
    const late = { transferId: 't0', fromKey: 'S', toKey: 'M', atMs: 5, amount: 1n };

    expect(
      applyLateTransfer({
        caseId: CASE,
        late,
        seeded: 0n,
        journal: [],
        journalFromMs: 10,
        current: new Map(),
        opening: () => ({ flowBalance: 0n, balance: 0n }),
      }),
    ).toEqual({ kind: 'beyond-lateness' });
  });

  it('gives the batch trace’s holdings whatever the arrival order (random graphs, random delays)', () => {
    const accounts = ['V1', 'V2', 'M1', 'M2', 'M3', 'C1', 'X1', 'S'];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            from: fc.constantFrom(...accounts),
            to: fc.constantFrom(...accounts),
            amount: fc.bigInt({ min: 1n, max: 5_000n }),
            reported: fc.option(fc.bigInt({ min: 0n, max: 6_000n }), { freq: 5 }),
            seed: fc.boolean(),
            delay: fc.option(fc.integer({ min: 1, max: 8 }), { freq: 3 }),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        (rows) => {
          const edges: TraceEdge[] = rows.map((row, index) => ({
            transferId: `e${String(index).padStart(2, '0')}`,
            fromKey: row.from,
            toKey: row.to,
            atMs: index,
            amount: row.amount,
            ...(row.reported !== null ? { debtorBalanceAfter: row.reported } : {}),
          }));
          const seeded = new Map(
            rows.flatMap((row, index) => (row.seed ? [[edges[index]!.transferId, row.amount] as const] : [])),
          );
          const arrivals = edges
            .map((edge, index) => ({ edge, arrives: index + (rows[index]!.delay ?? 0) + index / 100 }))
            .sort((a, b) => a.arrives - b.arrives)
            .map((a) => a.edge);
          expect(runWithLateArrivals(arrivals, seeded).holdings).toEqual(batchHoldings(edges, seeded));
        },
      ),
      { numRuns: 300 },
    );
  });
});
