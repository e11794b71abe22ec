import fc from 'fast-check';
import {
  PoolBook,
  SPLITTING_RULES,
  traceCaseState,
  traceProceeds,
  type CaseAccountState,
  type CommittedProceedsTransfer,
  type ProceedsTransfer,
} from '@scamflow/tracing';
import { carryArrivals, recordAsSeen } from './carry-arrivals.testing';
import { carryCaseTaint, type CarryPolicy } from './carry-case-taint';
import { analyseCase } from './case-findings';
import { findingsOfRecord, recordOfFindings, type CaseRecord } from './case-record.schema';
import { buildCrossBorderAlert } from './proceeds-alerts';
import { T0, bank, subgraphOf, transfer, vaspAccount, wallet } from './proceeds-fixtures.testing';
import { toTraceInput } from './trace-input';

const USD = { currency: 'USD', scale: 2 };
const policy: CarryPolicy = {
  limits: { maxLots: 64 },
  followMinShare: 0.001,
  maxStoredHops: 100,
  maxRewindEntries: 200,
  edgeCap: 200,
};
const usdt = (ref: string, more: Partial<ProceedsTransfer> = {}): Partial<ProceedsTransfer> => ({
  currency: 'USDT',
  scale: 6,
  refAmountMinor: ref,
  rail: 'vasp-ledger',
  ...more,
});

// Rates: THB→USD 0.025, USDT→USD 1; amounts below in USD cents (as in the cross-border e2e spec).
const victimA = bank('victim-a', 'BANKA');
const shop = bank('shop', 'BANKA');
const mule1 = bank('mule-1', 'BANKB');
const foreign = vaspAccount('K-1', 'KHVASP', 'KH');
const out = wallet('out');
const next = wallet('next');
const m3 = bank('m3', 'BANKB');
const m4 = bank('m4', 'BANKC');
const accounts = [shop, mule1, foreign, out, next, m3, m4];
const flow = [
  transfer('t1', victimA, mule1, 0, '12000000', { refAmountMinor: '300000' }), // A: 3,000.00
  transfer('t2', shop, mule1, 2, '5000000', { refAmountMinor: '125000' }), // clean: 1,250.00
  transfer('t3', mule1, foreign, 4, '', usdt('360000', { amountMinor: '3600000000' })), // 3,600.00 of 4,250.00
];

/** The case as the report's backfill leaves it: its record and the states of the accounts it keeps. */
const backfilled = (transfers: readonly ProceedsTransfer[] = flow, seeds: readonly string[] = ['t1']) => {
  const subgraph = subgraphOf({
    caseId: 'CASE-A',
    victims: [victimA],
    accounts,
    transfers: [...transfers],
    seeds: [...seeds],
  });
  const input = toTraceInput(subgraph, USD);
  const findings = analyseCase(subgraph, input, traceProceeds(input));
  const { states, totals } = traceCaseState({ caseId: 'CASE-A', edges: input.edges, seeds: input.seeds });
  const record: CaseRecord = recordOfFindings(findings, {
    startMs: T0,
    untilMs: T0 + 30 * 24 * 60 * 60_000,
    dissipated: totals.dissipated,
    pruned: { fifo: 0n, haircut: 0n, 'fifo-libr': 0n, 'haircut-libr': 0n },
  });
  return { record, states, input };
};

const committed = (t: ProceedsTransfer): CommittedProceedsTransfer => {
  const byKey = new Map([victimA, ...accounts].map((a) => [a.accountKey, a]));
  return { transfer: t, debtor: byKey.get(t.fromKey)!, creditor: byKey.get(t.toKey)!, ledgerTwin: false };
};

const carry = (
  record: CaseRecord,
  states: ReadonlyMap<string, CaseAccountState>,
  transfers: ProceedsTransfer[],
  more: Partial<Parameters<typeof carryCaseTaint>[0]> = {},
) =>
  carryCaseTaint({
    record,
    states,
    transfers: transfers.map(committed),
    applied: new Set(),
    openings: new Map(),
    fullAccounts: new Set(),
    policy,
    ...more,
  });

