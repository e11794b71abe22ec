import { createHash, randomUUID } from 'node:crypto';
import type { AlertDraft, AlertRaised } from '@scamflow/contracts';

/** What was issued last for the same (typology, subject). */
export interface IssuedState {
  readonly alertId: string;
  readonly version: number;
  readonly fingerprint: string;
  readonly evidenceCount: number;
  /** Reserved before publishing and not yet confirmed: a crash may have come in between. */
  readonly pending?: boolean;
}

export type IssueDecision =
  | {
      readonly kind: 'new' | 'update';
      readonly alert: AlertRaised;
      /** The alert's JSON (stringified once, with the fingerprint). */
      readonly text: string;
      readonly state: IssuedState;
    }
  | { readonly kind: 'unchanged' | 'stale' };

/** Distinct transfers an alert's evidence names (a re-evaluation with fewer is stale). */
export const evidenceCountOf = (draft: Pick<AlertDraft, 'evidence'>): number =>
  new Set([
    ...draft.evidence.inboundTransferIds,
    ...draft.evidence.outboundTransferIds,
    ...draft.evidence.edges.map((e) => e.transferId),
  ]).size;

/**
 * Content fingerprint: what an analyst would see change. The trigger is left out (a replayed or re-evaluated
 * transfer that adds nothing must not make a new version), and so are the id and time the issuer assigns.
 */
export const fingerprintOf = (draft: AlertDraft): string => fingerprintOfText(contentTextOf(draft));

/** The JSON of what the fingerprint covers: the draft without the issuer's fields and the trigger. */
const contentTextOf = (draft: AlertDraft): string => {
  const { proposedAlertId: _id, issueKey: _key, trigger: _trigger, ...content } = draft;
  return JSON.stringify(content);
};

const fingerprintOfText = (contentText: string): string =>
  createHash('sha256').update(contentText).digest('hex').slice(0, 32);

/**
 * An alert's JSON from the fingerprint's text of its draft: the issuer's fields, the content, then the trigger.
 * Alerts run to tens of kilobytes (a trace's hop ledger); stringifying each once for the fingerprint and again
 * for the publish was a measurable part of the tracer's CPU. `JSON.parse` of it equals the alert (key order
 * aside).
 */
const alertTextOf = (alert: AlertRaised, contentText: string): string => {
  const head = JSON.stringify({
    schemaVersion: alert.schemaVersion,
    alertId: alert.alertId,
    version: alert.version,
    raisedAt: alert.raisedAt,
  });
  const content = contentText.slice(1, -1);
  const trigger = alert.trigger === undefined ? '' : `,"trigger":${JSON.stringify(alert.trigger)}`;
  return `${head.slice(0, -1)}${content ? `,${content}` : ''}${trigger}}`;
};

/**
 * Decides whether a draft becomes a first version, a new version, or nothing:
 * same content as issued → unchanged; less evidence than issued (a stale or partial re-evaluation) → stale.
 * A reserved (`pending`) version with the same content is published again under the same id and version (the
 * first attempt may have been lost in a crash); with other content it is skipped, as it may have been published.
 * A first version takes `newAlertId` (see `mintAlertId`).
 */
export const decideIssue = (
  draft: AlertDraft,
  issued: IssuedState | undefined,
  now: Date,
  newAlertId: string = draft.proposedAlertId,
): IssueDecision => {
  const contentText = contentTextOf(draft);
  const fingerprint = fingerprintOfText(contentText);
  const evidenceCount = evidenceCountOf(draft);
  const { proposedAlertId: _proposed, issueKey: _issueKey, ...content } = draft;
  const issue = (kind: 'new' | 'update', alertId: string, version: number): IssueDecision => {
    const alert: AlertRaised = {
      schemaVersion: 1,
      alertId,
      version,
      raisedAt: now.toISOString(),
      ...content,
    };
    return {
      kind,
      alert,
      text: alertTextOf(alert, contentText),
      state: { alertId, version, fingerprint, evidenceCount },
    };
  };
  if (issued?.fingerprint === fingerprint) {
    if (!issued.pending) return { kind: 'unchanged' };
    return issue(issued.version === 1 ? 'new' : 'update', issued.alertId, issued.version);
  }
  if (issued && evidenceCount < issued.evidenceCount) return { kind: 'stale' };
  return issue(issued ? 'update' : 'new', issued?.alertId ?? newAlertId, (issued?.version ?? 0) + 1);
};

/** Deterministic seed for a first version's id: the same subject and episode always propose the same one. */
export const proposeAlertId = (...parts: readonly string[]): string =>
  createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 32);

/**
 * The id of a first version: the proposal plus when and by whom it was minted. Only the stored alert state
 * leads back to an id, so when that state is lost (Redis restarted, expired, quarantined) the subject gets a
 * new alert id starting at v1, never a second "v1" of an id already on the topic with other content.
 */
export const mintAlertId = (proposedAlertId: string, now: Date, nonce: string = randomUUID()): string =>
  createHash('sha256').update(`${proposedAlertId}|${now.toISOString()}|${nonce}`).digest('hex').slice(0, 32);
