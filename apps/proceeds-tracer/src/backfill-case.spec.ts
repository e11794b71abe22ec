import fc from 'fast-check';
import { traceCaseState, traceProceeds, type ProceedsTransfer } from '@scamflow/tracing';
import { backfillCase } from './backfill-case';
import { carryArrivals } from './carry-arrivals.testing';
import type { CarryPolicy } from './carry-case-taint';
import { analyseCase } from './case-findings';
import { recordOfFindings, type CaseRecord } from './case-record.schema';
import { T0, bank, subgraphOf, transfer, vaspAccount, wallet } from './proceeds-fixtures.testing';
import { toTraceInput } from './trace-input';

const USD = { currency: 'USD', scale: 2 };
const MIN = 60_000;
const victim = bank('victim', 'BANKA');
const shop = bank('shop', 'BANKA');
const keys = [
  bank('mule-1', 'BANKB'),
  bank('mule-2', 'BANKC'),
  vaspAccount('K-1', 'KHVASP', 'KH'),
  wallet('out'),
  wallet('next'),
  shop,
];
const byKey = new Map([victim, ...keys].map((a) => [a.accountKey, a]));
const policyOf = (followMinShare: number): CarryPolicy => ({
  limits: { maxLots: 64 },
  followMinShare,
  maxStoredHops: 500,
  edgeCap: 200,
});
const usd = (id: string, from: number, to: number, minute: number, cents: number, balance: number | null) =>
  transfer(id, from < 0 ? victim : keys[from]!, keys[to]!, minute, String(cents), {
    currency: 'USD',
    ...(balance !== null ? { debtorBalanceAfterMinor: String(balance) } : {}),
  });

/** The case as the tracer would back-fill it from a subgraph holding `transfers`, the journal from `fromMinute`. */
const backfill = (transfers: ProceedsTransfer[], seeds: string[], fromMinute: number) => {
  const subgraph = subgraphOf({ caseId: 'CASE-A', victims: [victim], accounts: keys, transfers, seeds });
  const trace = toTraceInput(subgraph, USD);
  const findings = analyseCase(subgraph, trace, traceProceeds(trace));
  return backfillCase({
    subgraph,
    trace,
    findings,
    journalFromMs: T0 + fromMinute * MIN,
    startMs: T0,
    untilMs: T0 + 30 * 24 * 60 * MIN,
    policy: policyOf(0),
  });
};

/**
 * What the amounts of a record are: per holder the case's money per rule and the poison bound, the hop ledger,
 * dissipated. (Whether LIBR cut an account's money is a flag the carry resets when an account that held nothing
 * of the case is reached again; the batch trace keeps it. Amounts agree.)
 */
const amounts = (r: CaseRecord) => ({
  holders: r.holders
    .map((h) => ({ accountKey: h.accountKey, held: h.held, poison: h.poisonUpperBound }))
    .sort((a, b) => (a.accountKey < b.accountKey ? -1 : 1)),
  hops: [...r.hops].sort((a, b) => (a.transferId < b.transferId ? -1 : 1)),
  seeded: r.seeded,
  dissipated: r.dissipated,
});

/** Random flows: the victim pays 1-3 times, then money moves among the accounts, reported balances at times. */
const flows = fc
  .tuple(
    fc.array(fc.record({ to: fc.nat({ max: 1 }), cents: fc.integer({ min: 1_000, max: 500_000 }) }), {
      minLength: 1,
      maxLength: 3,
    }),
    fc.array(
      fc.record({
        from: fc.nat({ max: keys.length - 1 }),
        to: fc.nat({ max: keys.length - 1 }),
        cents: fc.integer({ min: 1, max: 300_000 }),
        balance: fc.option(fc.integer({ min: 0, max: 600_000 }), { freq: 5 }),
      }),
      { minLength: 1, maxLength: 25 },
    ),
  )
  .map(([payments, moves]) => {
    // Payments and moves interleave: each payment at an even minute among the moves.
    const transfers = [
      ...payments.map((p, i) => usd(`p${i}`, -1, p.to, i * 7, p.cents, null)),
      ...moves.map((m, i) => usd(`x${String(i).padStart(2, '0')}`, m.from, m.to, 1 + i, m.cents, m.balance)),
    ];
    return { transfers, seeds: payments.map((_, i) => `p${i}`), last: Math.max(25, payments.length * 7) };
  });

describe(backfillCase.name, () => {
  it('gives the batch trace’s amounts wherever the journal starts (the part before traced, the rest carried)', () => {
    fc.assert(
      fc.property(flows, fc.integer({ min: -1, max: 30 }), ({ transfers, seeds }, fromMinute) => {
        const subgraph = subgraphOf({
          caseId: 'CASE-A',
          victims: [victim],
          accounts: keys,
          transfers,
          seeds,
        });
        const trace = toTraceInput(subgraph, USD);
        const { totals } = traceCaseState({ caseId: 'CASE-A', edges: trace.edges, seeds: trace.seeds });
        const whole = recordOfFindings(analyseCase(subgraph, trace, traceProceeds(trace)), {
          startMs: T0,
          untilMs: T0,
          dissipated: totals.dissipated,
          pruned: { fifo: 0n, haircut: 0n, 'fifo-libr': 0n, 'haircut-libr': 0n },
        });
        expect(amounts(backfill(transfers, seeds, fromMinute).record)).toEqual(amounts(whole));
      }),
      { numRuns: 300 },
    );
  });

  it('journals what it carried, so a transfer arriving late after it rewinds the case to the same record', () => {
    // The subgraph read without one transfer booked after the journal's start; that transfer then arrives. It
    // rewinds the case (never a re-trace), which ends with the amounts of back-filling a subgraph holding it.
    let rewinds = 0;
    fc.assert(
      fc.property(
        flows,
        fc.integer({ min: -1, max: 12 }),
        fc.nat(),
        ({ transfers, seeds }, fromMinute, pick) => {
          const candidates = transfers.filter(
            (t) => !seeds.includes(t.transferId) && Date.parse(t.bookedAt) >= T0 + fromMinute * MIN,
          );
          fc.pre(candidates.length > 0);
          const late = candidates[pick % candidates.length]!;
          const without = transfers.filter((t) => t !== late);
          const before = backfill(without, seeds, fromMinute);
          const arrived = carryArrivals({
            record: before.record,
            states: before.states,
            history: without,
            journalFromMs: T0 + fromMinute * MIN,
            journal: before.journal,
            left: before.left,
            applied: before.applied,
            batches: [[late]],
            policy: policyOf(0),
            accountOf: (key) => byKey.get(key)!,
          });
          rewinds += arrived.rewinds;
          expect(amounts(arrived.record)).toEqual(amounts(backfill(transfers, seeds, fromMinute).record));
        },
      ),
      { numRuns: 300 },
    );
    expect(rewinds).toBeGreaterThan(50);
  });
});
