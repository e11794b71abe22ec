import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CommittedTransfer } from '@scamflow/contracts';
import { ProceedsSubgraphRepository, type CommittedProceedsTransfer } from '@scamflow/graph';
import { TaintStateRepository, type StoredCaseAccountState } from '@scamflow/rolling-state';
import { PoolBook, type CaseAccountState, type PoolOpening } from '@scamflow/tracing';
import { carryCaseTaint, type CarryPolicy, type OpeningNeed } from './carry-case-taint';
import { CaseRecordSchema, type CaseRecord } from './case-record.schema';
import { PROCEEDS_TRACER_CONFIG, type ProceedsTracerConfig } from './proceeds-tracer.config';
import { toEdge } from './trace-input';

const MAX_COMMIT_ATTEMPTS = 5;
/** Rounds of opening reads per batch: an account entering only because another's opening changed is rare. */
const MAX_OPENING_ROUNDS = 3;

/** Why a case is traced from the graph again instead of carried: see `carryCaseTaint`; `state`: unreadable. */
export type RetraceReason = 'late' | 'unit' | 'state';

export interface CarriedBatch {
  /** Cases whose record changed, as stored now. */
  readonly records: ReadonlyMap<string, CaseRecord>;
  /** Cases that cannot be carried forward exactly (late transfer, another asset): trace them from the graph. */
  readonly retrace: ReadonlyMap<string, RetraceReason>;
}

