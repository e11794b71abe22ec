import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ALERT_PRODUCER_DETECTOR,
  ALERT_PRODUCER_HEADER,
  TOPICS,
  type AlertDraft,
  type AlertRaised,
} from '@scamflow/contracts';
import { KafkaPublisher } from '@scamflow/messaging';
import { AlertStateRepository } from '@scamflow/rolling-state';
import { decideIssue } from './alert-versioning';
import { fitAlert } from './fit-alert';

/**
 * Publishes detector drafts as versioned alerts on `detection.alert.raised.v1` (key = subject account key):
 * a new subject gets version 1, new evidence on the same subject a new version of the same alert id, and an
 * unchanged re-evaluation (restart, replay, duplicate) nothing. State is written after publishing, so a crash
 * in between re-publishes the same id and version, which consumers treat as one.
 */
@Injectable()
export class AlertIssuer {
  private readonly logger = new Logger(AlertIssuer.name);

  constructor(
    @Inject(AlertStateRepository) private readonly states: AlertStateRepository,
    @Inject(KafkaPublisher) private readonly publisher: KafkaPublisher,
  ) {}

  async issue(drafts: readonly AlertDraft[], now: Date = new Date()): Promise<AlertRaised[]> {
    if (drafts.length === 0) return [];
    // Several drafts for one subject in a batch: the last one carries the most evidence.
    const bySubject = new Map<string, AlertDraft>();
    const keyOf = (d: AlertDraft) => d.issueKey ?? d.subject.accountKey;
    for (const draft of drafts) bySubject.set(`${draft.typology}|${keyOf(draft)}`, draft);
    const unique = [...bySubject.values()];
    const refs = unique.map((d) => ({ typology: d.typology, subjectKey: keyOf(d) }));
    const issued = await this.states.read(refs);

    const alerts: AlertRaised[] = [];
    const states: Parameters<AlertStateRepository['write']>[0][number][] = [];
    unique.forEach((draft, i) => {
      const decision = decideIssue(draft, issued[i], now);
      if (decision.kind !== 'new' && decision.kind !== 'update') return;
      alerts.push(fitAlert(decision.alert));
      states.push({ ...refs[i]!, ...decision.state });
    });
    if (alerts.length === 0) return [];
    await this.publisher.publish(
      TOPICS.alertRaised,
      alerts.map((alert) => ({
        key: alert.subject.accountKey,
        value: JSON.stringify(alert),
        headers: { [ALERT_PRODUCER_HEADER]: ALERT_PRODUCER_DETECTOR },
      })),
    );
    await this.states.write(states);
    for (const alert of alerts) {
      this.logger.log(
        `Issued ${alert.typology} alert ${alert.alertId} v${alert.version} on ${alert.subject.accountKey}`,
      );
    }
    return alerts;
  }
}
