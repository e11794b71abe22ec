import { proposeAlertId } from '@scamflow/alerting';
import {
  TYPOLOGIES,
  severityOfScore,
  type AccountRef,
  type AlertDraft,
  type AlertFact,
} from '@scamflow/contracts';
import { formatMinor } from '@scamflow/money';
import type { FanInPassThroughFinding } from './fan-in-pass-through.detector';

/** Same subject and same first inflow → same alert id, so a replay or retry is recognisable downstream. */
export const fanInPassThroughAlertId = (accountKey: string, finding: FanInPassThroughFinding): string =>
  proposeAlertId(TYPOLOGIES.fanInPassThrough, accountKey, finding.inflows[0]?.transferId ?? '');

const latestTransferId = (finding: FanInPassThroughFinding): string => {
  const flows = [...finding.inflows, ...finding.passThroughOutflows];
  const latest = flows.reduce((a, b) => (b.atMs > a.atMs ? b : a));
  return latest.transferId;
};

/** Turns a fired finding into an alert an FIU analyst can read and act on. */
export const buildFanInPassThroughAlert = (
  subject: AccountRef,
  finding: FanInPassThroughFinding,
  extraFacts: readonly AlertFact[] = [],
): AlertDraft => {
  const { scale } = finding;
  const money = (minor: bigint) => ({ amountMinor: minor.toString(), currency: finding.currency, scale });
  const retained = finding.inflowMinor - finding.outflowMinor;
  const senders = new Set(finding.inflows.map((f) => f.counterpartyKey));
  const receivers = new Set(finding.passThroughOutflows.map((f) => f.counterpartyKey));
  const show = (minor: bigint) => `${formatMinor(minor, scale)} ${finding.currency}`;

  return {
    proposedAlertId: fanInPassThroughAlertId(subject.accountKey, finding),
    typology: TYPOLOGIES.fanInPassThrough,
    subject: { ...subject, role: 'mule' },
    involved: [{ ...subject, role: 'mule' }],
    score: finding.score,
    severity: severityOfScore(finding.score),
    summary:
      `Account ${subject.accountKey} received ${show(finding.inflowMinor)} from ${senders.size} senders and ` +
      `forwarded ${show(finding.outflowMinor)} to ${receivers.size} account(s) within minutes.`,
    facts: [...finding.facts, ...extraFacts],
    evidence: {
      inboundTransferIds: finding.inflows.map((f) => f.transferId),
      outboundTransferIds: finding.passThroughOutflows.map((f) => f.transferId),
      counterparties: [...new Set([...senders, ...receivers])],
      edges: [],
    },
    trigger: { transferId: latestTransferId(finding) },
    amounts: { inflow: money(finding.inflowMinor), outflow: money(finding.outflowMinor) },
    jurisdictions: [subject.country],
    institutions: [subject.institutionId],
    firstSeenAt: new Date(finding.firstSeenMs).toISOString(),
    lastSeenAt: new Date(finding.lastSeenMs).toISOString(),
    status: 'open',
    recommendedActions: [
      ...(retained > 0n
        ? [
            {
              kind: 'freeze-request' as const,
              institutionId: subject.institutionId,
              country: subject.country,
              amount: money(retained),
              rationale: `Up to ${show(retained)} of the pass-through inflow may still be held by ${subject.institutionId}.`,
            },
          ]
        : []),
      {
        kind: 'review',
        institutionId: subject.institutionId,
        country: subject.country,
        rationale:
          'Ask the holding institution to review the account (KYC, devices, account age) as a suspected mule.',
      },
      {
        kind: 'str-report',
        rationale: 'File a suspicious transaction report with the evidence transfers.',
      },
    ],
  };
};
