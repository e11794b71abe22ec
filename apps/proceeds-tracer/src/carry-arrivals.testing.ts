import { PoolBook, type CaseAccountState, type CommittedProceedsTransfer } from '@scamflow/tracing';
import type { ProceedsAccount, ProceedsTransfer } from '@scamflow/graph';
import {
  carryCaseTaint,
  rewoundAccounts,
  type CarryPolicy,
  type JournalEntry,
  type OrderKey,
  type Rewind,
} from './carry-case-taint';
import type { CaseRecord } from './case-record.schema';
import { toEdge } from './trace-input';

const byOrder = (a: ProceedsTransfer, b: ProceedsTransfer) =>
  Date.parse(a.bookedAt) - Date.parse(b.bookedAt) || (a.transferId < b.transferId ? -1 : 1);

/**
 * Carries one case over transfers arriving batch by batch, as the tracer service does against its stores: the
 * graph is what has arrived (openings, caught-up transfers, a rewind's transfers are read from it), the journal,
 * the marks of accounts that left and the applied ids are kept as Redis keeps them. A re-trace is an error here:
 * callers keep every late transfer inside the journal. Returns the record at the end and how many rewinds ran.
 */
export const carryArrivals = (input: {
  readonly record: CaseRecord;
  readonly states: ReadonlyMap<string, CaseAccountState>;
  /** Transfers the backfill read (in the graph before the first batch, already applied). */
  readonly history: readonly ProceedsTransfer[];
  readonly journalFromMs: number;
  readonly batches: readonly (readonly ProceedsTransfer[])[];
  readonly policy: CarryPolicy;
  readonly accountOf: (accountKey: string) => ProceedsAccount;
}): { record: CaseRecord; rewinds: number } => {
  const committed = (t: ProceedsTransfer): CommittedProceedsTransfer => ({
    transfer: t,
    debtor: input.accountOf(t.fromKey),
    creditor: input.accountOf(t.toKey),
    ledgerTwin: false,
  });
  let record = input.record;
  const states = new Map(input.states);
  const applied = new Set(input.history.map((t) => t.transferId));
  let journal: JournalEntry[] = [];
  const left = new Map<string, OrderKey>();
  const arrived = [...input.history];
  let rewinds = 0;
  for (const batch of input.batches) {
    arrived.push(...batch);
    const openings = new Map<string, Map<string, { flowBalance: bigint; balance: bigint }>>();
    const caughtUp = new Map<string, ProceedsTransfer>();
    let rewind: Rewind | undefined;
    for (;;) {
      const outcome = carryCaseTaint({
        record,
        states,
        transfers: batch.map(committed),
        applied,
        openings,
        caughtUp: [...caughtUp.values()].map(committed),
        fullAccounts: new Set(),
        policy: input.policy,
        journalFromMs: input.journalFromMs,
        left,
        ...(rewind ? { rewind } : {}),
      });
      if (outcome.kind === 'retrace') throw new Error(`re-trace (${outcome.reason}) inside the journal`);
      if (outcome.kind === 'needs-journal') {
        rewinds += 1;
        const fromMs = outcome.fromMs;
        const entries = journal.filter((e) => e.atMs >= fromMs);
        const restored = new Set(rewoundAccounts(entries));
        rewind = {
          fromMs,
          entries,
          transfers: arrived
            .filter((t) => Date.parse(t.bookedAt) >= fromMs)
            .filter((t) => restored.has(t.fromKey) || restored.has(t.toKey))
            .map(committed),
        };
        continue;
      }
      if (outcome.kind === 'needs-openings') {
        for (const need of outcome.needs) {
          const isBefore = (t: ProceedsTransfer) =>
            Date.parse(t.bookedAt) < need.atMs ||
            (Date.parse(t.bookedAt) === need.atMs && t.transferId < need.transferId);
          const flows = arrived.filter((t) => t.fromKey === need.accountKey || t.toKey === need.accountKey);
          const book = new PoolBook();
          for (const t of flows.filter(isBefore).sort(byOrder)) {
            const edge = toEdge(t, record.unit);
            if ('edge' in edge) book.apply(edge.edge);
          }
          openings.set(
            need.accountKey,
            new Map(openings.get(need.accountKey) ?? []).set(need.transferId, book.opening(need.accountKey)),
          );
          for (const t of flows) {
            if (!isBefore(t) && t.transferId !== need.transferId) caughtUp.set(t.transferId, t);
          }
        }
        continue;
      }
      for (const [key, state] of outcome.states) {
        if (state) states.set(key, state);
        else states.delete(key);
      }
      for (const [key, mark] of outcome.left) {
        if (mark) left.set(key, mark);
        else left.delete(key);
      }
      for (const id of outcome.unapplied) applied.delete(id);
      for (const id of outcome.applied) applied.add(id);
      const rewoundFromMs = outcome.rewoundFromMs;
      if (rewoundFromMs !== undefined) journal = journal.filter((e) => e.atMs < rewoundFromMs);
      journal.push(...outcome.journal);
      record = outcome.record;
      break;
    }
  }
  return { record, rewinds };
};

/** What an analyst reads off a case record: holdings, the hop ledger, dissipated and pruned amounts, notes. */
export const recordAsSeen = (record: CaseRecord) => ({
  holders: record.holders,
  hops: [...record.hops].sort((a, b) => (a.transferId < b.transferId ? -1 : 1)),
  dissipated: record.dissipated,
  pruned: record.pruned,
  untraceable: [...record.untraceable].sort((a, b) =>
    `${a.transferId}${a.reason}` < `${b.transferId}${b.reason}` ? -1 : 1,
  ),
  carried: record.carried,
});
