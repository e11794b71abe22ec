import { Inject, Injectable, Logger } from '@nestjs/common';
import { ProceedsSubgraphRepository, type ProceedsSubgraphLimits } from '@scamflow/graph';
import { timeNeo4jTransaction } from '@scamflow/observability';
import {
  TaintStateRepository,
  type StoredCaseAccountState,
  type StoredLeftCase,
} from '@scamflow/rolling-state';
import {
  SPLITTING_RULES,
  heldOf,
  pendingPaymentsOf,
  traceCaseState,
  traceProceeds,
  zeroRuleAmounts,
  type IncrementalLimits,
  type ProceedsSubgraph,
} from '@scamflow/tracing';
import { analyseCase, type CaseFindings } from './case-findings';
import { recordOfFindings, type CaseRecord } from './case-record.schema';
import { PROCEEDS_TRACER_CONFIG, type ProceedsTracerConfig } from './proceeds-tracer.config';
import { EdgeCache, followMaterialShare, toTraceInput, type TraceInput } from './trace-input';

const MAX_COMMIT_ATTEMPTS = 5;
/**
 * Cases whose subgraphs are read in one transaction (each step one statement for all of them): a round trip
 * to Neo4j costs the tracer more than what it returns, and a batch of reports or late transfers often names
 * many cases. Bounded so that one read stays small.
 */
const CASES_PER_READ = 16;

/** What a case traced from the graph stores: per account its state (or the mark it left at), and its record. */
interface CaseState {
  readonly caseId: string;
  readonly traced: TracedCase;
  readonly kept: ReadonlyMap<string, StoredCaseAccountState | StoredLeftCase>;
  readonly record: CaseRecord;
  readonly untilMs: number;
  readonly applied: readonly string[];
  readonly journalFromMs: number;
}

/** A case traced from the graph: its subgraph, the trace's input and what the trace found. */
export interface TracedCase {
  readonly subgraph: ProceedsSubgraph;
  readonly input: TraceInput;
  readonly findings: CaseFindings;
}

/**
 * Traces victim cases from the graph (the backfill: a reported case, or one that cannot be carried forward
 * exactly) and stores each case's per-account state and record, replacing what was stored for it: from then
 * on committed transfers carry the case forward without reading its subgraph again.
 */
@Injectable()
export class RetraceCasesService {
  private readonly logger = new Logger(RetraceCasesService.name);
  private readonly limits: ProceedsSubgraphLimits;
  private readonly reference: { currency: string; scale: number };
  private readonly stateLimits: IncrementalLimits;

  constructor(
    @Inject(ProceedsSubgraphRepository) private readonly subgraphs: ProceedsSubgraphRepository,
    @Inject(TaintStateRepository) private readonly taintState: TaintStateRepository,
    @Inject(PROCEEDS_TRACER_CONFIG) private readonly config: ProceedsTracerConfig,
  ) {
    this.limits = {
      maxHops: config.PROCEEDS_MAX_HOPS,
      horizonMs: config.PROCEEDS_HORIZON_MS,
      edgeCap: config.PROCEEDS_EDGE_CAP,
      paymentMatchWindowMs: config.PROCEEDS_PAYMENT_MATCH_WINDOW_MS,
      mixLookbackMs: config.PROCEEDS_MIX_LOOKBACK_MS,
    };
    this.reference = { currency: config.PROCEEDS_REFERENCE_CURRENCY, scale: config.PROCEEDS_REFERENCE_SCALE };
    this.stateLimits = { maxLots: config.PROCEEDS_STATE_MAX_LOTS };
  }

  async execute(caseIds: readonly string[], nowMs: number): Promise<CaseFindings[]> {
    const findings: CaseFindings[] = [];
    for (let from = 0; from < caseIds.length; from += CASES_PER_READ) {
      const chunk = caseIds.slice(from, from + CASES_PER_READ);
      const traced = await this.traceFromGraph(chunk);
      const states: CaseState[] = [];
      for (const caseId of chunk) {
        const one = traced.get(caseId);
        if (one) states.push(this.stateOf(caseId, one));
        else this.logger.warn(`case ${caseId}: no report in the graph`);
      }
      await this.store(states, nowMs);
      findings.push(
        ...states.map((c) => ({
          ...c.traced.findings,
          pendingPayments: pendingPaymentsOf(c.traced.subgraph, this.limits),
        })),
      );
    }
    return findings;
  }

