import { Inject, Injectable, Logger } from '@nestjs/common';
import { AlertIssuer } from '@scamflow/alerting';
import { GraphCommittedSchema, type AlertDraft, type CommittedTransfer } from '@scamflow/contracts';
import { DeadLetterPublisher, parseJsonBatch, type ConsumedBatch } from '@scamflow/messaging';
import { recordRetraces } from '@scamflow/observability';
import { TaintStateRepository, VictimPaymentWatchRepository } from '@scamflow/rolling-state';
import { couldSettle } from '@scamflow/tracing';
import { CarryCaseTaintService, type CarriedBatch } from './carry-case-taint.service';
import type { CaseFindings } from './case-findings';
import { CaseRecordSchema, findingsOfRecord, type CaseRecord } from './case-record.schema';
import { buildCrossBorderAlert, buildProximityAlerts } from './proceeds-alerts';
import { PROCEEDS_TRACER_CONFIG, type ProceedsTracerConfig } from './proceeds-tracer.config';
import { RetraceCasesService } from './retrace-cases.service';

/**
 * Traces victim cases forward and raises cross-border and proximity alerts. A committed report traces its case
 * from the graph once (the backfill) and stores its state; committed transfers then carry every case whose
 * money their accounts hold forward from that state, without reading the case's subgraph again. A case that
 * cannot be carried exactly (a late transfer, another asset) is traced from the graph again, counted in
 * `scamflow_retraces_total`. Later movements update the case's alert (new version) instead of raising another.
 */
@Injectable()
export class TraceVictimCasesService {
  private readonly logger = new Logger(TraceVictimCasesService.name);
  /** Re-traces from the graph since start, per reason (also in the retraces metric). */
  readonly retraces = { report: 0, late: 0, unit: 0, state: 0, depth: 0, 'victim-payment': 0 };

  constructor(
    @Inject(RetraceCasesService) private readonly retraceCases: RetraceCasesService,
    @Inject(CarryCaseTaintService) private readonly carry: CarryCaseTaintService,
    @Inject(VictimPaymentWatchRepository) private readonly victimWatch: VictimPaymentWatchRepository,
    @Inject(TaintStateRepository) private readonly taintState: TaintStateRepository,
    @Inject(AlertIssuer) private readonly alerts: AlertIssuer,
    @Inject(DeadLetterPublisher) private readonly deadLetters: DeadLetterPublisher,
    @Inject(PROCEEDS_TRACER_CONFIG) private readonly config: ProceedsTracerConfig,
  ) {}

  /**
   * The feed's event time as this instance has seen it: the latest transfer booked, never ahead of the clock.
   * Unknown (nothing expires) until a batch of transfers comes; dropping state late is harmless, the horizon
   * itself is checked per transfer.
   */
  private feedTimeMs = Number.NEGATIVE_INFINITY;

