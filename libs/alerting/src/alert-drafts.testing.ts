import { TYPOLOGIES, type AlertDraft } from '@scamflow/contracts';
import { proposeAlertId } from './alert-versioning';

/** Test fixtures: one mule account's fan-in pass-through drafts, evidence given by inbound transfer ids. */
export const NOW = new Date('2026-11-23T03:00:00Z');

const money = (minor: string) => ({ amountMinor: minor, currency: 'THB', scale: 2 });

export const MULE_ACCOUNT = {
  accountKey: 'BANKA:mule-1',
  accountId: 'mule-1',
  institutionId: 'BANKA',
  country: 'TH',
  role: 'mule' as const,
};

/** `triggerId` defaults to the last inbound transfer; `issueKey` (a case id) keeps several alerts apart. */
export const fanInDraft = (
  inbound: string[],
  options: { readonly triggerId?: string; readonly issueKey?: string } = {},
): AlertDraft => {
  const triggerId = options.triggerId ?? inbound.at(-1);
  return {
    proposedAlertId: proposeAlertId(
      TYPOLOGIES.fanInPassThrough,
      MULE_ACCOUNT.accountKey,
      options.issueKey ?? inbound[0] ?? '',
    ),
    ...(options.issueKey ? { issueKey: options.issueKey } : {}),
    typology: TYPOLOGIES.fanInPassThrough,
    subject: MULE_ACCOUNT,
    involved: [MULE_ACCOUNT],
    score: 0.8,
    severity: 'high',
    summary: `received from ${inbound.length} senders`,
    facts: [],
    evidence: { inboundTransferIds: inbound, outboundTransferIds: [], counterparties: [], edges: [] },
    amounts: { inflow: money(String(inbound.length * 100)), outflow: money('0') },
    trigger: { ...(triggerId ? { transferId: triggerId } : {}) },
    jurisdictions: ['TH'],
    institutions: ['BANKA'],
    firstSeenAt: '2026-11-23T02:00:00Z',
    lastSeenAt: '2026-11-23T02:30:00Z',
    status: 'open',
    recommendedActions: [],
  };
};
