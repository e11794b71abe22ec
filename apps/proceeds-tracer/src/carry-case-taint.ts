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
  /**
   * A rewind applies again at most this many journal entries; a transfer later than that traces the case from
   * the graph instead (a feed far out of order would otherwise replay much of a case on every transfer).
   */
  readonly maxRewindEntries: number;
  /** An account with more transfers than this in its look-back is a terminal hub (as in the batch trace). */
  readonly edgeCap: number;
}

/** Said in the alert (untraceable list) for an account whose oldest FIFO lots were merged by the cap. */
export const MERGED_NOTE = 'older FIFO segments merged here (state bound): order inside them approximated';

/** A transfer's place in event order: event time, then transfer id. */
export interface OrderKey {
  readonly atMs: number;
  readonly transferId: string;
  /** On the mark of an account that left a case: a reported balance had cut the case's money there (LIBR). */
  readonly librApplied?: boolean;
}

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

/** What applying one transfer did to the case's record, so that a rewind can take it back exactly. */
export interface JournalEffect {
  /** A hop was recorded for it (it carried some of the case's money). */
  readonly hop: boolean;
  readonly carried: boolean;
  readonly dissipated: Record<'fifo-libr' | 'haircut-libr', bigint>;
  /** What accounts leaving the case's state (a bound) took with them. */
  readonly pruned: PerRule;
  /** Untraceable notes it added. */
  readonly untraceable: readonly { readonly transferId: string; readonly reason: string }[];
}

/**
 * One transfer applied to a case within the allowed lateness: its order key, the states its accounts had just
 * before it (null: not in the case then) and its effect on the record. A transfer arriving late rewinds the
 * case to just before it from these entries and applies it and everything since in event order (issue 10).
 */
export interface JournalEntry {
  readonly transferId: string;
  readonly atMs: number;
  /** Per account: its state before, or null and where it had left the case (a rewind puts that mark back). */
  readonly before: ReadonlyArray<
    readonly [string, CaseAccountState | null] | readonly [string, null, OrderKey]
  >;
  readonly effect: JournalEffect;
}

/**
 * The journal entries from a time on, and every transfer from then on of the accounts they restore (from the
 * graph: the entries' own, and those that passed by while the account held nothing of the case).
 */
export interface Rewind {
  /** Every journal entry at or after `fromMs`. */
  readonly fromMs: number;
  readonly entries: readonly JournalEntry[];
  readonly transfers: readonly CommittedProceedsTransfer[];
}

/** The accounts a rewind restores: every account a journal entry names. */
export const rewoundAccounts = (entries: readonly JournalEntry[]): string[] => [
  ...new Set(entries.flatMap((e) => e.before.map(([key]) => key))),
];

