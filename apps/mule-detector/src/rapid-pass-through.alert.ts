import { proposeAlertId } from '@scamflow/alerting';
import {
  TYPOLOGIES,
  severityOfScore,
  type AccountRef,
  type AlertDraft,
  type AlertFact,
} from '@scamflow/contracts';
import { formatMinor } from '@scamflow/money';
import type { RapidPassThroughFinding } from './rapid-pass-through.detector';
import { minutes } from './account-flows';

/** Turns a fired rapid pass-through finding into an alert an FIU analyst can read and act on. */
export const buildRapidPassThroughAlert = (
  subject: AccountRef,
  finding: RapidPassThroughFinding,
  extraFacts: readonly AlertFact[] = [],
): AlertDraft => {
  const { scale, currency } = finding;
  const money = (minor: bigint) => ({ amountMinor: minor.toString(), currency, scale });
  const show = (minor: bigint) => `${formatMinor(minor, scale)} ${currency}`;
  const credits = finding.cycles.flatMap((c) => c.credits);
  const debits = finding.cycles.flatMap((c) => c.debits);
  const longest = Math.max(0, ...finding.cycles.map((c) => c.dwellMs));
  const latest = [...credits, ...debits].reduce((a, b) => (b.atMs > a.atMs ? b : a));
  const mule = { ...subject, role: 'mule' as const };

  return {
    proposedAlertId: proposeAlertId(
      TYPOLOGIES.rapidPassThrough,
      subject.accountKey,
      credits[0]?.transferId ?? '',
    ),
    typology: TYPOLOGIES.rapidPassThrough,
    subject: mule,
    involved: [mule],
    score: finding.score,
    severity: severityOfScore(finding.score),
    summary:
      `Account ${subject.accountKey} forwarded its credits ${finding.cycles.length} times within ` +
      `${minutes(longest)} min each (in ${show(finding.inflowMinor)}, out ${show(finding.outflowMinor)}).`,
    facts: [...finding.facts, ...extraFacts],
    evidence: {
      inboundTransferIds: credits.map((f) => f.transferId),
      outboundTransferIds: debits.map((f) => f.transferId),
      counterparties: [...new Set([...credits, ...debits].map((f) => f.counterpartyKey))],
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
          'Ask the holding institution to review the account (KYC, devices, who controls it): money passes ' +
          'through it within minutes, again and again, and little stays.',
      },
      { kind: 'str-report', rationale: 'File a suspicious transaction report with the evidence transfers.' },
    ],
  };
};
