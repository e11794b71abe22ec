import { Inject, Injectable, Logger } from '@nestjs/common';
import { AlertIssuer } from '@scamflow/alerting';
import { GraphCommittedSchema, type AlertDraft } from '@scamflow/contracts';
import { ProceedsSubgraphRepository, type ProceedsSubgraphLimits } from '@scamflow/graph';
import { DeadLetterPublisher, parseJsonBatch, type ConsumedBatch } from '@scamflow/messaging';
import { ProceedsTaintRepository } from '@scamflow/rolling-state';
import { traceProceeds } from '@scamflow/tracing';
import { analyseCase, watchedHolders, type CaseFindings } from './case-findings';
import { buildCrossBorderAlert, buildProximityAlerts } from './proceeds-alerts';
import { followMaterialShare, toTraceInput } from './trace-input';
import { PROCEEDS_TRACER_CONFIG, type ProceedsTracerConfig } from './proceeds-tracer.config';

/**
 * Traces victim cases forward through the graph and raises cross-border and proximity alerts. A committed
 * report traces its case; committed transfers re-trace (once per batch) the cases whose traced money their
 * debtors hold, so later onward movements update the case's alert (new version) instead of raising another.
 */
@Injectable()
export class TraceVictimCasesService {
  private readonly logger = new Logger(TraceVictimCasesService.name);
  private readonly limits: ProceedsSubgraphLimits;
  private readonly reference: { currency: string; scale: number };

  constructor(
    @Inject(ProceedsSubgraphRepository) private readonly subgraphs: ProceedsSubgraphRepository,
    @Inject(ProceedsTaintRepository) private readonly taint: ProceedsTaintRepository,
    @Inject(AlertIssuer) private readonly alerts: AlertIssuer,
    @Inject(DeadLetterPublisher) private readonly deadLetters: DeadLetterPublisher,
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
  }

  async execute(batch: ConsumedBatch, now: Date = new Date()): Promise<void> {
    const { parsed, rejected } = parseJsonBatch(
      batch,
      GraphCommittedSchema,
      this.config.PROCEEDS_TRACER_MAX_MESSAGE_BYTES,
    );
    await this.deadLetters.publish(rejected);
    const caseIds = new Set<string>();
    const debtors = new Set<string>();
    for (const { value } of parsed) {
      if (value.kind === 'victim-reports') for (const r of value.reports) caseIds.add(r.caseId);
      if (value.kind === 'transfers') for (const t of value.transfers) debtors.add(t.debtorKey);
    }
    for (const cases of (await this.taint.casesOf([...debtors])).values()) {
      for (const caseId of cases) caseIds.add(caseId);
    }
    if (caseIds.size === 0) return;

    const traced = await this.traceCases([...caseIds]);
    // A proximity alert lists every case that reached the account, so cases indexed there are traced too.
    const reached = traced.flatMap((f) =>
      [...f.depth].filter(([, d]) => d >= 1 && d <= this.config.PROCEEDS_PROXIMITY_HOPS).map(([k]) => k),
    );
    const others = new Set<string>();
    for (const cases of (await this.taint.casesOf(reached)).values()) {
      for (const caseId of cases) if (!caseIds.has(caseId)) others.add(caseId);
    }
    const all = [...traced, ...(await this.traceCases([...others]))];

    await this.taint.record(
      all.map((f) => ({
        caseId: f.caseId,
        accountKeys: [
          // The victim's own later payments are not the case's money; only a reported payment still missing
          // from the graph needs the victim's account watched.
          ...(f.unmatchedPayments > 0 ? f.victims.map((v) => v.accountKey) : []),
          ...watchedHolders(f, this.config.PROCEEDS_WATCH_MIN_SHARE),
        ],
      })),
    );
    const drafts: AlertDraft[] = [
      ...all.flatMap((f) => buildCrossBorderAlert(f, this.config.PROCEEDS_MAX_HOPS) ?? []),
      ...buildProximityAlerts(
        all,
        this.config.PROCEEDS_PROXIMITY_HOPS,
        this.config.PROCEEDS_PROXIMITY_MIN_SHARE,
      ),
    ];
    await this.alerts.issue(drafts, now);
  }

  private async traceCases(caseIds: readonly string[]): Promise<CaseFindings[]> {
    const findings: CaseFindings[] = [];
    for (const caseId of caseIds) {
      const subgraph = await this.subgraphs.readCase(
        caseId,
        this.limits,
        followMaterialShare(this.reference, this.config.PROCEEDS_FOLLOW_MIN_SHARE),
      );
      if (!subgraph) {
        this.logger.warn(`case ${caseId}: no report in the graph`);
        continue;
      }
      const input = toTraceInput(subgraph, this.reference);
      const result = traceProceeds({ edges: input.edges, seeds: input.seeds });
      const found = analyseCase(subgraph, input, result);
      this.logger.debug(
        `case ${caseId}: ${subgraph.transfers.length} transfers, ${found.hops.length} traced hops, ` +
          `${found.holders.length} holders, ${found.crossBorder.size} cross-border accounts`,
      );
      findings.push(found);
    }
    return findings;
  }
}
