/**
 * A transfer that arrives after later ones were applied to its accounts (within an allowed lateness): only the
 * accounts downstream of it from its time are recomputed, from the journal of what was applied since, never the
 * whole case. Exact: the result equals applying every transfer in event order (differential spec).
 *
 * The journal keeps every transfer of the lateness window that touched an account the caller watches, with
 * the state its two accounts had before it (undefined: not in the case then), including transfers that did not
 * touch the case when they came: a late transfer can bring their account into the case before them. A transfer
 * is late when a journaled transfer sharing one of its accounts is ordered after it. Downstream accounts D: the late transfer's two accounts, then every receiver of a journaled transfer that
 * a D account sent after the late one. Each D account goes back to its state before its first journaled
 * transfer after the late one; the late transfer and the journaled transfers touching D are applied again in
 * event order. A sender outside D is unchanged by the late transfer, so its journaled state is used as is.
 */
import {
  applyCaseTransfer,
  type CaseAccountState,
  type CaseTransferOutcome,
  type IncrementalLimits,
  type PoolOpening,
} from './incremental-trace';
import { byTimeThenId, type TraceEdge } from './trace-proceeds';

export interface JournalEntry {
  readonly edge: TraceEdge;
  readonly seeded: bigint;
  /** The two accounts' states just before the transfer was applied (undefined: not in the case then). */
  readonly before: ReadonlyMap<string, CaseAccountState | undefined>;
}

export type LateOutcome =
  /** The journal does not reach back to the late transfer: trace the case again from the graph. */
  | { readonly kind: 'beyond-lateness' }
  | {
      readonly kind: 'recomputed';
      /** New states of the downstream accounts (undefined: no longer in the case). */
      readonly states: ReadonlyMap<string, CaseAccountState | undefined>;
      /** The transfers applied again (the late one first), with their new outcomes, in event order. */
      readonly replayed: readonly { edge: TraceEdge; outcome: CaseTransferOutcome }[];
      /** The journal with the late transfer in place and the replayed entries' new before-states. */
      readonly journal: readonly JournalEntry[];
    };

/**
 * Applies `late` to a case whose journal covers event times from `journalFromMs` on. `current` holds the
 * case's states now (at least every account the journal names); `opening` gives a pool as of a transfer, the
 * late one included (the graph holds it by now).
 */
export const applyLateTransfer = (input: {
  readonly caseId: string;
  readonly late: TraceEdge;
  readonly seeded: bigint;
  readonly journal: readonly JournalEntry[];
  readonly journalFromMs: number;
  readonly current: ReadonlyMap<string, CaseAccountState>;
  readonly opening: (accountKey: string, edge: TraceEdge) => PoolOpening;
  readonly limits?: IncrementalLimits;
}): LateOutcome => {
  const { caseId, late } = input;
  if (late.atMs < input.journalFromMs) return { kind: 'beyond-lateness' };
  const after = input.journal.filter((entry) => byTimeThenId(entry.edge, late) > 0);
  const earlier = input.journal.filter((entry) => byTimeThenId(entry.edge, late) < 0);

  const downstream = new Set([late.fromKey, late.toKey]);
  for (const { edge } of after) if (downstream.has(edge.fromKey)) downstream.add(edge.toKey);

  // Each downstream account as it was at the late transfer's time.
  const work = new Map<string, CaseAccountState | undefined>();
  for (const key of downstream) {
    const first = after.find((entry) => entry.before.has(key));
    work.set(key, first ? first.before.get(key) : input.current.get(key));
  }

  const replayed: { edge: TraceEdge; outcome: CaseTransferOutcome }[] = [];
  const journal: JournalEntry[] = [...earlier];
  const replay = [
    { edge: late, seeded: input.seeded, before: new Map<string, CaseAccountState | undefined>() },
    ...after,
  ];
  for (const entry of replay) {
    const { edge } = entry;
    const stateOf = (key: string) => (downstream.has(key) ? work.get(key) : entry.before.get(key));
    const sender = stateOf(edge.fromKey);
    const receiver = stateOf(edge.toKey);
    const touchesDownstream = downstream.has(edge.fromKey) || downstream.has(edge.toKey);
    if (!touchesDownstream) {
      journal.push(entry);
      continue;
    }
    journal.push({
      edge,
      seeded: entry.seeded,
      before: new Map([
        [edge.fromKey, sender],
        [edge.toKey, receiver],
      ]),
    });
    const outcome = applyCaseTransfer({
      caseId,
      edge,
      seeded: entry.seeded,
      sender,
      receiver,
      opening: (key) => input.opening(key, edge),
      ...(input.limits ? { limits: input.limits } : {}),
    });
    replayed.push({ edge, outcome });
    for (const [key, state] of outcome.states) if (downstream.has(key)) work.set(key, state);
  }
  return { kind: 'recomputed', states: work, replayed, journal };
};