export type CarryOutcome =
  /** The case cannot be carried forward exactly: trace it again from the graph. */
  | { readonly kind: 'retrace'; readonly reason: 'late' | 'unit' }
  /** Accounts entering the case whose opening pool is still unknown: read them and carry again. */
  | { readonly kind: 'needs-openings'; readonly needs: readonly OpeningNeed[] }
  /** A transfer arrived late, within the journal: read the journal from `fromMs` (`Rewind`) and carry again. */
  | { readonly kind: 'needs-journal'; readonly fromMs: number }
  | {
      readonly kind: 'carried';
      /** New state per account (null: the account left the case). */
      readonly states: ReadonlyMap<string, CaseAccountState | null>;
      readonly record: CaseRecord;
      /** Transfers applied (or seen and irrelevant) now: never applied again. */
      readonly applied: readonly string[];
      readonly changed: boolean;
      /** Journal entries of the transfers applied now; the stored ones from `rewoundFromMs` on are replaced. */
      readonly journal: readonly JournalEntry[];
      readonly rewoundFromMs?: number;
      /** Transfers applied again by a rewind (already counted as applied before). */
      readonly reapplied: number;
      /** Transfers a rewind took back that no longer touch the case: no longer applied. */
      readonly unapplied: readonly string[];
      /**
       * Accounts that left the case's state, with the transfer they left at (kept until the case's horizon, so a
       * transfer arriving late at them is still seen as late); null: forget the account's mark.
       */
      readonly left: ReadonlyMap<string, OrderKey | null>;
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

/** The state a holder line shows. */
const holderOf = (caseId: string, key: string, state: CaseAccountState) =>
  holderText({
    accountKey: key,
    held: heldOf(state, caseId),
    poisonUpperBound: positionOf(state).poisonUpperBound,
    librApplied: state.librApplied,
  });

const zeroPerRule = (): PerRule => ({ fifo: 0n, haircut: 0n, 'fifo-libr': 0n, 'haircut-libr': 0n });

/**
 * Carries one case forward over a batch of committed transfers (time order), from the states of the accounts
 * involved: each transfer touching an account in the case costs its two accounts' state, nothing more. Pure:
 * the caller reads the states, the applied ids and the openings, and writes the outcome in one commit.
 *
 * Transfers are committed in no particular event order (graph-writer commits partitions side by side). When
 * the case's money first reaches an account, that account's later transfers may already have been committed
 * (and passed by, the account holding nothing of the case then): the caller reads them with its opening
 * (`caughtUp`) and they are applied here in event order, so the money moves on as the batch trace would move it.
 *
 * A transfer ordered before what one of its accounts already applied (it arrived late) rewinds the case: the
 * accounts the journal's transfers since then touched go back to their states just before it, those transfers'
 * effects leave the record, and they are applied again with the late one in event order. Only the case's
 * transfers within the journal (the allowed lateness) are read again, never its subgraph; a transfer older than
 * the journal traces the case from the graph (`retrace`, reason `late`).
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
  /** Every transfer the case applied at or after this time is in its journal (undefined: no journal). */
  readonly journalFromMs?: number;
  /** The journal from a time on, once asked for (`needs-journal`). */
  readonly rewind?: Rewind;
  /** Accounts that left the case's state within the journal, with the transfer they left at. */
  readonly left?: ReadonlyMap<string, OrderKey>;
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
  const left = new Map(input.left ?? []);
  const leftChanges = new Map<string, OrderKey | null>();
  /** Late at an account: ordered at or before the last transfer applied to it, or the one it left the case at. */
  const lateAt = (edge: TraceEdge, key: string): boolean => {
    const state = states.get(key);
    if (state) return isAtOrBefore(edge, state);
    const mark = left.get(key);
    return (
      mark !== undefined &&
      (edge.atMs < mark.atMs || (edge.atMs === mark.atMs && edge.transferId <= mark.transferId))
    );
  };
  const accounts = new Map<string, ProceedsAccount>(record.accounts.map((a) => [a.accountKey, a]));
  let hops = [...record.hops];
  const holders = new Map(record.holders.map((h) => [h.accountKey, h]));
  let untraceable = [...record.untraceable];
  const pruned = perRuleOf(record.pruned);
  const dissipated = {
    'fifo-libr': BigInt(record.dissipated['fifo-libr']),
    'haircut-libr': BigInt(record.dissipated['haircut-libr']),
  };
  let hopsOmitted = record.hopsOmitted;
  let carried = record.carried;
  let applied = input.applied;
  const appliedNow: string[] = [];
  const journal: JournalEntry[] = [];
  const needs: OpeningNeed[] = [];
  let changed = false;

  const all = new Map(input.transfers.map((t) => [t.transfer.transferId, t]));
  for (const t of input.caughtUp ?? [])
    if (!all.has(t.transfer.transferId)) all.set(t.transfer.transferId, t);

  // Each transfer converted once per call (the late check and the carry both need it).
  const conversions = new Map<string, ReturnType<typeof edgeOf>>();
  const convert = (t: CommittedProceedsTransfer) => {
    let converted = conversions.get(t.transfer.transferId);
    if (!converted) {
      converted = edgeOf(t, record.unit);
      conversions.set(t.transfer.transferId, converted);
    }
    return converted;
  };

  // A transfer ordered before what one of its accounts applied arrived late; a transfer of an account the
  // money now reaches was applied before the money could reach it. Either way: rewind the case to before it.
  const caughtUpIds = new Set((input.caughtUp ?? []).map((t) => t.transfer.transferId));
  let lateMs: number | undefined;
  for (const t of all.values()) {
    if (t.ledgerTwin) continue;
    const converted = convert(t);
    if (!('edge' in converted) || converted.edge.atMs > record.untilMs) continue;
    const { edge } = converted;
    const late = applied.has(edge.transferId)
      ? caughtUpIds.has(edge.transferId)
      : lateAt(edge, edge.fromKey) || lateAt(edge, edge.toKey);
    if (late && (lateMs === undefined || edge.atMs < lateMs)) lateMs = edge.atMs;
  }
  let rewound: ReadonlySet<string> = new Set();
  let rewoundFromMs: number | undefined;
  if (lateMs !== undefined) {
    if (input.journalFromMs === undefined || lateMs < input.journalFromMs) {
      return { kind: 'retrace', reason: 'late' };
    }
    const rewind = input.rewind;
    if (rewind === undefined || rewind.fromMs > lateMs) return { kind: 'needs-journal', fromMs: lateMs };
    if (rewind.entries.length > policy.maxRewindEntries) return { kind: 'retrace', reason: 'late' };
    const entries = rewind.entries
      .filter((e) => e.atMs >= rewind.fromMs)
      .sort((a, b) => a.atMs - b.atMs || (a.transferId < b.transferId ? -1 : 1));
    rewound = new Set(entries.map((e) => e.transferId));
    rewoundFromMs = rewind.fromMs;
    // Each account as it was before its first transfer since then (with the mark it had then, if any).
    const restored = new Map<string, readonly [CaseAccountState | null, OrderKey | undefined]>();
    for (const entry of entries) {
      for (const [key, state, mark] of entry.before) if (!restored.has(key)) restored.set(key, [state, mark]);
    }
    for (const [key, [state, markBefore]] of restored) {
      changedStates.set(key, state);
      // A mark set since the rewind point goes with what it marked; one it had then comes back.
      const mark = left.get(key);
      if (mark && (state || mark.atMs >= rewind.fromMs)) {
        left.delete(key);
        leftChanges.set(key, null);
      }
      if (markBefore) {
        left.set(key, markBefore);
        leftChanges.set(key, markBefore);
      }
      if (state) {
        states.set(key, state);
        holders.set(key, holderOf(caseId, key, state));
      } else {
        states.delete(key);
        holders.delete(key);
      }
    }
    // Their effects leave the record.
    const hopIds = new Set(hops.map((h) => h.transferId));
    hops = hops.filter((h) => !rewound.has(h.transferId));
    for (const { transferId, effect } of entries) {
      if (effect.hop && !hopIds.has(transferId)) hopsOmitted = Math.max(0, hopsOmitted - 1);
      if (effect.carried) carried = Math.max(0, carried - 1);
      dissipated['fifo-libr'] -= effect.dissipated['fifo-libr'];
      dissipated['haircut-libr'] -= effect.dissipated['haircut-libr'];
      for (const rule of SPLITTING_RULES) pruned[rule] -= effect.pruned[rule];
      for (const note of effect.untraceable) {
        const at = untraceable.findIndex((u) => u.transferId === note.transferId && u.reason === note.reason);
        if (at >= 0) untraceable = [...untraceable.slice(0, at), ...untraceable.slice(at + 1)];
      }
    }
    applied = new Set([...input.applied].filter((id) => !rewound.has(id)));
    for (const t of rewind.transfers) if (!all.has(t.transfer.transferId)) all.set(t.transfer.transferId, t);
    changed = true;
  }

  // An account the money reaches for the first time whose later transfers the case applied before the journal
  // (in a backfill, or an entry the journal no longer holds): they were applied without this money, and the
  // order cannot be repaired from state. Trace the case from the graph.
  if ((input.caughtUp ?? []).some((t) => applied.has(t.transfer.transferId))) {
    return { kind: 'retrace', reason: 'late' };
  }
  for (const t of [...all.values()].sort(byTimeThenId)) {
    const { transferId } = t.transfer;
    if (applied.has(transferId) || t.ledgerTwin) continue;
    const sender = states.get(t.transfer.fromKey);
    const receiver = states.get(t.transfer.toKey);
    if (!sender && !receiver) continue;
    // Past the case's horizon the batch trace reads nothing: whatever its asset or amount, the case ignores it.
    if (Date.parse(t.transfer.bookedAt) > record.untilMs) continue;
    const converted = convert(t);
    if ('otherUnit' in converted) return { kind: 'retrace', reason: 'unit' };
    const effect = {
      hop: false,
      carried: false,
      dissipated: { 'fifo-libr': 0n, 'haircut-libr': 0n },
      pruned: zeroPerRule(),
      untraceable: [] as { transferId: string; reason: string }[],
    };
    const beforeOf = (key: string, state: CaseAccountState | undefined): JournalEntry['before'][number] => {
      if (state) return [key, state];
      const mark = left.get(key);
      return mark ? [key, null, mark] : [key, null];
    };
    const entry: JournalEntry = {
      transferId,
      atMs: Date.parse(t.transfer.bookedAt),
      before:
        t.transfer.fromKey === t.transfer.toKey
          ? [beforeOf(t.transfer.fromKey, sender)]
          : [beforeOf(t.transfer.fromKey, sender), beforeOf(t.transfer.toKey, receiver)],
      effect,
    };
    const note = (transferIdOrKey: string, reason: string) => {
      const item = { transferId: transferIdOrKey, reason };
      untraceable.push(item);
      effect.untraceable.push(item);
    };
    if ('untraceable' in converted) {
      note(transferId, converted.untraceable);
      appliedNow.push(transferId);
      journal.push(entry);
      changed = true;
      continue;
    }
    const { edge } = converted;
    // Cannot happen after the rewind above; kept so that an order problem can never give a wrong amount.
    if (isAtOrBefore(edge, sender) || isAtOrBefore(edge, receiver))
      return { kind: 'retrace', reason: 'late' };
    appliedNow.push(transferId);
    journal.push(entry);
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
    effect.carried = true;
    for (const rule of ['fifo-libr', 'haircut-libr'] as const) {
      dissipated[rule] += outcome.dissipated[rule];
      effect.dissipated[rule] = outcome.dissipated[rule];
    }
    for (const [key, after] of outcome.states) {
      let state = after;
      const held = heldOf(state, caseId);
      const refused = key === edge.toKey && entering && input.fullAccounts.has(key);
      if (refused)
        note(transferId, `${key} holds state of the most cases allowed: not followed there (state bound)`);
      if (refused || !material(held)) {
        // Below the follow share: the account leaves the case's state (as the batch trace stops following it).
        for (const rule of SPLITTING_RULES) {
          pruned[rule] += held[rule];
          effect.pruned[rule] += held[rule];
        }
        states.delete(key);
        changedStates.set(key, null);
        holders.delete(key);
        if (!refused) {
          const mark = { atMs: edge.atMs, transferId, ...(state.librApplied ? { librApplied: true } : {}) };
          left.set(key, mark);
          leftChanges.set(key, mark);
        }
        continue;
      }
      if (state.mergedLots > 0 && (states.get(key)?.mergedLots ?? 0) === 0) note(key, MERGED_NOTE);
      if (key === edge.toKey && entering && !known && !hubs.has(key)) {
        needs.push({ accountKey: key, atMs: edge.atMs, transferId: edge.transferId });
      }
      // Back in the case: a LIBR cut there before it left still marks it, as in the batch trace.
      if (!state.librApplied && left.get(key)?.librApplied) state = { ...state, librApplied: true };
      states.set(key, state);
      changedStates.set(key, state);
      holders.set(key, holderOf(caseId, key, state));
      if (left.delete(key)) leftChanges.set(key, null);
    }
    if (anyAbove(outcome.tainted)) {
      effect.hop = true;
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
    hops = hops.filter((h) => keep.has(h));
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
    applied: appliedNow,
    changed,
    journal,
    ...(rewoundFromMs !== undefined ? { rewoundFromMs } : {}),
    reapplied: appliedNow.filter((id) => rewound.has(id)).length,
    unapplied: [...rewound].filter((id) => !appliedNow.includes(id)),
    left: leftChanges,
    record: {
      ...record,
      accounts: [...accounts.values()].filter((a) => used.has(a.accountKey)),
      hops,
      holders: holderList,
      untraceable,
      terminalHubs,
      hopsOmitted,
      carried,
      dissipated: {
        'fifo-libr': dissipated['fifo-libr'].toString(),
        'haircut-libr': dissipated['haircut-libr'].toString(),
      },
      pruned: perRuleText(pruned),
    },
  };
};
