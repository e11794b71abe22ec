/**
 * Differential spec on the simulator's standard scenario (issue 10): for every victim case, the incremental
 * tracer (the case opened when its report arrives: backfill up to then, every later transfer applied alone)
 * holds, per account and rule, exactly what `traceProceeds` computes over every transfer of the run; and the
 * tracer's carry gives the same record whatever order the transfers arrive in (late ones rewind the case).
 * The scenario is generated here (seeded, no servers); its background volume is cut so the spec stays quick,
 * every scam operation and report of the scenario is kept. The simulator is read as a data source only.
 */
import { TOPICS, bankTransferIdOf, type VictimReportFiled } from '@scamflow/contracts';
import {
  PoolBook,
  SPLITTING_RULES,
  applyCaseTransfer,
  heldOf,
  positionOf,
  traceCaseState,
  traceProceeds,
  zeroRuleAmounts,
  type CaseAccountState,
  type TraceEdge,
} from '@scamflow/tracing';
import type { ProceedsAccount, ProceedsTransfer } from '@scamflow/graph';
import type { TransferTruth } from '../../scam-simulator/src/ground-truth';
import { carryArrivals, recordAsSeen } from './carry-arrivals.testing';
import type { CarryPolicy } from './carry-case-taint';
import { analyseCase } from './case-findings';
import { recordOfFindings } from './case-record.schema';
import { subgraphOf } from './proceeds-fixtures.testing';
import { toTraceInput } from './trace-input';
import { SCENARIOS } from '../../scam-simulator/src/scenarios';
import { USD_REFERENCE_RATES } from '../../scam-simulator/src/sim-world';
import { GROUND_TRUTH_STREAM, simulateFlows } from '../../scam-simulator/src/simulate-flows.service';

const BACKGROUND_TRANSFERS = 1_000;

/** USD cents per minor unit of each currency, as an exact fraction of bigints. */
const usdRate = new Map(
  USD_REFERENCE_RATES.map(([currency, rate]) => {
    const [whole = '0', fraction = ''] = rate.split('.');
    return [currency, { num: BigInt(whole + fraction), den: 10n ** BigInt(fraction.length) }] as const;
  }),
);
const toUsdCents = (t: TransferTruth): bigint => {
  const rate = usdRate.get(t.currency);
  if (!rate) throw new Error(`no reference rate for ${t.currency}`);
  return (BigInt(t.amountMinor) * rate.num * 100n) / (rate.den * 10n ** BigInt(t.scale));
};

interface Scenario {
  readonly edges: TraceEdge[];
  readonly cases: { caseId: string; seeds: string[]; reportedAfter: number }[];
}

/** Transfers in event order (time = position) and reports with the transfers they reference. */
const standardScenario = (): Scenario => {
  const edges: TraceEdge[] = [];
  const cases: Scenario['cases'] = [];
  for (const line of simulateFlows({
    scenario: SCENARIOS.standard,
    seed: 1,
    transfers: BACKGROUND_TRANSFERS,
  })) {
    if (line.stream === TOPICS.victimReportFiled) {
      const report = JSON.parse(line.line) as VictimReportFiled;
      const seeds = report.reportedTransfers.flatMap((p) =>
        p.reference ? [bankTransferIdOf(p.reference.reportedBy, p.reference.transferId)] : [],
      );
      cases.push({ caseId: report.caseId, seeds, reportedAfter: edges.length });
      continue;
    }
    if (line.stream !== GROUND_TRUTH_STREAM) continue;
    // A transfer's truth record follows its feed event: graph keys and the amount in its own currency.
    const truth = JSON.parse(line.line) as TransferTruth | { record: 'account' };
    if (truth.record !== 'transfer') continue;
    const amount = toUsdCents(truth);
    if (amount <= 0n) continue;
    edges.push({
      transferId: truth.transferKey,
      fromKey: truth.fromKey,
      toKey: truth.toKey,
      atMs: edges.length,
      amount,
    });
  }
  return { edges, cases };
};

type Holdings = Record<string, Record<string, bigint>>;

