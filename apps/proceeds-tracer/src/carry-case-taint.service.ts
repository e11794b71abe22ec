import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CommittedTransfer } from '@scamflow/contracts';
import { recordCarriedTransfers, timeNeo4jTransaction } from '@scamflow/observability';
import { ProceedsSubgraphRepository, type CommittedProceedsTransfer } from '@scamflow/graph';
import {
  RetraceScheduleRepository,
  TaintStateRepository,
  type JournalChange,
  type StoredCaseAccountState,
  type StoredLeftCase,
  type TaintCaseChange,
  type TaintSnapshot,
} from '@scamflow/rolling-state';
import { PoolBook, type CaseAccountState, type PoolOpening } from '@scamflow/tracing';
import {
  byTimeThenId,
  carryCaseTaint,
  type AccountOpenings,
  type CarryOutcome,
  type CarryPolicy,
  type JournalEntry,
  type OpeningNeed,
  type OrderKey,
  type Rewind,
  rewoundAccounts,
} from './carry-case-taint';
import { CaseRecordSchema, effectOf, effectText, type CaseRecord } from './case-record.schema';
import { PROCEEDS_TRACER_CONFIG, type ProceedsTracerConfig } from './proceeds-tracer.config';
import { toEdge } from './trace-input';

const MAX_COMMIT_ATTEMPTS = 5;
/**
 * Rounds of reads per case and batch: a round reads every account the case's money reached for the first time
 * (its pool before, its transfers after that the graph already holds; those transfers can reach further
 * accounts, read in the next round), or the case's journal when a transfer arrived late. Past it the case is
 * traced from the graph again.
 */
const MAX_OPENING_ROUNDS = 8;

/**
 * Why a case is traced from the graph again instead of carried: see `carryCaseTaint`; `state`: unreadable;
 * `depth`: its money reached new accounts more rounds deep in one batch than `MAX_OPENING_ROUNDS`.
 */
export type RetraceReason = 'late' | 'unit' | 'state' | 'depth';

/** What the graph held of a case's newly reached accounts (kept across rounds and commit attempts). */
interface CaseReads {
  readonly openings: Map<string, Map<string, PoolOpening | 'hub'>>;
  readonly caughtUp: Map<string, CommittedProceedsTransfer>;
}

/** One case being carried over a batch: its record as stored and where its carry stands. */
interface CaseWork {
  readonly caseId: string;
  readonly record: CaseRecord;
  readonly journalFromMs: number | undefined;
  rewind?: Rewind;
  failed?: RetraceReason;
  outcome: CarryOutcome;
  /** Rounds of reads this case has had in this batch. */
  rounds: number;
}

export interface CarriedBatch {
  /** Cases whose record changed, as stored now. */
  readonly records: ReadonlyMap<string, CaseRecord>;
  /** Cases that cannot be carried forward exactly (late transfer, another asset): trace them from the graph. */
  readonly retrace: ReadonlyMap<string, RetraceReason>;
}

/**
 * Carries every case whose state an account of the batch holds over the batch's committed transfers (issue 10):
 * reads the two accounts' states per transfer, the transfers' amounts by id and, for an account the case's
 * money reaches for the first time, its pool flows; never the case's subgraph. One compare-and-set commit per
 * batch: a conflict with another tracer instance re-reads and recomputes.
 */
@Injectable()
export class CarryCaseTaintService {
  private readonly logger = new Logger(CarryCaseTaintService.name);
  private readonly policy: CarryPolicy;

  constructor(
    @Inject(ProceedsSubgraphRepository) private readonly graph: ProceedsSubgraphRepository,
    @Inject(TaintStateRepository) private readonly taintState: TaintStateRepository,
    @Inject(RetraceScheduleRepository) private readonly schedule: RetraceScheduleRepository,
    @Inject(PROCEEDS_TRACER_CONFIG) private readonly config: ProceedsTracerConfig,
  ) {
    this.policy = {
      limits: { maxLots: config.PROCEEDS_STATE_MAX_LOTS },
      followMinShare: config.PROCEEDS_FOLLOW_MIN_SHARE,
      maxStoredHops: config.PROCEEDS_STATE_MAX_HOPS,
      maxRewindEntries: config.PROCEEDS_REWIND_MAX_ENTRIES,
      edgeCap: config.PROCEEDS_EDGE_CAP,
    };
  }

