import { Inject, Injectable, Logger } from '@nestjs/common';
import { TOPICS, type AlertDraft, type AlertRaised } from '@scamflow/contracts';
import { KafkaPublisher } from '@scamflow/messaging';
import { maskIdentifier, recordAlertDrafts, recordAlertsIssued } from '@scamflow/observability';
import { AlertStateRepository, type AlertSubjectRef, type IssuedAlertState } from '@scamflow/rolling-state';
import { decideIssue, mintAlertId } from './alert-versioning';
import { fitAlertText } from './fit-alert';
import { publishedAlertHeaders } from './issued-alert-states';

/** Replicas racing on one subject re-decide from the winner's state; a few rounds settle any real contention. */
const MAX_RESERVE_ATTEMPTS = 5;

export class AlertVersionConflictError extends Error {
  override readonly name = 'AlertVersionConflictError';
}

interface Reserved {
  readonly kind: 'new' | 'update';
  readonly ref: AlertSubjectRef;
  readonly alert: AlertRaised;
  /** The alert's JSON as published. */
  readonly text: string;
  readonly state: IssuedAlertState;
}

/**
 * Publishes detector drafts as versioned alerts on `detection.alert.raised.v1` (key = subject account key):
 * a new subject gets version 1, new evidence on the same subject a new version of the same alert id, and an
 * unchanged re-evaluation (restart, replay, duplicate) nothing.
 *
 * Each version is reserved first (compare-and-set in one Redis script: two replicas never issue two contents
 * under one version), then published, then confirmed. A crash after reserving re-publishes the reserved version
 * with the same content, or skips it when the content changed meanwhile. A lost state mints a new alert id.
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

    const decided = await Promise.all(
      unique.map((draft, i) => this.reserve(draft, refs[i]!, issued[i], now)),
    );
    recordAlertDrafts(decided.map((d) => (typeof d === 'string' ? d : d.kind)));
    const reserved = decided.filter((r): r is Reserved => typeof r !== 'string');
    if (reserved.length === 0) return [];
    const alerts = reserved.map((r) => r.alert);
    await this.publisher.publish(
      TOPICS.alertRaised,
      reserved.map(({ alert, text, ref, state }) => ({
        key: alert.subject.accountKey,
        value: text,
        headers: publishedAlertHeaders(ref.subjectKey, state),
      })),
    );
    await this.states.confirm(reserved.map((r) => ({ ...r.ref, ...r.state })));
    recordAlertsIssued(alerts);
    for (const alert of alerts) {
      // The trigger is the transfer's (or case's) correlation id across the services' logs: its canonical id.
      const trigger = alert.trigger.transferId
        ? ` (trigger transfer ${alert.trigger.transferId})`
        : alert.trigger.caseId
          ? ` (trigger case ${alert.trigger.caseId})`
          : '';
      this.logger.log(
        `Issued ${alert.typology} alert ${alert.alertId} v${alert.version} on ${maskIdentifier(alert.subject.accountKey)}${trigger}`,
      );
    }
    return alerts;
  }

  /** Decides and reserves one subject's next version, or says why there is nothing to publish. */
  private async reserve(
    draft: AlertDraft,
    ref: AlertSubjectRef,
    initial: IssuedAlertState | undefined,
    now: Date,
  ): Promise<Reserved | 'unchanged' | 'stale'> {
    let current = initial;
    for (let attempt = 0; attempt < MAX_RESERVE_ATTEMPTS; attempt += 1) {
      const decision = decideIssue(draft, current, now, mintAlertId(draft.proposedAlertId, now));
      if (decision.kind !== 'new' && decision.kind !== 'update') return decision.kind;
      const { kind } = decision;
      const { alert, text } = fitAlertText(decision.alert, undefined, decision.text);
      // A pending version re-published as it was is already reserved.
      if (current?.pending && current.version === decision.state.version) {
        return { kind, ref, alert, text, state: decision.state };
      }
      const outcome = await this.states.reserve(ref, current?.version ?? 0, {
        ...decision.state,
        pending: true,
      });
      if (outcome.reserved) return { kind, ref, alert, text, state: decision.state };
      current = outcome.current;
    }
    throw new AlertVersionConflictError(
      `could not reserve a version of ${ref.typology} on ${maskIdentifier(ref.subjectKey)} after ` +
        `${MAX_RESERVE_ATTEMPTS} attempts (replicas racing)`,
    );
  }
}