  /**
   * Cases traced from the graph as it stands (nothing stored), read together (one read transaction); a case
   * whose report is not in the graph is left out.
   */
  async traceFromGraph(caseIds: readonly string[]): Promise<Map<string, TracedCase>> {
    // One conversion per transfer for every hop's follow decision and the final trace.
    const edges = new EdgeCache();
    const subgraphs = await timeNeo4jTransaction('read-case-subgraph', () =>
      this.subgraphs.readCases(
        caseIds,
        this.limits,
        followMaterialShare(this.reference, this.config.PROCEEDS_FOLLOW_MIN_SHARE, edges),
      ),
    );
    const traced = new Map<string, TracedCase>();
    for (const [caseId, subgraph] of subgraphs) {
      const input = toTraceInput(subgraph, this.reference, edges);
      const findings = analyseCase(
        subgraph,
        input,
        traceProceeds({ edges: input.edges, seeds: input.seeds }),
      );
      traced.set(caseId, { subgraph, input, findings });
    }
    return traced;
  }

  /** The state a case traced from the graph leaves: per account, and its record. */
  private stateOf(caseId: string, traced: TracedCase): CaseState {
    const { subgraph, input, findings } = traced;
    const backfill = traceCaseState({
      caseId,
      edges: input.edges,
      seeds: input.seeds,
      limits: this.stateLimits,
    });
    const seedTimes = input.edges.filter((e) => findings.seedTransferIds.includes(e.transferId));
    const startMs =
      seedTimes.length > 0 ? Math.min(...seedTimes.map((e) => e.atMs)) : Date.parse(subgraph.case.reportedAt);
    const untilMs = startMs + this.limits.horizonMs;

    // Accounts holding less than the follow share leave the state, as the trace stopped following them.
    const minPpm = BigInt(Math.round(this.config.PROCEEDS_FOLLOW_MIN_SHARE * 1_000_000));
    const pruned = zeroRuleAmounts();
    // An account that leaves keeps a mark of its last transfer: one arriving late there, ordered before it, would
    // have changed what the account passed on (clean money in first, under FIFO), so it traces the case again.
    const kept = new Map<string, StoredCaseAccountState | StoredLeftCase>();
    for (const [accountKey, state] of backfill.states) {
      const held = heldOf(state, caseId);
      const most = SPLITTING_RULES.reduce((m, rule) => (held[rule] > m ? held[rule] : m), 0n);
      if (most > 0n && most * 1_000_000n >= minPpm * findings.seeded) {
        kept.set(accountKey, { state, untilMs });
        continue;
      }
      for (const rule of SPLITTING_RULES) pruned[rule] += held[rule];
      const leftAt = { atMs: state.lastAtMs, transferId: state.lastTransferId };
      kept.set(accountKey, {
        leftAt: state.librApplied ? { ...leftAt, librApplied: true } : leftAt,
        untilMs,
      });
    }
    const record = recordOfFindings(findings, {
      startMs,
      untilMs,
      dissipated: backfill.totals.dissipated,
      pruned,
    });
    const applied = subgraph.transfers.map((t) => t.transferId);
    // The journal starts after every transfer this trace read: a transfer older than that arriving late traces
    // the case again.
    const journalFromMs =
      subgraph.transfers.reduce((max, t) => Math.max(max, Date.parse(t.bookedAt)), startMs) + 1;

    return { caseId, traced, kept, record, untilMs, applied, journalFromMs };
  }

  /**
   * Stores cases traced from the graph as their state, replacing what was stored for them (every account a case
   * held state or a mark at before is cleared): one read and one compare-and-set commit for them all.
   */
  private async store(cases: readonly CaseState[], nowMs: number): Promise<void> {
    if (cases.length === 0) return;
    const caseIds = cases.map((c) => c.caseId);
    for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt += 1) {
      const previous = await this.taintState.accountsOfCases(caseIds);
      const accounts = new Map<string, Map<string, StoredCaseAccountState | StoredLeftCase | null>>();
      for (const c of cases) {
        for (const key of new Set([...(previous.get(c.caseId) ?? []), ...c.kept.keys()])) {
          const perCase =
            accounts.get(key) ?? new Map<string, StoredCaseAccountState | StoredLeftCase | null>();
          perCase.set(c.caseId, c.kept.get(key) ?? null);
          accounts.set(key, perCase);
        }
      }
      // Versions only: this write replaces the cases' state wherever they had any, whatever it was.
      const snapshot = await this.taintState.readVersions([...accounts.keys()], caseIds);
      const written = await this.taintState.commit(
        snapshot,
        {
          accounts,
          cases: new Map(
            cases.map((c) => [
              c.caseId,
              {
                record: c.record,
                untilMs: c.untilMs,
                applied: c.applied,
                reset: { journalFromMs: c.journalFromMs },
              },
            ]),
          ),
        },
        nowMs,
      );
      if (written) {
        for (const c of cases) {
          this.logger.debug(
            `case ${c.caseId}: traced from the graph, ${c.traced.subgraph.transfers.length} transfers, ${[...c.kept.values()].filter((k) => 'state' in k).length} accounts in state`,
          );
        }
        return;
      }
    }
    throw new Error(
      `cases ${caseIds.join(', ')}: taint state kept changing under ${MAX_COMMIT_ATTEMPTS} attempts to store them`,
    );
  }
}