  async execute(committed: readonly CommittedTransfer[], nowMs: number): Promise<CarriedBatch> {
    const none: CarriedBatch = { records: new Map(), retrace: new Map() };
    const keys = committed.flatMap((t) => [t.debtorKey, t.creditorKey]);
    const held = await this.taintState.casesAt(keys, nowMs);
    // A case waiting for a trace from the graph is left alone: the trace covers every transfer committed by then.
    const waiting = await this.schedule.pending([...new Set([...held.values()].flat())]);
    const casesAt = new Map(
      [...held]
        .map(([key, cases]) => [key, cases.filter((caseId) => !waiting.has(caseId))] as const)
        .filter(([, cases]) => cases.length > 0),
    );
    // Time order, so an account the case's money reaches in this batch makes its later transfers relevant too.
    const inState = new Set(casesAt.keys());
    if (!committed.some((t) => inState.has(t.debtorKey) || inState.has(t.creditorKey))) return none;
    const relevant = committed
      .map((t) => ({ t, atMs: Date.parse(t.bookedAt) }))
      .sort((a, b) => a.atMs - b.atMs)
      .map(({ t }) => t)
      .filter((t) => {
        if (!inState.has(t.debtorKey) && !inState.has(t.creditorKey)) return false;
        if (inState.has(t.debtorKey)) inState.add(t.creditorKey);
        return true;
      });
    if (relevant.length === 0) return none;
    const transfers = (
      await timeNeo4jTransaction('read-committed-transfers', () =>
        this.graph.readTransfers(relevant.map((t) => t.transferId)),
      )
    ).sort(byTimeThenId);
    const caseIds = [
      ...new Set(
        relevant.flatMap((t) => [...(casesAt.get(t.debtorKey) ?? []), ...(casesAt.get(t.creditorKey) ?? [])]),
      ),
    ].sort();
    const accountKeys = [...new Set(transfers.flatMap((t) => [t.transfer.fromKey, t.transfer.toKey]))];
    const ids = transfers.map((t) => t.transfer.transferId);
    const reads = new Map<string, CaseReads>(
      caseIds.map((caseId) => [caseId, { openings: new Map(), caughtUp: new Map() }]),
    );

    for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt += 1) {
      let snapshot = await this.taintState.read(
        accountKeys,
        caseIds,
        new Map(caseIds.map((caseId) => [caseId, ids])),
        nowMs,
      );
      const caseCount = new Map([...snapshot.accounts].map(([key, cases]) => [key, cases.size]));
      const fullAccounts = () =>
        new Set(
          [...caseCount].filter(([, n]) => n >= this.config.PROCEEDS_STATE_MAX_CASES).map(([key]) => key),
        );
      const accounts = new Map<string, Map<string, StoredCaseAccountState | StoredLeftCase | null>>();
      const cases = new Map<string, TaintCaseChange>();
      const records = new Map<string, CaseRecord>();
      const retrace = new Map<string, RetraceReason>();
      let caughtUpApplied = 0;
      let reapplied = 0;

      // Every case first, then rounds of reads shared by all cases (one graph read per round for every
      // account the cases' money newly reaches), until each case is carried or must be traced from the graph.
      const works: CaseWork[] = [];
      let full = fullAccounts();
      const carryNow = (work: CaseWork): CarryOutcome => {
        const caseReads = reads.get(work.caseId)!;
        return carryCaseTaint({
          record: work.record,
          states: statesOf(snapshot, work.caseId),
          transfers,
          applied: snapshot.applied.get(work.caseId) ?? new Set(),
          openings: caseReads.openings,
          caughtUp: [...caseReads.caughtUp.values()],
          fullAccounts: full,
          policy: this.policy,
          ...(work.journalFromMs !== undefined ? { journalFromMs: work.journalFromMs } : {}),
          ...(work.rewind ? { rewind: work.rewind } : {}),
          left: leftOf(snapshot, work.caseId),
        });
      };
      for (const caseId of caseIds) {
        const stored = snapshot.cases.get(caseId);
        const parsed = CaseRecordSchema.safeParse(stored?.record);
        if (snapshot.corruptCases.has(caseId) || (stored && !parsed.success)) {
          retrace.set(caseId, 'state');
          continue;
        }
        if (!parsed.success) continue; // past its horizon, or being re-traced
        const work: CaseWork = {
          caseId,
          record: parsed.data,
          journalFromMs: snapshot.journalFrom.get(caseId),
          outcome: { kind: 'retrace', reason: 'late' }, // replaced by the first carry
          rounds: 0,
        };
        work.outcome = carryNow(work);
        works.push(work);
      }
      for (;;) {
        for (const work of works) {
          const asks = work.outcome.kind === 'needs-openings' || work.outcome.kind === 'needs-journal';
          if (asks && !work.failed && ++work.rounds > MAX_OPENING_ROUNDS) work.failed = 'depth';
        }
        const asking = works.filter(
          (w) => !w.failed && (w.outcome.kind === 'needs-openings' || w.outcome.kind === 'needs-journal'),
        );
        if (asking.length === 0) break;
        const moreAccounts: string[] = [];
        const moreApplied = new Map<string, string[]>();
        for (const work of asking) {
          if (work.outcome.kind !== 'needs-journal') continue;
          const read = await this.journalOf(work.caseId, work.outcome.fromMs, work.record.untilMs);
          if ('failed' in read) {
            work.failed = read.failed;
            continue;
          }
          work.rewind = read;
          // The accounts of the transfers applied again: read them as the batch's were.
          moreAccounts.push(...read.transfers.flatMap((t) => [t.transfer.fromKey, t.transfer.toKey]));
        }
        const opening = asking.flatMap((w) =>
          w.outcome.kind === 'needs-openings' ? [{ work: w, needs: w.outcome.needs }] : [],
        );
        const opened = await this.openingsOf(
          opening.map(({ work, needs }) => ({ needs, record: work.record })),
        );
        opening.forEach(({ work }, i) => {
          const read = opened[i]!;
          const caseReads = reads.get(work.caseId)!;
          for (const [key, byEntry] of read.openings) {
            const known = caseReads.openings.get(key) ?? new Map<string, PoolOpening | 'hub'>();
            for (const [enteredBy, pool] of byEntry) known.set(enteredBy, pool);
            caseReads.openings.set(key, known);
          }
          for (const t of read.caughtUp) caseReads.caughtUp.set(t.transfer.transferId, t);
          // The caught-up transfers' other accounts and their ids: read them as the batch's were.
          moreAccounts.push(...read.caughtUp.flatMap((t) => [t.transfer.fromKey, t.transfer.toKey]));
          moreApplied.set(work.caseId, [
            ...(moreApplied.get(work.caseId) ?? []),
            ...read.caughtUp.map((t) => t.transfer.transferId),
          ]);
        });
        snapshot = await this.taintState.extend(snapshot, moreAccounts, moreApplied, nowMs);
        for (const [key, perCase] of snapshot.accounts) {
          if (!caseCount.has(key)) caseCount.set(key, perCase.size);
        }
        full = fullAccounts();
        for (const work of asking) if (!work.failed) work.outcome = carryNow(work);
      }

      for (const work of works) {
        const { caseId, record } = work;
        if (work.failed) {
          retrace.set(caseId, work.failed);
          continue;
        }
        // The cases before this one may have filled an account it enters: carry it again against that.
        let outcome = work.outcome;
        if (outcome.kind === 'carried') {
          const nowFull = fullAccounts();
          if ([...outcome.states].some(([key, state]) => state && nowFull.has(key) && !full.has(key))) {
            full = nowFull;
            outcome = carryNow(work);
          }
        }
        if (outcome.kind !== 'carried') {
          retrace.set(caseId, outcome.kind === 'retrace' ? outcome.reason : 'depth');
          continue;
        }
        if (!outcome.changed && outcome.applied.length === 0) continue;
        const perCaseOf = (key: string) => {
          const perCase =
            accounts.get(key) ?? new Map<string, StoredCaseAccountState | StoredLeftCase | null>();
          accounts.set(key, perCase);
          return perCase;
        };
        for (const [key, state] of outcome.states) {
          perCaseOf(key).set(caseId, state ? { state, untilMs: record.untilMs } : null);
          if (state && !snapshot.accounts.get(key)?.has(caseId))
            caseCount.set(key, (caseCount.get(key) ?? 0) + 1);
        }
        // Where accounts left the case (a state written above wins: the account is back in the case).
        for (const [key, mark] of outcome.left) {
          if (outcome.states.get(key)) continue;
          if (mark) perCaseOf(key).set(caseId, { leftAt: mark, untilMs: record.untilMs });
          else if (!outcome.states.has(key)) perCaseOf(key).set(caseId, null);
        }
        cases.set(caseId, {
          record: outcome.record,
          untilMs: record.untilMs,
          applied: outcome.applied,
          unapplied: outcome.unapplied,
          ...(work.journalFromMs !== undefined
            ? { journal: this.journalChange(outcome, work.journalFromMs) }
            : {}),
        });
        const caseReads = reads.get(caseId)!;
        caughtUpApplied += outcome.applied.filter((id) => caseReads.caughtUp.has(id)).length;
        reapplied += outcome.reapplied;
        if (outcome.changed) records.set(caseId, outcome.record);
      }
      if (accounts.size === 0 && cases.size === 0) return { records, retrace };
      if (await this.taintState.commit(snapshot, { accounts, cases }, nowMs)) {
        const applied = new Set([...cases.values()].flatMap((c) => c.applied));
        recordCarriedTransfers('catch-up', caughtUpApplied);
        recordCarriedTransfers('rewind', reapplied);
        recordCarriedTransfers('stream', applied.size - caughtUpApplied - reapplied);
        this.logger.debug(
          `${relevant.length} of ${committed.length} transfers touch traced accounts (${caughtUpApplied} caught up from the graph): ${records.size} case(s) carried, ${retrace.size} to re-trace`,
        );
        return { records, retrace };
      }
    }
    throw new Error(`taint state kept changing under ${MAX_COMMIT_ATTEMPTS} attempts to carry a batch`);
  }

  /**
   * The case's journal from `fromMs` on, and every transfer from then to the horizon of the accounts it
   * restores (one windowed graph read, the openings' read). Fails with `state` when an entry does not parse or
   * its transfer is not in the graph, with `late` when an account has more transfers in that window than the
   * edge cap (the case is traced from the graph again).
   */
  private async journalOf(
    caseId: string,
    fromMs: number,
    untilMs: number,
  ): Promise<Rewind | { failed: RetraceReason }> {
    const stored = await this.taintState.readJournal(caseId, fromMs);
    if (!stored) return { failed: 'state' };
    const entries: JournalEntry[] = [];
    for (const entry of stored) {
      const effect = effectOf(entry.effect);
      if (!effect) return { failed: 'state' };
      entries.push({ transferId: entry.transferId, atMs: entry.atMs, before: entry.before, effect });
    }
    const cap = this.config.PROCEEDS_EDGE_CAP;
    const flows = await timeNeo4jTransaction('read-rewound-flows', () =>
      this.graph.readPoolFlows(
        rewoundAccounts(entries).map((accountKey) => ({ accountKey, fromMs, untilMs })),
        cap + 1,
      ),
    );
    const transfers = new Map<string, CommittedProceedsTransfer>();
    for (const list of flows) {
      if (list.length > cap) return { failed: 'late' };
      for (const t of list) transfers.set(t.transfer.transferId, t);
    }
    if (entries.some((e) => !transfers.has(e.transferId))) return { failed: 'state' };
    return { fromMs, entries, transfers: [...transfers.values()] };
  }

  /** The journal entries of what a carry applied, trimmed to the allowed lateness and the entry cap. */
  private journalChange(
    outcome: Extract<CarryOutcome, { kind: 'carried' }>,
    journalFromMs: number,
  ): JournalChange {
    const latestMs = outcome.journal.reduce((max, e) => Math.max(max, e.atMs), journalFromMs);
    return {
      entries: outcome.journal.map((e) => ({ ...e, effect: effectText(e.effect) })),
      ...(outcome.rewoundFromMs !== undefined ? { rewoundFromMs: outcome.rewoundFromMs } : {}),
      trimBelowMs: Math.max(journalFromMs, latestMs - this.config.PROCEEDS_ALLOWED_LATENESS_MS),
      maxEntries: this.config.PROCEEDS_JOURNAL_MAX_ENTRIES,
    };
  }

  /**
   * Accounts cases' money reaches for the first time, for several cases in one graph read: each one's pool from
   * its flows in the look-back before (as the batch trace reads them), and its transfers after that entry which
   * the graph already holds (up to the case's horizon), to be carried at once. More flows in that window than
   * the edge cap mark a hub, where tracing stops (the batch trace's rule). One result per case, in order.
   */
  private async openingsOf(
    asked: readonly { needs: readonly OpeningNeed[]; record: CaseRecord }[],
  ): Promise<{ openings: AccountOpenings; caughtUp: CommittedProceedsTransfer[] }[]> {
    if (asked.length === 0) return [];
    const all = asked.flatMap(({ needs, record }) => needs.map((need) => ({ need, record })));
    const flows = await timeNeo4jTransaction('read-opening-flows', () =>
      this.graph.readPoolFlows(
        all.map(({ need, record }) => ({
          accountKey: need.accountKey,
          fromMs: need.atMs - this.config.PROCEEDS_MIX_LOOKBACK_MS,
          untilMs: record.untilMs,
        })),
        this.config.PROCEEDS_EDGE_CAP + 1,
      ),
    );
    let at = 0;
    return asked.map(({ needs, record }) => {
      const openings = new Map<string, Map<string, PoolOpening | 'hub'>>();
      const caughtUp: CommittedProceedsTransfer[] = [];
      const open = (need: OpeningNeed, pool: PoolOpening | 'hub') =>
        openings.set(
          need.accountKey,
          (openings.get(need.accountKey) ?? new Map<string, PoolOpening | 'hub'>()).set(
            need.transferId,
            pool,
          ),
        );
      for (const need of needs) {
        const read = flows[at] ?? [];
        at += 1;
        if (read.length > this.config.PROCEEDS_EDGE_CAP) {
          open(need, 'hub');
          continue;
        }
        const isBefore = (t: CommittedProceedsTransfer) => {
          const atMs = Date.parse(t.transfer.bookedAt);
          return atMs < need.atMs || (atMs === need.atMs && t.transfer.transferId < need.transferId);
        };
        const book = new PoolBook();
        const edges = read.filter(isBefore).flatMap((t) => {
          const result = toEdge(t.transfer, record.unit);
          return 'edge' in result ? [result.edge] : [];
        });
        edges.sort((a, b) => a.atMs - b.atMs || (a.transferId < b.transferId ? -1 : 1));
        for (const edge of edges) book.apply(edge);
        open(need, book.opening(need.accountKey));
        caughtUp.push(...read.filter((t) => !isBefore(t) && t.transfer.transferId !== need.transferId));
      }
      return { openings, caughtUp };
    });
  }
}

/** One case's entries per account, as read (`pick` takes what the caller needs of each). */
const ofCase = <S, T>(
  perAccount: ReadonlyMap<string, ReadonlyMap<string, S>>,
  caseId: string,
  pick: (stored: S) => T,
): Map<string, T> => {
  const found = new Map<string, T>();
  for (const [key, perCase] of perAccount) {
    const stored = perCase.get(caseId);
    if (stored) found.set(key, pick(stored));
  }
  return found;
};

/** Where accounts left one case, as read. */
const leftOf = (snapshot: TaintSnapshot, caseId: string): Map<string, OrderKey> =>
  ofCase(snapshot.left, caseId, (mark) => mark.leftAt);

/** One case's state per account, as read. */
const statesOf = (snapshot: TaintSnapshot, caseId: string): Map<string, CaseAccountState> =>
  ofCase(snapshot.accounts, caseId, (stored) => stored.state);
