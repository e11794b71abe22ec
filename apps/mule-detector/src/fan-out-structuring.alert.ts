import { proposeAlertId } from '@scamflow/alerting';
import {
  TYPOLOGIES,
  severityOfScore,
  type AccountRef,
  type AlertDraft,
  type AlertFact,
} from '@scamflow/contracts';
import { formatMinor } from '@scamflow/money';
import type { FanOutStructuringFinding } from './fan-out-structuring.detector';

/** Turns a fired fan-out / structuring finding into an alert an FIU analyst can read and act on. */
export const buildFanOutStructuringAlert = (
  subject: AccountRef,
  finding: FanOutStructuringFinding,
  extraFacts: readonly AlertFact[] = [],
): AlertDraft => {
  const { scale, currency } = finding;
  const money = (minor: bigint) => ({ amountMinor: minor.toString(), currency, scale });
  const show = (minor: bigint) => `${formatMinor(minor, scale)} ${currency}`;
  const receivers = new Set(finding.outflows.map((f) => f.counterpartyKey));
  const latest = finding.outflows.reduce((a, b) => (b.atMs > a.atMs ? b : a));
  const first = finding.fundingInflows[0] ?? finding.outflows[0];
  const mule = { ...subject, role: 'mule' as const };

  return {
    proposedAlertId: proposeAlertId(
      TYPOLOGIES.fanOutStructuring,
      subject.accountKey,
      first?.transferId ?? '',
    ),
    typology: TYPOLOGIES.fanOutStructuring,
    subject: mule,
    involved: [mule],
    score: finding.score,
    severity: severityOfScore(finding.score),
    summary:
      `Account ${subject.accountKey} received ${show(finding.inflowMinor)} and scattered ${show(finding.outflowMinor)} ` +
      `to ${receivers.size} accounts, ${finding.structuredOutflows.length} of the transfers just under the ` +
      `reporting threshold.`,
    facts: [...finding.facts, ...extraFacts],
    evidence: {
      inboundTransferIds: finding.fundingInflows.map((f) => f.transferId),
      outboundTransferIds: finding.outflows.map((f) => f.transferId),
      counterparties: [
        ...new Set([...finding.fundingInflows, ...finding.outflows].map((f) => f.counterpartyKey)),
      ],
      edges: [],
    },
    trigger: { transferId: latest.transferId },
    amounts: { inflow: money(finding.inflowMinor), outflow: money(finding.outflowMinor) },
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
          'Ask the holding institution to review the account and the receivers of the scattered transfers ' +
          '(possible second-layer mules).',
      },
      {
        kind: 'str-report',
        rationale:
          'File a suspicious transaction report: repeated transfers just under the reporting threshold.',
      },
    ],
  };
};
