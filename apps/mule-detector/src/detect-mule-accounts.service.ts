import { Inject, Injectable } from '@nestjs/common';
import { AlertIssuer } from '@scamflow/alerting';
import { TransferAcceptedSchema, type AccountRef, type AlertDraft } from '@scamflow/contracts';
import { DeadLetterPublisher, parseJsonBatch, type ConsumedBatch } from '@scamflow/messaging';
import { AccountFlowRepository } from '@scamflow/rolling-state';
import { buildFanInPassThroughAlert } from './fan-in-pass-through.alert';
import { evaluateFanInPassThrough, type FanInPassThroughRule } from './fan-in-pass-through.detector';
import { MULE_DETECTOR_CONFIG, type MuleDetectorConfig } from './mule-detector.config';

/**
 * Updates each account's rolling flows in Redis (once per transfer id), re-evaluates the accounts the batch
 * touched, and hands a draft for each suspicious account to the alert issuer, which raises it once and
 * versions it as evidence grows.
 */
@Injectable()
export class DetectMuleAccountsService {
  private readonly rule: FanInPassThroughRule;

  constructor(
    @Inject(AccountFlowRepository) private readonly flows: AccountFlowRepository,
    @Inject(AlertIssuer) private readonly alerts: AlertIssuer,
    @Inject(DeadLetterPublisher) private readonly deadLetters: DeadLetterPublisher,
    @Inject(MULE_DETECTOR_CONFIG) private readonly config: MuleDetectorConfig,
  ) {
    this.rule = {
      windowMs: config.FAN_IN_WINDOW_MS,
      minDistinctSenders: config.FAN_IN_MIN_DISTINCT_SENDERS,
      minPassThroughRatio: config.FAN_IN_MIN_PASS_THROUGH_RATIO,
      maxDwellMs: config.FAN_IN_MAX_DWELL_MS,
    };
  }

  async execute(batch: ConsumedBatch, now: Date = new Date()): Promise<void> {
    const { parsed, rejected } = parseJsonBatch(
      batch,
      TransferAcceptedSchema,
      this.config.MULE_DETECTOR_MAX_MESSAGE_BYTES,
    );
    await this.deadLetters.publish(rejected);
    if (parsed.length === 0) return;

    const transfers = parsed.map((p) => p.value);
    // Retention covers the window plus the dwell allowance so pass-through after the window is still seen.
    const retentionMs = this.rule.windowMs + this.rule.maxDwellMs;
    await this.flows.record(
      transfers.map((t) => ({
        transferId: t.transferId,
        debtorKey: t.debtor.accountKey,
        creditorKey: t.creditor.accountKey,
        amountMinor: t.amount.amountMinor,
        currency: t.amount.currency,
        scale: t.amount.scale,
        atMs: Date.parse(t.bookedAt),
      })),
      retentionMs,
    );

    // Every touched account is re-evaluated (not only those of new transfers): if a previous attempt
    // crashed after recording but before publishing, the retry still raises the alert.
    const touched = new Map<string, AccountRef>();
    for (const t of transfers) {
      touched.set(t.creditor.accountKey, t.creditor);
      touched.set(t.debtor.accountKey, t.debtor);
    }
    const candidates = [...touched.keys()];
    const oldest = Math.min(...transfers.map((t) => Date.parse(t.bookedAt))) - retentionMs;
    const state = await this.flows.read(candidates, oldest);

    const drafts: AlertDraft[] = [];
    for (const [accountKey, { inflows, outflows }] of state) {
      const finding = evaluateFanInPassThrough(inflows, outflows, this.rule);
      const subject = touched.get(accountKey);
      if (finding?.fired && subject) drafts.push(buildFanInPassThroughAlert(subject, finding));
    }
    await this.alerts.issue(drafts, now);
  }
}
