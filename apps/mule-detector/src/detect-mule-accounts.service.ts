import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  TOPICS,
  TYPOLOGIES,
  TransferAcceptedSchema,
  type AccountRef,
  type AlertRaised,
} from '@scamflow/contracts';
import { DeadLetterPublisher, KafkaPublisher, parseJsonBatch, type ConsumedBatch } from '@scamflow/messaging';
import { AccountFlowRepository } from '@scamflow/rolling-state';
import { buildFanInPassThroughAlert } from './fan-in-pass-through.alert';
import { evaluateFanInPassThrough, type FanInPassThroughRule } from './fan-in-pass-through.detector';
import { MULE_DETECTOR_CONFIG, type MuleDetectorConfig } from './mule-detector.config';

/**
 * Updates each account's rolling flows in Redis (once per transfer id), re-evaluates the accounts the batch
 * touched, and publishes an alert for each newly suspicious account. Accounts already alerted for the
 * typology are not raised again.
 */
@Injectable()
export class DetectMuleAccountsService {
  private readonly logger = new Logger(DetectMuleAccountsService.name);
  private readonly rule: FanInPassThroughRule;

  constructor(
    @Inject(AccountFlowRepository) private readonly flows: AccountFlowRepository,
    @Inject(KafkaPublisher) private readonly publisher: KafkaPublisher,
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
    const typology = TYPOLOGIES.fanInPassThrough;
    const alerted = await this.flows.alreadyAlerted(typology, [...touched.keys()]);
    const candidates = [...touched.keys()].filter((key) => !alerted.has(key));
    const oldest = Math.min(...transfers.map((t) => Date.parse(t.bookedAt))) - retentionMs;
    const state = await this.flows.read(candidates, oldest);

    const alerts: AlertRaised[] = [];
    for (const [accountKey, { inflows, outflows }] of state) {
      const finding = evaluateFanInPassThrough(inflows, outflows, this.rule);
      const subject = touched.get(accountKey);
      if (finding?.fired && subject) alerts.push(buildFanInPassThroughAlert(subject, finding, now));
    }
    await this.publisher.publish(
      TOPICS.alertRaised,
      alerts.map((alert) => ({ key: alert.subject.accountKey, value: JSON.stringify(alert) })),
    );
    await this.flows.markAlerted(
      typology,
      alerts.map((a) => ({ accountKey: a.subject.accountKey, alertId: a.alertId })),
    );
    for (const alert of alerts) {
      this.logger.log(`Raised ${alert.typology} alert ${alert.alertId} on ${alert.subject.accountKey}`);
    }
  }
}