/** Per holder: the case's amount per rule and the poison bound, as the batch trace computes them. */
const batchHoldings = (edges: readonly TraceEdge[], caseId: string, seeds: readonly string[]): Holdings =>
  Object.fromEntries(
    traceProceeds({
      edges,
      seeds: seeds.map((transferId) => ({ sourceId: caseId, transferId })),
    }).holders.map((h) => [
      h.accountKey,
      {
        ...Object.fromEntries(SPLITTING_RULES.map((rule) => [rule, h.held[rule].get(caseId) ?? 0n])),
        poison: h.poisonUpperBound,
      },
    ]),
  );

/** The same, from the incremental state of a case opened after `reportedAfter` transfers. */
const incrementalHoldings = (
  edges: readonly TraceEdge[],
  caseId: string,
  seeds: readonly string[],
  reportedAfter: number,
): { holdings: Holdings; applied: number } => {
  const seeded = new Set(seeds);
  const book = new PoolBook();
  const before = edges.slice(0, reportedAfter);
  for (const e of before) book.apply(e, seeded.has(e.transferId) ? e.amount : 0n);
  const states: Map<string, CaseAccountState> = traceCaseState({
    caseId,
    edges: before,
    seeds: seeds
      .filter((id) => before.some((e) => e.transferId === id))
      .map((transferId) => ({ transferId })),
  }).states;
  let applied = 0;
  for (const e of edges.slice(reportedAfter)) {
    const seededHere = seeded.has(e.transferId) ? e.amount : 0n;
    const outcome = applyCaseTransfer({
      caseId,
      edge: e,
      seeded: seededHere,
      sender: states.get(e.fromKey),
      receiver: states.get(e.toKey),
      opening: (key) => book.opening(key),
    });
    book.apply(e, seededHere);
    if (!outcome.involved) continue;
    applied += 1;
    for (const [key, state] of outcome.states) states.set(key, state);
  }
  const holdings: Holdings = {};
  for (const [key, state] of states) {
    const held = heldOf(state, caseId);
    const { poisonUpperBound } = positionOf(state);
    if (poisonUpperBound === 0n && SPLITTING_RULES.every((rule) => held[rule] === 0n)) continue;
    holdings[key] = { ...held, poison: poisonUpperBound };
  }
  return { holdings, applied };
};

/**
 * The run as one case sees it: every transfer from the case's first payment on, preceded by one opening
 * transfer per account holding money then. Before its first payment no account holds any of the case's money,
 * so each pool is one clean lot and this is exactly the whole run for the case (there are no reported
 * balances, checked below): it only keeps the spec quick.
 */
const fromFirstPayment = (edges: readonly TraceEdge[], seeds: readonly string[]) => {
  const seeded = new Set(seeds);
  const first = edges.findIndex((e) => seeded.has(e.transferId));
  const book = new PoolBook();
  const keys = new Set<string>();
  for (const e of edges.slice(0, first)) {
    book.apply(e);
    keys.add(e.toKey);
  }
  const openings: TraceEdge[] = [...keys].flatMap((key, index) => {
    const { flowBalance } = book.opening(key);
    return flowBalance > 0n
      ? [
          {
            transferId: `opening-${key}`,
            fromKey: `outside-${index}`,
            toKey: key,
            atMs: -1,
            amount: flowBalance,
          },
        ]
      : [];
  });
  return { window: [...openings, ...edges.slice(first)], offset: first - openings.length };
};