/** Carries as the service does, every newly reached account starting from an empty pool. */
const carryWithEmptyOpenings = (...[record, states, transfers, more = {}]: Parameters<typeof carry>) => {
  const openings = new Map(more.openings ?? []);
  for (;;) {
    const outcome = carry(record, states, transfers, { ...more, openings });
    if (outcome.kind !== 'needs-openings') return outcome;
    for (const need of outcome.needs) {
      const byEntry = new Map(openings.get(need.accountKey) ?? []);
      openings.set(need.accountKey, byEntry.set(need.transferId, { flowBalance: 0n, balance: 0n }));
    }
  }
};

/** K pays 1,000 to the unhosted wallet `out` at minute 30 (t4); the wallet pays 800 on to `next` at 40 (t5). */
const walletHop = () => ({
  t4: transfer('t4', foreign, out, 30, '', usdt('100000', { amountMinor: '1000000000' })),
  t5: transfer('t5', out, next, 40, '', usdt('80000', { amountMinor: '800000000', rail: 'onchain' })),
});

const heldIn = (record: CaseRecord, accountKey: string) =>
  record.holders.find((h) => h.accountKey === accountKey)?.held;

describe(carryCaseTaint.name, () => {
  it('moves the case’s money on from the stored state, with amounts computed by hand', () => {
    // Backfill: mule-1 holds [A 3,000, clean 1,250] and sends 3,600 to K-1.
    //   FIFO: 3,000 A + 600 clean reach K-1. Haircut (cents): 360,000 x 300,000/425,000 = 254,117.6 -> 254,117.
    // Live: K-1 sends 1,000 to an unhosted wallet never seen before (empty pool).
    //   FIFO: K-1 [A 3,000, clean 600] -> 1,000 A leave; K-1 keeps 2,000 A.
    //   Haircut (cents): 100,000 x 254,117/360,000 = 70,588.05 -> 70,588 leave; K-1 keeps 183,529.
    const { record, states } = backfilled();
    const onward = transfer('t4', foreign, out, 30, '', usdt('100000', { amountMinor: '1000000000' }));

    const needs = carry(record, states, [onward]);
    expect(needs).toEqual({
      kind: 'needs-openings',
      needs: [{ accountKey: out.accountKey, atMs: T0 + 30 * 60_000, transferId: 't4' }],
    });
    const outcome = carry(record, states, [onward], {
      openings: new Map([[out.accountKey, new Map([['t4', { flowBalance: 0n, balance: 0n }]])]]),
    });

    if (outcome.kind !== 'carried') throw new Error(`expected carried, got ${outcome.kind}`);
    expect(heldIn(outcome.record, foreign.accountKey)).toMatchObject({ fifo: '200000', haircut: '183529' });
    expect(heldIn(outcome.record, out.accountKey)).toMatchObject({ fifo: '100000', haircut: '70588' });
    expect(outcome.record.hops.map((h) => h.transferId)).toEqual(['t1', 't3', 't4']);
    expect(outcome.record.carried).toBe(1);
    expect(outcome.applied).toEqual(['t4']);
    // The alert built from the record says the same as a trace of the whole subgraph would.
    const alert = buildCrossBorderAlert(findingsOfRecord(outcome.record), 8);
    expect(alert?.tracing?.holders.map((h) => h.account.accountKey)).toEqual([
      foreign.accountKey,
      out.accountKey,
      mule1.accountKey,
    ]);
  });

  it('mixes the case’s money into the pool a newly reached account already had', () => {
    // The wallet held 500.00 clean before (its opening pool); K-1 then sends it 1,000 (all A under FIFO).
    // Next the wallet sends 800 on. FIFO: 500 clean + 300 A leave; the wallet keeps 700 A.
    const { record, states } = backfilled();
    const book = new PoolBook();
    book.apply({
      transferId: 'x0',
      fromKey: 'tron:elsewhere',
      toKey: out.accountKey,
      atMs: 0,
      amount: 50000n,
    });
    const onward = [
      transfer('t4', foreign, out, 30, '', usdt('100000', { amountMinor: '1000000000' })),
      transfer('t5', out, next, 40, '', usdt('80000', { amountMinor: '800000000', rail: 'onchain' })),
    ];

    const outcome = carry(record, states, onward, {
      openings: new Map([
        [out.accountKey, new Map([['t4', book.opening(out.accountKey)]])],
        [next.accountKey, new Map([['t5', { flowBalance: 0n, balance: 0n }]])],
      ]),
    });

    if (outcome.kind !== 'carried') throw new Error(`expected carried, got ${outcome.kind}`);
    expect(heldIn(outcome.record, out.accountKey)?.fifo).toBe('70000');
    expect(heldIn(outcome.record, next.accountKey)?.fifo).toBe('30000');
  });

  it('moves the money on through an account whose later transfers were committed before the money reached it', () => {
    // The wallet's payment on (t5, minute 40) passed the tracer before K's payment into it (t4, minute 30): the
    // wallet's opening read brings t5 back, and the case's money moves on as the batch trace would move it.
    // FIFO: K sends 1,000 of A's money to the wallet, which sends 800 of it on and keeps 200.
    const { record, states } = backfilled();
    const { t4, t5 } = walletHop();

    const first = carry(record, states, [t4]);
    expect(first).toMatchObject({ kind: 'needs-openings', needs: [{ accountKey: out.accountKey }] });
    const empty = { flowBalance: 0n, balance: 0n };
    const caughtUp = [committed(t5)];
    const second = carry(record, states, [t4], {
      openings: new Map([[out.accountKey, new Map([['t4', empty]])]]),
      caughtUp,
    });
    expect(second).toMatchObject({ kind: 'needs-openings', needs: [{ accountKey: next.accountKey }] });
    const outcome = carry(record, states, [t4], {
      openings: new Map([
        [out.accountKey, new Map([['t4', empty]])],
        [next.accountKey, new Map([['t5', empty]])],
      ]),
      caughtUp,
    });

    if (outcome.kind !== 'carried') throw new Error(`expected carried, got ${outcome.kind}`);
    expect(heldIn(outcome.record, out.accountKey)?.fifo).toBe('20000');
    expect(heldIn(outcome.record, next.accountKey)?.fifo).toBe('80000');
    expect(outcome.applied).toEqual(['t4', 't5']);
    // The same holdings as applying both in event order.
    const inOrder = carryWithEmptyOpenings(record, states, [t4, t5]);
    if (inOrder.kind !== 'carried') throw new Error(`expected carried, got ${inOrder.kind}`);
    expect(outcome.record.holders).toEqual(inOrder.record.holders);
  });

  it('asks for a re-trace from the graph when a transfer arrives ordered before what an account already applied', () => {
    const { record, states } = backfilled();
    // Booked at minute 3, before the backfill's t3 (minute 4) out of mule-1.
    const late = transfer('t-late', mule1, out, 3, '', usdt('1000', { amountMinor: '10000000' }));

    expect(carry(record, states, [late])).toEqual({ kind: 'retrace', reason: 'late' });
  });

  it('asks for a re-trace when the money reaches an account whose later transfer the case already applied without it', () => {
    // The wallet's payment on (t5, minute 40) was applied to the case while the wallet held none of its money
    // (as a clean inflow of an account holding the case, or in a backfill); then K's payment into the wallet
    // (t4, minute 30) arrives. t5 should have carried the case's money: only a trace of the graph puts it right.
    const { record, states } = backfilled();
    const { t4, t5 } = walletHop();
    const empty = { flowBalance: 0n, balance: 0n };

    const outcome = carry(record, states, [t4], {
      openings: new Map([[out.accountKey, new Map([['t4', empty]])]]),
      caughtUp: [committed(t5)],
      applied: new Set(['t5']),
    });

    expect(outcome).toEqual({ kind: 'retrace', reason: 'late' });
  });

  it('traces a single-asset case again for a transfer in another asset within its horizon, not for one after it', () => {
    // Only baht so far: the case is traced in THB itself.
    const { record, states } = backfilled(flow.slice(0, 2));
    const afterHorizon = (record.untilMs - T0) / 60_000 + 1;
    const usdtOut = (id: string, minutes: number) =>
      transfer(id, mule1, out, minutes, '', usdt('1000', { amountMinor: '10000000' }));

    expect(record.unit).toMatchObject({ currency: 'THB', basis: 'asset' });
    expect(carry(record, states, [usdtOut('t-within', 10)])).toEqual({ kind: 'retrace', reason: 'unit' });
    // A batch trace reads nothing past the horizon: neither the asset nor a zero amount there changes the case.
    const past = carry(record, states, [
      usdtOut('t-after', afterHorizon),
      transfer('t-zero', mule1, out, afterHorizon, '0'),
    ]);
    expect(past).toMatchObject({ kind: 'carried', changed: false, applied: [] });
  });

  it('never applies a transfer twice: a replay of one already applied changes nothing', () => {
    const { record, states } = backfilled();
    const onward = transfer('t4', foreign, out, 30, '', usdt('100000', { amountMinor: '1000000000' }));

    const outcome = carry(record, states, [onward], { applied: new Set(['t4']) });

    expect(outcome).toMatchObject({ kind: 'carried', changed: false, applied: [] });
  });

  it('lists a transfer with no reference amount as untraceable instead of guessing its value', () => {
    const { record, states } = backfilled();
    const noRate = transfer('t4', foreign, out, 30, '1000000000', { currency: 'USDT', scale: 6 });

    const outcome = carry(record, states, [noRate]);

    if (outcome.kind !== 'carried') throw new Error(`expected carried, got ${outcome.kind}`);
    expect(outcome.record.untraceable.find((u) => u.transferId === 't4')?.reason).toContain(
      'no USD reference amount',
    );
    expect(heldIn(outcome.record, foreign.accountKey)?.fifo).toBe('300000');
  });

  it('does not follow the case into an account already holding the most cases allowed, and says so', () => {
    const { record, states } = backfilled();
    const onward = transfer('t4', foreign, out, 30, '', usdt('100000', { amountMinor: '1000000000' }));

    const outcome = carry(record, states, [onward], {
      fullAccounts: new Set([out.accountKey]),
      openings: new Map([[out.accountKey, new Map([['t4', { flowBalance: 0n, balance: 0n }]])]]),
    });

    if (outcome.kind !== 'carried') throw new Error(`expected carried, got ${outcome.kind}`);
    expect(heldIn(outcome.record, out.accountKey)).toBeUndefined();
    expect(outcome.record.pruned.fifo).toBe('100000');
    expect(outcome.states.get(out.accountKey)).toBeNull();
    expect(outcome.record.untraceable.map((u) => u.reason).join()).toContain('state bound');
  });
});

