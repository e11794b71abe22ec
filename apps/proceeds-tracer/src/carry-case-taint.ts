import {
  SPLITTING_RULES,
  applyCaseTransfer,
  heldOf,
  isAtOrBefore,
  positionOf,
  type CaseAccountState,
  type CommittedProceedsTransfer,
  type IncrementalLimits,
  type PoolOpening,
  type ProceedsAccount,
  type TraceEdge,
} from '@scamflow/tracing';
import { holderText, hopText, perRuleOf, perRuleText, type CaseRecord } from './case-record.schema';
import type { PerRule } from './case-findings';
import { toEdge } from './trace-input';

export interface CarryPolicy {
  readonly limits: IncrementalLimits;
  /** An account holding less than this share of the case (every rule) leaves the case's state. */
  readonly followMinShare: number;
  /** Hops kept in the case record; past it the smallest are dropped (and counted). */
  readonly maxStoredHops: number;
  /** An account with more transfers than this in its look-back is a terminal hub (as in the batch trace). */
  readonly edgeCap: number;
}

/** Said in the alert (untraceable list) for an account whose oldest FIFO lots were merged by the cap. */
export const MERGED_NOTE = 'older FIFO segments merged here (state bound): order inside them approximated';

/** Where a case's money first reaches an account not in its state yet: its pool is read as of then. */
export interface OpeningNeed {
  readonly accountKey: string;
  readonly atMs: number;
  readonly transferId: string;
}

/**
 * Pools read from the graph: account → the transfer by which the case's money reached it (again) → its pool
 * just before that transfer. An account can leave the case (below the follow share) and enter it again later.
 */
export type AccountOpenings = ReadonlyMap<string, ReadonlyMap<string, PoolOpening | 'hub'>>;

/** Event order (then transfer id), the order every rule applies transfers in. */
export const byTimeThenId = (a: CommittedProceedsTransfer, b: CommittedProceedsTransfer): number =>
  Date.parse(a.transfer.bookedAt) - Date.parse(b.transfer.bookedAt) ||
  (a.transfer.transferId < b.transfer.transferId
    ? -1
    : a.transfer.transferId > b.transfer.transferId
      ? 1
      : 0);

export type CarryOutcome =
  /** The case cannot be carried forward exactly: trace it again from the graph. */
  | { readonly kind: 'retrace'; readonly reason: 'late' | 'unit' }
  /** Accounts entering the case whose opening pool is still unknown: read them and carry again. */
  | { readonly kind: 'needs-openings'; readonly needs: readonly OpeningNeed[] }
  | {
      readonly kind: 'carried';
      /** New state per account (null: the account left the case). */
      readonly states: ReadonlyMap<string, CaseAccountState | null>;
      readonly record: CaseRecord;
      /** Transfers applied (or seen and irrelevant) now: never applied again. */
      readonly applied: readonly string[];
      readonly changed: boolean;
    };

const anyAbove = (amounts: PerRule): boolean => SPLITTING_RULES.some((rule) => amounts[rule] > 0n);
const most = (amounts: PerRule): bigint =>
  SPLITTING_RULES.reduce((max, rule) => (amounts[rule] > max ? amounts[rule] : max), 0n);

/** The transfer as a trace edge in the case's unit, or why it cannot be one. */
const edgeOf = (
  t: CommittedProceedsTransfer,
  unit: CaseRecord['unit'],
): { edge: TraceEdge } | { untraceable: string } | { otherUnit: true } => {
  if (unit.basis === 'asset' && (t.transfer.currency !== unit.currency || t.transfer.scale !== unit.scale)) {
    return { otherUnit: true };
  }
  // One conversion rule for the backfill and the live path.
  const result = toEdge(t.transfer, unit);
  return 'edge' in result ? result : { untraceable: result.untraceable.reason };
};

/**
 * Carries one case forward over a batch of committed transfers (time order), from the states of the accounts
 * involved: each transfer touching an account in the case costs its two accounts' state, nothing more. Pure:
 * the caller reads the states, the applied ids and the openings, and writes the outcome in one commit.
 *
 * Transfers are committed in no particular event order (graph-writer commits partitions side by side). When
 * the case's money first reaches an account, that account's later transfers may already have been committed
 * (and passed by, the account holding nothing of the case then): the caller reads them with its opening
 * (`caughtUp`) and they are applied here in event order, so the money moves on as the batch trace would move it.
 */
