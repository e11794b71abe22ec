import { createHash } from 'node:crypto';
import type { AlertDraft, AlertRaised } from '@scamflow/contracts';

/** What was issued last for the same (typology, subject). */
export interface IssuedState {
  readonly alertId: string;
  readonly version: number;
  readonly fingerprint: string;
  readonly evidenceCount: number;
}

export type IssueDecision =
  | { readonly kind: 'new' | 'update'; readonly alert: AlertRaised; readonly state: IssuedState }
  | { readonly kind: 'unchanged' | 'stale' };

const evidenceCountOf = (draft: AlertDraft): number =>
  new Set([
    ...draft.evidence.inboundTransferIds,
    ...draft.evidence.outboundTransferIds,
    ...draft.evidence.edges.map((e) => e.transferId),
  ]).size;

/**
 * Content fingerprint: what an analyst would see change. The trigger is left out (a replayed or re-evaluated
 * transfer that adds nothing must not make a new version), and so are the id and time the issuer assigns.
 */
export const fingerprintOf = (draft: AlertDraft): string => {
  const { proposedAlertId: _id, issueKey: _key, trigger: _trigger, ...content } = draft;
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 32);
};

/**
 * Decides whether a draft becomes a first version, a new version, or nothing:
 * same content as issued → unchanged; less evidence than issued (a stale or partial re-evaluation) → stale.
 */
export const decideIssue = (draft: AlertDraft, issued: IssuedState | undefined, now: Date): IssueDecision => {
  const fingerprint = fingerprintOf(draft);
  const evidenceCount = evidenceCountOf(draft);
  if (issued?.fingerprint === fingerprint) return { kind: 'unchanged' };
  if (issued && evidenceCount < issued.evidenceCount) return { kind: 'stale' };
  const alertId = issued?.alertId ?? draft.proposedAlertId;
  const version = (issued?.version ?? 0) + 1;
  const { proposedAlertId: _id, issueKey: _key, ...body } = draft;
  return {
    kind: issued ? 'update' : 'new',
    alert: { schemaVersion: 1, alertId, version, raisedAt: now.toISOString(), ...body },
    state: { alertId, version, fingerprint, evidenceCount },
  };
};

/** Deterministic id for a first version: the same subject and episode always propose the same id. */
export const proposeAlertId = (...parts: readonly string[]): string =>
  createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 32);