/**
 * Random transfers among `keyCount` accounts (`to` indexes the others), each with an amount, sometimes the
 * payer's reported balance after it, an arrival delay and the size of the batch it starts.
 */
const arrivalRows = (
  keyCount: number,
  bounds: { maxAmount: number; maxBalance: number; maxLength: number },
) =>
  fc.array(
    fc.record({
      from: fc.nat({ max: keyCount - 1 }),
      to: fc.nat({ max: keyCount - 2 }),
      amount: fc.integer({ min: 1, max: bounds.maxAmount }),
      balance: fc.option(fc.integer({ min: 0, max: bounds.maxBalance }), { freq: 4 }),
      delay: fc.option(fc.integer({ min: 1, max: 10 }), { freq: 2 }),
      batch: fc.integer({ min: 1, max: 3 }),
    }),
    { minLength: 1, maxLength: bounds.maxLength },
  );

/**
 * Transfers in the order they arrive (each delayed by its row's delay, in positions) and cut into batches of
 * the sizes the rows give: how the random-arrival properties deliver them.
 */
const arrivalBatches = (
  live: readonly ProceedsTransfer[],
  rows: readonly { delay: number | null; batch: number }[],
): ProceedsTransfer[][] => {
  const order = live
    .map((t, index) => ({ t, arrives: index + (rows[index]!.delay ?? 0) + index / 100 }))
    .sort((a, b) => a.arrives - b.arrives)
    .map((a) => a.t);
  const batches: ProceedsTransfer[][] = [];
  for (let i = 0; i < order.length;) {
    const size = rows[i]!.batch;
    batches.push(order.slice(i, i + size));
    i += size;
  }
  return batches;
};