export const carryCaseTaint = (input: {
  readonly record: CaseRecord;
  readonly states: ReadonlyMap<string, CaseAccountState>;
  readonly transfers: readonly CommittedProceedsTransfer[];
  readonly applied: ReadonlySet<string>;
  readonly openings: AccountOpenings;
  /** Transfers the graph already held of accounts entering the case, after their entry (read with openings). */
  readonly caughtUp?: readonly CommittedProceedsTransfer[];
  /** Accounts holding the most cases the state allows: this case is not followed into them. */
  readonly fullAccounts: ReadonlySet<string>;
  readonly policy: CarryPolicy;
}): CarryOutcome => {
  const { record, policy } = input;
  const caseId = record.caseId;
  const seeded = BigInt(record.seeded);
  const minPpm = BigInt(Math.round(policy.followMinShare * 1_000_000));
  const material = (held: PerRule) => anyAbove(held) && most(held) * 1_000_000n >= minPpm * seeded;
  const hubs = new Set(record.terminalHubs.map(([key]) => key));
  const terminalHubs = [...record.terminalHubs];
  for (const [key, byEntry] of input.openings) {
    if ([...byEntry.values()].includes('hub') && !hubs.has(key)) {
      hubs.add(key);
      terminalHubs.push([key, policy.edgeCap + 1]);
    }
  }
  const states = new Map(input.states);
  const changedStates = new Map<string, CaseAccountState | null>();
  const accounts = new Map<string, ProceedsAccount>(record.accounts.map((a) => [a.accountKey, a]));
  const hops = [...record.hops];
  const holders = new Map(record.holders.map((h) => [h.accountKey, h]));
  const untraceable = [...record.untraceable];
  const pruned = perRuleOf(record.pruned);
  const dissipated = {
    'fifo-libr': BigInt(record.dissipated['fifo-libr']),
    'haircut-libr': BigInt(record.dissipated['haircut-libr']),
  };
  const applied: string[] = [];
  const needs: OpeningNeed[] = [];
  let changed = false;
  let carried = 0;

  // An account the money reaches for the first time whose later transfers the case already applied (as clean
  // flows of their other account, or in a backfill while it held nothing of the case): they were applied
  // without this money, and the order cannot be repaired from state. Trace the case from the graph.
  if ((input.caughtUp ?? []).some((t) => input.applied.has(t.transfer.transferId))) {
    return { kind: 'retrace', reason: 'late' };
  }
  const all = new Map(input.transfers.map((t) => [t.transfer.transferId, t]));
  for (const t of input.caughtUp ?? [])
    if (!all.has(t.transfer.transferId)) all.set(t.transfer.transferId, t);
  for (const t of [...all.values()].sort(byTimeThenId)) {
    const { transferId } = t.transfer;
    if (input.applied.has(transferId) || t.ledgerTwin) continue;
    const sender = states.get(t.transfer.fromKey);
    const receiver = states.get(t.transfer.toKey);
    if (!sender && !receiver) continue;
    const converted = edgeOf(t, record.unit);
    if ('otherUnit' in converted) return { kind: 'retrace', reason: 'unit' };
    if ('untraceable' in converted) {
      untraceable.push({ transferId, reason: converted.untraceable });
      applied.push(transferId);
      changed = true;
      continue;
    }
    const { edge } = converted;
    if (edge.atMs > record.untilMs) continue;
    if (isAtOrBefore(edge, sender) || isAtOrBefore(edge, receiver))
      return { kind: 'retrace', reason: 'late' };
    applied.push(transferId);
    // A hub keeps what reaches it: tracing stops there, and its own traffic is not the case's.
    if (hubs.has(edge.fromKey)) continue;
    if (hubs.has(edge.toKey) && !sender) continue;
    const entering = !receiver && edge.fromKey !== edge.toKey;
    // The opening is as of this entry: another entering transfer (an earlier one caught up) needs its own.
    const pool = input.openings.get(edge.toKey)?.get(transferId);
    const known = pool === 'hub' ? { flowBalance: 0n, balance: 0n } : pool;
    const outcome = applyCaseTransfer({
      caseId,
      edge,
      seeded: 0n,
      sender,
      receiver,
      opening: () => known ?? { flowBalance: 0n, balance: 0n },
      limits: policy.limits,
    });
    if (!outcome.involved) continue;
    changed = true;
    carried += 1;
    dissipated['fifo-libr'] += outcome.dissipated['fifo-libr'];
    dissipated['haircut-libr'] += outcome.dissipated['haircut-libr'];
    for (const [key, state] of outcome.states) {
      const held = heldOf(state, caseId);
      const refused = key === edge.toKey && entering && input.fullAccounts.has(key);
      if (refused) {
        untraceable.push({
          transferId,
          reason: `${key} holds state of the most cases allowed: not followed there (state bound)`,
        });
      }
      if (refused || !material(held)) {
        // Below the follow share: the account leaves the case's state (as the batch trace stops following it).
        for (const rule of SPLITTING_RULES) pruned[rule] += held[rule];
        states.delete(key);
        changedStates.set(key, null);
        holders.delete(key);
        continue;
      }
      if (state.mergedLots > 0 && (input.states.get(key)?.mergedLots ?? 0) === 0) {
        untraceable.push({ transferId: key, reason: MERGED_NOTE });
      }
      if (key === edge.toKey && entering && !known && !hubs.has(key)) {
        needs.push({ accountKey: key, atMs: edge.atMs, transferId: edge.transferId });
      }
      states.set(key, state);
      changedStates.set(key, state);
      const { poisonUpperBound } = positionOf(state);
      holders.set(
        key,
        holderText({ accountKey: key, held, poisonUpperBound, librApplied: state.librApplied }),
      );
    }
    if (anyAbove(outcome.tainted)) {
      hops.push(
        hopText({
          transferId,
          fromKey: edge.fromKey,
          toKey: edge.toKey,
          atMs: edge.atMs,
          amount: edge.amount,
          tainted: outcome.tainted,
        }),
      );
      if (!accounts.has(t.debtor.accountKey)) accounts.set(t.debtor.accountKey, t.debtor);
      if (!accounts.has(t.creditor.accountKey)) accounts.set(t.creditor.accountKey, t.creditor);
    }
  }
  if (needs.length > 0) return { kind: 'needs-openings', needs };

  let hopsOmitted = record.hopsOmitted;
  if (hops.length > policy.maxStoredHops) {
    // Keep the hops that carried most (they make the path and the amounts); the count says what was left out.
    const keep = new Set(
      [...hops]
        .sort((a, b) => {
          const diff = most(perRuleOf(b.tainted)) - most(perRuleOf(a.tainted));
          return diff > 0n ? 1 : diff < 0n ? -1 : 0;
        })
        .slice(0, policy.maxStoredHops),
    );
    hopsOmitted += hops.length - keep.size;
    hops.splice(0, hops.length, ...hops.filter((h) => keep.has(h)));
  }
  const holderList = [...holders.values()].sort((a, b) => {
    const diff = BigInt(b.held.fifo) - BigInt(a.held.fifo);
    return diff > 0n ? 1 : diff < 0n ? -1 : a.accountKey < b.accountKey ? -1 : 1;
  });
  const used = new Set<string>(holderList.map((h) => h.accountKey));
  for (const hop of hops) used.add(hop.fromKey).add(hop.toKey);
  return {
    kind: 'carried',
    states: changedStates,
    applied,
    changed,
    record: {
      ...record,
      accounts: [...accounts.values()].filter((a) => used.has(a.accountKey)),
      hops,
      holders: holderList,
      untraceable,
      terminalHubs,
      hopsOmitted,
      carried: record.carried + carried,
      dissipated: {
        'fifo-libr': dissipated['fifo-libr'].toString(),
        'haircut-libr': dissipated['haircut-libr'].toString(),
      },
      pruned: perRuleText(pruned),
    },
  };
};