const byTimeThenId = (a: CommittedProceedsTransfer, b: CommittedProceedsTransfer): number =>
  Date.parse(a.transfer.bookedAt) - Date.parse(b.transfer.bookedAt) ||
  (a.transfer.transferId < b.transfer.transferId
    ? -1
    : a.transfer.transferId > b.transfer.transferId
      ? 1
      : 0);

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
    @Inject(PROCEEDS_TRACER_CONFIG) private readonly config: ProceedsTracerConfig,
  ) {
    this.policy = {
      limits: { maxLots: config.PROCEEDS_STATE_MAX_LOTS },
      followMinShare: config.PROCEEDS_FOLLOW_MIN_SHARE,
      maxStoredHops: config.PROCEEDS_STATE_MAX_HOPS,
      edgeCap: config.PROCEEDS_EDGE_CAP,
    };
  }

  async execute(committed: readonly CommittedTransfer[], nowMs: number): Promise<CarriedBatch> {
    const none: CarriedBatch = { records: new Map(), retrace: new Map() };
    const keys = committed.flatMap((t) => [t.debtorKey, t.creditorKey]);
    const casesAt = await this.taintState.casesAt(keys, nowMs);
    // Time order, so an account the case's money reaches in this batch makes its later transfers relevant too.
    const inState = new Set(casesAt.keys());
    const relevant = [...committed]
      .sort((a, b) => Date.parse(a.bookedAt) - Date.parse(b.bookedAt))
      .filter((t) => {
        if (!inState.has(t.debtorKey) && !inState.has(t.creditorKey)) return false;
        if (inState.has(t.debtorKey)) inState.add(t.creditorKey);
        return true;
      });
    if (relevant.length === 0) return none;
    const transfers = (await this.graph.readTransfers(relevant.map((t) => t.transferId))).sort(byTimeThenId);
    const caseIds = [
      ...new Set(
        relevant.flatMap((t) => [...(casesAt.get(t.debtorKey) ?? []), ...(casesAt.get(t.creditorKey) ?? [])]),
      ),
    ].sort();
    const accountKeys = [...new Set(transfers.flatMap((t) => [t.transfer.fromKey, t.transfer.toKey]))];
    const ids = transfers.map((t) => t.transfer.transferId);
    const openings = new Map<string, Map<string, PoolOpening | 'hub'>>();

    for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt += 1) {
      const snapshot = await this.taintState.read(
        accountKeys,
        caseIds,
        new Map(caseIds.map((caseId) => [caseId, ids])),
        nowMs,
      );
      const caseCount = new Map([...snapshot.accounts].map(([key, cases]) => [key, cases.size]));
      const accounts = new Map<string, Map<string, StoredCaseAccountState | null>>();
      const cases = new Map<string, { record: unknown; untilMs: number; applied: readonly string[] }>();
      const records = new Map<string, CaseRecord>();
      const retrace = new Map<string, RetraceReason>();

      for (const caseId of caseIds) {
        const stored = snapshot.cases.get(caseId);
        const parsed = CaseRecordSchema.safeParse(stored?.record);
        if (snapshot.corruptCases.has(caseId) || (stored && !parsed.success)) {
          retrace.set(caseId, 'state');
          continue;
        }
        if (!parsed.success) continue; // past its horizon, or being re-traced
        const record = parsed.data;
        const states = new Map<string, CaseAccountState>();
        for (const [key, perCase] of snapshot.accounts) {
          const state = perCase.get(caseId);
          if (state) states.set(key, state.state);
        }
        const full = new Set(
          [...caseCount].filter(([, n]) => n >= this.config.PROCEEDS_STATE_MAX_CASES).map(([key]) => key),
        );
        const caseOpenings = openings.get(caseId) ?? new Map<string, PoolOpening | 'hub'>();
        openings.set(caseId, caseOpenings);
        let outcome = carryCaseTaint({
          record,
          states,
          transfers,
          applied: snapshot.applied.get(caseId) ?? new Set(),
          openings: caseOpenings,
          fullAccounts: full,
          openingsRead: false,
          policy: this.policy,
        });
        for (let round = 1; outcome.kind === 'needs-openings'; round += 1) {
          for (const [key, opening] of await this.openingsOf(outcome.needs, record))
            caseOpenings.set(key, opening);
          outcome = carryCaseTaint({
            record,
            states,
            transfers,
            applied: snapshot.applied.get(caseId) ?? new Set(),
            openings: caseOpenings,
            fullAccounts: full,
            openingsRead: round >= MAX_OPENING_ROUNDS,
            policy: this.policy,
          });
        }
        if (outcome.kind === 'retrace') {
          retrace.set(caseId, outcome.reason);
          continue;
        }
        if (!outcome.changed && outcome.applied.length === 0) continue;
        for (const [key, state] of outcome.states) {
          const perCase = accounts.get(key) ?? new Map<string, StoredCaseAccountState | null>();
          perCase.set(caseId, state ? { state, untilMs: record.untilMs } : null);
          accounts.set(key, perCase);
          if (state && !states.has(key)) caseCount.set(key, (caseCount.get(key) ?? 0) + 1);
        }
        cases.set(caseId, { record: outcome.record, untilMs: record.untilMs, applied: outcome.applied });
        if (outcome.changed) records.set(caseId, outcome.record);
      }
      if (accounts.size === 0 && cases.size === 0) return { records, retrace };
      if (await this.taintState.commit(snapshot, { accounts, cases }, nowMs)) {
        this.logger.debug(
          `${relevant.length} of ${committed.length} transfers touch traced accounts: ${records.size} case(s) carried, ${retrace.size} to re-trace`,
        );
        return { records, retrace };
      }
    }
    throw new Error(`taint state kept changing under ${MAX_COMMIT_ATTEMPTS} attempts to carry a batch`);
  }

  /**
   * Pools of accounts the case's money reaches for the first time, from their flows in the look-back before
   * (as the batch trace reads them); more flows than the edge cap mark a hub, where tracing stops.
   */
  private async openingsOf(
    needs: readonly OpeningNeed[],
    record: CaseRecord,
  ): Promise<Map<string, PoolOpening | 'hub'>> {
    const flows = await this.graph.readPoolFlows(
      needs.map((n) => ({
        accountKey: n.accountKey,
        fromMs: n.atMs - this.config.PROCEEDS_MIX_LOOKBACK_MS,
        untilMs: n.atMs,
      })),
      this.config.PROCEEDS_EDGE_CAP + 1,
    );
    const openings = new Map<string, PoolOpening | 'hub'>();
    for (const need of needs) {
      const before = (flows.get(need.accountKey) ?? []).filter((t) => {
        const atMs = Date.parse(t.bookedAt);
        return atMs < need.atMs || (atMs === need.atMs && t.transferId < need.transferId);
      });
      if (before.length > this.config.PROCEEDS_EDGE_CAP) {
        openings.set(need.accountKey, 'hub');
        continue;
      }
      const book = new PoolBook();
      const edges = before.flatMap((t) => {
        const result = toEdge(t, record.unit);
        return 'edge' in result ? [result.edge] : [];
      });
      edges.sort((a, b) => a.atMs - b.atMs || (a.transferId < b.transferId ? -1 : 1));
      for (const edge of edges) book.apply(edge);
      openings.set(need.accountKey, book.opening(need.accountKey));
    }
    return openings;
  }
}