describe('incremental tracing on the standard scenario', () => {
  const { edges, cases } = standardScenario();

  it('holds, for every case and account, what the batch trace of the whole run holds, to the minor unit', () => {
    expect(edges.some((e) => e.debtorBalanceAfter !== undefined)).toBe(false);
    const traced = cases.filter((c) => c.seeds.length > 0);
    expect(traced.length).toBeGreaterThan(100);
    let carried = 0;
    for (const { caseId, seeds, reportedAfter } of traced) {
      const { window, offset } = fromFirstPayment(edges, seeds);
      const incremental = incrementalHoldings(window, caseId, seeds, Math.max(0, reportedAfter - offset));
      carried += incremental.applied;
      expect({ caseId, holdings: incremental.holdings }).toEqual({
        caseId,
        holdings: batchHoldings(window, caseId, seeds),
      });
    }
    // Reports come minutes to days after the payments: most of each case's movements were carried live.
    expect(carried).toBeGreaterThan(traced.length);
  });

  it('takes the shortcut above only where it is exact: same holdings as over the whole run', () => {
    for (const { caseId, seeds } of cases.filter((c) => c.seeds.length > 0).slice(0, 5)) {
      expect(batchHoldings(fromFirstPayment(edges, seeds).window, caseId, seeds)).toEqual(
        batchHoldings(edges, caseId, seeds),
      );
    }
  });

  it('carries every case to the same record whatever order its transfers arrive in (journal rewinds)', () => {
    // Each case is traced up to its first payment, then every later transfer arrives up to 12 places late in
    // batches of 1-5 (a seeded shuffle), as partitions committed side by side deliver them. The record must be
    // the one carrying them in event order gives: holders per rule, hop ledger, dissipated, pruned, notes.
    const T0 = Date.parse('2026-11-01T00:00:00Z');
    const proceedsTransfer = (e: TraceEdge): ProceedsTransfer => ({
      transferId: e.transferId,
      fromKey: e.fromKey,
      toKey: e.toKey,
      rail: 'bank',
      bookedAt: new Date(T0 + e.atMs * 60_000).toISOString(),
      amountMinor: e.amount.toString(),
      currency: 'USD',
      scale: 2,
    });
    const accountOf = (accountKey: string): ProceedsAccount => ({
      accountKey,
      accountId: accountKey,
      institutionId: accountKey.split(':')[0] ?? 'X',
      country: 'TH',
      kind: 'bank-account',
    });
    const policy: CarryPolicy = {
      limits: { maxLots: 64 },
      followMinShare: 0.001,
      maxStoredHops: 2000,
      maxRewindEntries: 10_000,
      edgeCap: 200,
    };
    let random = 20261207;
    const next = (n: number) => {
      random = (random * 1103515245 + 12345) % 2147483648;
      return random % n;
    };
    let rewinds = 0;
    // Every third case keeps the spec quick (each is carried twice, batch by batch); all kinds of operation are in.
    const traced = cases.filter((c) => c.seeds.length > 0).filter((_, index) => index % 3 === 0);
    for (const { caseId, seeds } of traced) {
      const { window } = fromFirstPayment(edges, seeds);
      const transfers = window.map(proceedsTransfer);
      const first = window.findIndex((e) => seeds.includes(e.transferId));
      const history = transfers.slice(0, first + 1);
      const live = transfers.slice(first + 1);
      const subgraph = subgraphOf({
        caseId,
        victims: [accountOf(window[first]!.fromKey)],
        accounts: [...new Set(window.flatMap((e) => [e.fromKey, e.toKey]))].map(accountOf),
        transfers: history,
        seeds: seeds.filter((id) => history.some((t) => t.transferId === id)),
      });
      const input = toTraceInput(subgraph, { currency: 'USD', scale: 2 });
      const findings = analyseCase(subgraph, input, traceProceeds(input));
      const { states, totals } = traceCaseState({ caseId, edges: input.edges, seeds: input.seeds });
      const record = recordOfFindings(findings, {
        startMs: T0,
        untilMs: T0 + 365 * 24 * 60 * 60_000,
        dissipated: totals.dissipated,
        pruned: zeroRuleAmounts(),
      });
      const start = {
        record,
        states,
        history,
        journalFromMs: Date.parse(history[history.length - 1]!.bookedAt) + 1,
        policy,
        accountOf,
      };
      const arrival = live
        .map((t, index) => ({ t, at: index + next(13) + index / 1e6 }))
        .sort((a, b) => a.at - b.at)
        .map((a) => a.t);
      const batches: ProceedsTransfer[][] = [];
      for (let i = 0; i < arrival.length;) {
        const size = 1 + next(5);
        batches.push(arrival.slice(i, i + size));
        i += size;
      }
      const late = carryArrivals({ ...start, batches });
      rewinds += late.rewinds;
      expect({ caseId, record: recordAsSeen(late.record) }).toEqual({
        caseId,
        record: recordAsSeen(carryArrivals({ ...start, batches: [live] }).record),
      });
    }
    expect(rewinds).toBeGreaterThan(traced.length);
  });
});
