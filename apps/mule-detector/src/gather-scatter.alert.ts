import { proposeAlertId } from '@scamflow/alerting';
import {
  TYPOLOGIES,
  severityOfScore,
  type AccountRef,
  type AlertDraft,
  type AlertFact,
} from '@scamflow/contracts';
import { formatMinor } from '@scamflow/money';
import type { GatherScatterFinding } from './gather-scatter.detector';

export const buildGatherScatterAlert = (
  subject: AccountRef,
  finding: GatherScatterFinding,
  extraFacts: readonly AlertFact[] = [],
): AlertDraft => {
  const money = (minor: bigint) => ({
    amountMinor: minor.toString(),
    currency: finding.currency,
    scale: finding.scale,
  });
  const show = (minor: bigint) => `${formatMinor(minor, finding.scale)} ${finding.currency}`;
  const senders = [...new Set(finding.inflows.map((f) => f.counterpartyKey))].sort();
  const receivers = [...new Set(finding.scatteredOutflows.map((f) => f.counterpartyKey))].sort();
  const last = [...finding.inflows, ...finding.scatteredOutflows].reduce((a, b) => (b.atMs > a.atMs ? b : a));
  return {
    proposedAlertId: proposeAlertId(
      TYPOLOGIES.gatherScatter,
      subject.accountKey,
      finding.inflows[0]?.transferId ?? '',
    ),
    typology: TYPOLOGIES.gatherScatter,
    subject: { ...subject, role: 'mule' },
    involved: [{ ...subject, role: 'mule' }],
    score: finding.score,
    severity: severityOfScore(finding.score),
    summary:
      `Account ${subject.accountKey} gathered ${show(finding.inflowMinor)} from ${senders.length} senders and ` +
      `scattered ${show(finding.forwardedMinor)} of it to ${receivers.length} receivers.`,
    facts: [...finding.facts, ...extraFacts],
    evidence: {
      inboundTransferIds: finding.inflows.map((f) => f.transferId),
      outboundTransferIds: finding.scatteredOutflows.map((f) => f.transferId),
      counterparties: [...new Set([...senders, ...receivers])],
      edges: [],
    },
    trigger: { transferId: last.transferId },
    amounts: { inflow: money(finding.inflowMinor), outflow: money(finding.forwardedMinor) },
    jurisdictions: [subject.country],
    institutions: [subject.institutionId],
    firstSeenAt: new Date(finding.firstSeenMs).toISOString(),
    lastSeenAt: new Date(finding.lastSeenMs).toISOString(),
    status: 'open',
    recommendedActions: [
      {
        kind: 'review',
        institutionId: subject.institutionId,
        country: subject.country,
        rationale:
          'Ask the holding institution to review the account as a suspected collection and distribution point.',
      },
      { kind: 'str-report', rationale: 'File a suspicious transaction report with the evidence transfers.' },
    ],
  };
};
