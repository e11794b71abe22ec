import {
  ALERT_PRODUCER_DETECTOR,
  ALERT_PRODUCER_HEADER,
  ALERT_STATE_HEADERS,
  type AlertRaised,
} from '@scamflow/contracts';
import { evidenceCountOf, type IssuedState } from './alert-versioning';

/** An alert as read back from the alert topic, with its message headers. */
export interface PublishedAlert {
  readonly alert: AlertRaised;
  readonly headers: Readonly<Record<string, string>>;
}

/** The issued state of one (typology, issue key), as the alert issuer keeps it, and when it was issued. */
export interface RecoveredAlertState {
  readonly typology: string;
  readonly subjectKey: string;
  readonly state: IssuedState;
  readonly raisedAtMs: number;
}

/** The headers the issuer publishes an alert with: its producer and what its issued state is rebuilt from. */
export const publishedAlertHeaders = (issueKey: string, state: IssuedState): Record<string, string> => ({
  // Only alerts carrying this header make known mules (network-detector's shared identifiers).
  [ALERT_PRODUCER_HEADER]: ALERT_PRODUCER_DETECTOR,
  [ALERT_STATE_HEADERS.issueKey]: issueKey,
  [ALERT_STATE_HEADERS.fingerprint]: state.fingerprint,
  [ALERT_STATE_HEADERS.evidenceCount]: String(state.evidenceCount),
});

/**
 * What the alert issuer held when its state was lost, recovered from the alerts it published (in topic order:
 * one subject's alerts share a partition, so a later message is a later issue). Only detectors' alerts count.
 * Alerts published before the issuer set the state headers give the subject account as issue key, their evidence
 * count from the evidence and no fingerprint: the next evaluation then issues a new version of the same alert id
 * (never a second alert id for the subject).
 */
export const recoverIssuedStates = (published: Iterable<PublishedAlert>): RecoveredAlertState[] => {
  const latest = new Map<string, RecoveredAlertState>();
  for (const { alert, headers } of published) {
    if (headers[ALERT_PRODUCER_HEADER] !== ALERT_PRODUCER_DETECTOR) continue;
    const subjectKey = headers[ALERT_STATE_HEADERS.issueKey] ?? alert.subject.accountKey;
    const counted = Number(headers[ALERT_STATE_HEADERS.evidenceCount]);
    const key = `${alert.typology}|${subjectKey}`;
    const earlier = latest.get(key);
    // A replica's re-publication of a reserved version can follow a newer one of the same id: keep the newer.
    if (earlier?.state.alertId === alert.alertId && earlier.state.version > alert.version) continue;
    latest.set(key, {
      typology: alert.typology,
      subjectKey,
      state: {
        alertId: alert.alertId,
        version: alert.version,
        fingerprint: headers[ALERT_STATE_HEADERS.fingerprint] ?? '',
        evidenceCount: Number.isSafeInteger(counted) && counted >= 0 ? counted : evidenceCountOf(alert),
      },
      raisedAtMs: Date.parse(alert.raisedAt),
    });
  }
  return [...latest.values()];
};