/** The backfill read every transfer up to minute 4: the journal is complete from just after it. */
const JOURNAL_FROM = T0 + 4 * 60_000 + 1;

/**
 * K-1 pays the wallet 1,000 at minute 30 (carried and journaled); a clean 400.00 into K-1 booked at minute 20 is
 * the late transfer. Returns the case after the carry, the late transfer and the rewind the service would read.
 */
const carriedThenLate = () => {
  const { record, states } = backfilled();
  const { t4 } = walletHop();
  const late = transfer('t-clean', shop, foreign, 20, '', usdt('40000', { amountMinor: '400000000' }));
  const first = carryWithEmptyOpenings(record, states, [t4], { journalFromMs: JOURNAL_FROM });
  if (first.kind !== 'carried') throw new Error(`expected carried, got ${first.kind}`);
  const now = new Map(states);
  for (const [key, state] of first.states) if (state) now.set(key, state);
  const rewind = { fromMs: T0 + 20 * 60_000, entries: first.journal, transfers: [committed(t4)] };
  return { first, now, late, rewind };
};

describe(`${carryCaseTaint.name} with a late transfer`, () => {
  it('rewinds the case from its journal and applies the late transfer and what followed in event order', () => {
    // Live: K-1 sends 1,000 to the wallet at minute 30 (haircut 70,588 of it the case's, as above). Then a clean
    // 400.00 into K-1 booked at minute 20 arrives. In event order K-1's pool before the payment is 4,000.00, of
    // which 2,541.17 the case's: haircut 100,000 x 254,117/400,000 = 63,529.25 -> 63,529 reach the wallet and
    // K-1 keeps 254,117 - 63,529 = 190,588. FIFO is unchanged (the case's 3,000 leave K-1 first).
    const { first, now, late, rewind } = carriedThenLate();
    expect(first.journal.map((e) => e.transferId)).toEqual(['t4']);

    const asked = carry(first.record, now, [late], { journalFromMs: JOURNAL_FROM, applied: new Set(['t4']) });
    expect(asked).toEqual({ kind: 'needs-journal', fromMs: T0 + 20 * 60_000 });
    const outcome = carryWithEmptyOpenings(first.record, now, [late], {
      journalFromMs: JOURNAL_FROM,
      applied: new Set(['t4']),
      rewind,
    });

    if (outcome.kind !== 'carried') throw new Error(`expected carried, got ${outcome.kind}`);
    expect(heldIn(outcome.record, out.accountKey)).toMatchObject({ fifo: '100000', haircut: '63529' });
    expect(heldIn(outcome.record, foreign.accountKey)).toMatchObject({ fifo: '200000', haircut: '190588' });
    expect(outcome.record.hops.filter((h) => h.transferId === 't4')).toHaveLength(1);
    expect(outcome.record.carried).toBe(2);
    expect(outcome).toMatchObject({ rewoundFromMs: T0 + 20 * 60_000, reapplied: 1 });
    expect(outcome.journal.map((e) => e.transferId)).toEqual(['t-clean', 't4']);
  });

  it('traces the case from the graph when a rewind would apply more transfers again than allowed', () => {
    const { first, now, late, rewind } = carriedThenLate();
    const lateWith = (maxRewindEntries: number) =>
      carryWithEmptyOpenings(first.record, now, [late], {
        journalFromMs: JOURNAL_FROM,
        applied: new Set(['t4']),
        rewind,
        policy: { ...policy, maxRewindEntries },
      });

    expect(lateWith(0)).toEqual({ kind: 'retrace', reason: 'late' });
    expect(lateWith(1)).toMatchObject({ kind: 'carried', reapplied: 1 });
  });

  it('traces the case from the graph when a transfer arrives late at an account the case left in its trace', () => {
    // trace:reconcile found this in the benchmark: a mule passed on all but a residue (so left the case's state)
    // and a clean payment into it booked before it paid arrived afterwards. Under FIFO that clean money leaves
    // first: the mule passed on less of the case's money than the trace said. Its mark makes the payment late.
    const { record, states } = backfilled();
    const withoutMule = new Map([...states].filter(([key]) => key !== mule1.accountKey));
    const late = transfer('t-clean', shop, mule1, 3, '', usdt('40000', { amountMinor: '400000000' }));
    const left = new Map([[mule1.accountKey, { atMs: T0 + 4 * 60_000, transferId: 't3' }]]);

    expect(carry(record, withoutMule, [late], { journalFromMs: JOURNAL_FROM, left })).toEqual({
      kind: 'retrace',
      reason: 'late',
    });
    // After the mark, the same account's transfers are none of the case's business.
    const after = transfer('t-after', shop, mule1, 9, '', usdt('40000', { amountMinor: '400000000' }));
    expect(carry(record, withoutMule, [after], { journalFromMs: JOURNAL_FROM, left })).toMatchObject({
      kind: 'carried',
      changed: false,
    });
  });

  it('traces the case from the graph when the late transfer is older than its journal', () => {
    const { record, states } = backfilled();
    const late = transfer('t-late', shop, mule1, 3, '', usdt('1000', { amountMinor: '10000000' }));

    expect(carry(record, states, [late], { journalFromMs: JOURNAL_FROM })).toEqual({
      kind: 'retrace',
      reason: 'late',
    });
  });

  const runArrivals = (batches: readonly ProceedsTransfer[][], bounds: CarryPolicy = policy) => {
    const { record, states } = backfilled();
    const byKey = new Map([victimA, ...accounts].map((a) => [a.accountKey, a]));
    return carryArrivals({
      record,
      states,
      history: flow,
      journalFromMs: JOURNAL_FROM,
      batches,
      policy: bounds,
      accountOf: (key) => byKey.get(key)!,
    });
  };

  it('gives the record of event order whatever order the transfers arrive in (random graphs, random delays)', () => {
    const keys = [mule1, foreign, out, next, m3, m4, shop];
    let rewound = 0;
    fc.assert(
      fc.property(
        arrivalRows(keys.length, { maxAmount: 400_000, maxBalance: 500_000, maxLength: 25 }),
        fc.constantFrom(0, 0.001, 0.05),
        fc.constantFrom(4, 64),
        (rows, followMinShare, maxLots) => {
          const bounds = { ...policy, followMinShare, limits: { maxLots } };
          const live = rows.map((row, index) =>
            transfer(
              `x${String(index).padStart(2, '0')}`,
              keys[row.from]!,
              keys[row.to]!,
              5 + index,
              '',
              usdt(String(row.amount), {
                amountMinor: String(row.amount * 10_000),
                ...(row.balance !== null ? { debtorBalanceAfterMinor: String(row.balance * 10_000) } : {}),
              }),
            ),
          );
          const batches = arrivalBatches(live, rows);
          const late = runArrivals(batches, bounds);
          rewound += late.rewinds;
          expect(recordAsSeen(late.record)).toEqual(recordAsSeen(runArrivals([live], bounds).record));
        },
      ),
      { numRuns: 300 },
    );
    // The property is about late arrivals: make sure the runs had them.
    expect(rewound).toBeGreaterThan(50);
  });
});

