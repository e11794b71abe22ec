import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { AlertIssuer } from '@scamflow/alerting';
import { GraphCommittedSchema, type AlertDraft, type CommittedTransfer } from '@scamflow/contracts';
import { DeadLetterPublisher, parseJsonBatch, type ConsumedBatch } from '@scamflow/messaging';
import { recordRetraces } from '@scamflow/observability';
import {
  RetraceScheduleRepository,
  TaintStateRepository,
  VictimPaymentWatchRepository,
  type ClaimedRetrace,
} from '@scamflow/rolling-state';
import { couldSettle } from '@scamflow/tracing';
import { CarryCaseTaintService, type CarriedBatch, type RetraceReason } from './carry-case-taint.service';
import type { CaseFindings } from './case-findings';
import { CaseRecordSchema, findingsOfRecord, type CaseRecord } from './case-record.schema';
import { buildCrossBorderAlert, buildProximityAlerts } from './proceeds-alerts';
import { PROCEEDS_TRACER_CONFIG, type ProceedsTracerConfig } from './proceeds-tracer.config';
import { EventTimeWatermark } from './event-time-watermark';
import { RetraceCasesService } from './retrace-cases.service';

/**
 * Traces victim cases forward and raises cross-border and proximity alerts. A committed report traces its case
 * from the graph once (the backfill) and stores its state; committed transfers then carry every case whose
 * money their accounts hold forward from that state, without reading the case's subgraph again. A case that
 * cannot be carried exactly (a late transfer, another asset, the victim's payment found after the report) is
 * traced from the graph again once such transfers settle (`RetraceScheduleRepository`; a timer runs what falls
 * due between batches), counted in `scamflow_retraces_total`. Later movements update the case's alert (new
 * version) instead of raising another.
 */