  async execute(batch: ConsumedBatch, now: Date = new Date()): Promise<void> {
    const { parsed, rejected } = parseJsonBatch(
      batch,
      GraphCommittedSchema,
      this.config.PROCEEDS_TRACER_MAX_MESSAGE_BYTES,
    );
    await this.deadLetters.publish(rejected);
    const reported = new Map<string, number>();
    const committed: CommittedTransfer[] = [];
    for (const { value } of parsed) {
      if (value.kind === 'victim-reports') {
        for (const r of value.reports)
          reported.set(r.caseId, Math.max(r.version, reported.get(r.caseId) ?? 0));
      }
      if (value.kind === 'transfers') committed.push(...value.transfers);
    }
    this.feedTimeMs = feedTimeAfter(this.feedTimeMs, committed, now.getTime());
    // State is kept and dropped by event time (a case's horizon is event time), never by the clock.
    const stateClockMs = this.feedTimeMs - this.config.PROCEEDS_STATE_EXPIRY_LAG_MS;
    // A replayed report whose version is already traced is not traced again: its stored record is re-issued
    // (idempotent), in case the first delivery stopped before its alerts went out.
    const stored = (await this.taintState.read([], [...reported.keys()], new Map(), stateClockMs)).cases;
    const replayed = new Map<string, CaseRecord>();
    for (const [caseId, version] of reported) {
      const parsed = CaseRecordSchema.safeParse(stored.get(caseId)?.record);
      if (parsed.success && parsed.data.caseVersion >= version) replayed.set(caseId, parsed.data);
    }
    const retrace = new Map<string, keyof typeof this.retraces>(
      [...reported.keys()].filter((id) => !replayed.has(id)).map((id) => [id, 'report']),
    );
    // A victim whose reported payment was not in the graph when the case was traced is watched: a transfer of
    // theirs that can be the payment (the id the report named, or booked in its window) traces the case again.
    const watched = await this.victimWatch.watchedAt(committed.map((t) => t.debtorKey));
    for (const t of committed) {
      for (const [caseId, pending] of watched.get(t.debtorKey) ?? []) {
        if (!retrace.has(caseId) && (pending === 'unreadable' || couldSettle(pending, t))) {
          retrace.set(caseId, 'victim-payment');
        }
      }
    }
    const carried: CarriedBatch =
      committed.length > 0
        ? await this.carry.execute(committed, stateClockMs)
        : { records: new Map(), retrace: new Map() };
    for (const [caseId, reason] of carried.retrace) if (!retrace.has(caseId)) retrace.set(caseId, reason);
    const records = new Map([...replayed, ...carried.records]);
    if (retrace.size === 0 && records.size === 0) return;

    for (const reason of retrace.values()) this.retraces[reason] += 1;
    recordRetraces([...retrace.values()].filter((r) => r !== 'report'));
    const traced = retrace.size > 0 ? await this.retraceCases.execute([...retrace.keys()], stateClockMs) : [];
    // Watch cases with payments still pending; a case whose payments are all found is no longer watched.
    await this.victimWatch.update(
      traced.map((f) => ({
        caseId: f.caseId,
        accountKeys: f.victims.map((v) => v.accountKey),
        pending: f.pendingPayments ?? [],
      })),
    );
    const findings = [
      ...traced,
      ...[...records.values()].filter((r) => !retrace.has(r.caseId)).map(findingsOfRecord),
    ];
    const all = [...findings, ...(await this.otherCasesNear(findings, stateClockMs))];
    const drafts: AlertDraft[] = [
      ...findings.flatMap((f) => buildCrossBorderAlert(f, this.config.PROCEEDS_MAX_HOPS) ?? []),
      ...buildProximityAlerts(
        all,
        this.config.PROCEEDS_PROXIMITY_HOPS,
        this.config.PROCEEDS_PROXIMITY_MIN_SHARE,
      ),
    ];
    this.logger.debug(
      `${findings.length} case(s) updated (${traced.length} from the graph), ${drafts.length} alert draft(s)`,
    );
    await this.alerts.issue(drafts, now);
  }

  /**
   * A proximity alert lists every case that reached the account: the stored records of other cases held at
   * accounts these cases reached within the proximity hops (no graph read).
   */
  private async otherCasesNear(
    findings: readonly CaseFindings[],
    stateClockMs: number,
  ): Promise<CaseFindings[]> {
    const known = new Set(findings.map((f) => f.caseId));
    const reached = findings.flatMap((f) =>
      [...f.depth].filter(([, d]) => d >= 1 && d <= this.config.PROCEEDS_PROXIMITY_HOPS).map(([k]) => k),
    );
    const others = new Set<string>();
    for (const cases of (await this.taintState.casesAt(reached, stateClockMs)).values()) {
      for (const caseId of cases) if (!known.has(caseId)) others.add(caseId);
    }
    if (others.size === 0) return [];
    const snapshot = await this.taintState.read([], [...others], new Map(), stateClockMs);
    return [...snapshot.cases.values()].flatMap((c) => {
      const parsed = CaseRecordSchema.safeParse(c.record);
      return parsed.success ? [findingsOfRecord(parsed.data)] : [];
    });
  }
}

/** The feed's event time after a batch: the latest transfer booked so far, never ahead of the clock. */
export const feedTimeAfter = (
  feedTimeMs: number,
  committed: readonly Pick<CommittedTransfer, 'bookedAt'>[],
  clockMs: number,
): number => {
  let latest = feedTimeMs;
  for (const t of committed) {
    const atMs = Math.min(Date.parse(t.bookedAt), clockMs);
    if (atMs > latest) latest = atMs;
  }
  return latest;
};
