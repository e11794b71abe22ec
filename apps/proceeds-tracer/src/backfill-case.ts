import type { ProceedsAccount, ProceedsSubgraph, ProceedsTransfer } from '@scamflow/graph';
import {
  PoolBook,
  SPLITTING_RULES,
  heldOf,
  traceCaseState,
  traceProceeds,
  zeroRuleAmounts,
  type CaseAccountState,
  type CommittedProceedsTransfer,
  type PoolOpening,
} from '@scamflow/tracing';
import { carryCaseTaint, type CarryPolicy, type JournalEntry, type OrderKey } from './carry-case-taint';
import { analyseCase, type CaseFindings } from './case-findings';
import { perRuleOf, perRuleText, recordOfFindings, type CaseRecord } from './case-record.schema';
import { removeLedgerTwins, toEdge, type TraceInput } from './trace-input';

/** A case traced from the graph, ready to store: its record, the states and marks it leaves, its journal. */
export interface BackfilledCase {
  readonly record: CaseRecord;
  /** Accounts holding the case's money (at least the follow share). */
  readonly states: ReadonlyMap<string, CaseAccountState>;
  /** Accounts that left the case within the journal, with the transfer they left at. */
  readonly left: ReadonlyMap<string, OrderKey>;
  /** One entry per transfer applied from `journalFromMs` on. */
  readonly journal: readonly JournalEntry[];
  /** Transfers the case applied (those it skipped, touching no account of it, are not). */
  readonly applied: readonly string[];
}

const isBefore = (t: ProceedsTransfer, at: OrderKey): boolean => {
  const atMs = Date.parse(t.bookedAt);
  return atMs < at.atMs || (atMs === at.atMs && t.transferId < at.transferId);
};

/**
 * The backfill of a case traced from the graph, in two parts so that a transfer arriving late after it can
 * rewind the case instead of tracing it again: the subgraph's transfers booked before `journalFromMs` run
 * through the batch trace (`traceCaseState`; accounts below the follow share leave the state, as the trace stops
 * following them), and those from `journalFromMs` on are carried one by one (`carryCaseTaint`, the live path's
 * own step, with the subgraph as its graph), which journals each. Carrying and the batch trace give the same
 * amounts to the minor unit (differential specs), so the split only decides what the journal covers.
 */