describe(`${carryCaseTaint.name} conservation`, () => {
  const keys = [mule1, foreign, out, next, m3, m4];

  it('keeps every unit of the case: seeded = held by holders + dissipated + pruned by the bounds, per rule', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            from: fc.nat({ max: keys.length - 1 }),
            to: fc.nat({ max: keys.length - 1 }),
            cents: fc.integer({ min: 1, max: 400_000 }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        fc.constantFrom(0, 0.001, 0.05, 0.3),
        fc.subarray(keys.map((k) => k.accountKey)),
        (rows, followMinShare, full) => {
          const { record, states } = backfilled();
          const live = rows.map((row, index) =>
            transfer(
              `x${index}`,
              keys[row.from]!,
              keys[row.to]!,
              31 + index,
              '',
              usdt(String(row.cents), {
                amountMinor: String(row.cents * 10_000),
              }),
            ),
          );
          const outcome = carryWithEmptyOpenings(record, states, live, {
            fullAccounts: new Set(full),
            policy: { ...policy, followMinShare, limits: { maxLots: 4 } },
          });
          if (outcome.kind !== 'carried') throw new Error(`expected carried, got ${outcome.kind}`);
          const seeded = BigInt(outcome.record.seeded);
          for (const rule of SPLITTING_RULES) {
            const held = outcome.record.holders.reduce((sum, h) => sum + BigInt(h.held[rule]), 0n);
            const dissipated =
              rule === 'fifo-libr' || rule === 'haircut-libr' ? BigInt(outcome.record.dissipated[rule]) : 0n;
            expect({ rule, total: held + dissipated + BigInt(outcome.record.pruned[rule]) }).toEqual({
              rule,
              total: seeded,
            });
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe(`${carryCaseTaint.name} against the batch trace`, () => {
  const byKey = new Map([victimA, ...accounts].map((a) => [a.accountKey, a]));
  // All THB, one asset: the case traces in THB (satang). Victim A pays mule-1 120,000.00 at minute 0.
  const pay = transfer('p1', victimA, mule1, 0, '12000000');
  /** What an analyst reads off the record (the carried count differs by design). */
  const seen = (record: CaseRecord) => {
    const { carried: _, ...rest } = recordAsSeen(record);
    return rest;
  };

  it('gives the record of a trace of the whole graph whatever order the transfers after the backfill arrive in', () => {
    // Random single-asset graphs with reported balances (LIBR), self-transfers excluded, money leaving accounts
    // and coming back, random arrival delays and batch sizes; no follow share, so the batch trace follows
    // everything too.
    const keys = [mule1, m3, m4, shop, foreign];
    let late = 0;
    fc.assert(
      fc.property(
        arrivalRows(keys.length, { maxAmount: 9_000_000, maxBalance: 20_000_000, maxLength: 20 }),
        (rows) => {
          const live = rows.map((row, index) => {
            const from = keys[row.from]!;
            const to = keys.filter((k) => k !== from)[row.to]!;
            return transfer(`x${String(index).padStart(2, '0')}`, from, to, 5 + index, String(row.amount), {
              ...(row.balance !== null ? { debtorBalanceAfterMinor: String(row.balance) } : {}),
            });
          });
          const batches = arrivalBatches(live, rows);
          const { record, states } = backfilled([pay], ['p1']);
          const carried = carryArrivals({
            record,
            states,
            history: [pay],
            journalFromMs: T0 + 1,
            batches,
            policy: { ...policy, followMinShare: 0 },
            accountOf: (key) => byKey.get(key)!,
          });
          late += carried.rewinds;
          expect(seen(carried.record)).toEqual(seen(backfilled([pay, ...live], ['p1']).record));
        },
      ),
      {
        numRuns: 300,
        // Found by this property: an account that left the case (after a LIBR cut there) gets its money back
        // (its flag), and the same with a late transfer rewinding the case across that return (its mark).
        examples: [
          [
            [
              { from: 0, to: 0, amount: 1, balance: null, delay: null, batch: 1 },
              { from: 0, to: 0, amount: 1, balance: null, delay: null, batch: 1 },
              { from: 1, to: 0, amount: 1, balance: 0, delay: null, batch: 1 },
              { from: 1, to: 2, amount: 1, balance: null, delay: null, batch: 1 },
              { from: 3, to: 1, amount: 1, balance: null, delay: null, batch: 1 },
            ],
          ],
          [
            [
              { from: 0, to: 3, amount: 2, balance: null, delay: null, batch: 1 },
              { from: 4, to: 0, amount: 1, balance: 0, delay: null, batch: 1 },
              { from: 4, to: 0, amount: 1, balance: null, delay: null, batch: 1 },
              { from: 0, to: 0, amount: 1, balance: null, delay: 2, batch: 1 },
              { from: 0, to: 3, amount: 1, balance: null, delay: null, batch: 1 },
              { from: 0, to: 0, amount: 1, balance: null, delay: null, batch: 1 },
            ],
          ],
        ],
      },
    );
    // The property is about transfers arriving late too: make sure the runs had them.
    expect(late).toBeGreaterThan(30);
  });
});