@Injectable()
export class TraceVictimCasesService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TraceVictimCasesService.name);
  /** Re-traces from the graph since start, per reason (also in the retraces metric). */
  readonly retraces = { report: 0, late: 0, unit: 0, state: 0, depth: 0, 'victim-payment': 0 };
  /** Batches and due traces run one at a time (the timer's work waits for a batch's, and the other way round). */
  private running: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(RetraceCasesService) private readonly retraceCases: RetraceCasesService,
    @Inject(CarryCaseTaintService) private readonly carry: CarryCaseTaintService,
    @Inject(VictimPaymentWatchRepository) private readonly victimWatch: VictimPaymentWatchRepository,
    @Inject(RetraceScheduleRepository) private readonly schedule: RetraceScheduleRepository,
    @Inject(TaintStateRepository) private readonly taintState: TaintStateRepository,
    @Inject(AlertIssuer) private readonly alerts: AlertIssuer,
    @Inject(DeadLetterPublisher) private readonly deadLetters: DeadLetterPublisher,
    @Inject(PROCEEDS_TRACER_CONFIG) private readonly config: ProceedsTracerConfig,
  ) {
    this.watermark = new EventTimeWatermark(config.PROCEEDS_WATERMARK_IDLE_MS);
  }

  /**
   * The feed's event time as this instance has seen it: the slowest partition's latest transfer booked, never
   * ahead of the clock. Unknown (nothing expires) until a batch of transfers comes; dropping state late is
   * harmless, the horizon itself is checked per transfer.
   */
  private feedTimeMs = Number.NEGATIVE_INFINITY;
  private readonly watermark: EventTimeWatermark;

  onApplicationBootstrap(): void {
    const everyMs = Math.max(100, Math.floor(this.config.PROCEEDS_RETRACE_SETTLE_MS / 4));
    this.timer = setInterval(() => {
      this.runDue().catch((error: unknown) =>
        this.logger.error(`deferred traces failed (retried at the next tick): ${String(error)}`),
      );
    }, everyMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running.catch(() => undefined);
  }

  async execute(batch: ConsumedBatch, now: Date = new Date()): Promise<void> {
    await this.serially(() => this.handle(batch, now));
  }

  /** Traces the cases whose deferred trace is due (between batches: a quiet feed still gets them). */
  async runDue(now: Date = new Date()): Promise<void> {
    await this.serially(() =>
      this.traceAndAlert({ reported: new Set(), records: new Map(), stateClockMs: this.stateClock() }, now),
    );
  }

  private serially(work: () => Promise<void>): Promise<void> {
    const next = this.running.then(work, work);
    this.running = next.catch(() => undefined);
    return next;
  }

  private stateClock(): number {
    // State is kept and dropped by event time (a case's horizon is event time), never by the clock.
    return this.feedTimeMs - this.config.PROCEEDS_STATE_EXPIRY_LAG_MS;
  }

  private async handle(batch: ConsumedBatch, now: Date): Promise<void> {
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
    this.watermark.observe(
      `${batch.topic}:${batch.partition}`,
      committed.map((t) => Date.parse(t.bookedAt)),
      now.getTime(),
    );
    this.feedTimeMs = this.watermark.current(now.getTime());
    const stateClockMs = this.stateClock();
    // A replayed report whose version is already traced is not traced again: its stored record is re-issued
    // (idempotent), in case the first delivery stopped before its alerts went out.
    const stored = (await this.taintState.read([], [...reported.keys()], new Map(), stateClockMs)).cases;
    const replayed = new Map<string, CaseRecord>();
    for (const [caseId, version] of reported) {
      const parsed = CaseRecordSchema.safeParse(stored.get(caseId)?.record);
      if (parsed.success && parsed.data.caseVersion >= version) replayed.set(caseId, parsed.data);
    }
    const reportedNow = new Set([...reported.keys()].filter((id) => !replayed.has(id)));
    // A victim whose reported payment was not in the graph when the case was traced is watched: a transfer of
    // theirs that can be the payment (the id the report named, or booked in its window) traces the case again.
    const deferred = new Map<string, RetraceReason | 'victim-payment'>();
    const watched = await this.victimWatch.watchedAt(committed.map((t) => t.debtorKey));
    for (const t of committed) {
      for (const [caseId, pending] of watched.get(t.debtorKey) ?? []) {
        if (!reportedNow.has(caseId) && (pending === 'unreadable' || couldSettle(pending, t))) {
          deferred.set(caseId, 'victim-payment');
        }
      }
    }
    // Asked for before the carry, which leaves cases waiting for a trace alone (the trace will cover them).
    await this.schedule.request(deferred, now.getTime(), this.timing);
    const carried: CarriedBatch =
      committed.length > 0
        ? await this.carry.execute(committed, stateClockMs)
        : { records: new Map(), retrace: new Map() };
    const more = new Map([...carried.retrace].filter(([caseId]) => !reportedNow.has(caseId)));
    await this.schedule.request(more, now.getTime(), this.timing);
    await this.traceAndAlert(
      { reported: reportedNow, records: new Map([...replayed, ...carried.records]), stateClockMs },
      now,
    );
  }

  private get timing() {
    return {
      settleMs: this.config.PROCEEDS_RETRACE_SETTLE_MS,
      maxDelayMs: this.config.PROCEEDS_RETRACE_MAX_DELAY_MS,
      late: {
        settleMs: this.config.PROCEEDS_RETRACE_LATE_SETTLE_MS,
        maxDelayMs: this.config.PROCEEDS_RETRACE_LATE_MAX_DELAY_MS,
      },
    };
  }

  /**
   * Traces reported cases and the deferred traces due now from the graph, and issues the alerts of those and
   * of the cases carried in this batch.
   */
  private async traceAndAlert(
    work: {
      readonly reported: ReadonlySet<string>;
      readonly records: ReadonlyMap<string, CaseRecord>;
      readonly stateClockMs: number;
    },
    now: Date,
  ): Promise<void> {
    const { reported, records, stateClockMs } = work;
    const due: ClaimedRetrace[] = (
      await this.schedule.claimDue(now.getTime(), CLAIM_LEASE_MS, MAX_DUE_PER_RUN)
    ).filter((d) => !reported.has(d.caseId));
    if (reported.size === 0 && due.length === 0 && records.size === 0) return;

    const retrace = new Map<string, keyof typeof this.retraces>([...reported].map((id) => [id, 'report']));
    for (const d of due) retrace.set(d.caseId, isRetraceReason(d.reason) ? d.reason : 'state');
    for (const reason of retrace.values()) this.retraces[reason] += 1;
    recordRetraces([...retrace.values()].filter((r) => r !== 'report'));
    const traced = retrace.size > 0 ? await this.retraceCases.execute([...retrace.keys()], stateClockMs) : [];
    await this.schedule.done([
      ...[...reported].map((caseId) => ({ caseId })),
      ...due.map(({ caseId, claim }) => ({ caseId, claim })),
    ]);
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
        new Set(findings.map((f) => f.caseId)),
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

/** A claimed deferred trace is another instance's to take if this one has not ended it within this. */
const CLAIM_LEASE_MS = 60_000;
/** Deferred traces claimed per batch or tick (the rest wait for the next). */
const MAX_DUE_PER_RUN = 64;

const RETRACE_REASONS: readonly string[] = ['late', 'unit', 'state', 'depth', 'victim-payment'];
const isRetraceReason = (reason: string): reason is RetraceReason | 'victim-payment' =>
  RETRACE_REASONS.includes(reason);