export const backfillCase = (input: {
  readonly subgraph: ProceedsSubgraph;
  readonly trace: TraceInput;
  /** The trace of the whole subgraph: the case's seeds, seeded total and alert facts. */
  readonly findings: CaseFindings;
  readonly journalFromMs: number;
  readonly startMs: number;
  readonly untilMs: number;
  readonly policy: CarryPolicy;
}): BackfilledCase => {
  const { subgraph, trace, findings, journalFromMs, policy } = input;
  const caseId = subgraph.case.caseId;
  const atMsOf = (t: ProceedsTransfer) => Date.parse(t.bookedAt);
  const early = new Set(subgraph.transfers.filter((t) => atMsOf(t) < journalFromMs).map((t) => t.transferId));

  // Before the journal: the batch trace.
  const edges = trace.edges.filter((e) => early.has(e.transferId));
  const seeds = trace.seeds.filter((s) => early.has(s.transferId));
  const backfill = traceCaseState({ caseId, edges, seeds, limits: policy.limits });
  const earlyFindings = analyseCase(
    subgraph,
    {
      ...trace,
      edges,
      seeds,
      untraceable: trace.untraceable.filter(
        (u) => early.has(u.transferId) || !trace.transfers.has(u.transferId),
      ),
      transfers: new Map([...trace.transfers].filter(([id]) => early.has(id))),
    },
    traceProceeds({ edges, seeds }),
  );
  const minPpm = BigInt(Math.round(policy.followMinShare * 1_000_000));
  const material = (held: Record<(typeof SPLITTING_RULES)[number], bigint>) => {
    const most = SPLITTING_RULES.reduce((m, rule) => (held[rule] > m ? held[rule] : m), 0n);
    return most > 0n && most * 1_000_000n >= minPpm * findings.seeded;
  };
  const pruned = zeroRuleAmounts();
  const states = new Map<string, CaseAccountState>();
  for (const [accountKey, state] of backfill.states) {
    const held = heldOf(state, caseId);
    if (material(held)) states.set(accountKey, state);
    else for (const rule of SPLITTING_RULES) pruned[rule] += held[rule];
  }
  const record: CaseRecord = {
    ...recordOfFindings(earlyFindings, {
      startMs: input.startMs,
      untilMs: input.untilMs,
      dissipated: backfill.totals.dissipated,
      pruned,
    }),
    // Every seed of the case: those after the journal's start are carried below.
    seeded: findings.seeded.toString(),
    seedTransferIds: [...findings.seedTransferIds],
  };
  const rest = subgraph.transfers.filter((t) => !early.has(t.transferId));
  if (rest.length === 0) {
    return { record, states, left: new Map(), journal: [], applied: [...early] };
  }

  // From the journal's start: carried, the subgraph standing in for the graph.
  const { dropped } = removeLedgerTwins(subgraph.transfers);
  const twins = new Set(dropped.map((t) => t.transferId));
  const accountOf = (accountKey: string): ProceedsAccount =>
    subgraph.accounts.get(accountKey) ?? {
      accountKey,
      accountId: accountKey,
      institutionId: 'unknown',
      country: 'ZZ',
      kind: 'bank-account',
    };
  const committed = (t: ProceedsTransfer): CommittedProceedsTransfer => ({
    transfer: t,
    debtor: accountOf(t.fromKey),
    creditor: accountOf(t.toKey),
    ledgerTwin: twins.has(t.transferId),
  });
  const openings = new Map<string, Map<string, PoolOpening | 'hub'>>();
  for (;;) {
    const outcome = carryCaseTaint({
      record,
      states,
      transfers: rest.map(committed),
      applied: early,
      openings,
      fullAccounts: new Set(),
      policy,
      journalFromMs,
      keepAll: true,
    });
    if (outcome.kind === 'needs-openings') {
      // An account the money reaches: its pool just before, from its flows the subgraph holds.
      for (const need of outcome.needs) {
        const book = new PoolBook();
        const flows = subgraph.transfers
          .filter((t) => !twins.has(t.transferId))
          .filter((t) => t.fromKey === need.accountKey || t.toKey === need.accountKey)
          .filter((t) => isBefore(t, need))
          .sort((a, b) => atMsOf(a) - atMsOf(b) || (a.transferId < b.transferId ? -1 : 1));
        for (const t of flows) {
          const edge = toEdge(t, record.unit);
          if ('edge' in edge) book.apply(edge.edge);
        }
        const byEntry = openings.get(need.accountKey) ?? new Map<string, PoolOpening | 'hub'>();
        openings.set(need.accountKey, byEntry.set(need.transferId, book.opening(need.accountKey)));
      }
      continue;
    }
    if (outcome.kind !== 'carried') {
      // Every transfer is in event order and in the case's unit here: neither can happen.
      throw new Error(`case ${caseId}: backfill could not carry its own subgraph (${outcome.kind})`);
    }
    // Accounts below the follow share leave the state now, as in the part before; one the journal covers keeps a
    // mark, so that a transfer arriving late there is still seen as late.
    const finalStates = new Map(states);
    for (const [key, state] of outcome.states) {
      if (state) finalStates.set(key, state);
      else finalStates.delete(key);
    }
    const carriedPruned = perRuleOf(outcome.record.pruned);
    const left = new Map<string, OrderKey>();
    for (const [key, state] of [...finalStates]) {
      if (material(heldOf(state, caseId))) continue;
      for (const rule of SPLITTING_RULES) carriedPruned[rule] += heldOf(state, caseId)[rule];
      finalStates.delete(key);
      if (state.lastAtMs >= journalFromMs) {
        left.set(key, { atMs: state.lastAtMs, transferId: state.lastTransferId });
      }
    }
    return {
      record: {
        ...outcome.record,
        // `carried` counts transfers carried since the trace: the trace's own part is not.
        carried: record.carried,
        // As the batch trace lists them: every account holding some of the case's money (residues included).
        holders: outcome.record.holders.filter((h) => SPLITTING_RULES.some((rule) => h.held[rule] !== '0')),
        pruned: perRuleText(carriedPruned),
      },
      states: finalStates,
      left,
      journal: outcome.journal.map((e) => ({ ...e, effect: { ...e.effect, carried: false } })),
      applied: [...early, ...outcome.applied],
    };
  }
};
